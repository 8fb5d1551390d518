// Per-request DataLoaders over the fleet. Create one KubeLoaders per GraphQL request.
//  - list(ref): keyed by (cluster, namespace, labelSelector, fieldSelector); one LIST per distinct key.
//  - get(ref): keyed by (cluster, namespace, name); a batch becomes one LIST per (cluster, namespace)
//    when it holds several names there (one GET for a single name), so N node lookups in one
//    cluster cost one LIST.
// Both answer from a synced shared WatchCache of that (cluster, kind) when there is one: 0 requests.
// A failing cluster rejects only its own keys, with a ClusterError (extensions: code, cluster).
// Traced (when on) as one span per batch with one child per cluster read, which says where the answer
// came from (`fleetgraph.cache`: watch_cache, list_cache or api); the same counts feed /metrics.
import DataLoader from 'dataloader';
import { inSpan } from '../../lib/tracing.js';
import { kubeMetrics, type ReadSource } from './kube-metrics.js';
import { clusterLooksDown, type ClusterReader } from './client.js';
import { toClusterError, type ClusterError } from './errors.js';
import { matchesFilters, parseLabelSelector } from './labels.js';
import { objectKey, type KubeObject } from './objects.js';
import { refId, type ResourceRef } from './resources.js';
import type { WatchCache } from './watch-cache.js';
import type { NamespaceSet } from './visibility.js';
// Issue 7: short-TTL shared list results (keyv; off unless LIST_CACHE_TTL_MS is set).
import { identityOf, type ListCache } from './list-cache.js';

export interface ListKey {
  cluster: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface GetKey {
  cluster: string;
  /** Required for namespaced kinds. */
  namespace?: string;
  name: string;
}

export interface KubeLoaders {
  /** Items of one kind per key (every page). */
  list<T extends KubeObject = KubeObject>(ref: ResourceRef): DataLoader<ListKey, T[], string>;
  /** One object per key, null when it does not exist. */
  get<T extends KubeObject = KubeObject>(ref: ResourceRef): DataLoader<GetKey, T | null, string>;
}

/** Where loaders get clients (ClusterRegistry); `client` throws NOT_FOUND for an unknown cluster. */
export interface ClientSource {
  client(name: string): ClusterReader;
}

/** Warm caches to prefer (WatchCacheRegistry). */
export interface CacheSource {
  peek<T extends KubeObject = KubeObject>(cluster: string, ref: ResourceRef): WatchCache<T> | undefined;
}

export interface KubeLoaderOptions {
  watchCaches?: CacheSource;
  /** The request was cancelled: stop waiting on clusters. */
  signal?: AbortSignal;
  /**
   * Issue 7: shared short-TTL list results (list-cache.ts), asked after the watch cache and before the
   * API. The process's one (FleetAccess.listCache); absent or null = off.
   */
  listCache?: ListCache | null;
  /**
   * The namespaces the caller may see per cluster (null = all): namespaced objects elsewhere are left
   * out of lists and are null to gets, exactly like objects that do not exist (kubeRequestContext sets it).
   */
  namespaces?: (cluster: string) => NamespaceSet;
}

// Built for every load of every request: a join (NUL occurs in none of these), not JSON.stringify.
const listCacheKey = (k: ListKey) => `${k.cluster}\u0000${k.namespace ?? ''}\u0000${k.labelSelector ?? ''}\u0000${k.fieldSelector ?? ''}`;
const getCacheKey = (k: GetKey) => `${k.cluster}\u0000${k.namespace ?? ''}\u0000${k.name}`;

type FieldTest = (o: KubeObject) => boolean;

/** metadata.name / metadata.namespace selectors can be answered from a cache; others go to the API (undefined). */
function parseFieldSelector(selector: string | undefined): FieldTest[] | undefined {
  if (!selector) return [];
  const tests: FieldTest[] = [];
  for (const part of selector.split(',')) {
    const m = /^\s*(metadata\.name|metadata\.namespace)\s*(==|!=|=)\s*([^,]*?)\s*$/.exec(part);
    if (!m) return undefined;
    const [, field, op, value] = m;
    const read = (o: KubeObject) => (field === 'metadata.name' ? o.metadata.name : (o.metadata.namespace ?? ''));
    tests.push(op === '!=' ? (o) => read(o) !== value : (o) => read(o) === value);
  }
  return tests;
}

function warmCache<T extends KubeObject>(source: CacheSource | undefined, clients: ClientSource, cluster: string, ref: ResourceRef): WatchCache<T> | undefined {
  const cache = source?.peek<T>(cluster, ref);
  // A cache of a kind the cluster does not serve is empty; the API's 404 is the truthful answer.
  if (!cache?.current || cache.notServed) return undefined;
  // A cluster whose last call failed may have a stale cache: ask it, so the answer says why it fails.
  return clusterLooksDown(clients.client(cluster).health) ? undefined : cache;
}

/** Answers a list key from a synced cache, or undefined when the cache cannot (selector it cannot evaluate). */
function listFromCache<T extends KubeObject>(cache: WatchCache<T>, ref: ResourceRef, key: ListKey): T[] | undefined {
  const labels = parseLabelSelector(key.labelSelector);
  const fields = parseFieldSelector(key.fieldSelector);
  if (!labels || !fields) return undefined;
  // One namespace: from the store's namespace index, not a scan of the whole cluster's objects.
  const candidates = ref.namespaced && key.namespace ? cache.inNamespace(key.namespace) : cache.list();
  return candidates.filter((o) => matchesFilters(o.metadata.labels, labels) && fields.every((test) => test(o)));
}

function groupBy<V>(values: readonly V[], keyOf: (v: V) => string): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const v of values) {
    const key = keyOf(v);
    const group = groups.get(key);
    if (group) group.push(v);
    else groups.set(key, [v]);
  }
  return groups;
}

