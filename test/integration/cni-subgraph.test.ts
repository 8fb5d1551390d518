// The cni subgraph through the gateway over the simulated demo fleet: primary plugin per cluster as the
// simulator serves it, NADs (one with an invalid config), a vDU's networks against its annotations and
// joined to the sriov subgraph's VF, cni-sandbox-failure seen by subscribers and the fleet-wide query,
// cost independent of pods per cluster, one Events watch per cluster, 410 recovery, and coded errors.
import { countRequests, startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { SimClient, type ApiJson } from '../helpers/sim-client.js';
import { subscribe, wsClient } from '../helpers/subscription-harness.js';
import { waitUntil } from '../helpers/wait.js';

let stack: TestStack;
let sim: SimClient;
beforeAll(async () => {
  // No PTP metric snapshots: their background refreshes are pod-proxy reads (the linuxptp daemon's
  // metrics) that would land in the per-cluster request counts below on a slow machine.
  stack = await startTestStack({ settings: { metricsMaxAgeMs: 0 } });
  sim = new SimClient(stack.sim);
});
afterAll(async () => {
  sim?.close();
  await stack?.stop();
});
afterEach(async () => {
  for (const name of await stack.clusterNames()) await stack.control('DELETE', `/clusters/${name}/faults`);
});

const wsUrl = () => stack.gatewayUrl.replace(/^http/, 'ws');
const annotationsOf = async (cluster: string, ns: string, pod: string): Promise<Record<string, string>> =>
  (await sim.request(cluster, `/api/v1/namespaces/${ns}/pods/${pod}`)).body.metadata.annotations;

describe('Cluster.network', () => {
  it('gives every cluster the primary plugin the simulator serves, with the rule used', async () => {
    const res = await stack.query(`{ clusters { name network { primaryPlugin detectedBy rule multus { running rule } podNetworks { cidr } } } }`);
    expect(res.errors).toBeUndefined();
    const plugins = new Set<string>();
    for (const c of res.data.clusters) {
      const network = (await sim.request(c.name, '/apis/config.openshift.io/v1/networks/cluster')).body;
      const daemonSets = ((await sim.request(c.name, '/apis/apps/v1/daemonsets')).body.items as ApiJson[]).map((d) => d.metadata.name);
      const expected =
        network?.status?.networkType === 'OVNKubernetes' ? 'OVN_KUBERNETES' : daemonSets.includes('calico-node') ? 'CALICO' : daemonSets.includes('cilium') ? 'CILIUM' : 'UNKNOWN';
      expect([c.name, c.network.primaryPlugin]).toEqual([c.name, expected]);
      plugins.add(c.network.primaryPlugin);
      if (expected === 'OVN_KUBERNETES') expect(c.network).toMatchObject({ detectedBy: 'OPENSHIFT_NETWORK_STATUS', rule: 'config.openshift.io Network cluster status.networkType=OVNKubernetes' });
      expect(c.network.multus.running).toBe(daemonSets.includes('multus') || daemonSets.includes('kube-multus-ds'));
    }
    expect(plugins).toEqual(new Set(['OVN_KUBERNETES', 'CALICO', 'CILIUM']));
    const byName = new Map<string, ApiJson>(res.data.clusters.map((c: ApiJson) => [c.name, c]));
    expect(byName.get('regional-west').network).toMatchObject({ detectedBy: 'DAEMONSET', rule: 'DaemonSet calico-system/calico-node', podNetworks: [{ cidr: '192.168.0.0/16' }] });
    expect(byName.get('regional-east-2').network).toMatchObject({ rule: 'DaemonSet kube-system/cilium', multus: { running: true, rule: 'DaemonSet kube-system/kube-multus-ds' } });
  });

  it('lists NADs parsed; the invalid config fails only its own field; no Multus means an empty list', async () => {
    const res = await stack.query(`{
      cilium: cluster(name: "regional-east-2") { network { attachmentDefinitions { namespace name configText config { kind type networkName plugins { type } ipam { type ranges { rangeStart rangeEnd size } } } } } }
      calico: cluster(name: "regional-west") { network { attachmentDefinitions { name } } }
      edge: cluster(name: "du-001") { network { attachmentDefinitions(namespace: "du-vdu") { name resourceName config { type ipam { type ranges { subnet size } } } } } }
    }`);
    expect(res.errors).toHaveLength(1);
    const nads = res.data.cilium.network.attachmentDefinitions as ApiJson[];
    const broken = nads.findIndex((n) => n.name === 'f1u-macvlan');
    expect(res.errors![0]).toMatchObject({ path: ['cilium', 'network', 'attachmentDefinitions', broken, 'config'], extensions: { code: 'UPSTREAM_ERROR', reason: 'InvalidNadConfig', cluster: 'regional-east-2' } });
    expect(res.errors![0].message).toMatch(/NetworkAttachmentDefinition cu-vcu\/f1u-macvlan: spec\.config is not valid JSON/);
    expect(nads[broken].configText).toBe((await sim.request('regional-east-2', '/apis/k8s.cni.cncf.io/v1/namespaces/cu-vcu/network-attachment-definitions/f1u-macvlan')).body.spec.config);
    expect(nads.find((n) => n.name === 'n4-conflist').config).toMatchObject({ kind: 'CONFLIST', type: 'macvlan', networkName: 'n4', plugins: [{ type: 'macvlan' }, { type: 'tuning' }] });
    expect(nads.find((n) => n.name === 'f1c-macvlan').config.ipam).toEqual({ type: 'whereabouts', ranges: [{ rangeStart: '10.50.1.10', rangeEnd: '10.50.1.50', size: 41 }] });
    expect(res.data.calico.network.attachmentDefinitions).toEqual([]);
    expect(res.data.edge.network.attachmentDefinitions).toEqual([
      { name: 'du-fh-net', resourceName: 'openshift.io/du_fh', config: { type: 'sriov', ipam: { type: null, ranges: [] } } },
      { name: 'du-mh-net', resourceName: 'openshift.io/du_mh', config: { type: 'sriov', ipam: { type: 'host-local', ranges: [{ subnet: '192.168.20.0/24', size: 91 }] } } },
    ]);
  });
});

describe('Pod.networks', () => {
  const POD_NETWORKS = `networks { requestForm statusAnnotation complete
    requested { name namespace interface attachmentDefinition { name } attachment { name interface } }
    attached { name interface ips mac default pciAddress vf { nodeName pciAddress vfID vlan driver } }
    missing { name } }`;

  it('matches the vDU’s annotations (both request forms) and joins each SR-IOV interface to its VF', async () => {
    for (const site of ['du-001', 'du-002', 'du-009']) {
      const res = await stack.query(`{ cluster(name: "${site}") { pods(namespace: "du-vdu") { name ${POD_NETWORKS} } } }`);
      expect(res.errors).toBeUndefined();
      const [pod] = res.data.cluster.pods;
      const annotations = await annotationsOf(site, 'du-vdu', 'vdu-0');
      const status = JSON.parse(annotations['k8s.v1.cni.cncf.io/network-status']) as ApiJson[];
      const request = annotations['k8s.v1.cni.cncf.io/networks'];
      expect(pod.networks.requestForm).toBe(request.startsWith('[') ? 'JSON' : 'LIST');
      expect(pod.networks.statusAnnotation).toBe('NETWORK_STATUS');
      expect(pod.networks.attached.map((a: ApiJson) => [a.name, a.interface, a.ips, a.mac, a.default, a.pciAddress])).toEqual(
        status.map((s) => [s.name, s.interface, s.ips ?? [], s.mac ?? null, s.default === true, s['device-info']?.pci?.['pci-address'] ?? null]),
      );
      expect(pod.networks.requested.map((r: ApiJson) => `${r.namespace}/${r.name}@${r.attachment.interface}`)).toEqual([
        'du-vdu/du-fh-net@net1',
        'du-vdu/du-fh-net@net2',
        'du-vdu/du-mh-net@net3',
      ]);
      expect(pod.networks).toMatchObject({ complete: true, missing: [] });
      expect(pod.networks.requested.every((r: ApiJson) => r.attachmentDefinition.name === r.name)).toBe(true);
      const state = (await sim.request(site, `/apis/sriovnetwork.openshift.io/v1/namespaces/openshift-sriov-network-operator/sriovnetworknodestates/${site}-sno`)).body;
      const vfs = (state.status.interfaces as ApiJson[]).flatMap((i) => i.Vfs ?? []);
      for (const a of pod.networks.attached.filter((x: ApiJson) => x.pciAddress)) {
        const vf = vfs.find((v) => v.pciAddress === a.pciAddress);
        expect(a.vf).toEqual({ nodeName: `${site}-sno`, pciAddress: a.pciAddress, vfID: vf.vfID, vlan: vf.Vlan, driver: vf.driver });
      }
    }
  });

  it('reads the old networks-status alone (bare names), and pods without Multus', async () => {
    const res = await stack.query(`{
      east: cluster(name: "regional-east") { pods(namespace: "ran-oam") { name ${POD_NETWORKS} } }
      west: cluster(name: "regional-west") { pods(namespace: "5g-core") { name ${POD_NETWORKS} } }
    }`);
    expect(res.errors).toBeUndefined();
    const oru = res.data.east.pods[0];
    expect(oru.networks).toMatchObject({ requestForm: 'LIST', statusAnnotation: 'NETWORKS_STATUS_LEGACY', complete: true });
    expect(oru.networks.requested).toEqual([{ name: 'oam-bridge', namespace: 'ran-oam', interface: null, attachmentDefinition: { name: 'oam-bridge' }, attachment: { name: 'oam-bridge', interface: 'net1' } }]);
    for (const p of res.data.west.pods) expect(p.networks).toEqual({ requestForm: null, statusAnnotation: null, complete: true, requested: [], attached: [], missing: [] });
  });
});

describe('cost', () => {
  const QUERY = (site: string) => `{ cluster(name: "${site}") {
    network { primaryPlugin attachmentDefinitions { name } events(limit: 3) { reason nodeName } }
    pods { name networks { complete attached { vf { pciAddress } } } networkReadiness { secondsToNetworks } networkEvents(limit: 2) { category nodeName } }
  } }`;

  it('is one read per cluster per kind, the same with 40 more pods on the cluster', async () => {
    const extra = (i: number) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `load-${i}`, namespace: 'du-vdu', annotations: { 'k8s.v1.cni.cncf.io/networks': 'du-mh-net' } },
      spec: { nodeName: 'du-011-sno', containers: [{ name: 'c', image: 'registry.example.com/load:1' }] },
    });
    for (let i = 0; i < 40; i++) expect((await sim.request('du-011', '/api/v1/namespaces/du-vdu/pods', { method: 'POST', body: extra(i) })).status).toBe(201);
    const costs: Record<string, Record<string, number>> = {};
    for (const site of ['du-010', 'du-011']) {
      await stack.control('POST', '/counters/reset');
      const res = await stack.query(QUERY(site));
      expect(res.errors).toBeUndefined();
      costs[site] = (await stack.counters())[site];
    }
    expect(costs['du-011']).toEqual(costs['du-010']);
    // At most one read per kind per subgraph fetch of the plan (fleet: the pods; cni: the Cluster entity,
    // the Pod entities), whatever the number of pods.
    for (const [key, n] of Object.entries(costs['du-010'])) expect([key, n <= 3]).toEqual([key, true]);
    // Pods are read per request; Events and NADs come from the pre-warmed watch caches: no request.
    expect(Object.keys(costs['du-010'])).toEqual(expect.arrayContaining(['list /pods']));
    expect(Object.keys(costs['du-010'])).not.toEqual(expect.arrayContaining(['list /events']));
    expect(Object.keys(costs['du-010'])).not.toEqual(expect.arrayContaining(['list k8s.cni.cncf.io/network-attachment-definitions']));
  });
});

