// Derived models computed once per source object. A watch cache hands out the same object until the
// object changes (an update or a re-list replaces it), so a model keyed by that object is computed once
// per resourceVersion and shared by every query and feed that reads it, instead of once per query.
// Objects read by a LIST of their own are new each time: their models are computed as before and
// collected with them (WeakMap). Models handed out this way are shared: never mutate one.

/**
 * `derive(object, ...inputs)`, computed once per object while the other inputs stay the same (`===`):
 * for a model of several cached lists (each list keeps its identity until its cache changes).
 */
export function memoByInputs<O extends object, I extends readonly unknown[], R>(derive: (object: O, ...inputs: I) => R): (object: O, ...inputs: I) => R {
  const memo = new WeakMap<O, { inputs: I; value: R }>();
  return (object, ...inputs) => {
    const hit = memo.get(object);
    if (hit && hit.inputs.length === inputs.length && hit.inputs.every((v, i) => v === inputs[i])) return hit.value;
    const value = derive(object, ...inputs);
    memo.set(object, { inputs, value });
    return value;
  };
}

/** `derive(object)`, computed once per object. */
export function memoByObject<O extends object, R>(derive: (object: O) => R): (object: O) => R {
  return memoByInputs(derive);
}

/** `derive(scope, object)`, computed once per object (and again only if asked with another scope). */
export function memoByScopedObject<O extends object, R>(derive: (scope: string, object: O) => R): (scope: string, object: O) => R {
  const memo = memoByInputs((object: O, scope: string) => derive(scope, object));
  return (scope, object) => memo(object, scope);
}
