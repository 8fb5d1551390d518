// Keeps an ObjectStore equal to one kind in one cluster (client-go's Reflector): list, then watch from
// the list's resourceVersion with bookmarks. Our own loop rather than client-node's ListWatch, which
// never asks for bookmarks, keeps whole objects and stops on non-410 errors (reference §3.3).
//  - ADDED / MODIFIED / DELETED update the store; each change is handed to `emit` (deduplicated by RV);
//  - BOOKMARK advances the resourceVersion, so a quiet kind resumes from a recent RV;
//  - 410 Gone (HTTP or in-stream ERROR): relist and diff against the store, emitting synthetic deletes
//    for objects that vanished meanwhile and updates for the ones that changed;
//  - 404 (the cluster does not serve the kind: CRD not installed): synced and empty, `notServed`, checked
//    again at the longest backoff;
//  - any other error or the end of the stream: resume with jittered exponential backoff (reset on success).
// The reflector never waits for whoever listens to `emit` (change-dispatcher.ts queues for slow ones).
import { detached } from '../../lib/tracing.js';
import { ExponentialBackoff, halfJitterGenerator, type IBackoff } from 'cockatiel';
import type { ClusterReader } from './client.js';
import { ClusterError, errorFromStatus, toClusterError } from './errors.js';
import type { ObjectStore, WatchChange } from './object-store.js';
import { isStatus, type KubeObject } from './objects.js';
import type { ResourceRef } from './resources.js';

export interface WatchScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ReflectorOptions<T> extends WatchScope {
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

export class Reflector<T> {
  /** Resolves when the first list is in; rejects only if stopped before that. */
  readonly ready: Promise<void>;
  /** The last error the loop recovered from (or is retrying). */
  lastError?: ClusterError;
  /** The cluster does not serve this kind (404 on the list): the store is then synced and empty. */
  notServed = false;
  /** Counts lists and watch connections, for tests and metrics. */
  readonly stats = { lists: 0, watches: 0, relistsAfterGone: 0, events: 0, bookmarks: 0 };
  /** When the server last told this cache something (a list, an event or a bookmark), ms since epoch: how stale it may be. */
  lastHeardAt?: number;

  private rv?: string;
  private isSynced = false;
  private started = false;
  private readonly stopController = new AbortController();
  private loop?: Promise<void>;
  private stream?: { close(): void };
  private skipDelay = false;
  private readonly errorWaiters = new Set<() => void>();
  private readonly backoffFactory: ExponentialBackoff<unknown>;
  private readonly maxBackoffMs: number;
  private resolveReady!: () => void;
  private rejectReady!: (err: Error) => void;

  constructor(
    private readonly options: ReflectorOptions<T>,
    private readonly store: ObjectStore<T>,
    private readonly emit: (change: WatchChange<T>) => void,
  ) {
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

  get synced(): boolean {
    return this.isSynced;
  }

  get resourceVersion(): string | undefined {
    return this.rv;
  }

  /** Resolves when the store has synced, the loop has met an error, `timeoutMs` passed, or `signal` aborted. */
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

  start(): void {
    if (this.started) return;
    this.started = true;
    // The loop outlives whichever request started it: its lists and watches are traces of their own.
    this.loop = detached(() => this.run());
  }

  async stop(): Promise<void> {
    if (!this.started || this.stopController.signal.aborted) return;
    this.stopController.abort();
    this.stream?.close();
    this.isSynced = false;
    this.rejectReady(new Error(`watch cache ${this.options.cluster} ${this.options.ref.plural} stopped`));
    await this.loop;
  }

  /** Drops the current watch and reconnects now. */
  restart(): void {
    this.skipDelay = true;
    this.stream?.close();
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
        const error = toClusterError(this.options.cluster, err);
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
    const { items, resourceVersion } = await this.options.client().list(this.options.ref, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      signal: this.stopController.signal,
    });
    if (this.stopController.signal.aborted) return;
    const changes = this.store.replace(
      items.map((raw) => ({ raw, object: this.shape(raw) })),
      !this.isSynced,
    );
    this.rv = resourceVersion;
    this.notServed = false;
    this.lastHeardAt = Date.now();
    for (const change of changes) this.emit(change);
    this.markSynced();
  }

  /** The kind is gone (or never was): whatever was stored is deleted, and the store counts as synced. */
  private markNotServed(): void {
    this.notServed = true;
    this.rv = undefined;
    for (const change of this.store.clear()) this.emit(change);
    this.markSynced();
  }

  private markSynced(): void {
    if (this.isSynced) return;
    this.isSynced = true;
    this.resolveReady();
  }

  private async watchOnce(succeeded: () => void): Promise<void> {
    const { cluster } = this.options;
    const stream = await this.options.client().watch(this.options.ref, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      resourceVersion: this.rv,
      allowWatchBookmarks: true,
      timeoutSeconds: this.options.timeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
      idleTimeoutMs: this.options.idleTimeoutMs ?? 180_000,
      signal: this.stopController.signal,
    });
    this.stats.watches++;
    this.lastHeardAt = Date.now(); // the server answered the watch: it is alive, and the watch resumes from rv
    this.stream = stream;
    if (this.stopController.signal.aborted) stream.close();
    try {
      for await (const event of stream) {
        if (event.type === 'ERROR') {
          throw isStatus(event.object) ? errorFromStatus(cluster, event.object) : new ClusterError('UPSTREAM_ERROR', cluster, `cluster ${cluster}: watch error`);
        }
        const object = event.object as KubeObject;
        const rv = object?.metadata?.resourceVersion;
        if (event.type === 'BOOKMARK') {
          this.stats.bookmarks++;
          this.lastHeardAt = Date.now();
          if (rv) this.rv = rv;
          succeeded();
          continue;
        }
        if (!object?.metadata?.name) continue;
        this.stats.events++;
        this.lastHeardAt = Date.now();
        const shape = () => this.shape(object);
        const change = event.type === 'DELETED' ? this.store.remove(object, shape) : this.store.upsert(object, shape);
        if (change) this.emit(change);
        if (rv) this.rv = rv;
        succeeded();
      }
    } finally {
      this.stream = undefined;
      stream.close();
    }
  }

  private shape(raw: KubeObject): T {
    const stripped = stripManagedFields(raw);
    return this.options.transform ? this.options.transform(stripped) : (stripped as unknown as T);
  }
}
