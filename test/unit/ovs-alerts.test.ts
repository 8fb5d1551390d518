// Alert evaluation: levels against the thresholds in force, hysteresis, since / levelSince across
// evaluations, actionable recommendations, the raised / level-changed / cleared diff and its level
// filter, and where observations come from (instant models, a pod-proxy read history, PromQL answers).
import { parsePrometheusText } from '../../subgraphs/metrics/text-format.js';
import { samplesOf } from '../../subgraphs/metrics/promql.js';
import {
  changeMatchesLevels,
  counterObservationsFromHistory,
  diffAlerts,
  evaluateAlerts,
  formatValue,
  observationsFromNode,
  observationsFromSamples,
  recommendationFor,
} from '../../subgraphs/ovs/alerts.js';
import { OVS_METRIC_IDS } from '../../subgraphs/ovs/catalogue.js';
import type { NodeOvsModel, OvsObservation } from '../../subgraphs/ovs/models.js';
import { SeriesNodeIndex } from '../../subgraphs/ovs/node-map.js';
import { nodeOvsFromSamples } from '../../subgraphs/ovs/sources.js';
import { DEFAULT_OVS_SETTINGS, resolveOvsSettings } from '../../subgraphs/ovs/thresholds.js';
import { EVAL_TIME, OVNKUBE_NODE_PAGE, ovnTarget, vectorAnswer } from './ovs-fixtures.js';

const T0 = '2025-06-02T09:00:00.000Z';
const T1 = '2025-06-02T09:00:10.000Z';
const T2 = '2025-06-02T09:00:20.000Z';
const T3 = '2025-06-02T09:00:30.000Z';

const obs = (metric: OvsObservation['metric'], value: number, extra: Partial<OvsObservation> = {}): OvsObservation => ({
  clusterName: 'du-003',
  nodeName: 'du-003-sno',
  metric,
  dimension: null,
  value,
  sampledAt: T0,
  ...extra,
});

const evaluate = (observations: OvsObservation[], at: string, previous: ReturnType<typeof evaluateAlerts> = [], settings = DEFAULT_OVS_SETTINGS) =>
  evaluateAlerts({ observations, settings, previous, at });

describe('alert levels', () => {
  it('raises CRITICAL / WARNING / INFO at the seed thresholds with metric, observed value, threshold and advice', () => {
    const alerts = evaluate(
      [
        obs('VSWITCHD_CPU', 91.2),
        obs('OVSDB_CPU', 72),
        obs('DP_FLOWS', 4_100, { dimension: 'ovs-system' }),
        obs('BRIDGE_FLOWS', 60_000, { dimension: 'br-int' }),
        obs('VSWITCHD_MEMORY', 300 * 1024 * 1024),
        obs('RCONN_OVERFLOW', 150, { windowMs: 300_000 }),
        obs('STREAM_OPEN', 1e9), // no thresholds by default
      ],
      T0,
    );
    expect(alerts.map((a) => [a.level, a.metric, a.dimension, a.observed, a.threshold])).toEqual([
      ['CRITICAL', 'BRIDGE_FLOWS', 'br-int', 60_000, 50_000],
      ['CRITICAL', 'VSWITCHD_CPU', null, 91.2, 85],
      ['WARNING', 'OVSDB_CPU', null, 72, 70],
      ['WARNING', 'RCONN_OVERFLOW', null, 150, 100],
      ['INFO', 'DP_FLOWS', 'ovs-system', 4_100, 4_000],
    ]);
    const cpu = alerts.find((a) => a.metric === 'VSWITCHD_CPU')!;
    expect(cpu).toMatchObject({ id: 'du-003/du-003-sno/VSWITCHD_CPU', clusterName: 'du-003', nodeName: 'du-003-sno', unit: 'PERCENT', window: null, since: T0, levelSince: T0, evaluatedAt: T0 });
    expect(cpu.message).toBe('CRITICAL: ovs-vswitchd CPU, % of one core (process collector) on du-003-sno (du-003): 91.2 % ≥ critical threshold 85.0 %');
    expect(cpu.recommendation).toMatch(/flow storm.*ovs-appctl upcall\/show/);
    const overflow = alerts.find((a) => a.metric === 'RCONN_OVERFLOW')!;
    expect([overflow.window, overflow.unit]).toEqual(['5m', 'EVENTS']);
    expect(overflow.message).toMatch(/150 events in 5m ≥ warning threshold 100 events/);
    expect(alerts.find((a) => a.metric === 'BRIDGE_FLOWS')!.message).toMatch(/on du-003-sno \(du-003\), bridge br-int: 60,000 flows/);
    expect(alerts.find((a) => a.level === 'INFO')!.recommendation).toMatch(/^Approaching the warning threshold/);
  });

  it('uses the cluster thresholds: disabled metrics stay silent, enabled extras alert', () => {
    const settings = resolveOvsSettings([{ raw: { thresholds: { vswitchdCpu: { enabled: false }, dpLookupLost: { warning: 1, critical: 100 } } }, path: 'p' }]);
    const alerts = evaluate([obs('VSWITCHD_CPU', 99), obs('DP_LOOKUP_LOST', 250, { dimension: 'ovs-system', windowMs: 300_000 })], T0, [], settings);
    expect(alerts.map((a) => [a.level, a.metric])).toEqual([['CRITICAL', 'DP_LOOKUP_LOST']]);
  });

  it('holds a level within the hysteresis band, keeps since across level changes, and moves levelSince', () => {
    const first = evaluate([obs('VSWITCHD_CPU', 86)], T0);
    expect(first[0].level).toBe('CRITICAL');
    const held = evaluate([obs('VSWITCHD_CPU', 82)], T1, first); // 82 ≥ 85 × 0.95 = 80.75
    expect(held[0]).toMatchObject({ level: 'CRITICAL', since: T0, levelSince: T0, evaluatedAt: T1 });
    expect(held[0].message).toMatch(/below the critical threshold 85\.0 % but within its 5 % hysteresis/);
    const down = evaluate([obs('VSWITCHD_CPU', 80)], T2, held);
    expect(down[0]).toMatchObject({ level: 'WARNING', threshold: 70, since: T0, levelSince: T2 });
    // Without a previous alert, 82 % is a WARNING, not a held CRITICAL.
    expect(evaluate([obs('VSWITCHD_CPU', 82)], T1)[0].level).toBe('WARNING');
    // Non-finite observations are ignored.
    expect(evaluate([obs('VSWITCHD_CPU', NaN)], T1)).toEqual([]);
  });
});

