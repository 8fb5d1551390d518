// What every subgraph of one process shares: the cluster registry, the watch caches, the short-TTL list
// cache and (for domains that need one) the metrics source; and what each GraphQL request gets fresh:
// DataLoaders over them (so batching and caching never leak between requests or users).
import type { FleetSourceConfig } from '../../lib/config.js';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../lib/principal.js';
import { ClusterRegistry, WatchCacheRegistry, createKubeLoaders, type KubeLoaders } from '../kube/index.js';
import { kubeMetrics } from '../kube/kube-metrics.js';
import { ListCache } from '../kube/list-cache.js';
import { PrometheusSource } from '../metrics/prometheus-source.js';

export interface FleetAccess {
  registry: ClusterRegistry;
  watchCaches: WatchCacheRegistry;
  /** Shared LIST results (LIST_CACHE_TTL_MS); null when off. */
  listCache: ListCache | null;
  /** Prometheus / Thanos per cluster as the fleet file says (domains that read metrics). */
  metrics: PrometheusSource;
}

export interface KubeRequestContext {
  registry: ClusterRegistry;
  watchCaches: WatchCacheRegistry;
  kube: KubeLoaders;
  /** Who the request is for (the gateway's principal header; anonymous without it). */
  principal: Principal;
}

/** A request's fresh loaders over the process's fleet access, for `request.principal`. */
export function kubeRequestContext(access: FleetAccess, request?: { principal: Principal }): KubeRequestContext {
  return {
    registry: access.registry,
    watchCaches: access.watchCaches,
    kube: createKubeLoaders(access.registry, { watchCaches: access.watchCaches, listCache: access.listCache }),
    principal: request?.principal ?? ANONYMOUS_PRINCIPAL,
  };
}

export interface OpenFleetAccessOptions {
  fleet: FleetSourceConfig;
  redisUrl?: string;
  listCacheTtlMs: number;
}

export interface OpenFleetAccess extends FleetAccess {
  close(): Promise<void>;
}

/** The process's fleet access from its config; it follows the kubeconfig and fleet files as they change. */
export function openFleetAccess(options: OpenFleetAccessOptions): OpenFleetAccess {
  const { fleet } = options;
  if (fleet.kubeconfigPaths.length === 0) throw new Error('no kubeconfig: pass --kubeconfig FILE or set KUBECONFIG');
  const registry = new ClusterRegistry({
    kubeconfigPaths: fleet.kubeconfigPaths,
    fleetFilePath: fleet.fleetFilePath,
    contexts: fleet.contexts,
    defaults: { deadlineMs: fleet.deadlineMs },
  });
  // Clusters join and leave at run time (a fulfilled ProvisioningRequest rewrites the kubeconfig).
  const unwatch = registry.watchFiles();
  const watchCaches = new WatchCacheRegistry(registry);
  const listCache = options.listCacheTtlMs > 0 ? new ListCache({ ttlMs: options.listCacheTtlMs, redisUrl: options.redisUrl }) : null;
  const metrics = new PrometheusSource(registry);
  // Cluster health and watch-cache gauges on this process's /metrics.
  const untrack = kubeMetrics.track(registry, watchCaches);
  return {
    registry,
    watchCaches,
    listCache,
    metrics,
    async close() {
      untrack();
      await watchCaches.stop();
      unwatch();
      await registry.close();
      await listCache?.close();
    },
  };
}
