// Short-TTL shared list results behind the per-request loaders: a second loader set within the TTL
// costs no request, a different identity (credentials) or an expired entry asks the cluster again,
// failures are never cached, and TTL 0 is off.
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterReader, ListOptions, ListResult, WatchStream } from '../../subgraphs/kube/client.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { ListCache, clusterIdentity, type ListCacheKey } from '../../subgraphs/kube/list-cache.js';
import { createKubeLoaders } from '../../subgraphs/kube/loaders.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import { Resources, type ResourceRef } from '../../subgraphs/kube/resources.js';
import { waitUntil } from '../helpers/wait.js';

/** The loader does not await its store write: wait until the list is in the cache. */
const stored = (listCache: ListCache, src: ReturnType<typeof source>, key: ListCacheKey = { cluster: 'a' }) =>
  waitUntil('the list to be stored', () => listCache.get(clusterIdentity(src.get('a')!), Resources.nodes, key));
/** Lets a store write that should not happen run (memory backend: microtasks only). */
const drain = () => new Promise((r) => setImmediate(r));

class FakeCluster implements ClusterReader {
  readonly requests: string[] = [];
  failure?: ClusterError;
  constructor(readonly name: string) {}
  async list<T extends KubeObject>(ref: ResourceRef, options: ListOptions = {}): Promise<ListResult<T>> {
    this.requests.push(`list ${ref.plural}${options.labelSelector ? ` l=${options.labelSelector}` : ''}`);
    if (this.failure) throw this.failure;
    return { items: [{ metadata: { name: `${this.name}-n1`, resourceVersion: '1' } }] as T[], resourceVersion: '1' };
  }
  async get<T extends KubeObject>(): Promise<T | null> {
    throw new Error('not used');
  }
  watch<T extends KubeObject>(): Promise<WatchStream<T>> {
    throw new Error('not used');
  }
}

function kubeConfig(token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'a', server: 'https://a.example:6443', skipTLSVerify: false }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'a', cluster: 'a', user: 'u' }],
    currentContext: 'a',
  });
  return kc;
}

/** A client source that, like ClusterRegistry, also tells each cluster's entry (server + kubeconfig). */
function source(cluster: FakeCluster, token: string) {
  const entry = { server: 'https://a.example:6443', kubeConfig: kubeConfig(token) };
  return { client: () => cluster, get: (name: string) => (name === 'a' ? entry : undefined) };
}

describe('shared list results', () => {
  test('a second request within the TTL costs no API request, and gets the same items', async () => {
    const cluster = new FakeCluster('a');
    const listCache = new ListCache({ ttlMs: 1000, redisUrl: '' });
    const src = source(cluster, 'token-1');
    const first = await createKubeLoaders(src, { listCache }).list(Resources.nodes).load({ cluster: 'a' });
    await stored(listCache, src);
    const second = await createKubeLoaders(src, { listCache }).list(Resources.nodes).load({ cluster: 'a' });
    expect(second).toEqual(first);
    expect(cluster.requests).toEqual(['list nodes']);
    // Different selectors are different lists.
    await createKubeLoaders(src, { listCache }).list(Resources.nodes).load({ cluster: 'a', labelSelector: 'x=y' });
    expect(cluster.requests).toEqual(['list nodes', 'list nodes l=x=y']);
  });

  test('other credentials for the same cluster never read the entry', async () => {
    const cluster = new FakeCluster('a');
    const listCache = new ListCache({ ttlMs: 1000, redisUrl: '' });
    const src1 = source(cluster, 'token-1');
    await createKubeLoaders(src1, { listCache }).list(Resources.nodes).load({ cluster: 'a' });
    await stored(listCache, src1);
    await createKubeLoaders(source(cluster, 'token-2'), { listCache }).list(Resources.nodes).load({ cluster: 'a' });
    expect(cluster.requests).toEqual(['list nodes', 'list nodes']);
    const one = { server: 's', kubeConfig: kubeConfig('token-1') };
    const two = { server: 's', kubeConfig: kubeConfig('token-2') };
    expect(clusterIdentity(one)).not.toBe(clusterIdentity(two));
    expect(clusterIdentity(one)).not.toContain('token-1');
  });

  test('entries expire after the TTL', async () => {
    const cluster = new FakeCluster('a');
    const listCache = new ListCache({ ttlMs: 40, redisUrl: '' });
    const src = source(cluster, 't');
    await createKubeLoaders(src, { listCache }).list(Resources.nodes).load({ cluster: 'a' });
    await stored(listCache, src);
    await waitUntil('the entry to expire', async () => (await listCache.get(clusterIdentity(src.get('a')!), Resources.nodes, { cluster: 'a' })) === undefined);
    await createKubeLoaders(src, { listCache }).list(Resources.nodes).load({ cluster: 'a' });
    expect(cluster.requests).toEqual(['list nodes', 'list nodes']);
  });

  test('a failed list is not cached', async () => {
    const cluster = new FakeCluster('a');
    cluster.failure = new ClusterError('CLUSTER_UNREACHABLE', 'a', 'cluster a: connection refused');
    const listCache = new ListCache({ ttlMs: 1000, redisUrl: '' });
    const src = source(cluster, 't');
    await expect(createKubeLoaders(src, { listCache }).list(Resources.nodes).load({ cluster: 'a' })).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    cluster.failure = undefined;
    await expect(createKubeLoaders(src, { listCache }).list(Resources.nodes).load({ cluster: 'a' })).resolves.toHaveLength(1);
    expect(cluster.requests).toEqual(['list nodes', 'list nodes']);
  });

  test('TTL 0 is off, and a source that cannot tell identities is never cached', async () => {
    const cluster = new FakeCluster('a');
    const off = new ListCache({ ttlMs: 0, redisUrl: '' });
    const src = source(cluster, 't');
    await createKubeLoaders(src, { listCache: off }).list(Resources.nodes).load({ cluster: 'a' });
    await createKubeLoaders(src, { listCache: off }).list(Resources.nodes).load({ cluster: 'a' });
    const on = new ListCache({ ttlMs: 1000, redisUrl: '' });
    const anonymous = { client: () => cluster };
    await createKubeLoaders(anonymous, { listCache: on }).list(Resources.nodes).load({ cluster: 'a' });
    await drain();
    await createKubeLoaders(anonymous, { listCache: on }).list(Resources.nodes).load({ cluster: 'a' });
    expect(cluster.requests).toHaveLength(4);
  });
});
