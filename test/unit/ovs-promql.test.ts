// The OVS PromQL builders (one query per cluster per metric group, tagged so computed series never
// collide; counters only ever through rate()/increase(); safe selectors from untrusted names) and the
// mappers of their answers (windows, cluster rollup, merged fleet ranking) on upstream-shaped JSON.
import { samplesOf } from '../../subgraphs/metrics/promql.js';
import type { MetricRead } from '../../subgraphs/metrics/types.js';
import { defaultStat, metricDef, OVS_METRICS, statApplies, unitOf } from '../../subgraphs/ovs/catalogue.js';
import { alertQuery, instantQuery, statExpr, topQuery, windowQuery, WINDOW_COUNTERS, type WindowOptions } from '../../subgraphs/ovs/promql.js';
import { indexFromObjects, SeriesNodeIndex } from '../../subgraphs/ovs/node-map.js';
import { clusterWindow, nodeWindowsFromSamples, rankingFromParts } from '../../subgraphs/ovs/window.js';
import { COVERAGE_COUNTERS } from '../../subgraphs/ovs/upstream.js';
import { EVAL_TIME, ovnTarget, vectorAnswer, type PromEntry } from './ovs-fixtures.js';

const O: WindowOptions = { rateWindowMs: 120_000, windowMs: 300_000, stepMs: 3_000 };
const ONE = { cluster: { label: 'cluster', op: '=' as const, value: 'du-001' } };

