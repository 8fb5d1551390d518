// Loader batching with fake clusters: what each batch costs in API requests, which keys fail when
// a cluster fails, and that a warm watch cache answers with no request at all.
import type { ClusterHealth, ClusterReader, ListOptions, ListResult, WatchStream } from '../../subgraphs/kube/client.js';
import { ClusterError, unknownCluster } from '../../subgraphs/kube/errors.js';
import { createKubeLoaders, type CacheSource } from '../../subgraphs/kube/loaders.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import { Resources, type ResourceRef } from '../../subgraphs/kube/resources.js';
import type { WatchCache } from '../../subgraphs/kube/watch-cache.js';

const obj = (name: string, namespace?: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: { name, namespace, labels, resourceVersion: '1' },
});

class FakeCluster implements ClusterReader {
  readonly requests: string[] = [];
  failure?: ClusterError;
  health?: ClusterHealth;
  constructor(
    readonly name: string,
    private readonly objects: Map<string, KubeObject[]>,
  ) {}

  async list<T extends KubeObject>(ref: ResourceRef, options: ListOptions = {}): Promise<ListResult<T>> {
    this.requests.push(`list ${ref.plural}${options.namespace ? ` ns=${options.namespace}` : ''}${options.labelSelector ? ` l=${options.labelSelector}` : ''}`);
    if (this.failure) throw this.failure;
    const items = (this.objects.get(ref.plural) ?? []).filter((o) => !options.namespace || o.metadata.namespace === options.namespace);
    return { items: items as T[], resourceVersion: '10' };
  }

  async get<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T | null> {
    this.requests.push(`get ${ref.plural} ${namespace ? `${namespace}/` : ''}${name}`);
    if (this.failure) throw this.failure;
    const found = (this.objects.get(ref.plural) ?? []).find((o) => o.metadata.name === name && o.metadata.namespace === namespace);
    return (found as T | undefined) ?? null;
  }

  watch<T extends KubeObject>(): Promise<WatchStream<T>> {
    throw new Error('not used');
  }
}

function fleet() {
  const a = new FakeCluster(
    'a',
    new Map([
      ['nodes', [obj('a-n1'), obj('a-n2'), obj('a-n3')]],
      ['pods', [obj('p1', 'ns1', { app: 'du' }), obj('p2', 'ns1', { app: 'cu' }), obj('p3', 'ns2', { app: 'du' })]],
    ]),
  );
  const b = new FakeCluster('b', new Map([['nodes', [obj('b-n1'), obj('b-n2')]]]));
  const clusters = new Map([a, b].map((c) => [c.name, c]));
  const source = {
    client(name: string): ClusterReader {
      const c = clusters.get(name);
      if (!c) throw unknownCluster(name);
      return c;
    },
  };
  return { a, b, source };
}

describe('get(ref)', () => {
  test('N node lookups in one cluster are one LIST; a single lookup is one GET', async () => {
    const { a, b, source } = fleet();
    const loaders = createKubeLoaders(source);
    const nodes = loaders.get(Resources.nodes);
    const found = await Promise.all(['a-n1', 'a-n2', 'a-n3', 'missing'].map((name) => nodes.load({ cluster: 'a', name })));
    expect(found.map((n) => n?.metadata.name ?? null)).toEqual(['a-n1', 'a-n2', 'a-n3', null]);
    expect(a.requests).toEqual(['list nodes']);
    await expect(nodes.load({ cluster: 'b', name: 'b-n2' })).resolves.toMatchObject({ metadata: { name: 'b-n2' } });
    expect(b.requests).toEqual(['get nodes b-n2']);
  });

  test('namespaced kinds: one LIST per namespace holding several names, a GET for a lone one', async () => {
    const { a, source } = fleet();
    const pods = createKubeLoaders(source).get(Resources.pods);
    const found = await Promise.all([
      pods.load({ cluster: 'a', namespace: 'ns1', name: 'p1' }),
      pods.load({ cluster: 'a', namespace: 'ns1', name: 'p2' }),
      pods.load({ cluster: 'a', namespace: 'ns2', name: 'p3' }),
      pods.load({ cluster: 'a', namespace: 'ns2', name: 'p1' }), // p1 is not in ns2
    ]);
    expect(found.map((p) => (p ? `${p.metadata.namespace}/${p.metadata.name}` : null))).toEqual(['ns1/p1', 'ns1/p2', 'ns2/p3', null]);
    expect(a.requests.sort()).toEqual(['list pods ns=ns1', 'list pods ns=ns2']);
  });

  test('one failing cluster rejects only its own keys, with its ClusterError', async () => {
    const { a, b, source } = fleet();
    b.failure = new ClusterError('CLUSTER_UNREACHABLE', 'b', 'cluster b unreachable');
    const nodes = createKubeLoaders(source).get(Resources.nodes);
    const results = await Promise.allSettled([
      nodes.load({ cluster: 'a', name: 'a-n1' }),
      nodes.load({ cluster: 'b', name: 'b-n1' }),
      nodes.load({ cluster: 'b', name: 'b-n2' }),
      nodes.load({ cluster: 'nope', name: 'x' }),
    ]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { metadata: { name: 'a-n1' } } });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'CLUSTER_UNREACHABLE', cluster: 'b' } });
    expect(results[2]).toMatchObject({ status: 'rejected', reason: { code: 'CLUSTER_UNREACHABLE', cluster: 'b' } });
    expect(results[3]).toMatchObject({ status: 'rejected', reason: { code: 'NOT_FOUND', cluster: 'nope' } });
    expect(a.requests).toEqual(['get nodes a-n1']);
  });

  test('objects a list already returned answer later gets with no request', async () => {
    const { a, source } = fleet();
    const loaders = createKubeLoaders(source);
    await loaders.list(Resources.nodes).load({ cluster: 'a' });
    await expect(loaders.get(Resources.nodes).load({ cluster: 'a', name: 'a-n2' })).resolves.toMatchObject({ metadata: { name: 'a-n2' } });
    expect(a.requests).toEqual(['list nodes']);
  });

  test('a batch of gets and a list of the same (cluster, namespace) share one LIST', async () => {
    const { a, source } = fleet();
    const loaders = createKubeLoaders(source);
    await Promise.all([
      loaders.list(Resources.nodes).load({ cluster: 'a' }),
      loaders.get(Resources.nodes).load({ cluster: 'a', name: 'a-n1' }),
      loaders.get(Resources.nodes).load({ cluster: 'a', name: 'a-n3' }),
    ]);
    expect(a.requests).toEqual(['list nodes']);
  });
});

