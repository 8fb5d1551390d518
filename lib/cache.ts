// Shared caches on keyv: in memory (a bounded LRU) by default, Redis (@keyv/redis) when a Redis URL is
// configured (REDIS_URL, read by lib/config.ts), so several gateway / subgraph replicas share persisted
// queries (APQ) and short-TTL list results.
// A cache is an optimisation, never a dependency: every Redis error or slow answer (opTimeoutMs)
// becomes a miss, logged at most once per 30 s per cache, and never fails a query.
import { Keyv } from 'keyv';
import KeyvRedis from '@keyv/redis';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { LRUCache } from 'lru-cache';
import { log } from './log.js';

export type CacheBackend = 'memory' | 'redis';

export interface SharedCacheOptions {
  /** Keys are stored as `<namespace>:<key>` (Redis) or in the namespace's own LRU (memory). */
  namespace: string;
  /** Redis URL; unset or '' = in memory. */
  redisUrl?: string;
  /** Default time to live of an entry, ms (0 = until evicted). */
  ttlMs?: number;
  /** A get/set that takes longer than this is a miss (Redis only), ms. Default 250. */
  opTimeoutMs?: number;
  /** In-memory backend: most entries kept (LRU). Default 10,000. */
  maxEntries?: number;
}

/** What the rest of the code calls: never throws, never waits longer than `opTimeoutMs`. */
export interface SharedCache<V> {
  readonly namespace: string;
  readonly backend: CacheBackend;
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Closes the Redis connection (no-op in memory). */
  close(): Promise<void>;
}

const ERROR_LOG_INTERVAL_MS = 30_000;

/** Redis client options: fail fast while disconnected (no offline queue) and reconnect with capped backoff. */
function redisStore(url: string, namespace: string): KeyvRedis<unknown> {
  const store = new KeyvRedis<unknown>(
    {
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 5000) },
    },
    { namespace, throwOnConnectError: false, throwOnErrors: false, connectionTimeout: 1000 },
  );
  return store;
}

/** The raw Keyv of a namespace (APQ's KeyvAdapter needs one); prefer `createSharedCache`. */
export function createKeyv<V>(options: SharedCacheOptions): { keyv: Keyv<V>; backend: CacheBackend } {
  const url = options.redisUrl ?? '';
  if (url) {
    // useKeyPrefix false: @keyv/redis adds `<namespace>::` itself.
    const keyv = new Keyv<V>(redisStore(url, options.namespace), { namespace: options.namespace, useKeyPrefix: false, ttl: options.ttlMs || undefined });
    return { keyv, backend: 'redis' };
  }
  // In memory: no serialisation (values are shared, read-only), bounded by entry count.
  const store = lruStore(options.maxEntries ?? 10_000);
  const keyv = new Keyv<V>({ store, namespace: options.namespace, serialize: undefined, deserialize: undefined, ttl: options.ttlMs || undefined });
  return { keyv, backend: 'memory' };
}

/**
 * A bounded Map-like store for keyv. keyv calls `set(key, value, ttl)` with a number, which lru-cache
 * would read as its options object; keyv tracks expiry itself, so only key and value are passed on.
 */
function lruStore(max: number) {
  const lru = new LRUCache<string, object>({ max });
  return {
    get: (key: string) => lru.get(key),
    set: (key: string, value: object) => lru.set(key, value),
    delete: (key: string) => lru.delete(key),
    clear: () => lru.clear(),
    has: (key: string) => lru.has(key),
  };
}

/** Resolves with `fallback` after `ms` (the operation keeps running; its result is ignored). */
function within<T>(work: Promise<T>, ms: number, fallback: T, onLate: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      onLate();
      resolve(fallback);
    }, ms);
    timer.unref();
  });
  return Promise.race([work.finally(() => clearTimeout(timer)), late]);
}

/** Logs a cache failure at most once per interval (a Redis outage would otherwise log every request). */
function errorReporter(namespace: string, backend: CacheBackend): (err: unknown) => void {
  let last = 0;
  let suppressed = 0;
  return (err) => {
    const now = Date.now();
    if (now - last < ERROR_LOG_INTERVAL_MS) {
      suppressed++;
      return;
    }
    last = now;
    const message = err instanceof Error ? err.message : String(err);
    log.warn({ cache: namespace, backend, err: message, suppressed }, 'shared cache unavailable: answering without it');
    suppressed = 0;
  };
}

/** A keyv-backed cache that degrades to "no cache" on any error or timeout. */
export function createSharedCache<V>(options: SharedCacheOptions): SharedCache<V> {
  const { keyv, backend } = createKeyv<V>(options);
  const report = errorReporter(options.namespace, backend);
  keyv.on('error', report);
  const timeoutMs = options.opTimeoutMs ?? 250;
  const guard = <T>(op: () => Promise<T>, fallback: T): Promise<T> => {
    let work: Promise<T>;
    try {
      work = op().catch((err: unknown) => {
        report(err);
        return fallback;
      });
    } catch (err) {
      report(err);
      return Promise.resolve(fallback);
    }
    return backend === 'memory' ? work : within(work, timeoutMs, fallback, () => report(new Error(`${backend} did not answer within ${timeoutMs} ms`)));
  };
  return {
    namespace: options.namespace,
    backend,
    get: (key) => guard(() => keyv.get(key) as Promise<V | undefined>, undefined),
    set: (key, value, ttlMs) => guard(async () => void (await keyv.set(key, value, ttlMs ?? (options.ttlMs || undefined))), undefined),
    delete: (key) => guard(async () => void (await keyv.delete(key)), undefined),
    close: () => guard(() => keyv.disconnect(), undefined),
  };
}

/** Apollo's KeyValueCache shape (what Apollo Server's `cache` / `persistedQueries.cache` take). */
export interface KeyValueCacheLike {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/**
 * Persisted-query (APQ) store for Apollo Server: `@apollo/utils.keyvadapter` over the namespace's keyv
 * (batched reads become one MGET on Redis), with errors and slow answers turned into misses: a client
 * then simply sends the full query again (PERSISTED_QUERY_NOT_FOUND), which is APQ's own fallback.
 */
export function createApqCache(options: Partial<SharedCacheOptions> = {}): KeyValueCacheLike & { backend: CacheBackend; close(): Promise<void> } {
  const namespace = options.namespace ?? 'fleetgraph:apq';
  const { keyv, backend } = createKeyv<string>({ maxEntries: 5_000, ...options, namespace });
  const report = errorReporter(namespace, backend);
  keyv.on('error', report);
  // The adapter is CommonJS and types keyv's CJS build; it only calls the instance's methods.
  const adapter = new KeyvAdapter<string>(keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0]);
  const timeoutMs = options.opTimeoutMs ?? 250;
  const guard = async <T>(op: () => Promise<T>, fallback: T): Promise<T> => {
    const work = op().catch((err: unknown) => {
      report(err);
      return fallback;
    });
    return backend === 'memory' ? work : within(work, timeoutMs, fallback, () => report(new Error(`${backend} did not answer within ${timeoutMs} ms`)));
  };
  return {
    backend,
    get: (key) => guard(() => adapter.get(key), undefined),
    set: (key, value, opts) => guard(() => adapter.set(key, value, opts?.ttl == null ? undefined : { ttl: opts.ttl }), undefined),
    delete: (key) => guard(() => adapter.delete(key), false),
    close: () => guard(() => keyv.disconnect(), undefined),
  };
}
