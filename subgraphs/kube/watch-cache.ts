// A live copy of one kind in one cluster (optionally one namespace / selector): list, then watch from
// the list's resourceVersion with bookmarks. Our own loop rather than client-node's ListWatch, which
// never asks for bookmarks, keeps whole objects and stops on non-410 errors (reference §3.3).
//  - ADDED / MODIFIED / DELETED update the cache and emit add / update / delete (deduplicated by RV);
//  - BOOKMARK advances the resourceVersion, so a quiet kind resumes from a recent RV;
//  - 410 Gone (HTTP or in-stream ERROR): relist and diff against the cache, emitting synthetic deletes
//    for objects that vanished meanwhile and updates for the ones that changed;
//  - 404 (the cluster does not serve the kind: CRD not installed): synced and empty, `notServed`, checked
//    again at the longest backoff;
//  - any other error or the end of the stream: resume with jittered exponential backoff (reset on success).
import { ExponentialBackoff, halfJitterGenerator, type IBackoff } from 'cockatiel';
import { eventIterator } from './async-queue.js';
import type { ClusterReader } from './client.js';
import { ClusterError, errorFromStatus, toClusterError } from './errors.js';
import { isStatus, objectKey, type KubeObject } from './objects.js';
import type { ResourceRef } from './resources.js';

export type WatchChangeType = 'add' | 'update' | 'delete';

export interface WatchChange<T> {
  type: WatchChangeType;
  /** The object now (for delete: its last known state). */
  object: T;
  /** The cached object before an update or delete. */
  old?: T;
  /** Emitted by the first list (the cache filling up), not by a change. */
  initial?: boolean;
}

export interface WatchScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchCacheOptions<T> extends WatchScope {
  cluster: string;
  ref: ResourceRef;
  /** Looked up at every (re)connect, so a cluster whose credentials changed reconnects with the new client. */
  client: () => ClusterReader;
  /** Keeps only what consumers need (runs after `managedFields` is stripped). */
  transform?: (object: KubeObject) => T;
  /** Backoff after errors: first delay and cap, ms. Default 250 → 30000. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Server-side watch timeout; default a random 5–10 min (as client-go), so reconnects spread out. */
  timeoutSeconds?: number;
  /** A stream silent for this long is treated as dead (half-open TCP), ms. Default 180000; 0 = never. */
  idleTimeoutMs?: number;
}

interface Entry<T> {
  resourceVersion: string;
  object: T;
}

type Listener<T> = (change: WatchChange<T>) => void;

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function stripManagedFields(object: KubeObject): KubeObject {
  if (object.metadata?.managedFields) delete object.metadata.managedFields;
  return object;
}

export class WatchCache<T = KubeObject> {
  readonly cluster: string;
  readonly ref: ResourceRef;
  readonly scope: WatchScope;
  /** Resolves when the first list is in; rejects only if stopped before that. */
  readonly ready: Promise<void>;
  /** The last error the loop recovered from (or is retrying). */
  lastError?: ClusterError;
  /**
   * The cluster does not serve this kind (404 on the list: CRD not installed). The cache is then
   * synced and empty, and checks again now and then at the longest backoff.
   */
  notServed = false;

  private store = new Map<string, Entry<T>>();
  private rv?: string;
  private isSynced = false;
  private started = false;
  private stopController = new AbortController();
  private loop?: Promise<void>;
  private stream?: { close(): void };
  private skipDelay = false;
  private readonly listeners = new Set<Listener<T>>();
  private readonly errorWaiters = new Set<() => void>();
  private readonly backoffFactory: ExponentialBackoff<unknown>;
  private readonly maxBackoffMs: number;
  private resolveReady!: () => void;
  private rejectReady!: (err: Error) => void;
  private readonly options: WatchCacheOptions<T>;
  /** Counts lists and watch connections, for tests and metrics. */
  readonly stats = { lists: 0, watches: 0, relistsAfterGone: 0, events: 0, bookmarks: 0 };

