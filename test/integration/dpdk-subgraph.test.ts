// The dpdk subgraph through the gateway over the simulated fleet: DPDK pods found per cluster with one
// pods LIST, telemetry per DPDK pod through the pod proxy, ports joined with network-status and with the
// sriov subgraph's VF, rankings by drops, nulls without DPDK, coded errors for unreachable clusters and
// for a pod whose exporter cannot be read.
import { countRequests, startTestStack, type TestStack } from '../helpers/stack.js';
import { SimClient, type ApiJson } from '../helpers/sim-client.js';
import { waitUntil } from '../helpers/wait.js';

let stack: TestStack;
let sim: SimClient;
beforeAll(async () => {
  // No PTP metric snapshots: their background refreshes are pod-proxy reads too (the linuxptp daemon's
  // metrics), and would land in the pod-proxy counts below on a slow machine.
  stack = await startTestStack({ deadlineMs: 5000, settings: { metricsMaxAgeMs: 0 } });
  sim = new SimClient(stack.sim);
});
afterAll(async () => {
  sim?.close();
  await stack?.stop();
});
afterEach(async () => {
  for (const name of await stack.clusterNames()) await stack.control('DELETE', `/clusters/${name}/faults`);
});

describe('dpdk through the gateway', () => {
  it('finds the DPDK pods of every cluster with one pods LIST per cluster, telemetry per DPDK pod', async () => {
    await stack.control('POST', '/counters/reset');
    const res = await stack.query('{ clusters { name dpdk { podsTotal nodes { nodeName podsTotal } pods { namespace podName totals { drops } } } } }');
    expect(res.errors).toBeUndefined();
    const byName = new Map<string, ApiJson>(res.data.clusters.map((c: ApiJson) => [c.name, c.dpdk]));
    // No DPDK on the hub nor on the plain-Kubernetes regional cluster (its UPF runs kernel networking).
    expect(byName.get('hub-1')).toBeNull();
    expect(byName.get('regional-west')).toBeNull();
    expect(byName.get('regional-east')).toMatchObject({ podsTotal: 2, nodes: [{ nodeName: 'regional-east-node-1', podsTotal: 1 }, { nodeName: 'regional-east-node-2', podsTotal: 1 }] });
    expect(byName.get('du-001').pods).toEqual([{ namespace: 'du-vdu', podName: 'vdu-0', totals: { drops: expect.any(Number) } }]);

    const counters = await stack.counters();
    const lists = countRequests(counters, 'list /pods');
    const proxies = countRequests(counters, 'proxy /pods');
    for (const name of await stack.clusterNames()) expect({ name, lists: lists[name] }).toEqual({ name, lists: 1 });
    // Per DPDK pod: /ethdev/list plus /ethdev/stats per port (2 ports each); nothing else.
    expect(proxies['regional-east']).toBe(2 * (1 + 2));
    for (const name of (await stack.clusterNames()).filter((n) => n.startsWith('du-'))) expect({ name, proxies: proxies[name] }).toEqual({ name, proxies: 1 + 2 });
    expect(proxies['hub-1']).toBeUndefined();
  });

  it('answers null without error for pods and nodes without DPDK', async () => {
    const res = await stack.query(`{
      cluster(name: "regional-east") { pods(namespace: "5g-core") { name dpdk { podName } } nodes { name dpdk { podsTotal } } }
      west: cluster(name: "regional-west") { pods(namespace: "upf-core") { name dpdk { podName } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.cluster.pods.length).toBeGreaterThan(0);
    expect(res.data.cluster.pods.every((p: ApiJson) => p.dpdk === null)).toBe(true);
    expect(res.data.cluster.nodes.map((n: ApiJson) => n.dpdk?.podsTotal ?? null)).toEqual([null, 1, 1, null]);
    expect(res.data.west.pods.map((p: ApiJson) => p.dpdk)).toEqual([null, null]);
  });

  it('joins each UPF port with its network-status entry and the sriov subgraph’s VF', async () => {
    const res = await stack.query(`{ cluster(name: "regional-east") { pods(namespace: "upf-core") { name dpdk {
      marker telemetryPort version nodeName
      ports { portId name pciAddress network { name interface } vf { nodeName vfID driver vlan pfName resourceName allocation { podName } }
              link { status up speedMbps duplex } info { numaNode rxQueues txQueues mtu started } xstats(prefix: "rx_missed") { name value } }
    } } } }`);
    expect(res.errors).toBeUndefined();
    for (const pod of res.data.cluster.pods) {
      const raw = (await sim.request('regional-east', `/api/v1/namespaces/upf-core/pods/${pod.name}`)).body;
      const pcis = JSON.parse(raw.metadata.annotations['k8s.v1.cni.cncf.io/network-status'])
        .filter((e: ApiJson) => e['device-info']?.pci)
        .map((e: ApiJson) => e['device-info'].pci['pci-address']);
      const d = pod.dpdk;
      expect(d).toMatchObject({ marker: 'ANNOTATION', telemetryPort: 9876, version: 'DPDK 23.11.2', nodeName: raw.spec.nodeName });
      expect(d.ports.map((p: ApiJson) => p.pciAddress)).toEqual(pcis);
      d.ports.forEach((p: ApiJson, i: number) => {
        expect(p).toMatchObject({
          portId: i,
          name: pcis[i],
          network: { name: 'upf-core/upf-n3-net', interface: `net${i + 1}` },
          vf: { nodeName: raw.spec.nodeName, driver: 'vfio-pci', vlan: 300, pfName: 'ens2f0', resourceName: 'upf_n3', allocation: { podName: pod.name } },
          link: { status: 'UP', up: true, speedMbps: 25000, duplex: 'full-duplex' },
          info: { rxQueues: 4, txQueues: 4, mtu: 9000, started: true },
        });
        expect(p.xstats).toEqual([{ name: 'rx_missed_errors', value: expect.any(Number) }]);
      });
    }
  });

  it('ranks pods by drops and drop rate: the one the dpdk-drop scenario hits comes first', async () => {
    const query = `{ cluster(name: "regional-east") { dpdk {
      missed: pods(orderBy: MISSED) { podName totals { imissed } }
      rate: pods(orderBy: DROP_RATE, limit: 1) { podName rates { imissed rx_nombuf drops windowSeconds since } }
      totals { imissed rx_nombuf drops }
    } } }`;
    await stack.query(query);
    await stack.control('POST', '/scenarios/dpdk-drop', { cluster: 'regional-east', pod: 'upf-core/upf-1', missedPerSecond: 50000, seconds: 30 });
    const dropping = Date.now();
    // A rate compares two reads at least a second apart (rates.ts): poll until one covers the drop alone,
    // from a read kept after the scenario began.
    const res = await waitUntil(
      'a drop rate over the drop',
      async () => {
        const r = await stack.query(query);
        const rates = r.data?.cluster?.dpdk?.rate?.[0]?.rates;
        return (rates && Date.parse(rates.since) >= dropping && r) || undefined;
      },
      15_000,
      200,
    );
    expect(res.errors).toBeUndefined();
    const d = res.data.cluster.dpdk;
    expect(d.missed[0].podName).toBe('upf-1');
    expect(d.missed[0].totals.imissed).toBeGreaterThan(d.missed[1].totals.imissed);
    expect(d.rate).toHaveLength(1);
    expect(d.rate[0].podName).toBe('upf-1');
    expect(d.rate[0].rates.imissed).toBeGreaterThan(25_000);
    expect(d.rate[0].rates.rx_nombuf).toBeGreaterThan(5_000);
    expect(d.totals.imissed).toBe(d.missed.reduce((s: number, p: ApiJson) => s + p.totals.imissed, 0));
  });

  it('gives a coded error for an unreachable cluster, other clusters unaffected', async () => {
    await stack.control('PUT', '/clusters/du-007/faults', { unreachable: true });
    const res = await stack.query('{ a: cluster(name: "du-007") { dpdk { podsTotal } } b: cluster(name: "du-008") { dpdk { podsTotal } } }');
    expect(res.data).toEqual({ a: { dpdk: null }, b: { dpdk: { podsTotal: 1 } } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['a', 'dpdk'], extensions: { code: 'CLUSTER_UNREACHABLE', cluster: 'du-007' } });
  });

  it('names the pod whose exporter cannot be read, and leaves it out of the running pods', async () => {
    const patched = await sim.request('du-009', '/api/v1/namespaces/du-vdu/pods/vdu-0/status', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { status: { phase: 'Pending' } },
    });
    expect(patched.status).toBe(200);
    const res = await stack.query('{ cluster(name: "du-009") { pods(namespace: "du-vdu") { name dpdk { podName marker ports { portId } } } dpdk { podsTotal } } }');
    const [pod] = res.data.cluster.pods;
    expect(pod.dpdk).toEqual({ podName: 'vdu-0', marker: 'ANNOTATION', ports: null });
    expect(res.data.cluster.dpdk).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].path).toEqual(['cluster', 'pods', 0, 'dpdk', 'ports']);
    expect(res.errors![0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', cluster: 'du-009', pod: 'du-vdu/vdu-0', httpStatus: 503 });
  });
});
