// A request's view of the fleet from its principal's access rules (kubeRequestContext): hidden clusters
// answer exactly as unknown ones, namespaces outside the rules are empty, subscriptions drop events of
// what the subscriber may not see, and an unrestricted principal sees the registry as it is.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { AccessRule } from '../../lib/access-rules.js';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../lib/principal.js';
import { kubeRequestContext } from '../../subgraphs/common/fleet-access.js';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { eventVisible } from '../../subgraphs/common/visible-events.js';
import { filterNamespacedResults } from '../../subgraphs/common/visible-results.js';
import { ClusterView } from '../../subgraphs/kube/cluster-view.js';
import { createKubeLoaders, type ClientSource } from '../../subgraphs/kube/loaders.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import { Resources } from '../../subgraphs/kube/resources.js';
import { Visibility } from '../../subgraphs/kube/visibility.js';
import { WatchCacheRegistry } from '../../subgraphs/kube/watch-cache-registry.js';
import { accessOver } from '../helpers/fleet-access.js';

const CLUSTERS = [
  { name: 'hub-1', labels: { role: 'hub', region: 'core' } },
  { name: 'du-east-1', labels: { role: 'edge', region: 'east' } },
  { name: 'du-east-2', labels: { role: 'edge', region: 'east' } },
  { name: 'du-west-1', labels: { role: 'edge', region: 'west' } },
];

