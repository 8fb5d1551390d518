// The change feed behind `sriovSyncStatusChanged`: the shared watch cache of SriovNetworkNodeState per
// cluster (WatchCacheRegistry: one LIST+WATCH per cluster whatever the number of subscribers, and the
// same cache answers queries). Each update becomes an event when syncStatus, lastSyncError or a drain
// annotation changed (sources.syncStatusEvent); deletes are not events.
import { eventIterator } from '../kube/async-queue.js';
import { Resources } from '../kube/resources.js';
import type { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import type { WatchChange } from '../kube/watch-cache.js';
import type { SyncStatusEventModel } from './models.js';
import { syncStatusEvent } from './sources.js';
import type { SriovNetworkNodeStateObject } from './upstream.js';

export interface SyncStatusFilter {
  cluster?: string | null;
  node?: string | null;
}

type NodeStateChange = WatchChange<SriovNetworkNodeStateObject> & { cluster: string };

/** What the feed needs of the cache registry (WatchCacheRegistry has it). */
export type SyncStatusCaches = Pick<WatchCacheRegistry, 'cache' | 'subscribe'>;

/**
 * Sync-status events of one cluster (or every cluster without `filter.cluster`), optionally one node.
 * Throws a NOT_FOUND ClusterError for an unknown cluster (before anything is watched).
 */
export function syncStatusChanges(
  caches: SyncStatusCaches,
  filter: SyncStatusFilter,
  options: { signal?: AbortSignal; now?: () => Date } = {},
): AsyncIterableIterator<SyncStatusEventModel> {
  const now = options.now ?? (() => new Date());
  const cluster = filter.cluster ?? null;
  // Resolve the cache up front so an unknown cluster fails the subscribe call itself.
  const clusterCache = cluster === null ? null : caches.cache<SriovNetworkNodeStateObject>(cluster, Resources.sriovNetworkNodeStates);
  return eventIterator<SyncStatusEventModel>(
    (push) => {
      const onChange = (change: NodeStateChange) => {
        if (change.initial || change.type === 'delete') return;
        if (filter.node && change.object.metadata.name !== filter.node) return;
        const event = syncStatusEvent(change.cluster, change.old, change.object, now().toISOString());
        if (event) push(event);
      };
      if (clusterCache && cluster !== null) return clusterCache.on('change', (_o, _old, change) => onChange({ ...change, cluster }));
      return caches.subscribe<SriovNetworkNodeStateObject>(Resources.sriovNetworkNodeStates, onChange);
    },
    { signal: options.signal },
  );
}