describe('the Events watch', () => {
  it('is one per cluster whatever the number of subscribers (the pre-warmed one), and survives 410 Gone and dropped watches', async () => {
    const client = wsClient(wsUrl());
    try {
      const before = (await subgraphHealth(stack, 'cni')).subscriptions;
      await stack.control('POST', '/counters/reset');
      const subs = [0, 1, 2].map(() => subscribe(client, 'subscription { podNetworkEvent(cluster: "du-012") { reason count } }'));
      // (the gateway may share one upstream subscription among identical ones)
      await waitUntil('the subscription on the cni subgraph', async () => (await subgraphHealth(stack, 'cni')).subscriptions >= before + 1 || undefined);
      // Pre-warmed at start: the subscribers open no watch of their own.
      expect(countRequests(await stack.counters(), 'watch /events')['du-012'] ?? 0).toBe(0);

      await stack.control('POST', '/clusters/du-012/compact');
      await stack.control('POST', '/clusters/du-012/drop-watches');
      await stack.control('POST', '/scenarios/cni-sandbox-failure', { cluster: 'du-012', timeScale: 20 });
      for (const s of subs) await s.next(1, 15_000);
      expect(subs.every((s) => s.errors.length === 0)).toBe(true);
      // The dropped watch came back once for all three (a 410 on resuming may take one more attempt).
      const watches = countRequests(await stack.counters(), 'watch /events')['du-012'] ?? 0;
      expect(watches).toBeGreaterThanOrEqual(1);
      expect(watches).toBeLessThanOrEqual(2);
    } finally {
      await client.dispose();
    }
  });
});

