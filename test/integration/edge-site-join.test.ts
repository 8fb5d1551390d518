// Issue 6 acceptance, as a NOC engineer sees it through the gateway: one query per edge site joins the
// clock state (timing), VF allocation and sync status (sriov) and the vDU's DPDK drop counters (dpdk),
// each answered by its own subgraph through entity resolution; values equal what the API server and
// the pod proxy show; cost grows with clusters, not nodes or pods; the sriov-policy-reconcile scenario
// is seen InProgress → Succeeded through a subscription; dpdk-drop makes imissed and rx_nombuf climb.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parsePrometheusText } from '../../subgraphs/metrics/text-format.js';
import { SUPERGRAPH_PATH } from '../../lib/paths.js';
import { SimClient, type ApiJson } from '../helpers/sim-client.js';
import { startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { subscribe, wsClient } from '../helpers/subscription-harness.js';

const SITE_QUERY = `query EdgeSite($site: ID!) {
  cluster(name: $site) {
    name
    nodes {
      name
      ptp { syncState clockClass }
      sriov {
        syncStatus desiredState currentState lastSyncError
        vfs { total configured allocated free }
        resources { resource capacity allocatable requested attached available }
        allocations { podName interface network pciAddress vf { vfID driver vlan pfName resourceName } }
      }
    }
    pods(namespace: "du-vdu", labelSelector: "app.kubernetes.io/name=vdu") {
      name
      dpdk {
        totals { imissed rx_nombuf ierrors oerrors drops }
        rates { imissed rx_nombuf windowSeconds since }
        ports { portId pciAddress network { name interface } vf { vfID driver vlan } stats { ipackets imissed rx_nombuf ierrors } }
      }
    }
  }
}`;

const NODE_STATES = '/apis/sriovnetwork.openshift.io/v1/namespaces/openshift-sriov-network-operator/sriovnetworknodestates';
const STAT_FIELDS = ['ipackets', 'imissed', 'rx_nombuf', 'ierrors'] as const;

let stack: TestStack;
let sim: SimClient;
beforeAll(async () => {
  stack = await startTestStack({ deadlineMs: 5000 });
  sim = new SimClient(stack.sim);
  clusterNames = await stack.clusterNames();
});
afterAll(async () => {
  sim?.close();
  await stack?.stop();
});

async function site(name: string): Promise<ApiJson> {
  const res = await stack.query(SITE_QUERY, { site: name });
  expect(res.errors).toBeUndefined();
  return res.data.cluster;
}

/** `/ethdev/stats,<port>` of the vDU read straight through the pod proxy, as `kubectl get --raw` would. */
async function proxyStats(cluster: string, port: number): Promise<Record<string, number>> {
  const res = await sim.request(cluster, `/api/v1/namespaces/du-vdu/pods/vdu-0:9876/proxy/telemetry/ethdev/stats,${port}`);
  expect(res.status).toBe(200);
  return res.body['/ethdev/stats'];
}

let clusterNames: string[] = [];
const edgeSites = () => clusterNames.filter((n) => n.startsWith('du-'));

describe('one query per edge site', () => {
  it('is planned as a fleet fetch plus entity fetches to timing, sriov and dpdk (and dpdk → sriov for the VF)', () => {
    const supergraph = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    const plan = new QueryPlanner(supergraph).buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(SITE_QUERY)));
    const fetches: { serviceName: string; operation: string }[] = [];
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as { kind?: string; serviceName?: string; operation?: string };
      if (n.kind === 'Fetch') fetches.push({ serviceName: n.serviceName!, operation: n.operation! });
      for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
    };
    walk(plan);
    const entityFetch = (service: string, type: string) =>
      fetches.some((f) => f.serviceName === service && f.operation.includes('_entities') && new RegExp(`\\.\\.\\.\\s*on\\s+${type}\\b`).test(f.operation));
    expect(fetches.some((f) => f.serviceName === 'fleet' && !f.operation.includes('_entities'))).toBe(true);
    expect(entityFetch('timing', 'Node')).toBe(true);
    expect(entityFetch('sriov', 'Node')).toBe(true);
    expect(entityFetch('dpdk', 'Pod')).toBe(true);
    expect(entityFetch('sriov', 'SriovVirtualFunction')).toBe(true);
  });

  it('joins clock state, VF allocation, sync status and DPDK drops with the values the API and the pod proxy show', async () => {
    for (const name of edgeSites()) {
      const node = `${name}-sno`;
      const before = [await proxyStats(name, 0), await proxyStats(name, 1)];
      const answer = await site(name);
      const after = [await proxyStats(name, 0), await proxyStats(name, 1)];

      // timing: the linuxptp daemon's own metrics page through the pod proxy.
      const daemons = await sim.request(name, '/api/v1/namespaces/openshift-ptp/pods?labelSelector=app%3Dlinuxptp-daemon');
      const daemon = daemons.body.items.find((p: ApiJson) => p.spec.nodeName === node);
      const page = await sim.request(name, `/api/v1/namespaces/openshift-ptp/pods/${daemon.metadata.name}:9091/proxy/metrics`);
      const samples = parsePrometheusText(page.text).samples;
      const clockClass = samples.find((s) => s.name === 'openshift_ptp_clock_class' && s.labels.process === 'ptp4l')!.value;
      const states = samples.filter((s) => s.name === 'openshift_ptp_clock_state').map((s) => s.value);
      const [n] = answer.nodes;
      expect(n.ptp.clockClass).toBe(clockClass);
      expect(states.length).toBeGreaterThan(0);
      expect(states.every((v) => v === 1)).toBe(true); // 1 is LOCKED in both encodings
      expect(n.ptp.syncState).toBe('LOCKED');

      // sriov: the node state, the Node's allocatable and the pod's network-status as the API serves them.
      const state = (await sim.request(name, `${NODE_STATES}/${node}`)).body;
      const nodeObj = (await sim.request(name, `/api/v1/nodes/${node}`)).body;
      const vdu = (await sim.request(name, '/api/v1/namespaces/du-vdu/pods/vdu-0')).body;
      expect(n.sriov.syncStatus).toBe(state.status.syncStatus);
      expect(n.sriov.currentState).toBe(state.metadata.annotations['sriovnetwork.openshift.io/current-state']);
      const pfs = state.status.interfaces as ApiJson[];
      expect(n.sriov.vfs.total).toBe(pfs.reduce((s, pf) => s + (pf.totalvfs ?? 0), 0));
      expect(n.sriov.vfs.configured).toBe(pfs.reduce((s, pf) => s + (pf.numVfs ?? 0), 0));
      const held = JSON.parse(vdu.metadata.annotations['k8s.v1.cni.cncf.io/network-status'])
        .filter((e: ApiJson) => e['device-info']?.pci)
        .map((e: ApiJson) => e['device-info'].pci['pci-address']);
      expect(n.sriov.allocations.map((a: ApiJson) => a.pciAddress).sort()).toEqual([...held].sort());
      expect(n.sriov.vfs.allocated).toBe(held.length);
      const vfsByPci = new Map<string, ApiJson>(pfs.flatMap((pf) => (pf.Vfs ?? []).map((vf: ApiJson) => [vf.pciAddress, vf])));
      for (const a of n.sriov.allocations) {
        expect(a.podName).toBe('vdu-0');
        expect(a.vf.vfID).toBe(vfsByPci.get(a.pciAddress).vfID);
        expect(a.vf.vlan).toBe(vfsByPci.get(a.pciAddress).Vlan);
      }
      for (const r of n.sriov.resources) {
        expect(r.allocatable).toBe(Number(nodeObj.status.allocatable[r.resource]));
        expect(r.capacity).toBe(Number(nodeObj.status.capacity[r.resource]));
        expect(r.requested).toBe(Number(vdu.spec.containers[0].resources.requests[r.resource]));
      }
      expect(n.sriov.resources.map((r: ApiJson) => [r.resource, r.attached])).toEqual([
        ['openshift.io/du_fh', 2],
        ['openshift.io/du_mh', 1],
      ]);

      // dpdk: counters between two direct reads; the fronthaul VFs the ports use.
      const [pod] = answer.pods;
      expect(pod.name).toBe('vdu-0');
      expect(pod.dpdk.ports).toHaveLength(2);
      pod.dpdk.ports.forEach((port: ApiJson, i: number) => {
        for (const field of STAT_FIELDS) {
          expect(port.stats[field]).toBeGreaterThanOrEqual(before[i][field]);
          expect(port.stats[field]).toBeLessThanOrEqual(after[i][field]);
        }
        expect(port.network).toEqual({ name: 'du-vdu/du-fh-net', interface: `net${i + 1}` });
        expect(port.pciAddress).toBe(held[i]);
        expect(port.vf).toEqual({ vfID: vfsByPci.get(held[i]).vfID, driver: 'vfio-pci', vlan: 10 });
      });
      expect(pod.dpdk.totals.imissed).toBe(pod.dpdk.ports.reduce((s: number, p: ApiJson) => s + p.stats.imissed, 0));
    }
  });

  it('costs each site the same few requests, alone or in one query over every edge site', async () => {
    const [one, other] = edgeSites();
    await site(one); // warm: the shared SriovNetworkNodeState watch caches are synced from here on
    await stack.control('POST', '/counters/reset');
    await site(one);
    const perSite = withoutWatches((await stack.counters())[one]);
    expectSiteCost(one, perSite);

    await site(other);
    await stack.control('POST', '/counters/reset');
    await site(other);
    expectSiteCost(other, withoutWatches((await stack.counters())[other]));

    // Every edge site in one query: each site costs what one site costs alone.
    const fleetQuery = SITE_QUERY.replace('query EdgeSite($site: ID!) {\n  cluster(name: $site) {', 'query EdgeSites {\n  clusters(labels: [{ key: "role", value: "edge" }]) {');
    await stack.query(fleetQuery);
    await stack.control('POST', '/counters/reset');
    const res = await stack.query(fleetQuery);
    expect(res.errors).toBeUndefined();
    expect(res.data.clusters).toHaveLength(edgeSites().length);
    const counters = await stack.counters();
    for (const name of edgeSites()) expectSiteCost(name, withoutWatches(counters[name]));
  });
});

