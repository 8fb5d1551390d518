// Node.ovs / Cluster.ovs / ovsAlerts / ovsAlertChanged through the gateway over the simulated fleet
// WITHOUT Prometheus: instant values from each ovnkube-node pod's :9105 page through the API server's
// pod proxy (one read per pod, 0 list/get when warm), a cluster that is not OVN-Kubernetes is `ovs:
// null` without an error, windowed and ranking fields answer PROMETHEUS_REQUIRED, bad arguments
// BAD_USER_INPUT, and a flow storm reaches subscribers as raised and cleared alerts from ONE
// evaluation loop per cluster. (With a real Prometheus: test/e2e/ovs-prometheus.test.ts.)
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { parse, stringify } from 'yaml';
import WebSocket from 'ws';
import { parsePrometheusText } from '../../subgraphs/metrics/text-format.js';
import { SimClient } from '../helpers/sim-client.js';
import { startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const POLL_MS = 500;
const OVN = ['du-001', 'du-002', 'hub-1', 'regional-east'];
let stack: TestStack;
let sim: SimClient;
let ws: Client;

beforeAll(async () => {
  // PTP metric snapshots off: their background refresh reads the PTP daemons through the same pod proxy,
  // and the cost checks below count the site's proxy reads as the OVS exporter's.
  stack = await startTestStack({ simulator: { fleet: { seed: 1, hubs: 1, regionals: 2, edges: 2 } }, settings: { pollIntervalMs: POLL_MS, metricsMaxAgeMs: 0 } });
  sim = new SimClient(stack.sim);
  ws = createClient({ url: stack.gatewayUrl.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}, 60_000);
afterAll(async () => {
  await ws?.dispose();
  await stack?.stop();
});

type Counters = Record<string, Record<string, number>>;
function byVerb(counters: Counters): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [cluster, counts] of Object.entries(counters)) {
    for (const [key, n] of Object.entries(counts)) (out[cluster] ??= {})[key.split(' ')[0]] = ((out[cluster] ??= {})[key.split(' ')[0]] ?? 0) + n;
  }
  return out;
}

const ovnPods = async (cluster: string) =>
  ((await sim.request(cluster, '/api/v1/pods?labelSelector=app%3Dovnkube-node')).body.items as { metadata: { name: string; namespace: string }; spec: { nodeName: string } }[]);

/** The exporter page as `kubectl get --raw` reads it. */
async function page(cluster: string, pod: { metadata: { name: string; namespace: string } }) {
  const res = await sim.request(cluster, `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}:9105/proxy/metrics`, { headers: { Accept: 'text/plain' } });
  expect(res.status).toBe(200);
  const samples = parsePrometheusText(res.text).samples;
  return (name: string, labels: Record<string, string> = {}) => samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

const NODE_OVS = `
  nodeName version datapathCount handlerThreads revalidatorThreads hwOffload tcPolicy sampledAt
  pod { namespace name }
  datapaths { name type ports flows lookupHit }
  bridges { name ports flows }
  interfaces { count resets }
  connections { rconnOverflow streamOpen }
  vswitchd { cpuSecondsTotal cpuPercent residentMemoryBytes maxFds startTime service { unit } }
  ovsdb { cpuPercent residentMemoryBytes }
  read { source endpoint readAt }`;

describe('Node.ovs through the pod proxy', () => {
  it('answers every OVN-Kubernetes node with what its exporter serves, null without error elsewhere', async () => {
    const res = await stack.query(`{ clusters { name ovs { clusterName source nodes { ${NODE_OVS} } } } }`);
    expect(res.errors).toBeUndefined();
    const clusters = res.data.clusters as { name: string; ovs: any }[];
    expect(clusters.filter((c) => c.ovs === null).map((c) => c.name)).toEqual(['regional-west']); // Calico
    for (const name of OVN) {
      const ovs = clusters.find((c) => c.name === name)!.ovs;
      expect(ovs.source).toBe('POD_PROXY');
      const pods = await ovnPods(name);
      expect(ovs.nodes.map((n: any) => n.nodeName).sort()).toEqual(pods.map((p) => p.spec.nodeName).sort());
      for (const n of ovs.nodes) {
        const pod = pods.find((p) => p.spec.nodeName === n.nodeName)!;
        const v = await page(name, pod);
        expect(n.pod).toEqual({ namespace: 'openshift-ovn-kubernetes', name: pod.metadata.name });
        expect(n.read).toMatchObject({ source: 'POD_PROXY', endpoint: `/api/v1/namespaces/openshift-ovn-kubernetes/pods/${pod.metadata.name}:9105/proxy/metrics` });
        expect(n).toMatchObject({
          version: '3.4.1',
          datapathCount: 1,
          handlerThreads: v('ovs_vswitchd_handlers_total'),
          revalidatorThreads: v('ovs_vswitchd_revalidators_total'),
          hwOffload: false,
          tcPolicy: 'NONE',
          interfaces: { count: v('ovs_vswitchd_interfaces_total'), resets: 3 },
        });
        expect(n.datapaths).toEqual([{ name: 'ovs-system', type: 'system', ports: v('ovs_vswitchd_dp_if_total', { datapath: 'ovs-system' }), flows: expect.any(Number), lookupHit: expect.any(Number) }]);
        expect(n.bridges.map((b: any) => [b.name, b.ports])).toEqual([
          ['br-int', v('ovs_vswitchd_bridge_ports_total', { bridge: 'br-int' })],
          ['br-ex', 2],
        ]);
        // Moving values: read a moment apart, within the exporter's noise.
        expect(Math.abs(n.datapaths[0].flows - v('ovs_vswitchd_dp_flows_total', { datapath: 'ovs-system' })!)).toBeLessThan(60);
        expect(n.vswitchd.cpuSecondsTotal).toBeLessThanOrEqual(v('ovs_vswitchd_process_cpu_seconds_total')!);
        expect(n.vswitchd.startTime).toBe(new Date(v('ovs_vswitchd_process_start_time_seconds')! * 1000).toISOString());
        expect(n.vswitchd.maxFds).toBe(1048576);
        // One read only so far: no CPU % (never made up from one cumulative sample); no cAdvisor through the pod proxy.
        expect(n.vswitchd.cpuPercent).toBeNull();
        expect(n.vswitchd.service).toBeNull();
        expect(n.connections).toEqual({ rconnOverflow: 0, streamOpen: expect.any(Number) });
      }
    }
  });

  it('gives CPU % from two reads of the same pod, and the Node entity answers on its own', async () => {
    await new Promise((r) => setTimeout(r, 2_100)); // two reads must be ≥ 2 s apart for a CPU rate (0.01 s ticks)
    const res = await stack.query(`{ cluster(name: "regional-east") { nodes { name ovs { vswitchd { cpuPercent } ovsdb { cpuPercent } } } } }`);
    expect(res.errors).toBeUndefined();
    for (const n of res.data.cluster.nodes) {
      expect(n.ovs.vswitchd.cpuPercent).toBeGreaterThan(1);
      expect(n.ovs.vswitchd.cpuPercent).toBeLessThan(15);
      expect(n.ovs.ovsdb.cpuPercent).toBeGreaterThan(0.1);
    }
  });

  it('costs one proxy read per ovnkube-node pod and no list/get when warm, whatever the selection', async () => {
    const query = `{ clusters { name ovs { nodes { nodeName bridges { flows } vswitchd { residentMemoryBytes } } alerts { id } } } }`;
    await waitUntil('warm watch caches', async () => {
      await stack.control('POST', '/counters/reset');
      await stack.query(query);
      return Object.values(byVerb(await stack.counters())).every((v) => !v.list && !v.get);
    });
    await stack.control('POST', '/counters/reset');
    const res = await stack.query(query);
    expect(res.errors).toBeUndefined();
    const verbs = byVerb(await stack.counters());
    for (const cluster of await stack.clusterNames()) {
      const pods = OVN.includes(cluster) ? (await ovnPods(cluster)).length : 0;
      // Node.ovs and the alert evaluation of the same request share the reads: one per pod.
      expect({ cluster, proxy: verbs[cluster]?.proxy ?? 0, list: verbs[cluster]?.list ?? 0, get: verbs[cluster]?.get ?? 0 }).toEqual({ cluster, proxy: pods, list: 0, get: 0 });
    }
  });
});

describe('without Prometheus', () => {
  it('answers windows and rankings with PROMETHEUS_REQUIRED, never a window made from one sample', async () => {
    const res = await stack.query(`{ cluster(name: "du-001") { ovs { window(duration: "5m") { duration } nodes { nodeName window(duration: "5m") { duration } } } } }`);
    expect(res.data.cluster.ovs.window).toBeNull();
    expect(res.data.cluster.ovs.nodes[0]).toEqual({ nodeName: 'du-001-sno', window: null });
    expect(res.errors!.map((e) => [e.extensions?.code, e.extensions?.cluster])).toEqual([
      ['PROMETHEUS_REQUIRED', 'du-001'],
      ['PROMETHEUS_REQUIRED', 'du-001'],
    ]);
    expect(res.errors![0].message).toMatch(/needs a Prometheus \(set prometheusUrl/);

    const top = await stack.query(`{ ovsTop(metric: DP_FLOWS) { metric stat window unit entries { rank } } }`);
    expect(top.data.ovsTop).toEqual({ metric: 'DP_FLOWS', stat: 'MAX', window: '5m', unit: 'FLOWS', entries: [null] });
    expect(top.errors).toHaveLength(1);
    expect(top.errors![0].extensions).toMatchObject({ code: 'PROMETHEUS_REQUIRED', clusters: ['du-001', 'du-002', 'hub-1', 'regional-east', 'regional-west'] });
  });
});

describe('bad arguments', () => {
  const codeOf = async (query: string) => {
    const res = await stack.query(query);
    expect(res.errors?.length).toBeGreaterThan(0);
    return { code: res.errors![0].extensions?.code, message: res.errors![0].message };
  };

  it('refuses a malformed duration, a statistic or dimension that does not apply, and a bad limit as BAD_USER_INPUT', async () => {
    expect(await codeOf(`{ ovsTop(metric: DP_FLOWS, window: "5 minutes") { unit } }`)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/window.*"5 minutes" is not a duration.*e\.g\. 30s, 5m/) });
    expect(await codeOf(`{ cluster(name: "du-001") { ovs { window(duration: "90d") { duration } } } }`)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/longer than 4w2d/) });
    expect(await codeOf(`{ ovsTop(metric: DP_FLOWS, stat: INCREASE) { unit } }`)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/INCREASE applies to counters only \(RCONN_OVERFLOW/) });
    expect(await codeOf(`{ ovsTop(metric: VSWITCHD_CPU, dimension: "br-int") { unit } }`)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/VSWITCHD_CPU has no dimension/) });
    expect(await codeOf(`{ ovsTop(metric: DP_FLOWS, limit: 0) { unit } }`)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/limit must be an integer from 1 to 100/) });
    expect(await codeOf(`{ ovsTop(metric: DP_FLOWS, clusters: ["nope"]) { entries { rank } } }`)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an unknown metric before execution, naming the known ones', async () => {
    const res = await stack.query(`{ ovsTop(metric: CPU) { unit } }`);
    expect(res.data ?? null).toBeNull();
    expect(res.errors![0].message).toMatch(/Value "CPU" does not exist in "OvsMetric" enum/);
    expect(res.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

interface AlertEvent {
  kind: string;
  previousLevel: string | null;
  at: string;
  alert: { id: string; level: string; metric: string; dimension: string | null; observed: number; threshold: number; since: string; recommendation: string; node: { name: string; cluster: { name: string } } };
}

describe('alerts during ovs-flow-storm (pod proxy)', () => {
  it('delivers the raised CRITICAL within one evaluation interval + 2 s and the cleared one after recovery, from one loop per cluster', async () => {
    const SITE = 'du-002';
    const selection = `kind previousLevel at alert { id level metric dimension observed threshold since recommendation node { name cluster { name } } }`;
    const streams = [`levels: [CRITICAL]`, `levels: [CRITICAL, WARNING]`, ``].map((levels) => {
      const events: { at: number; event: AlertEvent }[] = [];
      const errors: unknown[] = [];
      const stop = ws.subscribe<{ ovsAlertChanged: AlertEvent }>(
        { query: `subscription { ovsAlertChanged(cluster: "${SITE}"${levels ? `, ${levels}` : ''}) { ${selection} } }` },
        { next: (m) => (m.errors ? errors.push(...m.errors) : events.push({ at: Date.now(), event: m.data!.ovsAlertChanged })), error: (e) => errors.push(e), complete: () => undefined },
      );
      return { events, errors, stop };
    });
    const ovs = () => subgraphHealth<{ feeds: Record<string, { polls: number; subscribers: number }> }>(stack, 'ovs');
    await waitUntil('three upstream subscriptions on one baselined loop', async () => {
      const h = await ovs();
      return h.subscriptions === 3 && (h.feeds[SITE]?.polls ?? 0) >= 1 ? h : undefined;
    });
    expect(Object.keys((await ovs()).feeds)).toEqual([SITE]);
    expect((await ovs()).feeds[SITE].subscribers).toBe(3);

    await stack.control('POST', '/counters/reset');
    const pollsBefore = (await ovs()).feeds[SITE].polls;
    const started = Date.now();
    await stack.control('POST', '/scenarios/ovs-flow-storm', { cluster: SITE, rampSeconds: 0, holdSeconds: 8 });
    const [critical, mixed, all] = streams;
    const raised = await waitUntil('the raised CRITICAL DP_FLOWS', () => critical.events.find((e) => e.event.kind !== 'CLEARED' && e.event.alert.metric === 'DP_FLOWS'), 10_000);
    expect(raised.at - started).toBeLessThanOrEqual(POLL_MS + 2_000);
    expect(raised.event).toMatchObject({
      kind: 'RAISED',
      previousLevel: null,
      alert: {
        id: `${SITE}/${SITE}-sno/DP_FLOWS/ovs-system`,
        level: 'CRITICAL',
        dimension: 'ovs-system',
        threshold: 20_000,
        recommendation: expect.stringMatching(/flow storm/),
        node: { name: `${SITE}-sno`, cluster: { name: SITE } },
      },
    });
    expect(raised.event.alert.observed).toBeGreaterThan(20_000);
    // CPU needs two reads ≥ 2 s apart after the jump, then it is CRITICAL too.
    await waitUntil('the raised CRITICAL VSWITCHD_CPU', () => critical.events.some((e) => e.event.alert.metric === 'VSWITCHD_CPU' && e.event.alert.level === 'CRITICAL'), 10_000);

    // Meanwhile a query sees the same alerts, most severe first, with the same `since`.
    const q = await stack.query(`{ ovsAlerts(clusters: ["${SITE}"], levels: [CRITICAL]) { id level metric since } }`);
    expect(q.errors).toBeUndefined();
    expect(q.data.ovsAlerts.map((a: any) => a.metric).sort()).toEqual(['DP_FLOWS', 'VSWITCHD_CPU']);
    expect(q.data.ovsAlerts.find((a: any) => a.metric === 'DP_FLOWS').since).toBe(raised.event.alert.since);

    await waitUntil('the cleared DP_FLOWS', () => critical.events.some((e) => e.event.kind === 'CLEARED' && e.event.alert.metric === 'DP_FLOWS'), 20_000);
    await waitUntil('the cleared VSWITCHD_CPU', () => all.events.some((e) => e.event.kind === 'CLEARED' && e.event.alert.metric === 'VSWITCHD_CPU'), 20_000);
    const polls = (await ovs()).feeds[SITE].polls - pollsBefore;
    const proxy = byVerb(await stack.counters())[SITE]?.proxy ?? 0;
    for (const s of streams) s.stop();

    for (const s of streams) expect(s.errors).toEqual([]);
    // One evaluation per poll for three subscribers (plus the one ovsAlerts query): one read per poll, not three.
    expect(proxy).toBeLessThanOrEqual(polls + 2);
    expect(proxy).toBeGreaterThanOrEqual(polls);
    const kinds = (s: (typeof streams)[number], metric: string) => s.events.filter((e) => e.event.alert.metric === metric).map((e) => `${e.event.kind}:${e.event.alert.level}`);
    expect(kinds(critical, 'DP_FLOWS')).toEqual(['RAISED:CRITICAL', 'CLEARED:CRITICAL']);
    expect(kinds(mixed, 'DP_FLOWS')).toEqual(['RAISED:CRITICAL', 'CLEARED:CRITICAL']);
    expect(all.events.every((e) => e.event.alert.node.cluster.name === SITE)).toBe(true);
  }, 60_000);

  it('ends a subscription to an unknown cluster with one NOT_FOUND', async () => {
    const error = await new Promise<unknown>((resolve) => {
      ws.subscribe({ query: `subscription { ovsAlertChanged(cluster: "nope") { kind } }` }, { next: (m) => resolve(m.errors), error: resolve, complete: () => resolve('complete') });
    });
    expect(JSON.stringify(error)).toMatch(/NOT_FOUND/);
  });
});

describe('a failing Prometheus degrades only its cluster', () => {
  it('answers null plus a coded error within the deadline for that cluster; the others answer', async () => {
    // du-001's Prometheus accepts connections and never answers; du-002's refuses them.
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const refused = http.createServer();
    await new Promise<void>((r) => refused.listen(0, '127.0.0.1', () => r()));
    const refusedPort = (refused.address() as AddressInfo).port;
    await new Promise((r) => refused.close(r));
    const fleetFile = stack.simulator!.fleetFilePath;
    const original = readFileSync(fleetFile, 'utf8');
    const doc = parse(original) as { clusters: { name: string; prometheusUrl?: string }[] };
    doc.clusters.find((c) => c.name === 'du-001')!.prometheusUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    doc.clusters.find((c) => c.name === 'du-002')!.prometheusUrl = `http://127.0.0.1:${refusedPort}`;
    try {
      writeFileSync(fleetFile, stringify(doc));
      await waitUntil('du-001 and du-002 read from Prometheus', async () => {
        const res = await stack.query(`{ a: cluster(name: "du-001") { ovs { source } } b: cluster(name: "du-002") { ovs { source } } }`);
        return res.data?.a.ovs.source === 'PROMETHEUS' && res.data?.b.ovs.source === 'PROMETHEUS';
      });
      const started = Date.now();
      const res = await stack.query(`{ clusters(labels: [{ key: "role", op: IN, values: ["edge", "hub"] }]) { name ovs { nodes { nodeName version } } } }`);
      const elapsed = Date.now() - started;
      const byName = Object.fromEntries((res.data.clusters as any[]).map((c) => [c.name, c.ovs]));
      expect(byName['hub-1'].nodes.every((n: any) => n.version === '3.4.1')).toBe(true); // pod proxy, unaffected
      expect(byName['du-001'].nodes).toEqual([null]);
      expect(byName['du-002'].nodes).toEqual([null]);
      const codes = Object.fromEntries(res.errors!.map((e) => [e.extensions?.cluster, [e.extensions?.code, e.extensions?.reason]]));
      expect(codes).toEqual({ 'du-001': ['CLUSTER_TIMEOUT', 'PrometheusTimeout'], 'du-002': ['UPSTREAM_ERROR', 'PrometheusUnreachable'] });
      expect(elapsed).toBeLessThan(15_000); // the Prometheus deadline (5 s), not a hang

      const top = await stack.query(`{ ovsTop(metric: DP_FLOWS, clusters: ["du-001", "du-002", "hub-1"]) { entries { rank } } }`);
      expect(top.data.ovsTop.entries).toEqual([null, null, null]);
      expect(top.errors!.map((e) => [e.extensions?.code, e.extensions?.cluster ?? e.extensions?.clusters]).sort()).toEqual([
        ['CLUSTER_TIMEOUT', 'du-001'],
        ['PROMETHEUS_REQUIRED', 'hub-1'],
        ['UPSTREAM_ERROR', 'du-002'],
      ]);
    } finally {
      writeFileSync(fleetFile, original);
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  }, 60_000);
});

describe('thresholds from the fleet file', () => {
  it('applies defaults → label groups → cluster, and a settings.ovs that does not validate is BAD_CONFIGURATION for that cluster only', async () => {
    const fleetFile = stack.simulator!.fleetFilePath;
    const original = readFileSync(fleetFile, 'utf8');
    const doc = parse(original) as Record<string, unknown> & { clusters: { name: string; settings?: unknown }[] };
    doc.defaults = { settings: { ovs: { counterWindow: '10m', thresholds: { vswitchdCpu: { warning: 60 } } } } };
    doc.groups = [{ labels: [{ key: 'role', value: 'edge' }], settings: { ovs: { thresholds: { vswitchdCpu: { critical: 90 }, dpLookupLost: { warning: 1, critical: 100 } } } } }];
    doc.clusters.find((c) => c.name === 'du-001')!.settings = { ovs: { thresholds: { dpFlows: { warning: 'many' } } } };
    const query = `{ clusters(labels: [{ key: "role", value: "edge" }]) { name ovs { thresholds { counterWindow hysteresisPercent thresholds { metric enabled unit info warning critical } } alerts { id } } } }`;
    try {
      writeFileSync(fleetFile, stringify(doc));
      const res = await waitUntil('the new settings in force', async () => {
        const r = await stack.query(query);
        return r.errors?.some((e) => e.extensions?.code === 'BAD_CONFIGURATION') ? r : undefined;
      });
      const du2 = (res.data.clusters as any[]).find((c) => c.name === 'du-002').ovs.thresholds;
      expect(du2.counterWindow).toBe('10m');
      expect(du2.thresholds.find((t: any) => t.metric === 'VSWITCHD_CPU')).toEqual({ metric: 'VSWITCHD_CPU', enabled: true, unit: 'PERCENT', info: 48, warning: 60, critical: 90 });
      expect(du2.thresholds.find((t: any) => t.metric === 'DP_LOOKUP_LOST')).toMatchObject({ unit: 'EVENTS', warning: 1, critical: 100 });
      expect(du2.thresholds.find((t: any) => t.metric === 'DP_FLOWS')).toMatchObject({ warning: 5000, critical: 20000 });
      const du1 = (res.data.clusters as any[]).find((c) => c.name === 'du-001');
      expect(du1.ovs).toBeNull();
      const errors = res.errors!.filter((e) => e.extensions?.cluster === 'du-001');
      expect(errors.map((e) => e.extensions?.code)).toEqual(['BAD_CONFIGURATION']);
      expect(errors[0].message).toMatch(/settings\.ovs\.thresholds\.dpFlows\.warning: must be a number, got "many"/);
    } finally {
      writeFileSync(fleetFile, original);
    }
  });
});