describe('list(ref)', () => {
  test('identical keys are one request; different selectors are separate requests', async () => {
    const { a, source } = fleet();
    const pods = createKubeLoaders(source).list(Resources.pods);
    const [all1, all2, du] = await Promise.all([
      pods.load({ cluster: 'a' }),
      pods.load({ cluster: 'a' }),
      pods.load({ cluster: 'a', labelSelector: 'app=du' }),
    ]);
    expect(all1).toBe(all2);
    expect(all1).toHaveLength(3);
    expect(du).toHaveLength(3); // the fake ignores selectors: what matters is the request it made
    expect(a.requests.sort()).toEqual(['list pods', 'list pods l=app=du']);
  });

  test('loaders are per request: a new set asks again', async () => {
    const { a, source } = fleet();
    await createKubeLoaders(source).list(Resources.nodes).load({ cluster: 'a' });
    await createKubeLoaders(source).list(Resources.nodes).load({ cluster: 'a' });
    expect(a.requests).toEqual(['list nodes', 'list nodes']);
  });
});

describe('warm watch caches', () => {
  function cacheOf(objects: KubeObject[], synced = true): WatchCache<KubeObject> {
    return {
      synced,
      current: synced,
      list: () => objects,
      inNamespace: (ns: string) => objects.filter((o) => o.metadata.namespace === ns),
      get: (ns: string | undefined, name: string) => objects.find((o) => o.metadata.name === name && o.metadata.namespace === ns),
    } as unknown as WatchCache<KubeObject>;
  }

  test('a synced cache answers lists (namespace, label and name selectors) and gets with 0 requests', async () => {
    const { a, source } = fleet();
    const pods = [obj('p1', 'ns1', { app: 'du', tier: 'x' }), obj('p2', 'ns1', { app: 'cu' }), obj('p3', 'ns2', { app: 'du' })];
    const caches: CacheSource = {
      peek: <T extends KubeObject>(cluster: string, ref: ResourceRef) =>
        (cluster === 'a' && ref === Resources.pods ? cacheOf(pods) : undefined) as WatchCache<T> | undefined,
    };
    const loaders = createKubeLoaders(source, { watchCaches: caches });
    const names = (items: KubeObject[]) => items.map((o) => o.metadata.name);
    expect(names(await loaders.list(Resources.pods).load({ cluster: 'a', namespace: 'ns1' }))).toEqual(['p1', 'p2']);
    expect(names(await loaders.list(Resources.pods).load({ cluster: 'a', labelSelector: 'app in (du),!tier' }))).toEqual(['p3']);
    expect(names(await loaders.list(Resources.pods).load({ cluster: 'a', fieldSelector: 'metadata.name!=p1' }))).toEqual(['p2', 'p3']);
    const got = await Promise.all([
      loaders.get(Resources.pods).load({ cluster: 'a', namespace: 'ns2', name: 'p3' }),
      loaders.get(Resources.pods).load({ cluster: 'a', namespace: 'ns2', name: 'p9' }),
    ]);
    expect(got.map((p) => p?.metadata.name ?? null)).toEqual(['p3', null]);
    expect(a.requests).toEqual([]);
  });

  test('a selector the cache cannot evaluate, or a cache not yet synced, goes to the API', async () => {
    const { a, source } = fleet();
    let synced = false;
    const caches: CacheSource = {
      peek: <T extends KubeObject>() => cacheOf([obj('p1', 'ns1')], synced) as unknown as WatchCache<T>,
    };
    await createKubeLoaders(source, { watchCaches: caches }).list(Resources.pods).load({ cluster: 'a' });
    synced = true;
    await createKubeLoaders(source, { watchCaches: caches }).list(Resources.pods).load({ cluster: 'a', fieldSelector: 'status.phase=Running' });
    expect(a.requests).toEqual(['list pods', 'list pods']);
  });

  test('a synced cache of a cluster whose last call failed is not trusted: the API answers, and says why', async () => {
    const { a, source } = fleet();
    const caches: CacheSource = { peek: <T extends KubeObject>() => cacheOf([obj('p1', 'ns1')]) as unknown as WatchCache<T> };
    a.health = { reachable: false, latencyMs: null, lastContact: null, error: 'connection reset', errorCode: 'CLUSTER_UNREACHABLE' };
    a.failure = new ClusterError('CLUSTER_UNREACHABLE', 'a', 'cluster a unreachable: connection reset');
    await expect(createKubeLoaders(source, { watchCaches: caches }).list(Resources.pods).load({ cluster: 'a' })).rejects.toMatchObject({
      code: 'CLUSTER_UNREACHABLE',
    });
    expect(a.requests).toEqual(['list pods']);
  });
});
