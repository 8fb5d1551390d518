// A live copy of one kind in one cluster (optionally one namespace / selector), in three parts as an
// informer has them: a reflector (reflector.ts: list, watch, relist on 410, backoff) writes an indexed
// store (object-store.ts: objects by key, by namespace, by any index a consumer adds), and every change
// goes to the listeners through a dispatcher that queues for slow ones (change-dispatcher.ts: bounded;
// a listener that falls too far behind is detached and told, the watch loop never waits).
import { eventIterator } from './async-queue.js';
import { ChangeDispatcher, type ChangeListener, type ListenOptions } from './change-dispatcher.js';
import type { ClusterError } from './errors.js';
import { ObjectStore, type IndexFunction, type WatchChange, type WatchChangeType } from './object-store.js';
import type { KubeObject } from './objects.js';
import { Reflector, type ReflectorOptions, type ReflectorPhase, type WatchScope } from './reflector.js';
import type { ResourceRef } from './resources.js';

export type { WatchChange, WatchChangeType } from './object-store.js';
export type { WatchScope, ReflectorPhase } from './reflector.js';
export type { ListenOptions } from './change-dispatcher.js';

export interface WatchCacheOptions<T> extends ReflectorOptions<T> {
  /** Changes that may wait for one slow listener before it is detached. Default 10,000. */
  maxQueuedChanges?: number;
}

export class WatchCache<T = KubeObject> {
  readonly cluster: string;
  readonly ref: ResourceRef;
  readonly scope: WatchScope;
  /** The objects, with their indexes (read-only for consumers: the reflector writes it). */
  readonly store: ObjectStore<T>;
  private readonly reflector: Reflector<T>;
  private readonly dispatcher: ChangeDispatcher<T>;

  constructor(options: WatchCacheOptions<T>) {
    this.cluster = options.cluster;
    this.ref = options.ref;
    this.scope = { namespace: options.namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    this.store = new ObjectStore<T>(options.ref.namespaced);
    this.dispatcher = new ChangeDispatcher<T>({ cluster: options.cluster, kind: options.ref.plural }, options.maxQueuedChanges);
    this.reflector = new Reflector<T>(options, this.store, (change) => this.dispatcher.emit(change));
  }

  /** Resolves when the first list is in; rejects only if stopped before that. */
  get ready(): Promise<void> {
    return this.reflector.ready;
  }

  /** The last error the loop recovered from (or is retrying). */
  get lastError(): ClusterError | undefined {
    return this.reflector.lastError;
  }

  /**
   * The cluster does not serve this kind (404 on the list: CRD not installed). The cache is then
   * synced and empty, and checks again now and then at the longest backoff.
   */
  get notServed(): boolean {
    return this.reflector.notServed;
  }

  /** Lists, watches, relists, events, bookmarks; and listeners detached for falling behind. */
  get stats(): Reflector<T>['stats'] & { listenerOverflows: number } {
    return { ...this.reflector.stats, listenerOverflows: this.dispatcher.overflows };
  }

  /** When the server last told this cache something (list, event, bookmark), ms since epoch. */
  get lastHeardAt(): number | undefined {
    return this.reflector.lastHeardAt;
  }

  /**
   * Resolves when the cache is current (synced, or its watch reopened), its loop has met an error,
   * `timeoutMs` passed (not counting a wait for the sync budget), or `signal` aborted.
   */
  settled(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.reflector.settled(timeoutMs, signal);
  }

  /** Where the list+watch loop is (queued for the sync budget, listing, watching, retrying …). */
  get phase(): ReflectorPhase {
    return this.reflector.phase;
  }

  /** When the first list was in (performance.now()); undefined before. */
  get syncedAt(): number | undefined {
    return this.reflector.syncedAt;
  }

  /** Synced and following the cluster now (listed just now, or its watch open), or the kind is not served. */
  get current(): boolean {
    return this.reflector.current;
  }

  /** The first list is in and the cache follows the cluster (false again after stop()). */
  get synced(): boolean {
    return this.reflector.synced;
  }

  /** The resourceVersion the next watch resumes from. */
  get resourceVersion(): string | undefined {
    return this.reflector.resourceVersion;
  }

  get size(): number {
    return this.store.size;
  }

  /** The store's version: grows with every change (and the first list). */
  get version(): number {
    return this.store.version;
  }

  /** Starts the list+watch loop (idempotent). */
  start(): this {
    this.reflector.start();
    return this;
  }

  /** Stops the loop and closes the watch; the cached objects stay readable. */
  stop(): Promise<void> {
    return this.reflector.stop();
  }

  /** Drops the current watch and reconnects now (e.g. the cluster's credentials changed). */
  restart(): void {
    this.reflector.restart();
  }

  list(): readonly T[] {
    return this.store.list();
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace, name);
  }

  /** The objects of one namespace, from the namespace index. */
  inNamespace(namespace: string): readonly T[] {
    return this.store.inNamespace(namespace);
  }

  /** Adds an index to the store unless it has one of that name (consumers sharing a cache add the same one). */
  ensureIndex(name: string, index: IndexFunction<T>): void {
    if (!this.store.hasIndex(name)) this.store.addIndex(name, index);
  }

  byIndex(name: string, value: string): T[] {
    return this.store.byIndex(name, value);
  }

  /**
   * Listens for `add`, `update`, `delete` or every `change`; returns the function that stops listening.
   * A listener may return a promise: its later changes wait (bounded, see change-dispatcher.ts) until it settles.
   */
  on(
    type: WatchChangeType | 'change',
    listener: (object: T, old: T | undefined, change: WatchChange<T>) => unknown,
    options: ListenOptions = {},
  ): () => void {
    const wrapped: ChangeListener<T> = (change) => {
      if (type === 'change' || change.type === type) return listener(change.object, change.old, change);
    };
    return this.dispatcher.add(wrapped, options);
  }

  /** Changes as an async iterator (for subscription resolvers); ends on `return()` or when `signal` aborts. */
  changes(options: { signal?: AbortSignal; includeInitial?: boolean } = {}): AsyncIterableIterator<WatchChange<T>> {
    return eventIterator<WatchChange<T>>(
      (push) =>
        this.dispatcher.add((change) => {
          if (options.includeInitial || !change.initial) push(change);
        }),
      options,
    );
  }
}
