// The sriov subgraph through the gateway (and its subscription at the subgraph), over the simulated
// fleet: clusters without the operator, the one SriovNetwork whose ipam is not JSON, unreachable
// clusters, cost independent of node count, one watch per cluster whatever the subscribers, and the
// reconcile scenario failing on one node.
import { countRequests, startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { SimClient, type ApiJson } from '../helpers/sim-client.js';
import { subscribe, wsClient } from '../helpers/subscription-harness.js';

const STATES_KEY = 'sriovnetwork.openshift.io/sriovnetworknodestates';

let stack: TestStack;
let sim: SimClient;
beforeAll(async () => {
  stack = await startTestStack({ deadlineMs: 5000 });
  sim = new SimClient(stack.sim);
});
afterAll(async () => {
  sim?.close();
  await stack?.stop();
});
afterEach(async () => {
  for (const name of await stack.clusterNames()) await stack.control('DELETE', `/clusters/${name}/faults`);
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sriov through the gateway', () => {
  // Tests below rely on clusters nobody has read yet (cold watch caches): each test reads its own.
  it('answers null without error for clusters without the SR-IOV operator (hub, plain Kubernetes)', async () => {
    const res = await stack.query(`{ clusters(labels: [{ key: "site", op: IN, values: ["hub-1", "regional-west", "regional-east", "du-001"] }]) {
      name sriov { nodesTotal } nodes { name sriov { syncStatus } }
    } }`);
    expect(res.errors).toBeUndefined();
    const byName = new Map<string, ApiJson>(res.data.clusters.map((c: ApiJson) => [c.name, c]));
    for (const name of ['hub-1', 'regional-west']) {
      expect(byName.get(name).sriov).toBeNull();
      expect(byName.get(name).nodes.every((n: ApiJson) => n.sriov === null)).toBe(true);
    }
    expect(byName.get('regional-east').sriov.nodesTotal).toBe(4);
    expect(byName.get('du-001').nodes[0].sriov.syncStatus).toBe('Succeeded');
  });

  it('fails only the ipam of the SriovNetwork whose ipam is not JSON; its text, NAD absence and the rest still answer', async () => {
    const res = await stack.query(`{ cluster(name: "regional-east") { sriov {
      networks { name resourceName networkNamespace vlan ipamText ipam attachmentDefinition { namespace name resource } }
      policies { name resourceName numVfs priority deviceType nicSelector { pfNames vendor } nodeSelector { key value } }
    } } }`);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].path).toEqual(['cluster', 'sriov', 'networks', 0, 'ipam']);
    expect(res.errors![0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', reason: 'InvalidJSON', cluster: 'regional-east' });
    expect(res.errors![0].message).toMatch(/cu-mh-net.*not valid JSON/);
    const [broken, fine] = res.data.cluster.sriov.networks;
    const raw = (await sim.request('regional-east', '/apis/sriovnetwork.openshift.io/v1/namespaces/openshift-sriov-network-operator/sriovnetworks/cu-mh-net')).body;
    expect(broken).toEqual({
      name: 'cu-mh-net',
      resourceName: 'cu_mh',
      networkNamespace: 'cu-vcu',
      vlan: 400,
      ipamText: raw.spec.ipam,
      ipam: null,
      attachmentDefinition: null, // the operator rendered no NAD for it
    });
    expect(fine).toEqual({
      name: 'upf-n3-net',
      resourceName: 'upf_n3',
      networkNamespace: 'upf-core',
      vlan: 300,
      ipamText: '{"type":"static"}',
      ipam: { type: 'static' },
      attachmentDefinition: { namespace: 'upf-core', name: 'upf-n3-net', resource: 'openshift.io/upf_n3' },
    });
    expect(res.data.cluster.sriov.policies).toEqual([
      { name: 'upf-n3', resourceName: 'upf_n3', numVfs: 16, priority: 10, deviceType: 'vfio-pci', nicSelector: { pfNames: ['ens2f0'], vendor: '8086' }, nodeSelector: [{ key: 'feature.node.kubernetes.io/network-sriov.capable', value: 'true' }] },
      { name: 'cu-mh', resourceName: 'cu_mh', numVfs: 8, priority: 20, deviceType: 'netdevice', nicSelector: { pfNames: ['ens2f1#0-7'], vendor: '8086' }, nodeSelector: [{ key: 'feature.node.kubernetes.io/network-sriov.capable', value: 'true' }] },
    ]);
  });

  it('shows which UPF pod holds which VF across a multi-node cluster, as the pods’ network-status says', async () => {
    const res = await stack.query(`{ cluster(name: "regional-east") { sriov {
      nodesTotal nodesInSync vfs { total configured allocated free }
      resources { resource allocatable requested attached available }
      nodes { nodeName allocations { namespace podName interface pciAddress vf { vfID resourceName deviceType pfName } } }
    } } }`);
    expect(res.errors).toBeUndefined();
    const sriov = res.data.cluster.sriov;
    const pods = (await sim.request('regional-east', '/api/v1/namespaces/upf-core/pods')).body.items as ApiJson[];
    const held = pods.flatMap((p) =>
      JSON.parse(p.metadata.annotations['k8s.v1.cni.cncf.io/network-status'])
        .filter((e: ApiJson) => e['device-info']?.pci)
        .map((e: ApiJson) => [p.spec.nodeName, p.metadata.name, e.interface, e['device-info'].pci['pci-address']]),
    );
    const seen = sriov.nodes.flatMap((n: ApiJson) => n.allocations.map((a: ApiJson) => [n.nodeName, a.podName, a.interface, a.pciAddress]));
    expect(seen.sort()).toEqual(held.sort());
    expect(held).toHaveLength(4);
    for (const n of sriov.nodes) for (const a of n.allocations) expect(a.vf).toMatchObject({ resourceName: 'upf_n3', deviceType: 'vfio-pci', pfName: 'ens2f0' });
    expect(sriov).toMatchObject({ nodesTotal: 4, nodesInSync: 4, vfs: { total: 4 * 128, configured: 4 * 24, allocated: 4, free: 4 * 24 - 4 } });
    expect(sriov.resources).toEqual([
      { resource: 'openshift.io/cu_mh', allocatable: 4 * 8, requested: 0, attached: 0, available: 32 },
      { resource: 'openshift.io/upf_n3', allocatable: 4 * 16, requested: 4, attached: 4, available: 60 },
    ]);
  });

  it('costs the same requests for a 4-node cluster as for a single-node one: one LIST per kind, 0 for node states (pre-warmed)', async () => {
    const query = `{ a: cluster(name: "regional-east") { ...S } b: cluster(name: "du-002") { ...S } }
      fragment S on Cluster { nodes { sriov { syncStatus vfs { allocated } resources { allocatable } physicalFunctions { vfs { vlan allocation { podName } } } } } }`;
    // Node states were pre-warmed at start (one LIST + one WATCH per cluster, before this test): the
    // first query reads them from the shared cache. (Before pre-warm, a cold read LISTed them twice.)
    await stack.control('POST', '/counters/reset');
    expect((await stack.query(query)).errors).toBeUndefined();
    const cold = (await stack.counters())['du-002'];
    expect(cold[`list ${STATES_KEY}`]).toBeUndefined();
    expect(cold[`watch ${STATES_KEY}`]).toBeUndefined();
    expect(cold['list /pods']).toBe(1);

    const warm = await waitFor(async () => {
      await stack.control('POST', '/counters/reset');
      await stack.query(query);
      return stack.counters();
    }, (c) => !c['du-002']?.[`list ${STATES_KEY}`]);
    const cost = (name: string) => Object.fromEntries(Object.entries(warm[name] ?? {}).filter(([k]) => k !== 'list /nodes'));
    // resources: the policies say which resources a node has, the NADs which resource a held VF is
    expect(cost('regional-east')).toEqual({ 'list /pods': 1, 'list sriovnetwork.openshift.io/sriovnetworknodepolicies': 1, 'list k8s.cni.cncf.io/network-attachment-definitions': 1 });
    expect(cost('du-002')).toEqual(cost('regional-east'));
    for (const name of ['regional-east', 'du-002']) expect(warm[name]['list /nodes'] ?? 0).toBeLessThanOrEqual(2); // fleet + sriov; 0 when a nodes cache is warm
  });

  it('degrades an unreachable cluster to a null and a coded error, other clusters unaffected', async () => {
    // A cluster nobody has read yet.
    await stack.control('PUT', '/clusters/du-010/faults', { unreachable: true });
    const res = await stack.query('{ a: cluster(name: "du-010") { name sriov { nodesTotal } } b: cluster(name: "du-011") { sriov { nodesTotal } } }');
    expect(res.data.a).toEqual({ name: 'du-010', sriov: null });
    expect(res.data.b.sriov.nodesTotal).toBe(1);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['a', 'sriov'], extensions: { code: 'CLUSTER_UNREACHABLE', cluster: 'du-010' } });
  });

  it('stops answering from the watch cache once a warm cluster becomes unreachable', async () => {
    const query = '{ cluster(name: "du-001") { sriov { nodesTotal } } }';
    expect((await stack.query(query)).data.cluster.sriov.nodesTotal).toBe(1);
    await stack.control('PUT', '/clusters/du-001/faults', { unreachable: true });
    await stack.control('POST', '/clusters/du-001/drop-watches');
    const res = await waitFor(() => stack.query(query), (r) => Boolean(r.errors?.length));
    expect(res.data.cluster.sriov).toBeNull();
    expect(res.errors![0].extensions).toMatchObject({ code: 'CLUSTER_UNREACHABLE', cluster: 'du-001' });
  });
});