/**
 * What one edge site's join costs with warm caches: SriovNetworkNodeStates from the shared watch cache
 * (0 requests); Nodes and Pods at most one LIST per subgraph that needs them (fleet, sriov; 0 where
 * another subgraph's watch cache of that kind is warm); one pod GET for the vDU (dpdk); and pod-proxy
 * reads: the vDU's telemetry (`/ethdev/list`, then stats and info per port), plus timing's daemon scrape
 * when the site's metric snapshot is stale. SR-IOV resources add one LIST of policies (which resources a
 * node has); NADs (which resource a held VF is when the node state has no VF groups) come from the cni
 * subgraph's pre-warmed cache.
 */
function expectSiteCost(name: string, cost: Record<string, number>): void {
  const allowed: Record<string, [number, number]> = {
    'list /nodes': [0, 2],
    'list /pods': [1, 2],
    'get /pods': [1, 1],
    // timing's daemon scrape only when the site's metric snapshot is older than its bound (pre-warmed: none)
    'proxy /pods': [1 + 2 * 2, 1 + 1 + 2 * 2],
    'list sriovnetwork.openshift.io/sriovnetworknodepolicies': [1, 1],
    // the cni subgraph pre-warms NADs: the shared cache answers
    'list k8s.cni.cncf.io/network-attachment-definitions': [0, 1],
  };
  for (const [key, n] of Object.entries(cost)) {
    const [min, max] = allowed[key] ?? [0, 0];
    expect({ name, key, n, within: n >= min && n <= max }).toEqual({ name, key, n, within: true });
  }
  for (const [key, [min]] of Object.entries(allowed)) if (min > 0) expect({ name, key, n: cost[key] }).toEqual({ name, key, n: expect.any(Number) });
}

