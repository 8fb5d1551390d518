// The sriov schema and resolvers executed over fake clusters (no HTTP): what a client sees for a bad
// ipam (an error on that field only), a cluster without the SR-IOV operator (null, no error), an
// unreachable cluster (a coded error), and the sync-status feed from a watch cache.
import { ANONYMOUS_PRINCIPAL } from '../../lib/principal.js';
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '../../subgraphs/common/resolver-map.js';
import { execute, parse, type ExecutionResult } from 'graphql';
import type { ClusterHealth, ClusterReader, ListOptions, ListResult, WatchStream } from '../../subgraphs/kube/client.js';
import { ClusterError, unknownCluster } from '../../subgraphs/kube/errors.js';
import { createKubeLoaders } from '../../subgraphs/kube/loaders.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import type { ResourceRef } from '../../subgraphs/kube/resources.js';
import type { WatchCacheRegistry } from '../../subgraphs/kube/watch-cache-registry.js';
import type { WatchChange } from '../../subgraphs/kube/watch-cache.js';
import type { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import type { SriovContext } from '../../subgraphs/sriov/context.js';
import { syncStatusChanges } from '../../subgraphs/sriov/events.js';
import { createSriovLoaders } from '../../subgraphs/sriov/loaders.js';
import { SriovSummary } from '../../subgraphs/sriov/summary.js';
import { SriovReader } from '../../subgraphs/sriov/reader.js';
import { resolvers } from '../../subgraphs/sriov/resolvers.js';
import type { SyncStatusEventModel } from '../../subgraphs/sriov/models.js';

const NS = 'openshift-sriov-network-operator';
const BROKEN = '{"type": "whereabouts", "range": "10.40.0.0/24",';

class FakeCluster implements ClusterReader {
  readonly requests: string[] = [];
  failure?: ClusterError;
  health: ClusterHealth = { reachable: true, latencyMs: 1, lastContact: new Date(), error: null, errorCode: null };
  constructor(
    readonly name: string,
    private readonly objects: Map<string, KubeObject[]> | null,
  ) {}

  async list<T extends KubeObject>(ref: ResourceRef, _options: ListOptions = {}): Promise<ListResult<T>> {
    this.requests.push(`list ${ref.plural}`);
    if (this.failure) throw this.failure;
    if (ref.group === 'sriovnetwork.openshift.io' && !this.objects) {
      throw new ClusterError('NOT_FOUND', this.name, `cluster ${this.name}: the server could not find the requested resource`, { httpStatus: 404 });
    }
    return { items: (this.objects?.get(ref.plural) ?? []) as T[], resourceVersion: '1' };
  }

  async get<T extends KubeObject>(): Promise<T | null> {
    throw new Error('not used');
  }

  watch<T extends KubeObject>(): Promise<WatchStream<T>> {
    throw new Error('not used');
  }
}

const state: KubeObject = {
  metadata: { name: 'n1', namespace: NS, annotations: { 'sriovnetwork.openshift.io/desired-state': 'Idle', 'sriovnetwork.openshift.io/current-state': 'Idle' } },
  spec: { interfaces: [{ pciAddress: '0000:3b:00.1', numVfs: 1, vfGroups: [{ resourceName: 'cu_mh', deviceType: 'netdevice', vfRange: '0-0' }] }] },
  status: {
    syncStatus: 'Succeeded',
    interfaces: [{ name: 'ens2f1', pciAddress: '0000:3b:00.1', numVfs: 1, totalvfs: 64, Vfs: [{ vfID: 0, pciAddress: '0000:3b:0a.0', driver: 'iavf', Vlan: 400 }] }],
  },
};
const network = (name: string, ipam: string): KubeObject => ({ metadata: { name, namespace: NS }, spec: { resourceName: 'cu_mh', networkNamespace: 'cu-vcu', vlan: 400, ipam } });

function setup() {
  const good = new FakeCluster(
    'regional-east',
    new Map([
      ['sriovnetworknodestates', [state]],
      ['sriovnetworks', [network('cu-mh-net', BROKEN), network('upf-n3-net', '{"type":"static"}')]],
      ['nodes', [{ metadata: { name: 'n1' }, status: { allocatable: { 'openshift.io/cu_mh': '1' } } }]],
      ['pods', []],
    ]),
  );
  const plain = new FakeCluster('regional-k8s', null);
  const down = new FakeCluster('edge-down', new Map());
  down.failure = new ClusterError('CLUSTER_UNREACHABLE', 'edge-down', 'cluster edge-down unreachable: connect ECONNREFUSED');
  const clusters = new Map([good, plain, down].map((c) => [c.name, c]));
  const client = (name: string) => {
    const c = clusters.get(name);
    if (!c) throw unknownCluster(name);
    return c;
  };
  // Caches never synced: every read-through is a LIST against the fake (404 = kind not served = null).
  const caches = {
    readThrough: async (cluster: string, ref: ResourceRef) => {
      try {
        return (await client(cluster).list(ref)).items;
      } catch (err) {
        if (err instanceof ClusterError && err.httpStatus === 404) return null;
        throw err;
      }
    },
    epoch: () => undefined, // no memo: every summary reads
  } as unknown as WatchCacheRegistry;
  const reader = new SriovReader({ client }, caches);
  const registry = { has: (name: string) => clusters.has(name), client } as unknown as ClusterRegistry;
  const kube = createKubeLoaders({ client });
  const context: SriovContext = { registry, watchCaches: caches, kube, principal: ANONYMOUS_PRINCIPAL, reader, summary: new SriovSummary(reader, caches), loaders: createSriovLoaders(reader, kube), renew: () => undefined };
  const schema = buildSubgraphSchema([
    { typeDefs: parse(readFileSync('schema/sriov.graphql', 'utf8')), resolvers: resolvers as GraphQLResolverMap<unknown> },
  ]);
  const run = (query: string) => execute({ schema, document: parse(query), contextValue: context }) as Promise<ExecutionResult<Record<string, any>>>;
  return { run, good, plain, down };
}

const CLUSTERS = `query {
  _entities(representations: [
    { __typename: "Cluster", name: "regional-east" }, { __typename: "Cluster", name: "regional-k8s" }, { __typename: "Cluster", name: "edge-down" }
  ]) { ... on Cluster { name sriov { nodesTotal networks { name ipamText ipam vlan } } } }
}`;

describe('sriov resolvers', () => {
  it('fails only the ipam field of a network whose ipam is not JSON, and keeps its text', async () => {
    const { run } = setup();
    const res = await run(CLUSTERS);
    const east = res.data!._entities[0];
    expect(east.sriov.nodesTotal).toBe(1);
    const [broken, fine] = east.sriov.networks;
    expect(broken).toEqual({ name: 'cu-mh-net', ipamText: BROKEN, ipam: null, vlan: 400 });
    expect(fine).toEqual({ name: 'upf-n3-net', ipamText: '{"type":"static"}', ipam: { type: 'static' }, vlan: 400 });
    const ipamErrors = res.errors!.filter((e) => e.path?.includes('ipam'));
    expect(ipamErrors).toHaveLength(1);
    expect(ipamErrors[0].path).toEqual(['_entities', 0, 'sriov', 'networks', 0, 'ipam']);
    expect(ipamErrors[0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', reason: 'InvalidJSON', cluster: 'regional-east' });
    expect(ipamErrors[0].message).toContain('cu-mh-net');
  });

  it('answers null without error for a cluster without the SR-IOV operator, and a coded error for an unreachable one', async () => {
    const { run } = setup();
    const res = await run(CLUSTERS);
    expect(res.data!._entities[1]).toEqual({ name: 'regional-k8s', sriov: null });
    expect(res.data!._entities[2]).toEqual({ name: 'edge-down', sriov: null });
    const others = res.errors!.filter((e) => !e.path?.includes('ipam'));
    expect(others).toHaveLength(1);
    expect(others[0].path).toEqual(['_entities', 2, 'sriov']);
    expect(others[0].extensions).toMatchObject({ code: 'CLUSTER_UNREACHABLE', cluster: 'edge-down' });
  });

  it('reads each kind once per cluster for many nodes and VFs in one request', async () => {
    const { run, good } = setup();
    const res = await run(`query {
      _entities(representations: [{ __typename: "Node", clusterName: "regional-east", name: "n1" }, { __typename: "Node", clusterName: "regional-east", name: "nx" }]) {
        ... on Node { name sriov { syncStatus vfs { allocated } resources { resource allocatable } physicalFunctions { vfs { vlan allocation { podName } } } } }
      }
      c: _entities(representations: [{ __typename: "Cluster", name: "regional-east" }]) { ... on Cluster { sriov { vfs { total allocated } resources { allocatable } } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0].sriov).toEqual({
      syncStatus: 'Succeeded',
      vfs: { allocated: 0 },
      resources: [{ resource: 'openshift.io/cu_mh', allocatable: 1 }],
      physicalFunctions: [{ vfs: [{ vlan: 400, allocation: null }] }],
    });
    expect(res.data!._entities[1].sriov).toBeNull();
    // resources: the Node and the policies say which resources exist, the NADs which resource a held VF is
    expect(good.requests.sort()).toEqual(['list network-attachment-definitions', 'list nodes', 'list pods', 'list sriovnetworknodepolicies', 'list sriovnetworknodestates']);
  });
});

describe('sriovSyncStatusChanged feed', () => {
  function fakeCaches() {
    const listeners = new Set<(o: KubeObject, old: KubeObject | undefined, change: WatchChange<KubeObject>) => void>();
    const fleetListeners = new Set<(change: WatchChange<KubeObject> & { cluster: string }) => void>();
    const cache = {
      on: (_type: string, l: (o: KubeObject, old: KubeObject | undefined, change: WatchChange<KubeObject>) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const caches = {
      cache: (cluster: string) => {
        if (cluster === 'nope') throw unknownCluster(cluster);
        return cache;
      },
      subscribe: (_ref: unknown, l: (change: WatchChange<KubeObject> & { cluster: string }) => void) => {
        fleetListeners.add(l);
        return () => fleetListeners.delete(l);
      },
    } as unknown as WatchCacheRegistry;
    const emit = (change: WatchChange<KubeObject>, cluster = 'c1') => {
      for (const l of listeners) l(change.object, change.old, change);
      for (const l of fleetListeners) l({ ...change, cluster });
    };
    return { caches, emit, listeners };
  }
  const withStatus = (name: string, syncStatus: string): KubeObject => ({ metadata: { name, namespace: NS }, status: { syncStatus } });

  it('turns real sync changes into events (not the initial list, not deletes, not other nodes)', async () => {
    const { caches, emit, listeners } = fakeCaches();
    const events = syncStatusChanges(caches, { cluster: 'c1', node: 'n1' }, { now: () => new Date(0) });
    emit({ type: 'add', object: withStatus('n1', 'Succeeded'), initial: true });
    emit({ type: 'update', object: withStatus('n2', 'InProgress'), old: withStatus('n2', 'Succeeded') });
    emit({ type: 'update', object: withStatus('n1', 'InProgress'), old: withStatus('n1', 'Succeeded') });
    emit({ type: 'delete', object: withStatus('n1', 'InProgress') });
    emit({ type: 'update', object: withStatus('n1', 'Succeeded'), old: withStatus('n1', 'InProgress') });
    const first = (await events.next()).value as SyncStatusEventModel;
    const second = (await events.next()).value as SyncStatusEventModel;
    expect([first.previousSyncStatus, first.syncStatus, second.previousSyncStatus, second.syncStatus]).toEqual(['Succeeded', 'InProgress', 'InProgress', 'Succeeded']);
    expect(first).toMatchObject({ clusterName: 'c1', nodeName: 'n1', time: new Date(0).toISOString() });
    await events.return!();
    expect(listeners.size).toBe(0);
  });

  it('follows every cluster without a cluster argument, and refuses an unknown cluster', async () => {
    const { caches, emit } = fakeCaches();
    const events = syncStatusChanges(caches, {});
    emit({ type: 'update', object: withStatus('n9', 'Failed'), old: withStatus('n9', 'InProgress') }, 'c2');
    expect((await events.next()).value).toMatchObject({ clusterName: 'c2', nodeName: 'n9', syncStatus: 'Failed' });
    await events.return!();
    expect(() => syncStatusChanges(caches, { cluster: 'nope' })).toThrow(ClusterError);
  });
});
