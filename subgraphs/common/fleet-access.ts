// What every subgraph shares for one process: the cluster registry and the watch caches; and what
// each GraphQL request gets fresh: DataLoaders over them (so batching and caching never leak between
// requests or users).
import { createKubeLoaders, type ClusterRegistry, type KubeLoaders, type WatchCacheRegistry } from '../kube/index.js';

export interface FleetAccess {
  registry: ClusterRegistry;
  watchCaches: WatchCacheRegistry;
}

export interface KubeRequestContext {
  registry: ClusterRegistry;
  watchCaches: WatchCacheRegistry;
  kube: KubeLoaders;
}

export function kubeRequestContext(access: FleetAccess): KubeRequestContext {
  return {
    registry: access.registry,
    watchCaches: access.watchCaches,
    kube: createKubeLoaders(access.registry, { watchCaches: access.watchCaches }),
  };
}
