// The OVS PromQL builders and mappers against a REAL Prometheus scraping the simulator (fleet-wide,
// label `cluster`): every query parses and evaluates; what the mappers make of the answers equals the
// plain PromQL a user would type, evaluated at the same instant; topk across the fleet equals the
// largest window maxima; and a flow storm raises CRITICAL alerts that clear after recovery.
// Skipped, saying why, only when no prometheus binary exists.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import { samplesOf, anyOfRegex } from '../../subgraphs/metrics/promql.js';
import type { MetricSample } from '../../subgraphs/metrics/types.js';
import { instantQuery, topQuery, windowQuery, alertQuery, type OvsScope, type WindowOptions } from '../../subgraphs/ovs/promql.js';
import { indexFromObjects, groupByNode, type SeriesNodeIndex } from '../../subgraphs/ovs/node-map.js';
import { nodeOvsFromSamples } from '../../subgraphs/ovs/sources.js';
import { clusterWindow, nodeWindowsFromSamples, rankingFromParts } from '../../subgraphs/ovs/window.js';
import { metricDef } from '../../subgraphs/ovs/catalogue.js';
import { diffAlerts, evaluateAlerts, observationsFromSamples } from '../../subgraphs/ovs/alerts.js';
import { activeThresholds, DEFAULT_OVS_SETTINGS } from '../../subgraphs/ovs/thresholds.js';
import type { OvsAlertModel } from '../../subgraphs/ovs/models.js';
import type { NodeObject, PodObject } from '../../subgraphs/ovs/upstream.js';
import { findPrometheus, startPrometheus, type RealPrometheus } from '../helpers/prometheus.js';
import { waitUntil } from '../helpers/wait.js';

const PROMETHEUS = findPrometheus();
if (!PROMETHEUS) console.warn('ovs-promql.test.ts: SKIPPED, no prometheus binary ($PROMETHEUS_BIN or `prometheus` on PATH; Debian package `prometheus`)');
const describeWithPrometheus = PROMETHEUS ? describe : describe.skip;

const O: WindowOptions = { rateWindowMs: 5_000, windowMs: 10_000, stepMs: 1_000 };
const OVN_CLUSTERS = ['du-001', 'du-002', 'hub-1', 'regional-east'];

