// The change feeds behind odaComponentChanged / odaExposedApiChanged: the shared watch caches of each
// cluster at the version it serves (one LIST+WATCH per cluster per kind, whatever the number of
// subscribers, and the same caches answer queries). The shared WatchCacheRegistry.subscribe follows one
// ref across the fleet; ODA kinds may be served at another version per cluster, so this feed resolves
// each cluster's version first, attaches to that cluster's cache, follows clusters that join or leave,
// and keeps asking clusters without the ODA CRDs (a canvas installed later is covered).
import { eventIterator } from '../kube/async-queue.js';
import type { KubeObject } from '../kube/objects.js';
import type { RegistryChange } from '../kube/registry.js';
import type { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import type { WatchChange } from '../kube/watch-cache.js';
import { log } from '../../lib/log.js';
import { componentEvent, exposedApiEvent } from './changes.js';
import type { OdaChangeType, OdaComponentEventMessage, OdaExposedApiEventMessage } from './models.js';
import { odaRef, NOT_SERVED_RECHECK_MS, type OdaKind, type OdaReader } from './reader.js';
import { matchesSpecification } from './filters.js';
import { mapComponent, mapExposedApi } from './sources.js';
import type { ComponentObject, ExposedApiObject } from './upstream.js';

/** What the feed needs of the cluster registry (ClusterRegistry has it). */
export interface OdaFleet {
  names(): string[];
  has(name: string): boolean;
  on(event: 'change', listener: (change: RegistryChange) => void): () => void;
}

type Listener = (cluster: string, change: WatchChange<KubeObject>) => void;

const TYPES: Record<WatchChange<KubeObject>['type'], OdaChangeType> = { add: 'ADDED', update: 'MODIFIED', delete: 'DELETED' };

/**
 * Real changes (no initial lists) of one ODA kind on one cluster, or on every cluster including those
 * that join later. Returns the function that stops listening.
 */
export function watchOdaKind(
  fleet: OdaFleet,
  reader: OdaReader,
  caches: WatchCacheRegistry,
  kind: OdaKind,
  cluster: string | null,
  listener: Listener,
  options: { recheckMs?: number } = {},
): () => void {
  const attached = new Map<string, () => void>();
  const pending = new Set<string>();
  let stopped = false;

  const attach = async (name: string) => {
    if (stopped || attached.has(name) || pending.has(name) || (cluster !== null && name !== cluster)) return;
    pending.add(name);
    try {
      const version = await reader.servedVersion(name);
      if (stopped || version === null || !fleet.has(name)) return;
      const ref = odaRef(kind, version);
      reader.track(name, kind, ref);
      const detach = caches.cache(name, ref).on('change', (_o, _old, change) => {
        if (!change.initial) listener(name, change);
      });
      attached.set(name, detach);
    } catch (err) {
      // unreachable now: asked again at the next recheck
      log.debug({ cluster: name, kind, err: (err as Error).message }, 'oda feed: served version unknown; retrying');
    } finally {
      pending.delete(name);
    }
  };
  const attachAll = () => {
    for (const name of cluster === null ? fleet.names() : [cluster]) void attach(name);
  };

  attachAll();
  const unlisten = fleet.on('change', (change) => {
    for (const name of change.removed) {
      attached.get(name)?.();
      attached.delete(name);
      reader.forget(name);
    }
    for (const name of change.updated) reader.forget(name);
    for (const name of change.added) void attach(name);
  });
  const timer = setInterval(attachAll, options.recheckMs ?? NOT_SERVED_RECHECK_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    unlisten();
    for (const detach of attached.values()) detach();
    attached.clear();
  };
}

export interface OdaEventFilter {
  cluster?: string | null;
  namespace?: string | null;
  /** ExposedAPIs only: a TMF id or URL substring (filters.ts). */
  specification?: string | null;
}

export interface OdaFeedParts {
  fleet: OdaFleet;
  reader: OdaReader;
  caches: WatchCacheRegistry;
  now?: () => Date;
}

export function componentChanges(parts: OdaFeedParts, filter: OdaEventFilter, signal?: AbortSignal): AsyncIterableIterator<OdaComponentEventMessage> {
  const now = parts.now ?? (() => new Date());
  return eventIterator<OdaComponentEventMessage>(
    (push) =>
      watchOdaKind(parts.fleet, parts.reader, parts.caches, 'components', filter.cluster ?? null, (cluster, change) => {
        if (filter.namespace && change.object.metadata.namespace !== filter.namespace) return;
        const previous = change.old ? mapComponent(cluster, change.old as ComponentObject) : null;
        const event = componentEvent(TYPES[change.type], previous, mapComponent(cluster, change.object as ComponentObject));
        if (event) push({ ...event, time: now().toISOString() });
      }),
    { signal },
  );
}

export function exposedApiChanges(parts: OdaFeedParts, filter: OdaEventFilter, signal?: AbortSignal): AsyncIterableIterator<OdaExposedApiEventMessage> {
  const now = parts.now ?? (() => new Date());
  return eventIterator<OdaExposedApiEventMessage>(
    (push) =>
      watchOdaKind(parts.fleet, parts.reader, parts.caches, 'exposedapis', filter.cluster ?? null, (cluster, change) => {
        if (filter.namespace && change.object.metadata.namespace !== filter.namespace) return;
        const current = mapExposedApi(cluster, change.object as ExposedApiObject);
        const previous = change.old ? mapExposedApi(cluster, change.old as ExposedApiObject) : null;
        if (filter.specification && !matchesSpecification(current.specifications, filter.specification)) return;
        const event = exposedApiEvent(TYPES[change.type], previous, current);
        if (event) push({ ...event, time: now().toISOString() });
      }),
    { signal },
  );
}
