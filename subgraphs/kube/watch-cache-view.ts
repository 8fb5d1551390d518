// One request's view of the shared watch caches: the caches stay one per (cluster, kind, scope) for the
// process; this view refuses a hidden cluster as unknown (NOT_FOUND), drops objects of namespaces the
// caller may not see from what it reads, and delivers only visible changes to its subscribers.
import { unknownCluster } from './errors.js';
import type { KubeObject } from './objects.js';
import type { ResourceRef } from './resources.js';
import type { ClusterView } from './cluster-view.js';
import type { WatchCache, WatchScope } from './watch-cache.js';
import type { FleetChange, WatchCacheRegistry } from './watch-cache-registry.js';
import { eventIterator } from './async-queue.js';

/** What a request reads of the watch caches (WatchCacheRegistry and WatchCacheView have it). */
export type WatchCaches = Pick<WatchCacheRegistry, 'cache' | 'readThrough' | 'peek' | 'epoch' | 'fleetCaches' | 'subscribe' | 'changes'>;

/** The objects of `items` the view may see in `cluster` (namespaced kinds by namespace, Namespace objects by name). */
export function visibleObjects<T extends KubeObject>(view: ClusterView, cluster: string, ref: ResourceRef, items: readonly T[]): readonly T[] {
  const namespaces = view.namespaces(cluster);
  if (namespaces === null) return items;
  if (ref.namespaced) return items.filter((o) => namespaces.has(o.metadata.namespace ?? ''));
  if (ref.kind === 'Namespace') return items.filter((o) => namespaces.has(o.metadata.name));
  return items;
}

export class WatchCacheView implements WatchCaches {
  constructor(
    private readonly caches: WatchCacheRegistry,
    private readonly view: ClusterView,
  ) {}

  cache<T extends KubeObject = KubeObject>(cluster: string, ref: ResourceRef, scope?: WatchScope): WatchCache<T> {
    if (!this.view.has(cluster)) throw unknownCluster(cluster);
    return this.caches.cache<T>(cluster, ref, scope);
  }

  async readThrough<T extends KubeObject = KubeObject>(
    cluster: string,
    ref: ResourceRef,
    scope?: WatchScope,
    options?: { waitForSync?: boolean; signal?: AbortSignal },
  ): Promise<readonly T[] | null> {
    if (!this.view.has(cluster)) throw unknownCluster(cluster);
    const items = await this.caches.readThrough<T>(cluster, ref, scope, options);
    return items && visibleObjects(this.view, cluster, ref, items);
  }

  peek<T extends KubeObject = KubeObject>(cluster: string, ref: ResourceRef, scope?: WatchScope): WatchCache<T> | undefined {
    return this.view.has(cluster) ? this.caches.peek<T>(cluster, ref, scope) : undefined;
  }

  epoch(cluster: string): ReturnType<WatchCacheRegistry['epoch']> {
    return this.view.has(cluster) ? this.caches.epoch(cluster) : undefined;
  }

  fleetCaches<T extends KubeObject = KubeObject>(ref: ResourceRef, scope?: WatchScope): WatchCache<T>[] {
    return this.view.names().map((name) => this.caches.cache<T>(name, ref, scope));
  }

  subscribe<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    listener: (change: FleetChange<T>) => void,
    options?: { scope?: WatchScope; includeInitial?: boolean },
  ): () => void {
    if (this.view.unrestricted) return this.caches.subscribe(ref, listener, options);
    return this.caches.subscribe<T>(
      ref,
      (change) => {
        const o = change.object as KubeObject;
        const namespace = ref.namespaced ? (o.metadata.namespace ?? '') : ref.kind === 'Namespace' ? o.metadata.name : undefined;
        if (this.view.sees(change.cluster, namespace)) listener(change);
      },
      options,
    );
  }

  changes<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    options: { scope?: WatchScope; includeInitial?: boolean; signal?: AbortSignal } = {},
  ): AsyncIterableIterator<FleetChange<T>> {
    return eventIterator<FleetChange<T>>((push) => this.subscribe<T>(ref, push, options), { signal: options.signal });
  }
}
