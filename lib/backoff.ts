// Exponential backoff with jitter for reconnecting clients (the gateway towards subgraphs, the
// subscribe CLI towards the gateway): between half and all of min(maxMs, baseMs · 2^attempt), so
// clients that lost the same server do not come back in lockstep.
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}
