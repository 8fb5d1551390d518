// Issue 12 acceptance through the gateway against a REAL Prometheus scraping the simulator (fleet-wide,
// label `cluster`; the fleet file gives every cluster its URL): Node.ovs instant values and 5-minute
// min/avg/max equal the same PromQL run directly on that Prometheus at the answer's evaluation time;
// ovsTop equals a direct `topk`; queries per request grow with clusters, not nodes (Prometheus' own
// request counter); and a flow storm reaches ovsAlertChanged as a raised and a cleared CRITICAL.
// Skipped, saying why, only when no prometheus binary exists.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { parse, stringify } from 'yaml';
import { parsePrometheusText } from '../../subgraphs/metrics/text-format.js';
import { findPrometheus, startPrometheus, type RealPrometheus } from '../helpers/prometheus.js';
import { SimClient } from '../helpers/sim-client.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const PROMETHEUS = findPrometheus();
if (!PROMETHEUS) console.warn('ovs-prometheus.test.ts: SKIPPED, no prometheus binary ($PROMETHEUS_BIN or `prometheus` on PATH; Debian package `prometheus`)');
const describeWithPrometheus = PROMETHEUS ? describe : describe.skip;

const POLL_MS = 1000;
const SCRAPE_S = 1;
const OVN = ['du-001', 'du-002', 'hub-1', 'regional-east'];