describe('alert changes', () => {
  it('diffs evaluations into RAISED, LEVEL_CHANGED and CLEARED, and filters by level', () => {
    const a0 = evaluate([obs('DP_FLOWS', 6_000, { dimension: 'ovs-system' })], T0);
    const a1 = evaluate([obs('DP_FLOWS', 25_000, { dimension: 'ovs-system' })], T1, a0);
    const a2 = evaluate([obs('DP_FLOWS', 1_000, { dimension: 'ovs-system' })], T2, a1);
    const changes = [...diffAlerts([], a0, T0), ...diffAlerts(a0, a1, T1), ...diffAlerts(a1, a1, T1), ...diffAlerts(a1, a2, T2)];
    expect(changes.map((c) => [c.kind, c.alert.level, c.previousLevel, c.at])).toEqual([
      ['RAISED', 'WARNING', null, T0],
      ['LEVEL_CHANGED', 'CRITICAL', 'WARNING', T1],
      ['CLEARED', 'CRITICAL', 'CRITICAL', T2],
    ]);
    expect(changes[2].alert).toMatchObject({ id: 'du-003/du-003-sno/DP_FLOWS/ovs-system', since: T0, evaluatedAt: T2 });
    expect(changes.filter((c) => changeMatchesLevels(c, ['CRITICAL'])).map((c) => c.kind)).toEqual(['LEVEL_CHANGED', 'CLEARED']);
    expect(changes.filter((c) => changeMatchesLevels(c, ['WARNING'])).map((c) => c.kind)).toEqual(['RAISED', 'LEVEL_CHANGED']);
    expect(changes.filter((c) => changeMatchesLevels(c, [])).length).toBe(3);
    expect(changes.filter((c) => changeMatchesLevels(c, null)).length).toBe(3);
  });
});

