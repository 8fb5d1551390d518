// The shared caches against a REAL Redis (REDIS_URL; .ci/run starts redis-server on 127.0.0.1):
//  - list results: two independent loader sets (two registries, two Redis connections: two subgraph
//    replicas) share one LIST through Redis: the second costs 0 API requests (simulator counters);
//  - APQ: a query registered on one gateway is answered by hash alone on a second gateway instance
//    that shares the Redis.
// Skipped, saying why, only when REDIS_URL is unset.
import { randomBytes, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient } from '@redis/client';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { SUPERGRAPH_PATH } from '../../lib/paths.js';
import { createApqCache } from '../../lib/cache.js';
import { ListCache, identityOf } from '../../subgraphs/kube/list-cache.js';
import { createKubeLoaders } from '../../subgraphs/kube/loaders.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import { Resources } from '../../subgraphs/kube/resources.js';
import { countRequests, startTestStack, type TestStack } from '../helpers/stack.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('keyv-redis.test.ts: SKIPPED, REDIS_URL is not set (.ci/run starts redis-server on 127.0.0.1:6379 and sets it)');
const describeWithRedis = REDIS_URL ? describe : describe.skip;

/** Fresh namespaces per run, so runs sharing one Redis never see each other's entries. */
const RUN = randomBytes(6).toString('hex');

let stack: TestStack;

beforeAll(async () => {
  if (!REDIS_URL) return;
  stack = await startTestStack({ simulator: { fleet: { hubs: 1, regionals: 0, edges: 3 } } });
});

afterAll(async () => {
  await stack?.stop();
  if (!REDIS_URL) return;
  // Leave nothing behind in a shared Redis.
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `*${RUN}*`, COUNT: 1000 })) if (keys.length) await redis.del(keys);
  await redis.quit();
});

describeWithRedis('list results shared through Redis', () => {
  test('a second replica (own registry, own Redis connection) gets the LIST the first one made, with 0 API requests', async () => {
    const replica = () => ({
      registry: new ClusterRegistry({ kubeconfigPaths: [stack.simulator!.kubeconfigPath] }),
      listCache: new ListCache({ ttlMs: 10_000, redisUrl: REDIS_URL, namespace: `fleetgraph:list:${RUN}` }),
    });
    const one = replica();
    const two = replica();
    expect(one.listCache.backend).toBe('redis');
    const clusters = one.registry.names();
    try {
      await stack.control('POST', '/counters/reset');
      const first = await Promise.all(clusters.map((cluster) => createKubeLoaders(one.registry, { listCache: one.listCache }).list(Resources.nodes).load({ cluster })));
      const afterFirst = countRequests(await stack.counters(), 'list /nodes');
      expect(Object.keys(afterFirst).sort()).toEqual(clusters);
      expect(Object.values(afterFirst).every((n) => n === 1)).toBe(true);

      // The first replica's writes are not awaited by its loaders: wait until Redis holds them all.
      const stored = () => Promise.all(clusters.map((cluster) => two.listCache.get(identityOf(two.registry, cluster)!, Resources.nodes, { cluster })));
      for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
        if ((await stored()).every((items) => items !== undefined)) break;
      }

      await stack.control('POST', '/counters/reset');
      const second = await Promise.all(clusters.map((cluster) => createKubeLoaders(two.registry, { listCache: two.listCache }).list(Resources.nodes).load({ cluster })));
      expect(countRequests(await stack.counters(), 'list /nodes')).toEqual({});
      const names = (lists: KubeObject[][]) => lists.map((items) => items.map((n) => n.metadata.name).sort());
      expect(names(second)).toEqual(names(first));
      expect(names(second).flat().length).toBeGreaterThanOrEqual(clusters.length);
    } finally {
      await Promise.all([one, two].map(async (r) => {
        await r.listCache.close();
        await r.registry.close();
      }));
    }
  });
});

describeWithRedis('persisted queries (APQ) shared through Redis', () => {
  let second: RunningGateway;
  let apqFirst: ReturnType<typeof createApqCache>;
  let apqSecond: ReturnType<typeof createApqCache>;
  let first: RunningGateway;

  beforeAll(async () => {
    const common = {
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphUrls: stack.subgraphUrls,
      port: 0,
      principalKey: stack.principalKey, // the stack's subgraphs answer only gateways that sign principals
    };
    apqFirst = createApqCache({ redisUrl: REDIS_URL, namespace: `fleetgraph:apq:${RUN}` });
    apqSecond = createApqCache({ redisUrl: REDIS_URL, namespace: `fleetgraph:apq:${RUN}` });
    first = await startGateway({ ...common, apqCache: apqFirst });
    second = await startGateway({ ...common, apqCache: apqSecond });
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await apqFirst?.close();
    await apqSecond?.close();
  });

  async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  }

  test('a hash registered on one gateway is answered by hash alone on the other', async () => {
    const query = `query Apq${RUN} { clusters { name labels { key value } } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persistedQuery = { version: 1, sha256Hash };

    const unknown = await post(second.url, { extensions: { persistedQuery } });
    expect(unknown.json.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await post(first.url, { query, extensions: { persistedQuery } });
    expect(registered.json.errors).toBeUndefined();
    expect(registered.json.data.clusters.length).toBe((await stack.clusterNames()).length);

    const byHash = await post(second.url, { extensions: { persistedQuery } });
    expect(byHash.status).toBe(200);
    expect(byHash.json.errors).toBeUndefined();
    expect(byHash.json.data).toEqual(registered.json.data);
  });
});
