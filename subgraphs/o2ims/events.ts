// The change feed behind `provisioningStateChanged`: the shared watch cache of ProvisioningRequests per
// cluster (WatchCacheRegistry: one LIST+WATCH per cluster whatever the number of subscribers, the same
// cache answers queries). Each add / update / delete becomes a transition when the request appeared,
// went away, or its state or message changed (transitions.ts); the initial fill of a cache is not.
import { eventIterator } from '../kube/async-queue.js';
import type { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import type { WatchChange } from '../kube/watch-cache.js';
import type { ProvisioningState, SchemaVariant } from './models.js';
import { O2imsResources } from './reader.js';
import { mapProvisioningRequest, schemaVariantOf } from './sources.js';
import { transitionMatches, transitionOf, type ProvisioningTransitionModel } from './transitions.js';
import type { ProvisioningRequestObject } from './upstream.js';

export interface TransitionFilter {
  cluster?: string | null;
  name?: string | null;
  states?: readonly ProvisioningState[] | null;
}

/** What the feed needs of the cache registry (WatchCacheRegistry has it). */
export type TransitionCaches = Pick<WatchCacheRegistry, 'cache' | 'subscribe'>;

type RequestChange = WatchChange<ProvisioningRequestObject> & { cluster: string };

/**
 * Transitions of one cluster's requests (every cluster without `filter.cluster`). Throws a NOT_FOUND
 * ClusterError for an unknown cluster, before anything is watched.
 */
export function provisioningTransitions(
  caches: TransitionCaches,
  filter: TransitionFilter,
  options: { signal?: AbortSignal; now?: () => Date } = {},
): AsyncIterableIterator<ProvisioningTransitionModel> {
  const now = options.now ?? (() => new Date());
  const cluster = filter.cluster ?? null;
  const ref = O2imsResources.provisioningRequests;
  const clusterCache = cluster === null ? null : caches.cache<ProvisioningRequestObject>(cluster, ref);
  // The schema a cluster's requests are written in, remembered for its requests that have no status yet.
  const variants = new Map<string, SchemaVariant>();
  return eventIterator<ProvisioningTransitionModel>(
    (push) => {
      const onChange = (change: RequestChange) => {
        if (change.initial) return;
        const written = schemaVariantOf(change.object) ?? (change.old ? schemaVariantOf(change.old) : null);
        if (written) variants.set(change.cluster, written);
        const hint = variants.get(change.cluster) ?? null;
        const old = change.old ? mapProvisioningRequest(change.cluster, change.old, hint) : undefined;
        const next = change.type === 'delete' ? undefined : mapProvisioningRequest(change.cluster, change.object, hint);
        const previous = change.type === 'add' ? undefined : (old ?? (change.type === 'delete' ? mapProvisioningRequest(change.cluster, change.object, hint) : undefined));
        const transition = transitionOf(previous, next, now().toISOString());
        if (transition && transitionMatches(transition, filter)) push(transition);
      };
      if (clusterCache && cluster !== null) return clusterCache.on('change', (_o, _old, change) => onChange({ ...change, cluster }));
      return caches.subscribe<ProvisioningRequestObject>(ref, onChange);
    },
    { signal: options.signal },
  );
}
