// What every subgraph of one process shares: the cluster registry, the watch caches, the short-TTL list
// cache and (for domains that need one) the metrics source; and what each GraphQL request gets fresh:
// DataLoaders over them (so batching and caching never leak between requests or users), and views of
// the registry and the watch caches scoped to the request's principal: a cluster its access rules do not
// grant is unknown to the request (NOT_FOUND, no existence leak), namespaces it may not see are empty.
// Enforced here, once, for every domain; the shared caches and clients stay shared.
import type { FleetSourceConfig } from '../../lib/config.js';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../lib/principal.js';
import type { Registry } from 'prom-client';
import { ClusterRegistry, WatchCacheRegistry, createKubeLoaders, type KubeLoaders } from '../kube/index.js';
import { ClusterView, type ClusterSource } from '../kube/cluster-view.js';
import { fleetAccessMetrics } from '../kube/fleet-metrics.js';
import { kubeMetrics } from '../kube/kube-metrics.js';
import { ListCache } from '../kube/list-cache.js';
import { SyncBudget } from '../kube/sync-budget.js';
import { Visibility } from '../kube/visibility.js';
import { WatchCacheView, type WatchCaches } from '../kube/watch-cache-view.js';
import type { SyncProgress } from '../kube/watch-cache-registry.js';
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
  /** The clusters this request may see (a ClusterView over the process's registry). */
  registry: ClusterSource;
  /** The shared watch caches, as this request may see them. */
  watchCaches: WatchCaches;
  kube: KubeLoaders;
  /** Who the request is for (the gateway's principal header; anonymous without it). */
  principal: Principal;
}

/** A request's fresh loaders over the process's fleet access, for `request.principal`. */
export function kubeRequestContext(access: FleetAccess, request?: { principal: Principal }): KubeRequestContext {
  const principal = request?.principal ?? ANONYMOUS_PRINCIPAL;
  const view = new ClusterView(access.registry, Visibility.of(principal));
  return {
    registry: view,
    watchCaches: view.unrestricted ? access.watchCaches : new WatchCacheView(access.watchCaches, view),
    kube: createKubeLoaders(view, {
      watchCaches: access.watchCaches,
      listCache: access.listCache,
      namespaces: view.unrestricted ? undefined : (cluster) => view.namespaces(cluster),
    }),
    principal,
  };
}

export interface OpenFleetAccessOptions {
  fleet: FleetSourceConfig;
  redisUrl?: string;
  listCacheTtlMs: number;
}

export interface OpenFleetAccess extends FleetAccess {
  /** Pre-warm progress, connections, the sync budget (Prometheus; /metrics). */
  metricsRegistry: Registry;
  close(): Promise<void>;
}

/** The fleet accesses open in this process (one, normally): what a subgraph's /healthz and /metrics report. */
const openAccesses = new Set<OpenFleetAccess>();

/** Pre-warm progress of this process's fleet access (null when none is open: a subgraph started alone in a test). */
export function processSyncProgress(): SyncProgress | null {
  const [first] = openAccesses;
  return first ? first.watchCaches.progress() : null;
}

/** The metrics registries of this process's fleet accesses. */
export function processFleetMetrics(): Registry[] {
  return [...openAccesses].map((a) => a.metricsRegistry);
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
    client: { http2: fleet.http2 },
  });
  // Clusters join and leave at run time (a fulfilled ProvisioningRequest rewrites the kubeconfig).
  const unwatch = registry.watchFiles();
  // Pre-warming 1,000 clusters is a steady stream of LISTs, not all of them at once (SYNC_CONCURRENCY).
  const watchCaches = new WatchCacheRegistry(registry, { budget: new SyncBudget(fleet.syncConcurrency), prewarm: fleet.prewarm });
  const listCache = options.listCacheTtlMs > 0 ? new ListCache({ ttlMs: options.listCacheTtlMs, redisUrl: options.redisUrl }) : null;
  const metrics = new PrometheusSource(registry);
  // Cluster health and watch-cache gauges on this process's /metrics.
  const untrack = kubeMetrics.track(registry, watchCaches);
  const access: OpenFleetAccess = {
    registry,
    watchCaches,
    listCache,
    metrics,
    metricsRegistry: fleetAccessMetrics(registry, watchCaches),
    async close() {
      openAccesses.delete(access);
      untrack();
      await watchCaches.stop();
      unwatch();
      await registry.close();
      await listCache?.close();
    },
  };
  openAccesses.add(access);
  return access;
}