describe('sriovSyncStatusChanged at the sriov subgraph', () => {
  const url = () => stack.subgraphUrls.sriov.replace(/^http/, 'ws');

  it('opens one watch per cluster, whatever the number of subscribers', async () => {
    // Pre-warm opened the cluster's one node-state watch at start (stack-prewarm.test.ts counts it).
    await stack.control('POST', '/counters/reset');
    const client = wsClient(url(), { connectionParams: stack.asGateway });
    try {
      const subs = [0, 1, 2].map(() => subscribe(client, 'subscription { sriovSyncStatusChanged(cluster: "du-012") { syncStatus } }'));
      const fleetWide = subscribe(client, 'subscription { sriovSyncStatusChanged(node: "du-012-sno") { syncStatus } }');
      // Every subscriber is running on the shared cache: a watch (or LIST) per subscriber would show here.
      await waitFor(async () => (await subgraphHealth(stack, 'sriov')).subscriptions, (n) => n >= 4);
      const counters = await stack.counters();
      expect(countRequests(counters, `watch ${STATES_KEY}`)['du-012']).toBeUndefined();
      expect(countRequests(counters, `list ${STATES_KEY}`)['du-012']).toBeUndefined();
      for (const s of [...subs, fleetWide]) s.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('reports InProgress then Succeeded per node, and Failed with lastSyncError on the failing node', async () => {
    const client = wsClient(url(), { connectionParams: stack.asGateway });
    try {
      const all = subscribe(client, 'subscription { sriovSyncStatusChanged(cluster: "regional-east") { nodeName syncStatus lastSyncError changes } }');
      const one = subscribe(client, 'subscription { sriovSyncStatusChanged(cluster: "regional-east", node: "regional-east-node-1") { nodeName syncStatus } }');
      await waitFor(async () => (await subgraphHealth(stack, 'sriov')).subscriptions, (n) => n >= 2);
      // A query answered from the same watch cache returns once it has listed; the watch goes on from there.
      expect((await stack.query('{ cluster(name: "regional-east") { sriov { nodesTotal } } }')).data.cluster.sriov.nodesTotal).toBe(4);
      await stack.control('POST', '/scenarios/sriov-policy-reconcile', { cluster: 'regional-east', policy: 'upf-n3', failNode: 'regional-east-node-3', timeScale: 10 });
      // 4 nodes × (InProgress, Draining, DrainComplete, final)
      const events = (await all.next(16, 10_000)).map((e) => e.data!.sriovSyncStatusChanged as ApiJson);
      const final = new Map(events.filter((e) => e.changes.includes('SYNC_STATUS') && e.syncStatus !== 'InProgress').map((e) => [e.nodeName, e]));
      expect(final.get('regional-east-node-3')).toMatchObject({ syncStatus: 'Failed', changes: expect.arrayContaining(['SYNC_STATUS', 'SYNC_ERROR']) });
      expect(final.get('regional-east-node-3').lastSyncError).toMatch(/device or resource busy/);
      for (const node of ['regional-east-node-0', 'regional-east-node-1', 'regional-east-node-2']) expect(final.get(node)).toMatchObject({ syncStatus: 'Succeeded', lastSyncError: null });
      const firsts = new Map<string, string>();
      for (const e of events) if (!firsts.has(e.nodeName)) firsts.set(e.nodeName, e.syncStatus);
      expect([...firsts.values()]).toEqual(['InProgress', 'InProgress', 'InProgress', 'InProgress']);
      const nodeOne = (await one.next(4, 5000)).map((e) => e.data!.sriovSyncStatusChanged as ApiJson);
      expect(nodeOne.every((e) => e.nodeName === 'regional-east-node-1')).toBe(true);

      const after = await stack.query('{ cluster(name: "regional-east") { sriov { nodesOutOfSync outOfSyncNodes { nodeName syncStatus lastSyncError } } } }');
      expect(after.data.cluster.sriov.nodesOutOfSync).toBe(1);
      expect(after.data.cluster.sriov.outOfSyncNodes[0]).toMatchObject({ nodeName: 'regional-east-node-3', syncStatus: 'Failed' });
      all.dispose();
      one.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('refuses an unknown cluster with NOT_FOUND', async () => {
    const client = wsClient(url(), { connectionParams: stack.asGateway });
    try {
      const sub = subscribe(client, 'subscription { sriovSyncStatusChanged(cluster: "nope") { syncStatus } }');
      await sub.ended();
      const [event] = sub.events;
      const errors = (event?.errors ?? (sub.errors[0] as { message?: string }[] | undefined)) as { message: string; extensions?: Record<string, unknown> }[];
      expect(errors[0].message).toContain('unknown cluster "nope"');
      expect(errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', cluster: 'nope' });
    } finally {
      await client.dispose();
    }
  });
});
