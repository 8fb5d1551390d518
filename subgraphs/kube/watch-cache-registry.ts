// One shared WatchCache per (cluster, kind, scope) for the whole process: started on first use,
// restarted when the cluster's credentials change, stopped when the cluster leaves the registry.
// Fleet-wide subscriptions follow clusters as they join. Pre-warm: the kinds domains declare
// (`prewarm`) are started on every cluster at once and on each cluster that joins, their LISTs under
// the fleet-wide sync budget (sync-budget.ts), with progress for /readyz and /metrics (`progress`).
import { inSpan, tracingEnabled } from '../../lib/tracing.js';
import { eventIterator } from './async-queue.js';
import { kubeMetrics } from './kube-metrics.js';
import { clusterLooksDown, type ClusterReader } from './client.js';
import { ClusterError, unknownCluster } from './errors.js';
import type { KubeObject } from './objects.js';
import type { RegistryChange } from './registry.js';
import { refId, type ResourceRef } from './resources.js';
import type { SyncBudgetStats } from './sync-budget.js';
import { WatchCache, type WatchCacheOptions, type WatchChange, type WatchScope } from './watch-cache.js';

/** What the cache registry needs of the cluster registry (ClusterRegistry has it). */
export interface WatchedFleet {
  names(): string[];
  has(name: string): boolean;
  client(name: string): ClusterReader;
  on(event: 'change', listener: (change: RegistryChange) => void): () => void;
}

export interface FleetChange<T = KubeObject> extends WatchChange<T> {
  cluster: string;
}

export type SharedCacheOptions = Pick<WatchCacheOptions<KubeObject>, 'backoff' | 'timeoutSeconds' | 'idleTimeoutMs' | 'maxQueuedChanges' | 'budget'> & {
  /** Start pre-warmed kinds on every cluster (default true); false: `prewarm` only records them, caches start on first read. */
  prewarm?: boolean;
};

/** Pre-warm progress: the declared kinds on every cluster (what /readyz and /metrics show). */
export interface SyncProgress {
  /** The pre-warmed kinds, e.g. `nodes`, `pods in openshift-ptp (app=linuxptp-daemon)`. */
  kinds: string[];
  clusters: number;
  /** Pre-warmed caches: clusters × kinds (where a kind applies). */
  caches: number;
  synced: number;
  /** Of the synced ones: following the cluster over an open watch, and of kinds the cluster does not serve (404). */
  watching: number;
  notServed: number;
  /** Waiting for a slot of the sync budget. */
  queued: number;
  listing: number;
  /** Failed (unreachable, forbidden …) and retrying with backoff. */
  retrying: number;
  /** Time from the first `prewarm` until every pre-warmed cache had synced once, ms (null until then). */
  fullySyncedAfterMs: number | null;
  /** Every watch cache of the process, pre-warmed or started by a query. */
  allCaches: number;
  budget: SyncBudgetStats | null;
}

interface WatchedKind {
  ref: ResourceRef;
  scope: WatchScope;
  /** Only on these clusters (e.g. daemon pods where metrics come through the pod proxy). */
  where?: (cluster: string) => boolean;
}

interface FleetSubscription {
  ref: ResourceRef;
  scope: WatchScope;
  includeInitial: boolean;
  listener: (change: FleetChange) => void;
  detach: Map<string, () => void>;
}

/** refIds of the (constant) ResourceRefs: a cache key is built on every read. */
const refIds = new WeakMap<ResourceRef, string>();

function cacheKey(cluster: string, ref: ResourceRef, scope: WatchScope = {}): string {
  let id = refIds.get(ref);
  if (id === undefined) refIds.set(ref, (id = refId(ref)));
  // NUL cannot occur in a cluster name, a kind, a namespace or a selector
  return `${cluster}\u0000${id}\u0000${scope.namespace ?? ''}\u0000${scope.labelSelector ?? ''}\u0000${scope.fieldSelector ?? ''}`;
}

/** A cache can answer a read now: following its cluster, and the cluster answered its last call (else it may be stale). */
function answersNow(cache: { readonly current: boolean }, health: Parameters<typeof clusterLooksDown>[0]): boolean {
  return cache.current && !clusterLooksDown(health);
}

function kindLabel({ ref, scope }: WatchedKind): string {
  const where = [scope.namespace && `in ${scope.namespace}`, scope.labelSelector && `(${scope.labelSelector})`, scope.fieldSelector && `(${scope.fieldSelector})`].filter(Boolean);
  return [refId(ref), ...where].join(' ');
}