  constructor(options: WatchCacheOptions<T>) {
    this.options = options;
    this.cluster = options.cluster;
    this.ref = options.ref;
    this.scope = { namespace: options.namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    this.maxBackoffMs = options.backoff?.maxMs ?? 30_000;
    this.backoffFactory = new ExponentialBackoff({
      initialDelay: options.backoff?.initialMs ?? 250,
      maxDelay: this.maxBackoffMs,
      generator: halfJitterGenerator,
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => undefined); // nobody has to wait for it
  }

  /** Resolves when the cache has synced, its loop has met an error, `timeoutMs` passed, or `signal` aborted. */
  settled(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.isSynced) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.errorWaiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.errorWaiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
      this.ready.then(done, done);
    });
  }

  /** The first list is in and the cache follows the cluster (false again after stop()). */
  get synced(): boolean {
    return this.isSynced;
  }

  /** The resourceVersion the next watch resumes from. */
  get resourceVersion(): string | undefined {
    return this.rv;
  }

  get size(): number {
    return this.store.size;
  }

  /** Starts the list+watch loop (idempotent). */
  start(): this {
    if (this.started) return this;
    this.started = true;
    this.loop = this.run();
    return this;
  }

  /** Stops the loop and closes the watch; the cached objects stay readable. */
  async stop(): Promise<void> {
    if (!this.started || this.stopController.signal.aborted) return;
    this.stopController.abort();
    this.stream?.close();
    this.isSynced = false;
    this.rejectReady(new Error(`watch cache ${this.cluster} ${this.ref.plural} stopped`));
    await this.loop;
  }

  /** Drops the current watch and reconnects now (e.g. the cluster's credentials changed). */
  restart(): void {
    this.skipDelay = true;
    this.stream?.close();
  }

  list(): T[] {
    return [...this.store.values()].map((e) => e.object);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(objectKey(this.ref.namespaced ? namespace : undefined, name))?.object;
  }

  /** Listens for `add`, `update`, `delete` or every `change`; returns the function that stops listening. */
  on(type: WatchChangeType | 'change', listener: (object: T, old: T | undefined, change: WatchChange<T>) => void): () => void {
    const wrapped: Listener<T> = (change) => {
      if (type === 'change' || change.type === type) listener(change.object, change.old, change);
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /** Changes as an async iterator (for subscription resolvers); ends on `return()` or when `signal` aborts. */
  changes(options: { signal?: AbortSignal; includeInitial?: boolean } = {}): AsyncIterableIterator<WatchChange<T>> {
    return eventIterator<WatchChange<T>>((push) => {
      const listener: Listener<T> = (change) => {
        if (options.includeInitial || !change.initial) push(change);
      };
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    }, options);
  }

  private emit(change: WatchChange<T>): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A failing subscriber must not break the cache for the others.
      }
    }
  }

  private async run(): Promise<void> {
    const stopped = this.stopController.signal;
    let backoff: IBackoff<unknown> | undefined;
    const succeeded = () => {
      backoff = undefined;
    };
    while (!stopped.aborted) {
      try {
        if (this.rv === undefined) {
          await this.relist();
          succeeded();
        }
        await this.watchOnce(succeeded);
      } catch (err) {
        if (stopped.aborted) break;
        const error = toClusterError(this.cluster, err);
        this.lastError = error;
        for (const wake of this.errorWaiters) wake();
        if (error.httpStatus === 404) {
          this.markNotServed();
          await delay(this.maxBackoffMs, stopped);
          continue;
        }
        if (error.httpStatus === 410) {
          // Our resourceVersion is older than the server's history: the next round relists.
          this.rv = undefined;
          this.stats.relistsAfterGone++;
        }
      }
      if (stopped.aborted) break;
      if (this.skipDelay) {
        this.skipDelay = false;
        continue;
      }
      backoff = backoff ? backoff.next(undefined) : this.backoffFactory.next();
      await delay(backoff.duration, stopped);
    }
  }

  private async relist(): Promise<void> {
    this.stats.lists++;
    const { items, resourceVersion } = await this.options.client().list(this.ref, {
      namespace: this.scope.namespace,
      labelSelector: this.scope.labelSelector,
      fieldSelector: this.scope.fieldSelector,
      signal: this.stopController.signal,
    });
    if (this.stopController.signal.aborted) return;
    const next = new Map<string, Entry<T>>();
    for (const item of items) {
      const key = objectKey(item.metadata.namespace, item.metadata.name);
      next.set(key, { resourceVersion: item.metadata.resourceVersion ?? '', object: this.shape(item) });
    }
    const initial = !this.isSynced;
    const changes: WatchChange<T>[] = [];
    for (const [key, entry] of next) {
      const old = this.store.get(key);
      if (!old) changes.push({ type: 'add', object: entry.object, ...(initial ? { initial: true } : {}) });
      else if (old.resourceVersion !== entry.resourceVersion) changes.push({ type: 'update', object: entry.object, old: old.object });
      else next.set(key, old); // unchanged: keep the object consumers already hold
    }
    for (const [key, old] of this.store) {
      if (!next.has(key)) changes.push({ type: 'delete', object: old.object, old: old.object });
    }
    this.store = next;
    this.rv = resourceVersion;
    this.notServed = false;
    for (const change of changes) this.emit(change);
    if (!this.isSynced) {
      this.isSynced = true;
      this.resolveReady();
    }
  }

  /** The kind is gone (or never was): whatever was cached is deleted, and the cache counts as synced. */
  private markNotServed(): void {
    this.notServed = true;
    this.rv = undefined;
    const vanished = [...this.store.values()];
    this.store = new Map();
    for (const old of vanished) this.emit({ type: 'delete', object: old.object, old: old.object });
    if (!this.isSynced) {
      this.isSynced = true;
      this.resolveReady();
    }
  }

  private async watchOnce(succeeded: () => void): Promise<void> {
    const stream = await this.options.client().watch(this.ref, {
      namespace: this.scope.namespace,
      labelSelector: this.scope.labelSelector,
      fieldSelector: this.scope.fieldSelector,
      resourceVersion: this.rv,
      allowWatchBookmarks: true,
      timeoutSeconds: this.options.timeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
      idleTimeoutMs: this.options.idleTimeoutMs ?? 180_000,
      signal: this.stopController.signal,
    });
    this.stats.watches++;
    this.stream = stream;
    if (this.stopController.signal.aborted) stream.close();
    try {
      for await (const event of stream) {
        if (event.type === 'ERROR') {
          throw isStatus(event.object)
            ? errorFromStatus(this.cluster, event.object)
            : new ClusterError('UPSTREAM_ERROR', this.cluster, `cluster ${this.cluster}: watch error`);
        }
        const object = event.object as KubeObject;
        const rv = object?.metadata?.resourceVersion;
        if (event.type === 'BOOKMARK') {
          this.stats.bookmarks++;
          if (rv) this.rv = rv;
          succeeded();
          continue;
        }
        if (!object?.metadata?.name) continue;
        this.stats.events++;
        this.apply(event.type, object);
        if (rv) this.rv = rv;
        succeeded();
      }
    } finally {
      this.stream = undefined;
      stream.close();
    }
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', raw: KubeObject): void {
    const key = objectKey(raw.metadata.namespace, raw.metadata.name);
    const old = this.store.get(key);
    const resourceVersion = raw.metadata.resourceVersion ?? '';
    if (type === 'DELETED') {
      if (!old) return;
      this.store.delete(key);
      this.emit({ type: 'delete', object: this.shape(raw), old: old.object });
      return;
    }
    if (old && old.resourceVersion === resourceVersion) return; // already seen (replayed after a reconnect)
    const object = this.shape(raw);
    this.store.set(key, { resourceVersion, object });
    this.emit(old ? { type: 'update', object, old: old.object } : { type: 'add', object });
  }

  private shape(raw: KubeObject): T {
    const stripped = stripManagedFields(raw);
    return this.options.transform ? this.options.transform(stripped) : (stripped as unknown as T);
  }
}
