// At most `limit` tasks at a time, the rest wait in order: bounds the pod-proxy reads a subgraph has in
// flight (dpdk telemetry: one read per pod, port and kind of data) and the clusters a fleet-wide
// fan-out works on at once.
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`limiter: limit must be at least 1 (got ${limit})`);
  }

  get inFlight(): number {
    return this.active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so a newcomer cannot take it in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