describeWithPrometheus('OVS PromQL on a real Prometheus', () => {
  let dir: string;
  let sim: Simulator;
  let prom: RealPrometheus;
  const index = new Map<string, SeriesNodeIndex>();

  /** Our query through the same path the subgraph takes: POST, parse with the house's samplesOf. */
  const run = async (query: string, time: number): Promise<MetricSample[]> => {
    const answer = await prom.queryRaw(query, time);
    if (answer.status !== 'success' || !answer.data) throw new Error(`${answer.error}\n${query}`);
    return samplesOf(answer.data);
  };
  const scalarAt = async (query: string, time: number): Promise<number> => {
    const r = await prom.query(query, time);
    if (r.length !== 1) throw new Error(`${query}: ${r.length} results`);
    return Number(r[0].value[1]);
  };
  const scope = (cluster: string): OvsScope => ({ cluster: { label: 'cluster', op: '=', value: cluster } });
  const nodesOf = (cluster: string) => sim.clusters.get(cluster)!.store.list(K.pods).filter((p) => p.metadata.labels?.app === 'ovnkube-node');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ovs-promql-'));
    sim = await startSimulator({ port: 0, controlPort: 0, dir, fleet: { seed: 1, hubs: 1, regionals: 2, edges: 2 } });
    for (const [name, c] of sim.clusters) {
      index.set(name, indexFromObjects(c.store.list(K.pods) as unknown as PodObject[], c.store.list(K.nodes) as unknown as NodeObject[]));
    }
    prom = await startPrometheus({ bin: PROMETHEUS!, dir, controlUrl: sim.controlUrl });
    // Every OVN node scraped, and enough history for a 10 s window over a 5 s rate.
    await waitUntil('OVS series of every OVN-Kubernetes cluster', async () => {
      const clusters = new Set((await prom.query('ovs_build_info')).map((r) => r.metric.cluster));
      return OVN_CLUSTERS.every((c) => clusters.has(c)) ? true : undefined;
    }, 20_000);
    await new Promise((r) => setTimeout(r, 16_000));
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('maps one instant query per cluster to Node.ovs values equal to the plain PromQL at the same time', async () => {
    const pods = nodesOf('regional-east');
    // An instant at which every pod's last scrape succeeded: on a loaded machine a 1 s scrape can time
    // out, and Prometheus then marks that pod's series stale (absent) until the next one.
    const t = await waitUntil('an instant with every regional-east pod scraped', async () => {
      const at = Date.now() / 1000 - 1;
      const up = await prom.query(`ovs_build_info{cluster="regional-east"}`, at);
      return up.length === pods.length ? at : undefined;
    }, 30_000);
    const samples = await run(instantQuery({ ...scope('regional-east'), pods: pods.map((p) => p.metadata.name) }, O), t);
    const grouped = groupByNode(samples, index.get('regional-east')!);
    expect(grouped.unmapped).toEqual([]);
    expect([...grouped.byNode.keys()].sort()).toEqual(pods.map((p) => (p.spec as { nodeName: string }).nodeName).sort());
    for (const pod of pods) {
      const nodeName = (pod.spec as { nodeName: string }).nodeName;
      const model = nodeOvsFromSamples({
        clusterName: 'regional-east',
        nodeName,
        pod: { namespace: pod.metadata.namespace!, name: pod.metadata.name },
        samples: grouped.byNode.get(nodeName)!,
        read: { source: 'PROMETHEUS', readAt: new Date(t * 1000).toISOString(), endpoint: prom.url },
      });
      const sel = `{cluster="regional-east", pod="${pod.metadata.name}"}`;
      expect(model.version).toBe('3.4.1');
      expect(model.datapaths.map((d) => d.name)).toEqual(['ovs-system']);
      expect(model.datapaths[0].flows).toBe(await scalarAt(`ovs_vswitchd_dp_flows_total${sel}`, t));
      expect(model.bridges.map((b) => [b.name, b.flows])).toEqual([
        ['br-int', await scalarAt(`ovs_vswitchd_bridge_flows_total{cluster="regional-east", pod="${pod.metadata.name}", bridge="br-int"}`, t)],
        ['br-ex', await scalarAt(`ovs_vswitchd_bridge_flows_total{cluster="regional-east", pod="${pod.metadata.name}", bridge="br-ex"}`, t)],
      ]);
      expect(model.vswitchd.cpuPercent).toBeCloseTo(await scalarAt(`rate(ovs_vswitchd_process_cpu_seconds_total${sel}[5s]) * 100`, t), 9);
      expect(model.ovsdb.residentMemoryBytes).toBe(await scalarAt(`ovs_db_process_resident_memory_bytes${sel}`, t));
      expect(model.connections.rconnSent).toBe(await scalarAt(`ovs_vswitchd_rconn_sent${sel}`, t));
      const unit = `{cluster="regional-east", node="${nodeName}", id="/system.slice/ovs-vswitchd.service"}`;
      expect(model.vswitchd.service).toMatchObject({
        unit: '/system.slice/ovs-vswitchd.service',
        memoryRssBytes: await scalarAt(`container_memory_rss${unit}`, t),
        memoryWorkingSetBytes: await scalarAt(`container_memory_working_set_bytes${unit}`, t),
      });
      expect(model.vswitchd.service!.cpuPercent).toBeCloseTo(await scalarAt(`rate(container_cpu_usage_seconds_total${unit}[5s]) * 100`, t), 9);
      expect(Math.abs(Date.parse(model.sampledAt) - t * 1000)).toBeLessThan(3_000);
      expect(model.vswitchd.cpuPercent!).toBeGreaterThan(1);
    }
  });

  it('maps one window query per cluster to min/avg/max/p95 equal to the plain *_over_time PromQL', async () => {
    const t = Date.now() / 1000 - 1;
    const read = { source: 'PROMETHEUS' as const, readAt: new Date(t * 1000).toISOString(), endpoint: prom.url };
    const windows = nodeWindowsFromSamples({ clusterName: 'hub-1', windowMs: O.windowMs, samples: await run(windowQuery(scope('hub-1'), O), t), index: index.get('hub-1')!, read });
    expect(windows.size).toBe(3);
    for (const [nodeName, w] of windows) {
      const pod = index.get('hub-1')!.podOn(nodeName)!.name;
      const flows = w.series.find((s) => s.metric === 'DP_FLOWS')!;
      expect(flows.dimension).toBe('ovs-system');
      const sel = `ovs_vswitchd_dp_flows_total{cluster="hub-1", pod="${pod}"}[10s]`;
      expect(flows.stats).toEqual({
        min: await scalarAt(`min_over_time(${sel})`, t),
        avg: await scalarAt(`avg_over_time(${sel})`, t),
        max: await scalarAt(`max_over_time(${sel})`, t),
        p95: await scalarAt(`quantile_over_time(0.95, ${sel})`, t),
      });
      const cpu = w.series.find((s) => s.metric === 'VSWITCHD_CPU')!.stats;
      expect(cpu.max).toBeCloseTo(await scalarAt(`max_over_time((rate(ovs_vswitchd_process_cpu_seconds_total{cluster="hub-1", pod="${pod}"}[5s]) * 100)[10s:1s])`, t), 9);
      expect(cpu.min!).toBeLessThanOrEqual(cpu.avg!);
      expect(cpu.avg!).toBeLessThanOrEqual(cpu.max!);
      expect(w.series.find((s) => s.metric === 'VSWITCHD_SERVICE_MEMORY')!.stats.max).toBeGreaterThan(0);
      const sent = w.counters.find((c) => c.series === 'ovs_vswitchd_rconn_sent')!;
      expect(sent.increase).toBeCloseTo(await scalarAt(`increase(ovs_vswitchd_rconn_sent{cluster="hub-1", pod="${pod}"}[10s])`, t), 9);
      expect(sent.perSecond).toBeCloseTo(sent.increase / 10, 9);
      expect(sent.increase).toBeGreaterThan(0);
    }
    const rollup = clusterWindow('hub-1', O.windowMs, [...windows.values()], read);
    const flows = rollup.series.find((s) => s.metric === 'DP_FLOWS')!;
    expect(flows.stats.max).toBe(Math.max(...[...windows.values()].map((w) => w.series.find((s) => s.metric === 'DP_FLOWS')!.stats.max!)));
    expect(flows.worstNode).toBeDefined();
  });

  it('ranks the fleet with one topk equal to the largest node maxima of the per-cluster windows', async () => {
    const t = Date.now() / 1000 - 1;
    const all: OvsScope = { cluster: { label: 'cluster', op: '=~', value: anyOfRegex(OVN_CLUSTERS) } };
    const top = await run(topQuery(metricDef('VSWITCHD_MEMORY'), 'MAX', all, { ...O, limit: 5 }), t);
    expect(top).toHaveLength(5);
    const ranking = rankingFromParts({ metric: 'VSWITCHD_MEMORY', stat: 'MAX', windowMs: O.windowMs, limit: 5, parts: [{ samples: top }], indexOf: (c) => index.get(c) });
    // Independently: every node's window maximum, from one window query per cluster.
    const maxima: { cluster: string; node: string; max: number }[] = [];
    for (const cluster of OVN_CLUSTERS) {
      const read = { source: 'PROMETHEUS' as const, readAt: '', endpoint: prom.url };
      for (const [node, w] of nodeWindowsFromSamples({ clusterName: cluster, windowMs: O.windowMs, samples: await run(windowQuery(scope(cluster), O), t), index: index.get(cluster)!, read })) {
        maxima.push({ cluster, node, max: w.series.find((s) => s.metric === 'VSWITCHD_MEMORY')!.stats.max! });
      }
    }
    maxima.sort((a, b) => b.max - a.max);
    expect(ranking.entries.map((e) => [e.rank, e.clusterName, e.nodeName, e.value])).toEqual(maxima.slice(0, 5).map((m, i) => [i + 1, m.cluster, m.node, m.max]));
    expect(ranking.unit).toBe('BYTES');
    // BRIDGE_FLOWS restricted to one bridge.
    const brInt = await run(topQuery(metricDef('BRIDGE_FLOWS'), 'LAST', all, { ...O, limit: 3, dimension: 'br-int' }), t);
    expect(brInt.map((s) => s.labels.bridge)).toEqual(['br-int', 'br-int', 'br-int']);
  });

  it('raises CRITICAL alerts during ovs-flow-storm on one site, and clears them after recovery', async () => {
    const thresholds = activeThresholds(DEFAULT_OVS_SETTINGS).map((t) => metricDef(t.metric));
    let active: OvsAlertModel[] = [];
    const changes: ReturnType<typeof diffAlerts> = [];
    const evaluate = async () => {
      const t = Date.now() / 1000;
      const at = new Date(t * 1000).toISOString();
      const samples = await run(alertQuery(scope('du-002'), { ...O, windowMs: DEFAULT_OVS_SETTINGS.counterWindowMs, metrics: thresholds }), t);
      const next = evaluateAlerts({ observations: observationsFromSamples('du-002', samples, index.get('du-002')!, at, DEFAULT_OVS_SETTINGS.counterWindowMs), settings: DEFAULT_OVS_SETTINGS, previous: active, at });
      changes.push(...diffAlerts(active, next, at));
      active = next;
      return next;
    };
    expect((await evaluate()).filter((a) => a.level !== 'INFO')).toEqual([]);
    const res = await fetch(`${sim.controlUrl}/scenarios/ovs-flow-storm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cluster: 'du-002', rampSeconds: 1, holdSeconds: 12 }),
    });
    expect(res.status).toBe(200);
    const critical = await waitUntil('CRITICAL DP_FLOWS and VSWITCHD_CPU on du-002', async () => {
      const now = await evaluate();
      const crit = now.filter((a) => a.level === 'CRITICAL').map((a) => a.metric).sort();
      return crit.includes('DP_FLOWS') && crit.includes('VSWITCHD_CPU') ? now : undefined;
    }, 15_000);
    const cpu = critical.find((a) => a.metric === 'VSWITCHD_CPU')!;
    expect(cpu).toMatchObject({ clusterName: 'du-002', nodeName: 'du-002-sno', threshold: 85, unit: 'PERCENT' });
    expect(cpu.observed).toBeGreaterThan(85);
    expect(cpu.recommendation).toMatch(/flow storm/);
    expect(critical.find((a) => a.metric === 'DP_FLOWS')).toMatchObject({ dimension: 'ovs-system', threshold: 20_000 });
    await waitUntil('alerts cleared after the storm', async () => ((await evaluate()).every((a) => a.metric !== 'DP_FLOWS' && a.metric !== 'VSWITCHD_CPU') ? true : undefined), 30_000);
    const kinds = changes.filter((c) => c.alert.metric === 'DP_FLOWS').map((c) => c.kind);
    expect(kinds[0]).toBe('RAISED');
    expect(kinds.at(-1)).toBe('CLEARED');
  }, 60_000);
});