export class WatchCacheRegistry {
  private readonly caches = new Map<string, WatchCache<KubeObject>>();
  /** Each cluster's caches (epoch() asks all of them); a new record when a cluster joins again. */
  private readonly byCluster = new Map<string, { caches: WatchCache<KubeObject>[] }>();
  private readonly subscriptions = new Set<FleetSubscription>();
  private readonly unlisten: () => void;
  private readonly prewarmed = new Map<string, WatchedKind>();
  /** Pre-warmed caches that have not synced yet (by cache key). */
  private readonly pendingPrewarm = new Set<string>();
  private prewarmStartedAt?: number;
  private fullySyncedAfterMs: number | null = null;

  constructor(
    private readonly fleet: WatchedFleet,
    private readonly options: SharedCacheOptions = {},
  ) {
    this.unlisten = fleet.on('change', (change) => this.onFleetChange(change));
  }

  /**
   * The shared cache of `ref` in `cluster` (whole cluster unless `scope` narrows it), started if new.
   * Throws a NOT_FOUND ClusterError for an unknown cluster. Objects have `managedFields` stripped.
   */
  cache<T extends KubeObject = KubeObject>(cluster: string, ref: ResourceRef, scope: WatchScope = {}, key = cacheKey(cluster, ref, scope)): WatchCache<T> {
    let cache = this.caches.get(key);
    if (!cache) {
      if (!this.fleet.has(cluster)) throw unknownCluster(cluster);
      cache = new WatchCache<KubeObject>({
        ...this.options,
        ...scope,
        cluster,
        ref,
        client: () => this.fleet.client(cluster),
      });
      this.caches.set(key, cache);
      let record = this.byCluster.get(cluster);
      if (!record) this.byCluster.set(cluster, (record = { caches: [] }));
      record.caches.push(cache);
      cache.start();
    }
    return cache as unknown as WatchCache<T>;
  }

  /**
   * The shared cache of `ref` in `cluster` when it can answer now: synced, following the cluster (listed
   * just now or its watch open), and the cluster answered its last call. Started if new, and waited for
   * while its first LIST (moved to the head of the sync budget's queue, whose wait does not count against
   * the cluster's deadline) or a reconnect is under way: that LIST is the one request, shared by every
   * reader meanwhile. Undefined when the API must be asked instead: the cluster's last call failed (a
   * cache may be stale), or the cache's LIST failed and waits out its backoff. Throws the ClusterError
   * of a first LIST that failed while we waited (a second LIST would only repeat it).
   */
  async current<T extends KubeObject = KubeObject>(
    cluster: string,
    ref: ResourceRef,
    scope: WatchScope = {},
    signal?: AbortSignal,
    key = cacheKey(cluster, ref, scope),
  ): Promise<WatchCache<T> | undefined> {
    const client = this.fleet.client(cluster);
    const cache = this.cache<T>(cluster, ref, scope, key);
    const usable = () => answersNow(cache, client.health);
    if (usable()) return cache;
    if (clusterLooksDown(client.health) || cache.phase === 'retrying') return undefined;
    const deadlineMs = client.deadlineMs ?? 5000;
    // A little past the deadline, so the LIST's own outcome (a result or its deadline error) comes first.
    await cache.settled(deadlineMs + 1000, signal);
    if (usable()) return cache;
    if (signal?.aborted) throw new ClusterError('UPSTREAM_ERROR', cluster, `cluster ${cluster}: request cancelled`);
    // Synced, but the watch is not back (or the cluster failed meanwhile): the API answers.
    if (cache.synced) return undefined;
    throw cache.lastError ?? new ClusterError('CLUSTER_TIMEOUT', cluster, `cluster ${cluster}: no answer within the ${deadlineMs} ms deadline`);
  }

