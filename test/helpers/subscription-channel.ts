// A push-based AsyncIterator for test subgraph subscriptions. Unlike an async generator, return()
// takes effect at once even while a next() is pending, so a client that unsubscribes is released
// immediately (the subgraph's activeSubscriptions() counter drops without waiting for an event).
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private pending: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;

  constructor(private readonly onClose: () => void = () => {}) {}

  push(value: T): void {
    if (this.done) return;
    if (this.pending) {
      const resolve = this.pending;
      this.pending = null;
      resolve({ value, done: false });
    } else {
      this.queue.push(value);
    }
  }

  /** Ends the stream from the producer side (the subgraph sends `complete`). */
  end(): void {
    void this.return();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.pending = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.queue.length = 0;
      this.onClose();
      if (this.pending) {
        const resolve = this.pending;
        this.pending = null;
        resolve({ value: undefined, done: true });
      }
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
