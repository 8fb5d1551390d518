// Waiting for a state instead of for a time: tests poll the condition they await, with a generous
// deadline (CI is a loaded 2-core box), and fail naming what did not happen.

export interface WaitForOptions {
  /** Give up after this long, ms. Default 10 s. */
  timeoutMs?: number;
  /** Poll this often, ms. Default 10. */
  intervalMs?: number;
}

export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Resolves with the first truthy value of `check` (sync or async); rejects after the timeout with
 * `what` in the message. A check that throws is retried until the deadline, then its error is reported.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, options: WaitForOptions = {}): Promise<Truthy<T>> {
  const { timeoutMs = 10_000, intervalMs = 10 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