describe('observations', () => {
  const read = (at: string) => ({ source: 'POD_PROXY' as const, readAt: at, endpoint: '/proxy' });
  const model = (text: string, at: string): NodeOvsModel =>
    nodeOvsFromSamples({ clusterName: 'du-003', nodeName: 'du-003-sno', pod: null, samples: parsePrometheusText(text).samples, read: read(at) });

  it('takes gauges and CPU from an instant model, per datapath and bridge, never a counter total', () => {
    const m = { ...model(OVNKUBE_NODE_PAGE, T0) };
    m.vswitchd = { ...m.vswitchd, cpuPercent: 12 };
    const o = observationsFromNode(m);
    expect(o.map((x) => [x.metric, x.dimension, x.value])).toEqual([
      ['VSWITCHD_CPU', null, 12],
      ['VSWITCHD_MEMORY', null, 607248384],
      ['OVSDB_MEMORY', null, 50331648],
      ['DP_FLOWS', 'ovs-netdev', 212],
      ['DP_FLOWS', 'ovs-system', 6123],
      ['BRIDGE_FLOWS', 'br-int', 12876],
      ['BRIDGE_FLOWS', 'br-ex', 41],
      ['BRIDGE_FLOWS', 'br-dpdk', 4],
    ]);
    expect(o.some((x) => x.metric === 'RCONN_OVERFLOW')).toBe(false); // 312 since start is not "now"
  });

  it('computes counter increases from a read history inside the window, a drop counting as a restart from 0', () => {
    const page = (overflow: number, lost: number) =>
      OVNKUBE_NODE_PAGE.replace('ovs_vswitchd_rconn_overflow 312', `ovs_vswitchd_rconn_overflow ${overflow}`).replace(
        'ovs_vswitchd_dp_flows_lookup_lost{datapath="ovs-system"} 418',
        `ovs_vswitchd_dp_flows_lookup_lost{datapath="ovs-system"} ${lost}`,
      );
    const history = [model(page(100, 400), '2025-06-02T08:50:00.000Z'), model(page(312, 418), T0), model(page(400, 430), T1), model(page(50, 440), T2), model(page(90, 450), T3)];
    const o = counterObservationsFromHistory(history, 300_000, ['RCONN_OVERFLOW', 'DP_LOOKUP_LOST', 'VSWITCHD_CPU']);
    // In window: T0..T3 (08:50 is older than 5 min before T3). 312 → 400 (+88) → 50 (restart: +50) → 90 (+40).
    expect(o.map((x) => [x.metric, x.dimension, x.value, x.windowMs, x.sampledAt])).toEqual([
      ['RCONN_OVERFLOW', null, 178, 30_000, T3],
      ['DP_LOOKUP_LOST', 'ovs-netdev', 0, 30_000, T3],
      ['DP_LOOKUP_LOST', 'ovs-system', 32, 30_000, T3],
    ]);
    expect(counterObservationsFromHistory(history.slice(0, 1), 300_000, ['RCONN_OVERFLOW'])).toEqual([]);
    expect(counterObservationsFromHistory([history[0], history[4]], 300_000, ['RCONN_OVERFLOW'])).toEqual([]); // one read inside the window
  });

  it('reads the alert query answer: values by tag, node from pod, counters with their window', () => {
    const answer = vectorAnswer([
      { metric: { ...ovnTarget('ovnkube-node-q', '10.1.0.5'), cluster: 'du-003', ovs_metric: 'VSWITCHD_CPU', ovs_stat: 'LAST' }, value: [EVAL_TIME, '93.5'] },
      { metric: { ...ovnTarget('ovnkube-node-q', '10.1.0.5'), cluster: 'du-003', datapath: 'ovs-system', ovs_metric: 'DP_FLOWS', ovs_stat: 'LAST' }, value: [EVAL_TIME, '30000'] },
      { metric: { ...ovnTarget('ovnkube-node-q', '10.1.0.5'), cluster: 'du-003', ovs_metric: 'RCONN_OVERFLOW', ovs_stat: 'INCREASE' }, value: [EVAL_TIME, '12'] },
      { metric: { ...ovnTarget('ovnkube-node-q', '10.1.0.5'), cluster: 'du-003', ovs_metric: 'NOT_A_METRIC' }, value: [EVAL_TIME, '1'] },
    ]);
    const index = new SeriesNodeIndex([{ namespace: 'openshift-ovn-kubernetes', name: 'ovnkube-node-q', nodeName: 'du-003-sno' }]);
    const o = observationsFromSamples('du-003', samplesOf(answer.data), index, T0, 300_000);
    expect(o).toEqual([
      { clusterName: 'du-003', nodeName: 'du-003-sno', metric: 'VSWITCHD_CPU', dimension: null, value: 93.5, sampledAt: T0 },
      { clusterName: 'du-003', nodeName: 'du-003-sno', metric: 'DP_FLOWS', dimension: 'ovs-system', value: 30000, sampledAt: T0 },
      { clusterName: 'du-003', nodeName: 'du-003-sno', metric: 'RCONN_OVERFLOW', dimension: null, value: 12, sampledAt: T0, windowMs: 300_000 },
    ]);
  });
});

describe('wording', () => {
  it('has a distinct recommendation for every metric and level, and readable values', () => {
    for (const id of OVS_METRIC_IDS) {
      expect(recommendationFor(id, 'WARNING')).not.toBe(recommendationFor(id, 'CRITICAL'));
      expect(recommendationFor(id, 'CRITICAL').length).toBeGreaterThan(40);
    }
    expect(formatValue('VSWITCHD_MEMORY', 1.5 * 1024 ** 3)).toBe('1.50 GiB');
    expect(formatValue('OVSDB_MEMORY', 48 * 1024 ** 2)).toBe('48.0 MiB');
    expect(formatValue('DP_FLOWS', 21345.4)).toBe('21,345 flows');
    expect(formatValue('OVSDB_CPU', 7)).toBe('7.0 %');
  });
});
