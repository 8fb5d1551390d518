// One shared WatchCache per (cluster, kind, scope) for the whole process: started on first use,
// restarted when the cluster's credentials change, stopped when the cluster leaves the registry.
// Fleet-wide subscriptions follow clusters as they join.
import { inSpan } from '../../lib/tracing.js';
import { eventIterator } from './async-queue.js';
import { kubeMetrics } from './kube-metrics.js';
import { clusterLooksDown, type ClusterReader } from './client.js';
import { ClusterError, unknownCluster } from './errors.js';
import type { KubeObject } from './objects.js';
import type { RegistryChange } from './registry.js';
import { refId, type ResourceRef } from './resources.js';
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

export type SharedCacheOptions = Pick<WatchCacheOptions<KubeObject>, 'backoff' | 'timeoutSeconds' | 'idleTimeoutMs' | 'maxQueuedChanges'>;

interface FleetSubscription {
  ref: ResourceRef;
  scope: WatchScope;
  includeInitial: boolean;
  listener: (change: FleetChange) => void;
  detach: Map<string, () => void>;
}

function cacheKey(cluster: string, ref: ResourceRef, scope: WatchScope = {}): string {
  return JSON.stringify([cluster, refId(ref), scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? '']);
}

export class WatchCacheRegistry {
  private readonly caches = new Map<string, WatchCache<KubeObject>>();
  private readonly subscriptions = new Set<FleetSubscription>();
  private readonly unlisten: () => void;

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
  cache<T extends KubeObject = KubeObject>(cluster: string, ref: ResourceRef, scope: WatchScope = {}): WatchCache<T> {
    const key = cacheKey(cluster, ref, scope);
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
      cache.start();
    }
    return cache as unknown as WatchCache<T>;
  }

  /**
   * Objects of a kind for one request, through the shared cache: when the cache is synced and the cluster
   * answered its last call, from memory (0 requests). A cold cache is started and, with `waitForSync`,
   * waited for until it syncs or fails (its first LIST is then the only request). Otherwise one LIST of
   * our own answers, and reports why a failing cluster fails. Null when the cluster does not serve the
   * kind (404: operator not installed). Throws ClusterError.
   */
  async readThrough<T extends KubeObject = KubeObject>(
    cluster: string,
    ref: ResourceRef,
    scope: WatchScope = {},
    options: { waitForSync?: boolean; signal?: AbortSignal } = {},
  ): Promise<T[] | null> {
    return inSpan(`read ${ref.plural}`, { 'fleetgraph.cluster': cluster, 'k8s.kind': ref.plural }, async (span) => {
      const client = this.fleet.client(cluster);
      const cache = this.cache<T>(cluster, ref, scope);
      const wasSynced = cache.synced; // a cold cache's first LIST answers this read: a miss
      if (options.waitForSync && !cache.synced && !clusterLooksDown(client.health)) {
        await cache.settled(client.deadlineMs ?? 5000, options.signal);
      }
      const warm = cache.synced && !clusterLooksDown(client.health);
      const source = warm && wasSynced ? 'watch_cache' : 'api';
      kubeMetrics.read(ref, source);
      span?.setAttribute('fleetgraph.cache', source);
      if (warm) return cache.notServed ? null : cache.list();
      try {
        const { items } = await client.list<T>(ref, { ...scope, signal: options.signal });
        return items;
      } catch (err) {
        if (err instanceof ClusterError && err.httpStatus === 404) return null;
        throw err;
      }
    });
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

  /** Stops every cache and fleet subscription. */
  async stop(): Promise<void> {
    this.unlisten();
    for (const sub of this.subscriptions) for (const detach of sub.detach.values()) detach();
    this.subscriptions.clear();
    const caches = [...this.caches.values()];
    this.caches.clear();
    await Promise.all(caches.map((c) => c.stop()));
  }

  private attach(sub: FleetSubscription, cluster: string): void {
    if (sub.detach.has(cluster)) return;
    const cache = this.cache(cluster, sub.ref, sub.scope);
    const detach = cache.on('change', (_object, _old, change) => {
      if (sub.includeInitial || !change.initial) sub.listener({ ...change, cluster });
    });
    sub.detach.set(cluster, detach);
  }

  private onFleetChange(change: RegistryChange): void {
    for (const [key, cache] of this.caches) {
      if (change.removed.includes(cache.cluster)) {
        this.caches.delete(key);
        void cache.stop();
      } else if (change.updated.includes(cache.cluster)) {
        cache.restart();
      }
    }
    for (const sub of this.subscriptions) {
      for (const name of change.removed) {
        sub.detach.get(name)?.();
        sub.detach.delete(name);
      }
      for (const name of change.added) this.attach(sub, name);
    }
  }
}
