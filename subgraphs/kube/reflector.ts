// Keeps an ObjectStore equal to one kind in one cluster (client-go's Reflector): list, then watch from
// the list's resourceVersion with bookmarks. Our own loop rather than client-node's ListWatch, which
// never asks for bookmarks, keeps whole objects and stops on non-410 errors (reference §3.3).
//  - ADDED / MODIFIED / DELETED update the store; each change is handed to `emit` (deduplicated by RV);
//  - BOOKMARK advances the resourceVersion, so a quiet kind resumes from a recent RV;
//  - 410 Gone (HTTP or in-stream ERROR): relist and diff against the store, emitting synthetic deletes
//    for objects that vanished meanwhile and updates for the ones that changed;
//  - 404 (the cluster does not serve the kind: CRD not installed): synced and empty, `notServed`, checked
//    again at the longest backoff;
//  - the server ends the watch (its timeoutSeconds): watch again at once, as client-go does (with backoff
//    when the stream lasted under a second, so a server that ends every watch at once is not hammered);
//  - any other error: resume with jittered exponential backoff (reset on success).
// The store is `current` while it follows the cluster: listed just now, or its watch open. Between a
// watch's end and the next one, or after an error, it is synced but not current: readers then wait
// for the reconnect (`settled`) rather than answer from a cache that may have missed a change.
// Every LIST waits for a slot of the fleet-wide sync budget when one is given (sync-budget.ts); a reader
// waiting for the first sync moves it to the head of that queue, and its wait starts when the LIST does.
// The reflector never waits for whoever listens to `emit` (change-dispatcher.ts queues for slow ones).
import { detached } from '../../lib/tracing.js';
import { ExponentialBackoff, halfJitterGenerator, type IBackoff } from 'cockatiel';
import type { ClusterReader } from './client.js';
import { ClusterError, errorFromStatus, toClusterError } from './errors.js';
import type { ObjectStore, WatchChange } from './object-store.js';
import { isStatus, type KubeObject } from './objects.js';
import type { ResourceRef } from './resources.js';
import type { SyncBudget, SyncTicket } from './sync-budget.js';

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
  /** The fleet-wide budget every LIST waits for (none: LISTs start at once). */
  budget?: SyncBudget;
}

/**
 * Where the loop is: not started; `queued` for the sync budget; `listing`; `watching` (its watch open);
 * `reconnecting` (the server ended the watch, the next one is being opened); `retrying` (after an error,
 * waiting out the backoff); `stopped`.
 */
export type ReflectorPhase = 'idle' | 'queued' | 'listing' | 'watching' | 'reconnecting' | 'retrying' | 'stopped';

/** A watch that ended on its own after at least this long is reopened at once, ms. */
const HEALTHY_WATCH_MS = 1000;

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
  /** Woken when the store becomes current or the loop meets an error. */
  private readonly waiters = new Set<() => void>();
  /** Listed just now, or the watch is open (see `current`). */
  private live = false;
  private readonly backoffFactory: ExponentialBackoff<unknown>;
  private readonly maxBackoffMs: number;
  private resolveReady!: () => void;
  private rejectReady!: (err: Error) => void;
  private ticket?: SyncTicket;
  private phaseNow: ReflectorPhase = 'idle';
  /** When the first list was in (performance.now()), for pre-warm progress. */
  syncedAt?: number;

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

  get phase(): ReflectorPhase {
    return this.phaseNow;
  }

  /** Synced and following the cluster now (or the kind is not served): what readers may answer from. */
  get current(): boolean {
    return this.isSynced && (this.live || this.notServed);
  }

  /**
   * Resolves when the store is current (first synced, or its watch reopened), the loop has met an error,
   * `timeoutMs` passed, or `signal` aborted. A LIST still queued for the sync budget goes to the head of
   * the queue, and `timeoutMs` counts from when it starts: waiting for the fleet's budget is not the
   * cluster's slowness.
   */
  settled(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.current) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const startClock = () => {
        if (!this.waiters.has(done)) return;
        timer = setTimeout(done, timeoutMs);
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
      this.ready.catch(done); // stopped
      const queued = this.ticket && !this.ticket.isGranted ? this.ticket : undefined;
      if (queued) {
        queued.promote();
        queued.granted.then(startClock, startClock);
      } else startClock();
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
    this.phaseNow = 'stopped';
    this.stopController.abort();
    this.stream?.close();
    this.isSynced = false;
    this.live = false;
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
          if (stopped.aborted) break;
          succeeded();
        }
        const lasted = await this.watchOnce(succeeded);
        if (stopped.aborted) break;
        // The server ended a healthy watch (its timeoutSeconds): the next one now.
        if (lasted >= HEALTHY_WATCH_MS) continue;
      } catch (err) {
        if (stopped.aborted) break;
        this.phaseNow = 'retrying';
        this.live = false;
        const error = toClusterError(this.options.cluster, err);
        this.lastError = error;
        for (const wake of this.waiters) wake();
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
    const signal = this.stopController.signal;
    // Someone already waits for this cache (an earlier attempt failed while they waited): go first.
    const ticket = this.options.budget?.acquire({ signal, urgent: this.waiters.size > 0 });
    let listed: Awaited<ReturnType<ClusterReader['list']>>;
    try {
      if (ticket) {
        this.ticket = ticket;
        this.phaseNow = 'queued';
        await ticket.granted;
      }
      this.phaseNow = 'listing';
      listed = await this.options.client().list(this.options.ref, {
        namespace: this.options.namespace,
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
        signal,
      });
    } finally {
      ticket?.release();
      this.ticket = undefined;
    }
    const { items, resourceVersion } = listed;
    if (signal.aborted) return;
    this.live = true;
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
    if (!this.isSynced) {
      this.isSynced = true;
      this.syncedAt = performance.now();
      this.resolveReady();
    }
    this.wake();
  }

  private wake(): void {
    for (const wake of this.waiters) wake();
  }

  /** Watches until the stream ends; returns how long it was open, ms. */
  private async watchOnce(succeeded: () => void): Promise<number> {
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
    this.phaseNow = 'watching';
    const opened = performance.now();
    this.live = true;
    this.wake();
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
      this.live = false;
      if (!this.stopController.signal.aborted) this.phaseNow = 'reconnecting';
      stream.close();
    }
    return performance.now() - opened;
  }

  private shape(raw: KubeObject): T {
    const stripped = stripManagedFields(raw);
    return this.options.transform ? this.options.transform(stripped) : (stripped as unknown as T);
  }
}