  /**
   * Objects of a kind for one request: from the shared cache when it can answer (`current`: 0 requests
   * warm, the cache's own first LIST cold), else one LIST of our own, which also reports why a failing
   * cluster fails. Null when the cluster does not serve the kind (404: operator not installed). Throws
   * ClusterError. (`waitForSync` is accepted for older callers: every read waits for a cold cache.)
   */
  async readThrough<T extends KubeObject = KubeObject>(
    cluster: string,
    ref: ResourceRef,
    scope: WatchScope = {},
    options: { waitForSync?: boolean; signal?: AbortSignal } = {},
  ): Promise<readonly T[] | null> {
    const key = cacheKey(cluster, ref, scope);
    // The warm read, as `current` would answer it, without its awaits: a summary makes ~10 of these per
    // cluster. Only untraced (a traced read keeps its span).
    const warm = this.caches.get(key);
    if (warm?.synced && !tracingEnabled() && this.fleet.has(cluster) && answersNow(warm, this.fleet.client(cluster).health)) {
      kubeMetrics.read(ref, 'watch_cache');
      return Promise.resolve(warm.notServed ? null : (warm.list() as readonly T[]));
    }
    return inSpan(`read ${ref.plural}`, { 'fleetgraph.cluster': cluster, 'k8s.kind': ref.plural }, async (span) => {
      const wasSynced = this.caches.get(key)?.synced ?? false; // a cold cache's first LIST answers this read: a miss
      const cache = await this.current<T>(cluster, ref, scope, options.signal, key);
      const source = cache && wasSynced ? 'watch_cache' : 'api';
      kubeMetrics.read(ref, source);
      span?.setAttribute('fleetgraph.cache', source);
      if (cache) return cache.notServed ? null : cache.list();
      try {
        const { items } = await this.fleet.client(cluster).list<T>(ref, { ...scope, signal: options.signal });
        return items;
      } catch (err) {
        if (err instanceof ClusterError && err.httpStatus === 404) return null;
        throw err;
      }
    });
  }

  /**
   * Keeps `ref` (in `scope`) cached on every cluster of the fleet, now and as clusters join: their first
   * LISTs go through the sync budget, so a query finds them warm. Idempotent per (kind, scope).
   */
  prewarm(ref: ResourceRef, scope: WatchScope = {}, options: { where?: (cluster: string) => boolean } = {}): void {
    const key = cacheKey('', ref, scope);
    if (this.prewarmed.has(key)) return;
    const kind: WatchedKind = { ref, scope, where: options.where };
    this.prewarmed.set(key, kind);
    if (this.options.prewarm === false) return;
    this.prewarmStartedAt ??= performance.now();
    this.fullySyncedAfterMs = null;
    for (const name of this.fleet.names()) this.warm(name, kind);
  }

  /** Pre-warmed kinds start on every cluster (PREWARM); false: only on first read. */
  get prewarming(): boolean {
    return this.options.prewarm !== false;
  }

  /** Pre-warm progress over every cluster now in the fleet. */
  progress(): SyncProgress {
    const kinds = [...this.prewarmed.values()];
    const names = this.fleet.names();
    const progress: SyncProgress = {
      kinds: kinds.map(kindLabel),
      clusters: names.length,
      caches: 0,
      synced: 0,
      watching: 0,
      notServed: 0,
      queued: 0,
      listing: 0,
      retrying: 0,
      fullySyncedAfterMs: this.fullySyncedAfterMs,
      allCaches: this.caches.size,
      budget: this.options.budget?.stats() ?? null,
    };
    for (const name of names) {
      for (const kind of kinds) {
        if (kind.where && !kind.where(name)) continue;
        progress.caches++;
        const cache = this.caches.get(cacheKey(name, kind.ref, kind.scope));
        if (cache?.synced) {
          progress.synced++;
          if (cache.notServed) progress.notServed++;
          else if (cache.phase === 'watching') progress.watching++;
        } else if (cache?.phase === 'listing') progress.listing++;
        else if (cache?.phase === 'retrying') progress.retrying++;
        else progress.queued++;
      }
    }
    return progress;
  }

  /** The existing cache, if any, without starting one (loaders use it when it is synced). */
  peek<T extends KubeObject = KubeObject>(cluster: string, ref: ResourceRef, scope: WatchScope = {}): WatchCache<T> | undefined {
    return this.caches.get(cacheKey(cluster, ref, scope)) as WatchCache<T> | undefined;
  }

  /** Every cache of the process (metrics). */
  all(): WatchCache<KubeObject>[] {
    return [...this.caches.values()];
  }

  /** Caches of `ref` on every cluster of the fleet (started where missing). */
  fleetCaches<T extends KubeObject = KubeObject>(ref: ResourceRef, scope: WatchScope = {}): WatchCache<T>[] {
    return this.fleet.names().map((name) => this.cache<T>(name, ref, scope));
  }