describeWithPrometheus('OVS through the gateway with a real Prometheus', () => {
  let dir: string;
  let stack: TestStack;
  let prom: RealPrometheus;
  let ws: Client;

  /** The value of a plain PromQL expression at `time` (seconds): exactly one series expected. */
  const at = async (query: string, time: number): Promise<number> => {
    const r = await prom.query(query, time);
    if (r.length !== 1) throw new Error(`${query} @${time}: ${r.length} series`);
    return Number(r[0].value[1]);
  };
  const seconds = (iso: string) => Date.parse(iso) / 1000;
  /** Instant queries Prometheus has answered (its own prometheus_http_requests_total). */
  const queriesServed = async () =>
    parsePrometheusText(await (await fetch(`${prom.url}/metrics`)).text())
      .samples.filter((s) => s.name === 'prometheus_http_requests_total' && s.labels.handler === '/api/v1/query')
      .reduce((sum, s) => sum + s.value, 0);
  /** Queries one gateway request costs Prometheus (the test's own direct queries come after). */
  const costOf = async (query: string) => {
    const before = await queriesServed();
    const res = await stack.query(query);
    const queries = (await queriesServed()) - before;
    expect(res.errors).toBeUndefined();
    return { data: res.data, queries };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ovs-prometheus-'));
    // PTP metric snapshots off: their background refreshes ask the same Prometheus, whose own query counter
    // measures what one OVS answer costs here.
    stack = await startTestStack({ simulator: { fleet: { seed: 1, hubs: 1, regionals: 2, edges: 2 } }, settings: { pollIntervalMs: POLL_MS, metricsMaxAgeMs: 0 } });
    prom = await startPrometheus({ bin: PROMETHEUS!, dir, controlUrl: stack.simulator!.controlUrl, scrapeIntervalSeconds: SCRAPE_S });
    await waitUntil(
      'OVS series of every OVN-Kubernetes cluster in Prometheus',
      async () => {
        const clusters = new Set((await prom.query('ovs_build_info')).map((r) => r.metric.cluster));
        return OVN.every((c) => clusters.has(c)) ? true : undefined;
      },
      20_000,
      200,
    );
    // The fleet file now names the fleet-wide Prometheus; the registry follows the file.
    const fleetFile = stack.simulator!.fleetFilePath;
    writeFileSync(fleetFile, stringify({ ...(parse(readFileSync(fleetFile, 'utf8')) as object), prometheusUrl: prom.url }));
    await waitUntil(
      'every OVN cluster read from Prometheus',
      async () => {
        const res = await stack.query(`{ clusters { name ovs { source } } }`);
        return res.data?.clusters.filter((c: any) => c.ovs?.source === 'PROMETHEUS').length === OVN.length ? true : undefined;
      },
      20_000,
      200,
    );
    // A few seconds of history for the rates and windows.
    await waitUntil('10 s of OVS history', async () => ((await prom.query('count_over_time(ovs_build_info{cluster="du-001"}[1m])')).some((r) => Number(r.value[1]) >= 10) ? true : undefined), 30_000, 500);
    ws = createClient({ url: stack.gatewayUrl.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  }, 90_000);

  afterAll(async () => {
    await ws?.dispose();
    await stack?.stop();
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers Node.ovs with the values of the same PromQL at the evaluation time, one query per cluster whatever its nodes', async () => {
    await stack.query(`{ clusters { ovs { nodes { nodeName } } } }`); // warm the watch caches
    await stack.control('POST', '/counters/reset');
    const { data, queries } = await costOf(`{ clusters { name ovs { nodes {
      nodeName pod { name } datapaths { name flows } bridges { name flows }
      vswitchd { cpuPercent residentMemoryBytes service { cpuPercent memoryRssBytes } } ovsdb { cpuPercent }
      read { source readAt endpoint } sampledAt } } } }`);
    const clusters = (data.clusters as any[]).filter((c) => c.ovs);
    const nodes = clusters.flatMap((c) => c.ovs.nodes.map((n: any) => ({ cluster: c.name, ...n })));
    expect(clusters.map((c) => c.name)).toEqual(OVN);
    expect(nodes).toHaveLength(9); // 1 + 1 + 3 + 4
    expect(queries).toBe(OVN.length); // one PromQL query per cluster, not per node
    const counters = (await stack.counters()) as Record<string, Record<string, number>>;
    expect(Object.values(counters).flatMap((c) => Object.keys(c).filter((k) => k.startsWith('proxy')))).toEqual([]); // no pod-proxy read

    for (const n of nodes) {
      const t = seconds(n.read.readAt);
      const sel = `cluster="${n.cluster}", pod="${n.pod.name}"`;
      const unit = `cluster="${n.cluster}", node="${n.nodeName}", id="/system.slice/ovs-vswitchd.service"`;
      expect(n.read).toMatchObject({ source: 'PROMETHEUS', endpoint: prom.url });
      expect(n.datapaths).toEqual([{ name: 'ovs-system', flows: await at(`ovs_vswitchd_dp_flows_total{${sel}}`, t) }]);
      expect(n.bridges).toEqual([
        { name: 'br-int', flows: await at(`ovs_vswitchd_bridge_flows_total{${sel}, bridge="br-int"}`, t) },
        { name: 'br-ex', flows: await at(`ovs_vswitchd_bridge_flows_total{${sel}, bridge="br-ex"}`, t) },
      ]);
      expect(n.vswitchd.cpuPercent).toBeCloseTo(await at(`rate(ovs_vswitchd_process_cpu_seconds_total{${sel}}[2m]) * 100`, t), 9);
      expect(n.ovsdb.cpuPercent).toBeCloseTo(await at(`rate(ovs_db_process_cpu_seconds_total{${sel}}[2m]) * 100`, t), 9);
      expect(n.vswitchd.residentMemoryBytes).toBe(await at(`ovs_vswitchd_process_resident_memory_bytes{${sel}}`, t));
      expect(n.vswitchd.service.memoryRssBytes).toBe(await at(`container_memory_rss{${unit}}`, t));
      expect(n.vswitchd.service.cpuPercent).toBeCloseTo(await at(`rate(container_cpu_usage_seconds_total{${unit}}[2m]) * 100`, t), 9);
      // The sample time is the scrape's, at most a scrape interval (plus slack) before the evaluation.
      expect(t * 1000 - Date.parse(n.sampledAt)).toBeLessThan(5_000);
    }
    console.log(`ovs e2e: Node.ovs of ${nodes.length} nodes in ${clusters.length} clusters from ${queries} PromQL queries, 0 API requests`);
  });

  it('gives 5-minute min/avg/max/p95 equal to *_over_time on that Prometheus, two queries per cluster for nodes + windows', async () => {
    const { data, queries } = await costOf(`{ clusters { name ovs {
      window(duration: "5m") { duration evaluatedAt nodes series { metric dimension max worstNode { name } } }
      nodes { nodeName pod { name } window(duration: "5m") { duration seconds evaluatedAt
        series { metric dimension unit min avg max p95 } counters { series increase perSecond } } } } } }`);
    const clusters = (data.clusters as any[]).filter((c) => c.ovs);
    expect(queries).toBe(2 * OVN.length); // Node.ovs (instant) + one window for the cluster rollup and every node
    for (const c of clusters) {
      expect(c.ovs.window).toMatchObject({ duration: '5m', nodes: c.ovs.nodes.length });
      for (const n of c.ovs.nodes) {
        const w = n.window;
        const t = seconds(w.evaluatedAt);
        expect(w).toMatchObject({ duration: '5m', seconds: 300, evaluatedAt: c.ovs.window.evaluatedAt });
        const sel = `cluster="${c.name}", pod="${n.pod.name}"`;
        const flows = w.series.find((s: any) => s.metric === 'DP_FLOWS' && s.dimension === 'ovs-system');
        const range = `ovs_vswitchd_dp_flows_total{${sel}}[5m]`;
        expect(flows).toEqual({
          metric: 'DP_FLOWS',
          dimension: 'ovs-system',
          unit: 'FLOWS',
          min: await at(`min_over_time(${range})`, t),
          avg: await at(`avg_over_time(${range})`, t),
          max: await at(`max_over_time(${range})`, t),
          p95: await at(`quantile_over_time(0.95, ${range})`, t),
        });
        const cpu = w.series.find((s: any) => s.metric === 'VSWITCHD_CPU');
        const cpuRange = `(rate(ovs_vswitchd_process_cpu_seconds_total{${sel}}[2m]) * 100)[5m:3s]`;
        expect(cpu.min).toBeCloseTo(await at(`min_over_time(${cpuRange})`, t), 9);
        expect(cpu.avg).toBeCloseTo(await at(`avg_over_time(${cpuRange})`, t), 9);
        expect(cpu.max).toBeCloseTo(await at(`max_over_time(${cpuRange})`, t), 9);
        const mem = w.series.find((s: any) => s.metric === 'VSWITCHD_MEMORY');
        expect(mem.max).toBe(await at(`max_over_time(ovs_vswitchd_process_resident_memory_bytes{${sel}}[5m])`, t));
        // Coverage gauges have no _total but are cumulative: windowed as increase(), never raw.
        const sent = w.counters.find((x: any) => x.series === 'ovs_vswitchd_rconn_sent');
        expect(sent.increase).toBeCloseTo(await at(`increase(ovs_vswitchd_rconn_sent{${sel}}[5m])`, t), 9);
        expect(sent.perSecond).toBeCloseTo(sent.increase / 300, 9);
      }
      const rollup = c.ovs.window.series.find((s: any) => s.metric === 'DP_FLOWS');
      const nodeMaxima = c.ovs.nodes.map((n: any) => n.window.series.find((s: any) => s.metric === 'DP_FLOWS').max);
      expect(rollup.max).toBe(Math.max(...nodeMaxima));
      expect(rollup.worstNode.name).toBe(c.ovs.nodes[nodeMaxima.indexOf(rollup.max)].nodeName);
    }
  });

  it('ranks the fleet with ONE topk equal to the same topk run directly', async () => {
    const { data, queries } = await costOf(`{ ovsTop(metric: VSWITCHD_MEMORY, window: "5m", limit: 5) {
      metric stat window unit evaluatedAt entries { rank clusterName node { name } pod { name } value } } }`);
    expect(queries).toBe(1); // one fleet-wide Prometheus: one query for every cluster behind it
    const top = data.ovsTop;
    expect(top).toMatchObject({ metric: 'VSWITCHD_MEMORY', stat: 'MAX', window: '5m', unit: 'BYTES' });
    const direct = await prom.query('topk(5, max_over_time(ovs_vswitchd_process_resident_memory_bytes[5m]))', seconds(top.evaluatedAt));
    const expected = direct.map((r) => [r.metric.cluster, r.metric.pod, Number(r.value[1])]).sort((a, b) => (b[2] as number) - (a[2] as number));
    expect(top.entries.map((e: any) => [e.clusterName, e.pod.name, e.value])).toEqual(expected);
    expect(top.entries.map((e: any) => e.rank)).toEqual([1, 2, 3, 4, 5]);
    // Each entry's node is the node of its ovnkube-node pod (the exporter has no node label).
    const sim = new SimClient(stack.sim);
    for (const e of top.entries) {
      const pod = (await sim.request(e.clusterName, `/api/v1/namespaces/openshift-ovn-kubernetes/pods/${e.pod.name}`)).body;
      expect(e.node.name).toBe(pod.spec.nodeName);
    }

    const bridge = await costOf(`{ ovsTop(metric: BRIDGE_FLOWS, stat: LAST, dimension: "br-int", limit: 3, clusters: ["hub-1", "regional-east"]) { evaluatedAt entries { clusterName pod { name } dimension value } } }`);
    const directBridge = await prom.query('topk(3, ovs_vswitchd_bridge_flows_total{bridge="br-int", cluster=~"hub-1|regional-east"})', seconds(bridge.data.ovsTop.evaluatedAt));
    expect(bridge.data.ovsTop.entries.map((e: any) => [e.clusterName, e.pod.name, e.dimension, e.value])).toEqual(
      directBridge.map((r) => [r.metric.cluster, r.metric.pod, 'br-int', Number(r.value[1])]).sort((a, b) => (b[3] as number) - (a[3] as number)),
    );
  });

  it('delivers the raised CRITICAL of ovs-flow-storm within an evaluation interval + 2 s of Prometheus having it, then the cleared one', async () => {
    const SITE = 'du-002';
    const events: { at: number; kind: string; level: string; metric: string; observed: number }[] = [];
    const errors: unknown[] = [];
    const stop = ws.subscribe<{ ovsAlertChanged: any }>(
      { query: `subscription { ovsAlertChanged(cluster: "${SITE}", levels: [CRITICAL]) { kind alert { level metric observed recommendation node { name } } } }` },
      {
        next: (m) => (m.errors ? errors.push(...m.errors) : events.push({ at: Date.now(), kind: m.data!.ovsAlertChanged.kind, ...m.data!.ovsAlertChanged.alert })),
        error: (e) => errors.push(e),
        complete: () => undefined,
      },
    );
    const health = async () => (await (await fetch(new URL('/healthz', stack.subgraphUrls.ovs))).json()) as { feeds: Record<string, { polls: number }> };
    await waitUntil('the alert loop baseline', async () => ((await health()).feeds[SITE]?.polls ?? 0) >= 1);
    await stack.control('POST', '/scenarios/ovs-flow-storm', { cluster: SITE, rampSeconds: 0, holdSeconds: 6 });
    // When Prometheus first holds the storm's flows (a scrape after the jump).
    const inPrometheus = await waitUntil('the storm in Prometheus', async () => ((await at(`ovs_vswitchd_dp_flows_total{cluster="${SITE}"}`, Date.now() / 1000)) > 20_000 ? Date.now() : undefined), 10_000, 50);
    const raised = await waitUntil('the raised CRITICAL DP_FLOWS', () => events.find((e) => e.metric === 'DP_FLOWS' && e.kind !== 'CLEARED'), 10_000);
    expect(raised).toMatchObject({ kind: 'RAISED', level: 'CRITICAL' });
    expect(raised.observed).toBeGreaterThan(20_000);
    expect(raised.at - inPrometheus).toBeLessThanOrEqual(POLL_MS + 2_000);
    await waitUntil('the cleared CRITICAL DP_FLOWS', () => events.some((e) => e.metric === 'DP_FLOWS' && e.kind === 'CLEARED'), 30_000);
    stop();
    expect(errors).toEqual([]);
  }, 60_000);
});