function withoutWatches(counters: Record<string, number> = {}): Record<string, number> {
  return Object.fromEntries(Object.entries(counters).filter(([key]) => !key.startsWith('watch ')));
}

describe('scenarios seen through the API', () => {
  it('sriov-policy-reconcile: InProgress with drain annotations, then Succeeded with the new VFs, through a subscription', async () => {
    const name = 'du-004';
    const subgraph = wsClient(stack.subgraphUrls.sriov.replace(/^http/, 'ws'), { connectionParams: stack.asGateway });
    const gateway = wsClient(stack.gatewayUrl.replace(/^http/, 'ws'));
    try {
      const direct = subscribe(
        subgraph,
        `subscription { sriovSyncStatusChanged(cluster: "${name}") { nodeName changes syncStatus previousSyncStatus desiredState currentState sriov { vfs { configured } } } }`,
      );
      // Through the gateway, each event is joined with the node's clock state (timing) and SR-IOV (sriov).
      const joined = subscribe(
        gateway,
        `subscription { sriovSyncStatusChanged(cluster: "${name}") { syncStatus node { name ptp { syncState } sriov { syncStatus vfs { configured } } } } }`,
      );
      await waitFor(async () => (await subgraphHealth(stack, 'sriov')).subscriptions >= 2);
      // A query answered from the same watch cache returns once it has listed; changes flow from there.
      expect((await stack.query(`{ cluster(name: "${name}") { sriov { nodesTotal } } }`)).data.cluster.sriov.nodesTotal).toBe(1);
      await stack.control('POST', '/scenarios/sriov-policy-reconcile', { cluster: name, policy: 'du-fh', numVfs: 10, timeScale: 10 });

      const events = (await direct.next(4, 10_000)).map((e) => e.data!.sriovSyncStatusChanged as ApiJson);
      expect(events.map((e) => [e.syncStatus, e.desiredState, e.currentState])).toEqual([
        ['InProgress', 'Drain_Required', 'Idle'],
        ['InProgress', 'Drain_Required', 'Draining'],
        ['InProgress', 'Drain_Required', 'DrainComplete'],
        ['Succeeded', 'Idle', 'Idle'],
      ]);
      expect(events[0]).toMatchObject({ nodeName: `${name}-sno`, previousSyncStatus: 'Succeeded', changes: ['SYNC_STATUS', 'DESIRED_STATE'] });
      expect(events[3].sriov.vfs.configured).toBe(10 + 4);

      const viaGateway = (await joined.next(4, 10_000)).map((e) => e.data!.sriovSyncStatusChanged as ApiJson);
      expect(viaGateway[0]).toEqual({ syncStatus: 'InProgress', node: { name: `${name}-sno`, ptp: { syncState: 'LOCKED' }, sriov: { syncStatus: 'InProgress', vfs: { configured: 12 } } } });
      expect(viaGateway[3].node.sriov).toEqual({ syncStatus: 'Succeeded', vfs: { configured: 14 } });

      // The query afterwards shows the device plugin's new allocatable.
      const after = await site(name);
      expect(after.nodes[0].sriov.resources[0]).toMatchObject({ resource: 'openshift.io/du_fh', allocatable: 10, requested: 2 });
      direct.dispose();
      joined.dispose();
    } finally {
      await subgraph.dispose();
      await gateway.dispose();
    }
  });

  it('dpdk-drop: the vDU’s imissed and rx_nombuf climb, as rates and counters', async () => {
    const name = 'du-006';
    const quiet = await site(name);
    expect(quiet.pods[0].dpdk.totals.rx_nombuf).toBe(0);
    await stack.control('POST', '/scenarios/dpdk-drop', { cluster: name, pod: 'du-vdu/vdu-0', missedPerSecond: 20000, seconds: 60 });
    const dropping = Date.now();
    const first = await site(name);
    // Read until there is a rate over a window of the drop alone: it starts at a read kept after the
    // scenario began and lasts at least a second (dpdk/rates.ts); the exporter's own counters are read
    // just before and after that query.
    let before!: Awaited<ReturnType<typeof proxyStats>>;
    let after!: Awaited<ReturnType<typeof proxyStats>>;
    let second!: Awaited<ReturnType<typeof site>>;
    await waitFor(async () => {
      before = await proxyStats(name, 0);
      second = await site(name);
      after = await proxyStats(name, 0);
      const d = second.pods[0].dpdk;
      return Boolean(d.rates) && Date.parse(d.rates.since) >= dropping && d.rates.windowSeconds >= 1;
    }, 15_000, 200);

    const [d1, d2] = [first.pods[0].dpdk, second.pods[0].dpdk];
    expect(d2.totals.imissed).toBeGreaterThan(d1.totals.imissed + 10_000);
    expect(d2.totals.rx_nombuf).toBeGreaterThan(d1.totals.rx_nombuf);
    expect(d2.totals.drops).toBe(d2.totals.imissed + d2.totals.rx_nombuf + d2.totals.ierrors + d2.totals.oerrors);
    // Rates over a ≥1 s window of the drop: about missedPerSecond per dropping port.
    expect(d2.rates.windowSeconds).toBeGreaterThanOrEqual(1);
    expect(d2.rates.imissed).toBeGreaterThan(10_000);
    expect(d2.rates.rx_nombuf).toBeGreaterThan(2_000);
    const port0 = d2.ports[0].stats;
    expect(port0.imissed).toBeGreaterThanOrEqual(before.imissed);
    expect(port0.imissed).toBeLessThanOrEqual(after.imissed);
    expect(port0.rx_nombuf).toBeGreaterThanOrEqual(before.rx_nombuf);
    expect(port0.rx_nombuf).toBeLessThanOrEqual(after.rx_nombuf);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