describe('cni-sandbox-failure', () => {
  it('reaches subscribers correlated (category, NAD, node), is listed fleet-wide, and leaves the pod complete', async () => {
    const client = wsClient(wsUrl());
    try {
      // The previous test's subscribers are gone first, so the count below is this test's own.
      const before = await waitUntil('no subscription left on the cni subgraph', async () => ((await subgraphHealth(stack, 'cni')).subscriptions === 0 ? 0 : undefined));
      const one = subscribe(client, `subscription { podNetworkEvent(cluster: "du-007", categories: [IPAM_EXHAUSTED, NAD_MISSING]) {
        clusterName podName nodeName node { name } category rule nadNamespace nadName plugin ipamPlugin count reason pod { name phase } } }`);
      const fleetWide = subscribe(client, 'subscription { podNetworkEvent(namespace: "du-vdu") { clusterName category } }');
      await waitUntil('both subscriptions on the cni subgraph', async () => (await subgraphHealth(stack, 'cni')).subscriptions >= before + 2 || undefined);
      await stack.control('POST', '/scenarios/cni-sandbox-failure', { cluster: 'du-007', timeScale: 10 });

      const exhausted = await waitUntil('an IPAM_EXHAUSTED event', () => one.events.map((e) => e.data!.podNetworkEvent as ApiJson).find((e) => e.category === 'IPAM_EXHAUSTED'));
      expect(exhausted).toMatchObject({
        clusterName: 'du-007',
        podName: 'vdu-0',
        nodeName: 'du-007-sno',
        node: { name: 'du-007-sno' },
        reason: 'FailedCreatePodSandBox',
        rule: 'message: host-local: no IP addresses available in range set',
        nadNamespace: 'du-vdu',
        nadName: 'du-mh-net',
        plugin: 'sriov',
        ipamPlugin: 'host-local',
        pod: { name: 'vdu-0', phase: 'Pending' },
      });
      const during = await stack.query(`{ cluster(name: "du-007") { pods(namespace: "du-vdu") { networks { complete missing { name } } networkReadiness { pending } } } }`);
      expect(during.data.cluster.pods[0]).toEqual({ networks: { complete: false, missing: [{ name: 'du-fh-net' }, { name: 'du-fh-net' }, { name: 'du-mh-net' }] }, networkReadiness: { pending: true } });

      const missing = await waitUntil('a NoNetworkFound event', () => one.events.map((e) => e.data!.podNetworkEvent as ApiJson).find((e) => e.reason === 'NoNetworkFound'));
      expect(missing).toMatchObject({ category: 'NAD_MISSING', nadName: 'du-mh-net', nodeName: 'du-007-sno', plugin: 'multus' });
      await waitUntil('the fleet-wide subscriber’s du-007 event', () => fleetWide.events.some((e) => (e.data!.podNetworkEvent as ApiJson).clusterName === 'du-007') || undefined);

      const listed = await stack.query(`{ cniEvents(clusters: ["du-007", "du-008"], categories: [NAD_MISSING, IPAM_EXHAUSTED]) { clusterName podName nodeName category network nadName count lastTime } }`);
      expect(listed.errors).toBeUndefined();
      const events = listed.data.cniEvents as ApiJson[];
      expect(new Set(events.map((e) => e.category))).toEqual(new Set(['NAD_MISSING', 'IPAM_EXHAUSTED']));
      expect(events.every((e) => e.clusterName === 'du-007' && e.nodeName === 'du-007-sno' && e.network.endsWith('du-mh-net'))).toBe(true);
      // While the NAD is deleted, only the Events that name it as `<ns>/<nad>` say which NAD it was.
      expect(events.filter((e) => e.category === 'NAD_MISSING').every((e) => e.nadName === 'du-mh-net')).toBe(true);
      const times = events.map((e) => Date.parse(e.lastTime));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const after = await waitUntil('the vDU networks complete again', async () => {
        const r = await stack.query(`{ cluster(name: "du-007") { pods(namespace: "du-vdu") { networks { complete attached { interface ips } } networkReadiness { pending measuredBy interfacesAdded } } } }`);
        const pod = r.data?.cluster.pods[0];
        // The pod and its Events are read independently (a LIST and the Events watch): wait for both.
        return pod?.networks.complete && !pod.networkReadiness.pending ? pod : undefined;
      }, 30_000);
      expect(after.networkReadiness).toEqual({ pending: false, measuredBy: 'ADDED_INTERFACE', interfacesAdded: 4 });
      expect(after.networks.attached.find((a: ApiJson) => a.interface === 'net3').ips).toEqual(['192.168.26.101']);
    } finally {
      await client.dispose();
    }
  });
});