let dir: string;
let registry: ClusterRegistry;
let caches: WatchCacheRegistry;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'access-view-'));
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: CLUSTERS.map((c) => ({ name: c.name, cluster: { server: `https://${c.name}.example:6443`, 'insecure-skip-tls-verify': true } })),
    users: CLUSTERS.map((c) => ({ name: c.name, user: { token: `t-${c.name}` } })),
    contexts: CLUSTERS.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
  };
  writeFileSync(join(dir, 'kubeconfig'), stringify(kubeconfig));
  writeFileSync(join(dir, 'fleet.yaml'), stringify({ clusters: CLUSTERS }));
  registry = new ClusterRegistry({ kubeconfigPaths: [join(dir, 'kubeconfig')], fleetFilePath: join(dir, 'fleet.yaml') });
  caches = new WatchCacheRegistry(registry);
});
afterAll(async () => {
  await caches.stop();
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const principal = (access?: AccessRule[]): Principal => ({ scope: 'test', subject: 'user:test', claims: { scopes: ['read'], ...(access ? { access } : {}) } });
const EAST_EDGE: AccessRule[] = [{ clusters: [{ key: 'region', value: 'east' }, { key: 'role', value: 'edge' }] }];

describe('a principal limited to east edge sites', () => {
  const view = () => kubeRequestContext(accessOver(registry, caches), { principal: principal(EAST_EDGE) }).registry;

  it('lists, names and counts only its clusters', () => {
    expect(view().list().map((c) => c.name)).toEqual(['du-east-1', 'du-east-2']);
    expect(view().list({ labels: [{ key: 'role', value: 'edge' }] }).map((c) => c.name)).toEqual(['du-east-1', 'du-east-2']);
    expect(view().names()).toEqual(['du-east-1', 'du-east-2']);
    expect(view().size).toBe(2);
  });

  it('answers a hidden cluster exactly as an unknown one', () => {
    const v = view();
    for (const name of ['du-west-1', 'no-such-cluster']) {
      expect(v.has(name)).toBe(false);
      expect(v.get(name)).toBeUndefined();
      expect(() => v.require(name)).toThrow(`unknown cluster "${name}"`);
      let code: unknown;
      try {
        v.client(name);
      } catch (err) {
        code = (err as { extensions?: { code?: string } }).extensions?.code;
      }
      expect(code).toBe('NOT_FOUND');
    }
  });

  it('hides the cluster from the watch caches too', async () => {
    const ctx = kubeRequestContext(accessOver(registry, caches), { principal: principal(EAST_EDGE) });
    await expect(ctx.watchCaches.readThrough('du-west-1', Resources.nodes)).rejects.toMatchObject({ code: 'NOT_FOUND', cluster: 'du-west-1' });
    expect(() => ctx.watchCaches.cache('du-west-1', Resources.nodes)).toThrow('unknown cluster "du-west-1"');
    expect(ctx.watchCaches.peek('du-west-1', Resources.nodes)).toBeUndefined();
  });

  it('drops subscription events of hidden clusters, and events that name no cluster', () => {
    const v = view() as ClusterView;
    expect(eventVisible(v, { clusterName: 'du-east-1' })).toBe(true);
    expect(eventVisible(v, { cluster: 'du-east-2', namespace: 'anything' })).toBe(true);
    expect(eventVisible(v, { clusterName: 'du-west-1' })).toBe(false);
    expect(eventVisible(v, { kind: 'RAISED', alert: { clusterName: 'du-east-1', nodeName: 'n' } })).toBe(true);
    expect(eventVisible(v, { kind: 'RAISED', alert: { clusterName: 'du-west-1', nodeName: 'n' } })).toBe(false);
    expect(eventVisible(v, { nodeName: 'x' })).toBe(false);
  });
});

describe('namespaces', () => {
  const rules: AccessRule[] = [{ clusters: [{ key: 'region', value: 'east' }], namespaces: ['ran'] }, { clusters: [{ key: 'role', value: 'hub' }] }];
  const pods: KubeObject[] = ['ran', 'core', 'kube-system'].map((ns) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${ns}`, namespace: ns } }));
  const lists: string[] = [];
  const gets: string[] = [];
  const fake: ClientSource = {
    client: (name: string) => {
      const entry = registry.require(name);
      return {
        health: { reachable: true, latencyMs: 1, lastContact: new Date(), error: null, errorCode: null, consecutiveFailures: 0 },
        list: async () => {
          lists.push(entry.name);
          return { items: pods, resourceVersion: '1' };
        },
        get: async (_ref: unknown, namespace: string | undefined, podName: string) => {
          gets.push(`${namespace}/${podName}`);
          return pods.find((p) => p.metadata.namespace === namespace && p.metadata.name === podName) ?? null;
        },
      } as unknown as ReturnType<ClientSource['client']>;
    },
  };

  it('subscription events and query results of other namespaces are dropped; a non-null one is NOT_FOUND', async () => {
    const v = new ClusterView(registry, Visibility.of(principal(rules)));
    expect(eventVisible(v, { clusterName: 'du-east-1', namespace: 'ran' })).toBe(true);
    expect(eventVisible(v, { clusterName: 'du-east-1', namespace: 'core' })).toBe(false);
    const thing = (cluster: string, namespace: string) => ({ clusterName: cluster, namespace, name: `${cluster}/${namespace}` });
    const schema = buildSubgraphSchema({
      typeDefs: parse(`type Thing { clusterName: String! namespace: String! name: String! }
        type Query { things: [Thing!]! nested: [[Thing]] one: Thing required: Thing! later: [Thing!]! }`),
      resolvers: {
        Query: {
          things: () => [thing('du-east-1', 'ran'), thing('du-east-1', 'core'), thing('hub-1', 'core'), thing('du-west-1', 'ran')],
          nested: () => [[thing('du-east-1', 'core'), thing('du-east-1', 'ran')]],
          one: () => thing('du-east-1', 'core'),
          required: () => thing('du-east-1', 'kube-system'),
          later: async () => [thing('du-east-1', 'core'), thing('du-east-1', 'ran')],
        },
      },
    });
    filterNamespacedResults(schema);
    const run = (contextValue: unknown) => graphql({ schema, source: '{ things { name } nested { name } one { name } later { name } }', contextValue });
    expect((await run({ registry: v })).data).toEqual({
      things: [{ name: 'du-east-1/ran' }, { name: 'hub-1/core' }],
      nested: [[{ name: 'du-east-1/ran' }]],
      one: null,
      later: [{ name: 'du-east-1/ran' }],
    });
    const refused = await graphql({ schema, source: '{ required { name } }', contextValue: { registry: v } });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', cluster: 'du-east-1' });
    // An unrestricted view (no policy) sees everything.
    const all = new ClusterView(registry, Visibility.everything);
    expect(((await run({ registry: all })).data as { things: unknown[] }).things).toHaveLength(4);
  });

  it('a rule naming namespaces limits them; a rule without namespaces leaves a cluster whole', () => {
    const v = new ClusterView(registry, Visibility.of(principal(rules)));
    expect([...(v.namespaces('du-east-1') ?? [])]).toEqual(['ran']);
    expect(v.namespaces('hub-1')).toBeNull();
    expect(v.sees('du-east-1', 'ran')).toBe(true);
    expect(v.sees('du-east-1', 'core')).toBe(false);
    expect(v.sees('hub-1', 'core')).toBe(true);
    expect(v.sees('du-west-1')).toBe(false);
  });

  it('loaders leave other namespaces out of lists and answer gets there as objects that do not exist (without asking)', async () => {
    const v = new ClusterView(registry, Visibility.of(principal(rules)));
    const kube = createKubeLoaders(fake, { namespaces: (c) => v.namespaces(c) });
    expect((await kube.list(Resources.pods).load({ cluster: 'du-east-1' })).map((p) => p.metadata.namespace)).toEqual(['ran']);
    expect(await kube.list(Resources.pods).load({ cluster: 'du-east-1', namespace: 'core' })).toEqual([]);
    expect((await kube.list(Resources.pods).load({ cluster: 'hub-1' })).map((p) => p.metadata.namespace)).toEqual(['ran', 'core', 'kube-system']);
    gets.length = 0;
    expect(await kube.get(Resources.pods).load({ cluster: 'du-east-1', namespace: 'kube-system', name: 'p-kube-system' })).toBeNull();
    expect(gets).toEqual([]);
  });
});

describe('without access rules (no policy configured)', () => {
  it('sees the registry as it is, and its watch caches are the shared ones', () => {
    const ctx = kubeRequestContext(accessOver(registry, caches), { principal: ANONYMOUS_PRINCIPAL });
    expect(ctx.registry.names()).toEqual(registry.names());
    expect(ctx.watchCaches).toBe(caches);
    expect(eventVisible(ctx.registry as ClusterView, { nothing: true })).toBe(true);
  });

  it('a malformed access claim grants nothing (fail closed)', () => {
    const ctx = kubeRequestContext(accessOver(registry, caches), { principal: { scope: 'x', claims: { access: 'everything' } } });
    expect(ctx.registry.names()).toEqual([]);
  });
});
