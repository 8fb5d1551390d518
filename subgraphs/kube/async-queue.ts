// Push events into an async iterator: what GraphQL subscription resolvers consume.
// Buffers events the consumer has not pulled yet; `return()` (the consumer unsubscribed) or the
// abort signal ends it and detaches from the source.

/**
 * `subscribe(push)` attaches to a source and returns the function that detaches.
 * `maxBuffered` bounds memory for a consumer that stopped pulling: the oldest events are dropped.
 */
export function eventIterator<E>(
  subscribe: (push: (event: E) => void) => () => void,
  options: { signal?: AbortSignal; maxBuffered?: number } = {},
): AsyncIterableIterator<E> {
  const buffer: E[] = [];
  const waiting: ((result: IteratorResult<E>) => void)[] = [];
  const maxBuffered = options.maxBuffered ?? 10_000;
  let done = false;

  const finish = (): IteratorResult<E> => {
    if (!done) {
      done = true;
      unsubscribe();
      options.signal?.removeEventListener('abort', onAbort);
      buffer.length = 0;
      for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
    }
    return { value: undefined, done: true };
  };
  const onAbort = () => finish();

  const unsubscribe = subscribe((event) => {
    if (done) return;
    const next = waiting.shift();
    if (next) next({ value: event, done: false });
    else {
      buffer.push(event);
      if (buffer.length > maxBuffered) buffer.shift();
    }
  });
  if (options.signal?.aborted) finish();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    next(): Promise<IteratorResult<E>> {
      if (buffer.length) return Promise.resolve({ value: buffer.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return(): Promise<IteratorResult<E>> {
      return Promise.resolve(finish());
    },
    throw(err?: unknown): Promise<IteratorResult<E>> {
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
