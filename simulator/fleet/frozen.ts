// Shared constant sub-objects (container specs, config texts) are deep-frozen: many stored objects point
// at the same instance, so an in-place mutation anywhere would corrupt every cluster at once. Frozen, it
// throws instead (ESM code is strict mode).
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