describe('PromQL builders', () => {
  it('reads every Node.ovs series of a batch in one instant query, scoped to the cluster and its pods / nodes', () => {
    const q = instantQuery({ ...ONE, pods: ['ovnkube-node-a', 'ovnkube-node-b'], nodes: ['du-001-sno'] }, O);
    const parts = q.split('\n  or ');
    expect(parts[0]).toBe('{__name__=~"ovs_build_info|ovs_vswitchd_.+|ovs_db_process_.+", cluster="du-001", pod=~"ovnkube-node-a|ovnkube-node-b"}');
    expect(parts[1]).toBe(
      '{__name__=~"container_cpu_usage_seconds_total|container_memory_rss|container_memory_working_set_bytes", id=~"/system\\\\.slice/ovs-vswitchd\\\\.service|/system\\\\.slice/ovsdb-server\\\\.service", cluster="du-001", node=~"du-001-sno"}',
    );
    expect(parts).toContain('label_replace(rate(ovs_vswitchd_process_cpu_seconds_total{cluster="du-001", pod=~"ovnkube-node-a|ovnkube-node-b"}[2m]) * 100, "ovs_metric", "VSWITCHD_CPU", "", "")');
    expect(parts).toContain('label_replace(rate(container_cpu_usage_seconds_total{id="/system.slice/ovs-vswitchd.service", cluster="du-001", node=~"du-001-sno"}[2m]) * 100, "ovs_metric", "VSWITCHD_SERVICE_CPU", "", "")');
    expect(parts.filter((p) => p.startsWith('label_replace('))).toHaveLength(6);
  });

  it('drops the batch matcher past 100 names, and escapes untrusted names', () => {
    const many = Array.from({ length: 101 }, (_, i) => `ovnkube-node-${i}`);
    expect(instantQuery({ pods: many }, O)).not.toContain('pod=~');
    const q = instantQuery({ cluster: { label: 'cluster', op: '=', value: 'a"b\\c' }, pods: ['p.1', 'x|y'] }, O);
    expect(q).toContain('cluster="a\\"b\\\\c"');
    expect(q).toContain('pod=~"p\\\\.1|x\\\\|y"');
  });

  it('writes window statistics as *_over_time, per-second series as subqueries, counters as increase()', () => {
    const flows = metricDef('DP_FLOWS');
    expect(statExpr(flows, 'MIN', ONE, O)).toBe('min_over_time(ovs_vswitchd_dp_flows_total{cluster="du-001"}[5m])');
    expect(statExpr(flows, 'P95', ONE, O)).toBe('quantile_over_time(0.95, ovs_vswitchd_dp_flows_total{cluster="du-001"}[5m])');
    expect(statExpr(flows, 'LAST', ONE, O)).toBe('ovs_vswitchd_dp_flows_total{cluster="du-001"}');
    expect(statExpr(metricDef('VSWITCHD_CPU'), 'AVG', ONE, O)).toBe('avg_over_time((rate(ovs_vswitchd_process_cpu_seconds_total{cluster="du-001"}[2m]) * 100)[5m:3s])');
    // Coverage gauges have no _total suffix but are cumulative: never read raw in a statistic.
    const overflow = metricDef('RCONN_OVERFLOW');
    expect(statExpr(overflow, 'INCREASE', ONE, O)).toBe('increase(ovs_vswitchd_rconn_overflow{cluster="du-001"}[5m])');
    expect(statExpr(overflow, 'MAX', ONE, O)).toBe('max_over_time((rate(ovs_vswitchd_rconn_overflow{cluster="du-001"}[2m]))[5m:3s])');
    expect(statExpr(overflow, 'LAST', ONE, O)).toBe('rate(ovs_vswitchd_rconn_overflow{cluster="du-001"}[2m])');
    expect(() => statExpr(flows, 'INCREASE', ONE, O)).toThrow(/not a counter/);
    expect(statApplies(flows, 'INCREASE')).toBe(false);
    expect([defaultStat(flows), defaultStat(overflow)]).toEqual(['MAX', 'INCREASE']);
    expect([unitOf(overflow, 'INCREASE'), unitOf(overflow, 'MAX'), unitOf(flows, 'MAX')]).toEqual(['EVENTS', 'EVENTS_PER_SECOND', 'FLOWS']);
  });

  it('puts every windowed metric and counter of a cluster in one query, each tagged', () => {
    const parts = windowQuery(ONE, O).split('\n  or ');
    const gaugesAndCpu = OVS_METRICS.filter((d) => d.kind !== 'counter').length;
    expect(parts).toHaveLength(gaugesAndCpu * 4 + WINDOW_COUNTERS.length);
    for (const p of parts) expect(p).toMatch(/"ovs_(metric|counter)"/);
    expect(parts).toContain('label_replace(increase(ovs_vswitchd_rconn_overflow{cluster="du-001"}[5m]), "ovs_counter", "ovs_vswitchd_rconn_overflow", "", "")');
    for (const name of COVERAGE_COUNTERS) expect(parts.some((p) => p.includes(`increase(ovs_vswitchd_${name}{`))).toBe(true);
    // No raw coverage gauge anywhere outside rate()/increase().
    expect(parts.filter((p) => /(min|max|avg)_over_time\(ovs_vswitchd_rconn/.test(p))).toEqual([]);
  });

  it('ranks with one topk over the scope, optionally one bridge', () => {
    const fleet = { cluster: { label: 'cluster', op: '=~' as const, value: 'du-001|du-002' } };
    expect(topQuery(metricDef('DP_FLOWS'), 'MAX', fleet, { ...O, limit: 10 })).toBe('topk(10, max_over_time(ovs_vswitchd_dp_flows_total{cluster=~"du-001|du-002"}[5m]))');
    expect(topQuery(metricDef('BRIDGE_FLOWS'), 'LAST', {}, { ...O, limit: 3, dimension: 'br-ex' })).toBe('topk(3, ovs_vswitchd_bridge_flows_total{bridge="br-ex"})');
    expect(topQuery(metricDef('OVSDB_SERVICE_MEMORY'), 'AVG', {}, { ...O, limit: 5 })).toBe('topk(5, avg_over_time(container_memory_rss{id="/system.slice/ovsdb-server.service"}[5m]))');
    expect(() => topQuery(metricDef('DP_FLOWS'), 'MAX', {}, { ...O, limit: 0 })).toThrow();
  });

  it('asks the alert loop for current values of gauges / CPU and increases of counters, in one query', () => {
    const q = alertQuery(ONE, { ...O, metrics: [metricDef('VSWITCHD_CPU'), metricDef('DP_FLOWS'), metricDef('RCONN_OVERFLOW')] });
    expect(q.split('\n  or ')).toEqual([
      'label_replace(label_replace(rate(ovs_vswitchd_process_cpu_seconds_total{cluster="du-001"}[2m]) * 100, "ovs_metric", "VSWITCHD_CPU", "", ""), "ovs_stat", "LAST", "", "")',
      'label_replace(label_replace(ovs_vswitchd_dp_flows_total{cluster="du-001"}, "ovs_metric", "DP_FLOWS", "", ""), "ovs_stat", "LAST", "", "")',
      'label_replace(label_replace(increase(ovs_vswitchd_rconn_overflow{cluster="du-001"}[5m]), "ovs_metric", "RCONN_OVERFLOW", "", ""), "ovs_stat", "INCREASE", "", "")',
    ]);
  });
});

const PODS = [
  { metadata: { name: 'ovnkube-node-a', namespace: 'openshift-ovn-kubernetes', labels: { app: 'ovnkube-node' } }, spec: { nodeName: 'worker-0' }, status: { podIP: '10.0.0.10' } },
  { metadata: { name: 'ovnkube-node-b', namespace: 'openshift-ovn-kubernetes', labels: { app: 'ovnkube-node' } }, spec: { nodeName: 'worker-1' }, status: { podIP: '10.0.0.11' } },
];
const index = indexFromObjects(PODS);
const read: MetricRead = { source: 'PROMETHEUS', readAt: new Date(EVAL_TIME * 1000).toISOString(), endpoint: 'https://prom.example' };

function stat(pod: string, ip: string, metric: string, s: string, value: number, extra: Record<string, string> = {}): PromEntry {
  return { metric: { ...ovnTarget(pod, ip), ovs_metric: metric, ovs_stat: s, ...extra }, value: [EVAL_TIME, String(value)] };
}

describe('window answers → per-node windows and the cluster rollup', () => {
  const answer = vectorAnswer([
    ...(['MIN', 'AVG', 'MAX'] as const).map((s, i) => stat('ovnkube-node-a', '10.0.0.10', 'VSWITCHD_CPU', s, [4, 6, 12][i])),
    ...(['MIN', 'AVG', 'MAX', 'P95'] as const).map((s, i) => stat('ovnkube-node-b', '10.0.0.11', 'VSWITCHD_CPU', s, [2, 3, 5, 4.5][i])),
    stat('ovnkube-node-a', '10.0.0.10', 'DP_FLOWS', 'MAX', 1900, { datapath: 'ovs-system' }),
    stat('ovnkube-node-a', '10.0.0.10', 'DP_FLOWS', 'MAX', 300, { datapath: 'ovs-netdev' }),
    stat('ovnkube-node-b', '10.0.0.11', 'DP_FLOWS', 'MAX', 2100, { datapath: 'ovs-system' }),
    stat('ovnkube-node-b', '10.0.0.11', 'BRIDGE_FLOWS', 'P95', 9000, { bridge: 'br-int' }),
    // A statistic Prometheus answers NaN for is null, not a number.
    { metric: { ...ovnTarget('ovnkube-node-a', '10.0.0.10'), ovs_metric: 'VSWITCHD_CPU', ovs_stat: 'P95' }, value: [EVAL_TIME, 'NaN'] },
    { metric: { ...ovnTarget('ovnkube-node-a', '10.0.0.10'), ovs_counter: 'ovs_vswitchd_rconn_overflow' }, value: [EVAL_TIME, '150'] },
    { metric: { ...ovnTarget('ovnkube-node-b', '10.0.0.11'), ovs_counter: 'ovs_vswitchd_rconn_overflow' }, value: [EVAL_TIME, '30'] },
    { metric: { ...ovnTarget('ovnkube-node-a', '10.0.0.10'), ovs_counter: 'ovs_vswitchd_dp_flows_lookup_lost', datapath: 'ovs-system' }, value: [EVAL_TIME, '12.5'] },
  ]);
  const windows = nodeWindowsFromSamples({ clusterName: 'regional-east', windowMs: 300_000, samples: samplesOf(answer.data), index, read });

  it('gives each node its statistics per metric and dimension, and counter increases with per-second rates', () => {
    const a = windows.get('worker-0')!;
    expect([a.window, a.seconds, a.evaluatedAt]).toEqual(['5m', 300, read.readAt]);
    expect(a.series.map((s) => [s.metric, s.dimension, s.unit])).toEqual([
      ['VSWITCHD_CPU', null, 'PERCENT'],
      ['DP_FLOWS', 'ovs-netdev', 'FLOWS'],
      ['DP_FLOWS', 'ovs-system', 'FLOWS'],
    ]);
    expect(a.series[0].stats).toEqual({ min: 4, avg: 6, max: 12, p95: null });
    expect(a.series[2].stats).toEqual({ min: null, avg: null, max: 1900, p95: null });
    expect(a.counters).toEqual([
      { series: 'ovs_vswitchd_dp_flows_lookup_lost', dimension: 'ovs-system', increase: 12.5, perSecond: 12.5 / 300 },
      { series: 'ovs_vswitchd_rconn_overflow', dimension: null, increase: 150, perSecond: 0.5 },
    ]);
  });

  it('rolls the cluster up from its nodes: min of minima, mean of averages, max of maxima, worst node', () => {
    const c = clusterWindow('regional-east', 300_000, [...windows.values()], read);
    expect(c.nodes).toBe(2);
    const cpu = c.series.find((s) => s.metric === 'VSWITCHD_CPU')!;
    expect(cpu.stats).toEqual({ min: 2, avg: 4.5, max: 12, p95: 4.5 });
    expect([cpu.worstNode, cpu.nodes]).toEqual(['worker-0', 2]);
    expect(c.series.find((s) => s.metric === 'DP_FLOWS' && s.dimension === 'ovs-system')).toMatchObject({ stats: { max: 2100 }, worstNode: 'worker-1', nodes: 2 });
    expect(c.counters.find((x) => x.series === 'ovs_vswitchd_rconn_overflow')).toEqual({
      clusterName: 'regional-east',
      series: 'ovs_vswitchd_rconn_overflow',
      dimension: null,
      increase: 180,
      perSecond: 0.6,
      worstNode: 'worker-0',
      nodes: 2,
    });
    expect(clusterWindow('x', 60_000, [], read)).toMatchObject({ nodes: 0, series: [], counters: [], window: '1m' });
  });
});

describe('topk answers → one fleet ranking', () => {
  const perCluster = vectorAnswer([
    { metric: { ...ovnTarget('ovnkube-node-a', '10.0.0.10'), datapath: 'ovs-system' }, value: [EVAL_TIME, '21000'] },
    { metric: { ...ovnTarget('ovnkube-node-b', '10.0.0.11'), datapath: 'ovs-system' }, value: [EVAL_TIME, '1800'] },
  ]);
  const fleetWide = vectorAnswer([
    { metric: { ...ovnTarget('ovnkube-node-q', '10.1.0.5'), datapath: 'ovs-system', cluster: 'du-001' }, value: [EVAL_TIME, '1800'] },
    { metric: { ...ovnTarget('ovnkube-node-r', '10.1.0.6'), datapath: 'ovs-system', cluster: 'du-002' }, value: [EVAL_TIME, '9000'] },
    { metric: { ...ovnTarget('ovnkube-node-s', '10.1.0.7'), datapath: 'ovs-system', cluster: 'not-ours' }, value: [EVAL_TIME, '99999'] },
    { metric: { ...ovnTarget('ovnkube-node-t', '10.1.0.8'), datapath: 'ovs-system', cluster: 'du-003' }, value: [EVAL_TIME, 'NaN'] },
  ]);
  const du = new SeriesNodeIndex([{ namespace: 'openshift-ovn-kubernetes', name: 'ovnkube-node-q', nodeName: 'du-001-sno' }]);

  it('merges per-cluster and fleet-wide answers, keeps only our clusters, ranks with stable ties and cuts at limit', () => {
    const ranking = rankingFromParts({
      metric: 'DP_FLOWS',
      stat: 'MAX',
      windowMs: 300_000,
      limit: 3,
      parts: [{ clusterName: 'regional-east', samples: samplesOf(perCluster.data) }, { samples: samplesOf(fleetWide.data) }],
      indexOf: (c) => (c === 'regional-east' ? index : c === 'du-001' ? du : undefined),
      clusters: new Set(['regional-east', 'du-001', 'du-002', 'du-003']),
    });
    expect(ranking).toMatchObject({ metric: 'DP_FLOWS', stat: 'MAX', window: '5m', unit: 'FLOWS', limit: 3 });
    expect(ranking.entries).toEqual([
      { rank: 1, clusterName: 'regional-east', nodeName: 'worker-0', pod: { namespace: 'openshift-ovn-kubernetes', name: 'ovnkube-node-a' }, dimension: 'ovs-system', value: 21000 },
      // No index for du-002 (its pods unknown): the pod is still named, the node is not guessed.
      { rank: 2, clusterName: 'du-002', nodeName: null, pod: { namespace: 'openshift-ovn-kubernetes', name: 'ovnkube-node-r' }, dimension: 'ovs-system', value: 9000 },
      { rank: 3, clusterName: 'du-001', nodeName: 'du-001-sno', pod: { namespace: 'openshift-ovn-kubernetes', name: 'ovnkube-node-q' }, dimension: 'ovs-system', value: 1800 },
    ]);
  });
});