  /**
   * Changes of `ref` on every cluster, including clusters that join later. By default only real
   * changes: the initial lists that fill the caches are not delivered (`includeInitial` to get them).
   * Returns the function that unsubscribes.
   */
  subscribe<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    listener: (change: FleetChange<T>) => void,
    options: { scope?: WatchScope; includeInitial?: boolean } = {},
  ): () => void {
    const sub: FleetSubscription = {
      ref,
      scope: options.scope ?? {},
      includeInitial: options.includeInitial ?? false,
      listener: listener as (change: FleetChange) => void,
      detach: new Map(),
    };
    this.subscriptions.add(sub);
    for (const name of this.fleet.names()) this.attach(sub, name);
    return () => {
      this.subscriptions.delete(sub);
      for (const detach of sub.detach.values()) detach();
      sub.detach.clear();
    };
  }

  /** `subscribe` as an async iterator (for subscription resolvers). */
  changes<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    options: { scope?: WatchScope; includeInitial?: boolean; signal?: AbortSignal } = {},
  ): AsyncIterableIterator<FleetChange<T>> {
    return eventIterator<FleetChange<T>>((push) => this.subscribe<T>(ref, push, options), { signal: options.signal });
  }

  /** Stops every cache and fleet subscription (and pre-warming). */
  async stop(): Promise<void> {
    this.unlisten();
    this.prewarmed.clear();
    this.pendingPrewarm.clear();
    for (const sub of this.subscriptions) for (const detach of sub.detach.values()) detach();
    this.subscriptions.clear();
    const caches = [...this.caches.values()];
    this.caches.clear();
    await Promise.all(caches.map((c) => c.stop()));
  }

  private warm(cluster: string, kind: WatchedKind): void {
    if (kind.where && !kind.where(cluster)) return;
    const key = cacheKey(cluster, kind.ref, kind.scope);
    const cache = this.cache(cluster, kind.ref, kind.scope);
    if (cache.synced) return;
    this.pendingPrewarm.add(key);
    cache.ready.then(
      () => this.prewarmSynced(key),
      () => undefined,
    );
  }

  private prewarmSynced(key: string): void {
    if (!this.pendingPrewarm.delete(key) || this.pendingPrewarm.size > 0 || this.prewarmStartedAt === undefined) return;
    this.fullySyncedAfterMs ??= Math.round(performance.now() - this.prewarmStartedAt);
  }

  private attach(sub: FleetSubscription, cluster: string): void {
    if (sub.detach.has(cluster)) return;
    const cache = this.cache(cluster, sub.ref, sub.scope);
    const detach = cache.on('change', (_object, _old, change) => {
      if (sub.includeInitial || !change.initial) sub.listener({ ...change, cluster });
    });
    sub.detach.set(cluster, detach);
  }

  /**
   * Where a cluster's cached state stands, for memos of what is derived from it: the same epoch (compared
   * element by element) means no cache of the cluster changed since. Undefined when not all of it can
   * answer now (a cache not current, the cluster looking down): a value derived then is not kept.
   * Versions only grow and a new cache is not current before its first list, which counts: the sum
   * moves with every change. The record is new when the cluster joins again.
   */
  epoch(cluster: string): readonly [object, number] | undefined {
    const record = this.byCluster.get(cluster);
    if (!record || !this.fleet.has(cluster) || clusterLooksDown(this.fleet.client(cluster).health)) return undefined;
    let sum = 0;
    for (const cache of record.caches) {
      if (!cache.current) return undefined;
      sum += cache.version;
    }
    return [record, sum];
  }

  private onFleetChange(change: RegistryChange): void {
    for (const name of change.removed) this.byCluster.delete(name);
    for (const [key, cache] of this.caches) {
      if (change.removed.includes(cache.cluster)) {
        this.caches.delete(key);
        this.pendingPrewarm.delete(key);
        void cache.stop();
      } else if (change.updated.includes(cache.cluster)) {
        cache.restart();
      }
    }
    if (this.options.prewarm !== false) for (const name of change.added) for (const kind of this.prewarmed.values()) this.warm(name, kind);
    for (const sub of this.subscriptions) {
      for (const name of change.removed) {
        sub.detach.get(name)?.();
        sub.detach.delete(name);
      }
      for (const name of change.added) this.attach(sub, name);
    }
  }
}