describe('errors', () => {
  it('NOT_FOUND for an unknown cluster, BAD_USER_INPUT for a bad limit or category', async () => {
    const unknown = await stack.query('{ cniEvents(clusters: ["nope"]) { id } }');
    expect(unknown.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND', cluster: 'nope' }) })]);
    const limit = await stack.query('{ cniEvents(limit: 5000) { id } }');
    expect(limit.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const category = await stack.query('query ($c: [CniEventCategory!]) { cniEvents(categories: $c) { id } }', { c: ['NOPE'] });
    expect(category.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const since = await stack.query('{ cniEvents(since: "yesterday") { id } }');
    expect(since.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });

    const client = wsClient(wsUrl());
    try {
      const sub = subscribe(client, 'subscription { podNetworkEvent(cluster: "nope") { id } }');
      await sub.ended();
      expect(JSON.stringify(sub.errors)).toMatch(/NOT_FOUND/);
    } finally {
      await client.dispose();
    }
  });

  it('degrades an unreachable cluster to a null and one coded error; the others answer', async () => {
    await stack.control('PUT', '/clusters/du-003/faults', { unreachable: true });
    const listed = await stack.query('{ cniEvents(clusters: ["du-003", "du-004"], limit: 1000) { clusterName } }');
    const events = listed.data.cniEvents as (ApiJson | null)[];
    expect(events[events.length - 1]).toBeNull();
    expect(events.slice(0, -1).length).toBeGreaterThan(0);
    expect(events.slice(0, -1).every((e) => e!.clusterName === 'du-004')).toBe(true);
    expect(listed.errors).toEqual([expect.objectContaining({ path: ['cniEvents', events.length - 1], extensions: expect.objectContaining({ code: 'CLUSTER_UNREACHABLE', cluster: 'du-003' }) })]);
    // Once the cluster is known to be down, its watch caches no longer answer either.
    const res = await stack.query('{ a: cluster(name: "du-003") { network { primaryPlugin } } b: cluster(name: "du-002") { network { primaryPlugin } } }');
    expect(res.data.a.network).toBeNull();
    expect(res.data.b.network.primaryPlugin).toBe('OVN_KUBERNETES');
    expect(res.errors).toEqual([expect.objectContaining({ path: ['a', 'network'], extensions: expect.objectContaining({ code: 'CLUSTER_UNREACHABLE', cluster: 'du-003' }) })]);
  });
});

describe('cniSummary', () => {
  it('sums per primary plugin: clusters, readiness, missing networks', async () => {
    const res = await stack.query('{ cniSummary(clusters: ["du-001", "du-006", "regional-west", "regional-east-2"]) { plugin clusterNames podsWithMissingNetworks failureEvents readinessMax clusters { name } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.cniSummary.map((s: ApiJson) => [s.plugin, s.clusterNames])).toEqual([
      ['OVN_KUBERNETES', ['du-001', 'du-006']],
      ['CALICO', ['regional-west']],
      ['CILIUM', ['regional-east-2']],
    ]);
    // du-006 is the slow site: its vDU took 42 s from scheduled to its last interface.
    expect(res.data.cniSummary[0].readinessMax).toBe(42);
    expect(res.data.cniSummary[0].clusters).toEqual([{ name: 'du-001' }, { name: 'du-006' }]);
  });
});