/** The caller may not see objects of this namespace (or this Namespace object) in the cluster. */
function hiddenNamespace(namespaces: NamespaceSet, ref: ResourceRef, namespace: string | undefined, name?: string): boolean {
  if (namespaces === null) return false;
  if (ref.namespaced) return namespace !== undefined && !namespaces.has(namespace);
  return ref.kind === 'Namespace' && name !== undefined && !namespaces.has(name);
}

export function createKubeLoaders(clients: ClientSource, options: KubeLoaderOptions = {}): KubeLoaders {
  const listLoaders = new Map<string, DataLoader<ListKey, KubeObject[], string>>();
  const getLoaders = new Map<string, DataLoader<GetKey, KubeObject | null, string>>();
  const signal = options.signal;
  const listCache = options.listCache ?? null; // issue 7
  const namespacesOf = options.namespaces ?? (() => null);
  const visible = (cluster: string, ref: ResourceRef, items: KubeObject[]): KubeObject[] => {
    const namespaces = namespacesOf(cluster);
    if (namespaces === null || (!ref.namespaced && ref.kind !== 'Namespace')) return items;
    return items.filter((o) => !hiddenNamespace(namespaces, ref, o.metadata.namespace ?? '', o.metadata.name));
  };

  function listLoader(ref: ResourceRef): DataLoader<ListKey, KubeObject[], string> {
    const id = refId(ref);
    let loader = listLoaders.get(id);
    if (loader) return loader;
    loader = new DataLoader<ListKey, KubeObject[], string>(
      (keys) =>
        inSpan(`batch list ${ref.plural}`, { 'fleetgraph.batch.size': keys.length, 'k8s.kind': ref.plural }, () =>
          Promise.all(
            keys.map((key) =>
              inSpan(`list ${ref.plural}`, { 'fleetgraph.cluster': key.cluster, 'k8s.kind': ref.plural }, async (span): Promise<KubeObject[] | ClusterError> => {
                const answered = (source: ReadSource) => {
                  kubeMetrics.read(ref, source);
                  span?.setAttribute('fleetgraph.cache', source);
                };
                try {
                  if (key.namespace !== undefined && hiddenNamespace(namespacesOf(key.cluster), ref, key.namespace)) {
                    clients.client(key.cluster); // an unknown cluster is still NOT_FOUND
                    return [];
                  }
                  const cache = warmCache<KubeObject>(options.watchCaches, clients, key.cluster, ref);
                  const cached = cache && listFromCache(cache, ref, key);
                  if (cached) {
                    answered('watch_cache');
                    return visible(key.cluster, ref, cached);
                  }
                  // Issue 7: a shared list result younger than the TTL, for this caller's identity only.
                  const identity = listCache?.enabled ? identityOf(clients, key.cluster) : undefined;
                  const shared = identity ? await listCache!.get(identity, ref, key) : undefined;
                  answered(shared ? 'list_cache' : 'api');
                  const all = shared ?? (await clients.client(key.cluster).list(ref, { ...key, signal })).items;
                  if (identity && !shared) void listCache!.set(identity, ref, key, all);
                  const items = visible(key.cluster, ref, all);
                  // Whatever a list returned also answers gets of the same objects in this request.
                  const gets = getLoader(ref);
                  for (const item of items) {
                    gets.prime({ cluster: key.cluster, namespace: ref.namespaced ? item.metadata.namespace : undefined, name: item.metadata.name }, item);
                  }
                  return items;
                } catch (err) {
                  span?.setStatus({ code: 2 });
                  return toClusterError(key.cluster, err);
                }
              }),
            ),
          ),
        ),
      { cacheKeyFn: listCacheKey },
    );
    listLoaders.set(id, loader);
    return loader;
  }

  function getLoader(ref: ResourceRef): DataLoader<GetKey, KubeObject | null, string> {
    const id = refId(ref);
    let loader = getLoaders.get(id);
    if (loader) return loader;
    loader = new DataLoader<GetKey, KubeObject | null, string>(
      (keys) => inSpan(`batch get ${ref.plural}`, { 'fleetgraph.batch.size': keys.length, 'k8s.kind': ref.plural }, async () => {
        const results = new Map<string, KubeObject | null | ClusterError>();
        const byCluster = groupBy(keys, (k) => k.cluster);
        await Promise.all(
          [...byCluster].map(([cluster, wanted]) => inSpan(`get ${ref.plural}`, { 'fleetgraph.cluster': cluster, 'k8s.kind': ref.plural, 'fleetgraph.keys': wanted.length }, async (span) => {
            try {
              // Objects of a namespace the caller may not see are null, like objects that do not exist.
              const namespaces = namespacesOf(cluster);
              const clusterKeys = wanted.filter((k) => !hiddenNamespace(namespaces, ref, k.namespace, k.name));
              if (clusterKeys.length < wanted.length) clients.client(cluster); // an unknown cluster is still NOT_FOUND
              const cache = warmCache<KubeObject>(options.watchCaches, clients, cluster, ref);
              span?.setAttribute('fleetgraph.cache', cache ? 'watch_cache' : 'api');
              kubeMetrics.read(ref, cache ? 'watch_cache' : 'api');
              if (cache) {
                for (const k of clusterKeys) results.set(getCacheKey(k), cache.get(k.namespace, k.name) ?? null);
                return;
              }
              const client = clients.client(cluster);
              const byNamespace = groupBy(clusterKeys, (k) => (ref.namespaced ? (k.namespace ?? '') : ''));
              await Promise.all(
                [...byNamespace].map(async ([namespace, nsKeys]) => {
                  try {
                    if (nsKeys.length === 1) {
                      const [k] = nsKeys;
                      results.set(getCacheKey(k), await client.get(ref, k.namespace, k.name, { signal }));
                      return;
                    }
                    // Several names here: one LIST (shared with this request's list loader) instead of N GETs.
                    const items = await listLoader(ref).load({ cluster, namespace: namespace || undefined });
                    const found = new Map(items.map((o) => [objectKey(ref.namespaced ? o.metadata.namespace : undefined, o.metadata.name), o]));
                    for (const k of nsKeys) results.set(getCacheKey(k), found.get(objectKey(ref.namespaced ? k.namespace : undefined, k.name)) ?? null);
                  } catch (err) {
                    const error = toClusterError(cluster, err);
                    for (const k of nsKeys) results.set(getCacheKey(k), error);
                  }
                }),
              );
            } catch (err) {
              const error = toClusterError(cluster, err);
              for (const k of wanted) results.set(getCacheKey(k), error);
            }
          })),
        );
        return keys.map((k) => results.get(getCacheKey(k)) ?? null);
      }),
      { cacheKeyFn: getCacheKey },
    );
    getLoaders.set(id, loader);
    return loader;
  }

  return {
    list: <T extends KubeObject = KubeObject>(ref: ResourceRef) => listLoader(ref) as unknown as DataLoader<ListKey, T[], string>,
    get: <T extends KubeObject = KubeObject>(ref: ResourceRef) => getLoader(ref) as unknown as DataLoader<GetKey, T | null, string>,
  };
}
