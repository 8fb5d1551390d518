// PromQL for the OVS domain. Every builder answers a whole batch of nodes of one cluster (or a whole
// fleet-wide Prometheus) in ONE query: per-metric expressions are joined with `or` and tagged with
// label_replace (`ovs_metric`, `ovs_stat`, `ovs_counter`), because rate()/…_over_time() drop the metric
// name and untagged results of different metrics would collide. Windowed statistics are range-vector
// functions evaluated at one instant (`max_over_time(x[5m])`; subqueries `[5m:3s]` for CPU % and
// per-second rates), so the same query run directly on the same Prometheus at the same time returns
// the same numbers.
import { anyOfMatcher, anyOfRegex, promqlString, vectorSelector, type LabelMatcher } from '../metrics/promql.js';
import { OVS_METRICS, type OvsMetricDef, type OvsStat } from './catalogue.js';
import { formatDuration } from './duration.js';
import { CadvisorMetric, COVERAGE_COUNTERS, OVS_DAEMONS, OvsMetric, coverageMetric } from './upstream.js';

/** Labels the builders add to tell tagged results apart. */
export const TAG = Object.freeze({ metric: 'ovs_metric', stat: 'ovs_stat', counter: 'ovs_counter' });

/** `ovs_metric` values of the instant query's extra expressions. */
export const INSTANT_TAGS = Object.freeze({ exporterSampledAt: 'EXPORTER_SAMPLED_AT', serviceSampledAt: 'SERVICE_SAMPLED_AT' });

export interface OvsScope {
  /** `cluster="x"` (one cluster) or `cluster=~"a|b"` (a ranking) on a fleet-wide Prometheus. */
  cluster?: LabelMatcher;
  /** Only these ovnkube-node pods (a DataLoader batch); absent or over 100: every pod. */
  pods?: readonly string[];
  /** Only these nodes, for the cAdvisor series (which carry `node`); absent or over 100: every node. */
  nodes?: readonly string[];
}

export interface RateOptions {
  /** The range of rate() for CPU % and per-second counter rates (default 2 m: ≥ 4 scrapes at 30 s). */
  rateWindowMs: number;
}

export interface WindowOptions extends RateOptions {
  windowMs: number;
  /** Subquery resolution for per-second series. */
  stepMs: number;
}

export const DEFAULT_RATE_WINDOW_MS = 120_000;

function scopeMatchers(scope: OvsScope, source: OvsMetricDef['source']): LabelMatcher[] {
  const out: LabelMatcher[] = [];
  if (scope.cluster) out.push(scope.cluster);
  const batch = source === 'CADVISOR' ? anyOfMatcher('node', scope.nodes ?? []) : anyOfMatcher('pod', scope.pods ?? []);
  if (batch) out.push(batch);
  return out;
}

/** `name{matchers}` (or the bare name). */
export function selector(name: string, matchers: readonly LabelMatcher[]): string {
  return matchers.length > 0 ? `${name}${vectorSelector(matchers)}` : name;
}

function seriesSelector(def: OvsMetricDef, scope: OvsScope, extra: readonly LabelMatcher[] = []): string {
  return selector(def.series, [...def.matchers, ...extra, ...scopeMatchers(scope, def.source)]);
}

/** The per-instant value of a metric: a gauge as is, CPU as rate × 100, a counter as a per-second rate. */
export function valueExpr(def: OvsMetricDef, scope: OvsScope, o: RateOptions, extra: readonly LabelMatcher[] = []): string {
  const sel = seriesSelector(def, scope, extra);
  const rw = formatDuration(o.rateWindowMs);
  switch (def.kind) {
    case 'gauge':
      return sel;
    case 'rate':
      return `rate(${sel}[${rw}]) * 100`;
    case 'counter':
      return `rate(${sel}[${rw}])`;
  }
}

const OVER_TIME: Record<'MIN' | 'AVG' | 'MAX', string> = { MIN: 'min_over_time', AVG: 'avg_over_time', MAX: 'max_over_time' };

/** One statistic of a metric over the window (LAST: at the evaluation instant). */
export function statExpr(def: OvsMetricDef, stat: OvsStat, scope: OvsScope, o: WindowOptions, extra: readonly LabelMatcher[] = []): string {
  if (stat === 'LAST') return valueExpr(def, scope, o, extra);
  const w = formatDuration(o.windowMs);
  if (stat === 'INCREASE') {
    if (def.kind !== 'counter') throw new Error(`INCREASE of ${def.id}, which is not a counter`);
    return `increase(${seriesSelector(def, scope, extra)}[${w}])`;
  }
  // Gauges: every raw sample in the window. Per-second series: a subquery at `step` resolution.
  const range = def.kind === 'gauge' ? `${seriesSelector(def, scope, extra)}[${w}]` : `(${valueExpr(def, scope, o, extra)})[${w}:${formatDuration(o.stepMs)}]`;
  return stat === 'P95' ? `quantile_over_time(0.95, ${range})` : `${OVER_TIME[stat]}(${range})`;
}

function tag(expr: string, labels: Record<string, string>): string {
  let out = expr;
  for (const [label, value] of Object.entries(labels)) out = `label_replace(${out}, ${promqlString(label)}, ${promqlString(value)}, "", "")`;
  return out;
}

const EXPORTER_NAMES = `${OvsMetric.buildInfo}|ovs_vswitchd_.+|ovs_db_process_.+`;
const UNIT_IDS = [OVS_DAEMONS.vswitchd.unit, OVS_DAEMONS.ovsdb.unit];
const CADVISOR_NAMES = [CadvisorMetric.cpuSecondsTotal, CadvisorMetric.memoryRss, CadvisorMetric.memoryWorkingSet];

/**
 * Node.ovs for a batch of nodes of one cluster: every raw OVS exporter series and the cAdvisor series of
 * the two OVS units, CPU % of both daemons from both sources, and the scrape times.
 */
export function instantQuery(scope: OvsScope, o: RateOptions): string {
  const exporter = scopeMatchers(scope, 'EXPORTER');
  const cadvisor: LabelMatcher[] = [{ label: 'id', op: '=~', value: anyOfRegex(UNIT_IDS) }, ...scopeMatchers(scope, 'CADVISOR')];
  const parts = [
    vectorSelector([{ label: '__name__', op: '=~', value: EXPORTER_NAMES }, ...exporter]),
    vectorSelector([{ label: '__name__', op: '=~', value: CADVISOR_NAMES.join('|') }, ...cadvisor]),
    ...OVS_METRICS.filter((d) => d.kind === 'rate').map((d) => tag(valueExpr(d, scope, o), { [TAG.metric]: d.id })),
    tag(`timestamp(${selector(OvsMetric.buildInfo, exporter)})`, { [TAG.metric]: INSTANT_TAGS.exporterSampledAt }),
    tag(`timestamp(${selector(CadvisorMetric.memoryRss, cadvisor)})`, { [TAG.metric]: INSTANT_TAGS.serviceSampledAt }),
  ];
  return parts.join('\n  or ');
}

/** Cumulative series whose increase a window reports: every coverage counter and the datapath/interface totals. */
export const WINDOW_COUNTERS: readonly string[] = Object.freeze([
  ...COVERAGE_COUNTERS.map(coverageMetric),
  OvsMetric.dpLookupHit,
  OvsMetric.dpLookupMissed,
  OvsMetric.dpLookupLost,
  OvsMetric.dpPacketsTotal,
  OvsMetric.dpMasksHit,
  OvsMetric.interfaceRxDropped,
  OvsMetric.interfaceTxDropped,
  OvsMetric.interfaceRxErrors,
  OvsMetric.interfaceTxErrors,
  OvsMetric.interfaceResets,
]);

export const WINDOW_STATS: readonly OvsStat[] = Object.freeze(['MIN', 'AVG', 'MAX', 'P95']);

/**
 * Node.ovs.window / Cluster.ovs.window for one cluster and one window: MIN/AVG/MAX/P95 of every gauge
 * and CPU metric, and the increase of every cumulative series over the window.
 */
export function windowQuery(scope: OvsScope, o: WindowOptions): string {
  const parts: string[] = [];
  for (const def of OVS_METRICS) {
    if (def.kind === 'counter') continue;
    for (const stat of WINDOW_STATS) parts.push(tag(statExpr(def, stat, scope, o), { [TAG.metric]: def.id, [TAG.stat]: stat }));
  }
  const w = formatDuration(o.windowMs);
  for (const name of WINDOW_COUNTERS) parts.push(tag(`increase(${selector(name, scopeMatchers(scope, 'EXPORTER'))}[${w}])`, { [TAG.counter]: name }));
  return parts.join('\n  or ');
}

export interface TopOptions extends WindowOptions {
  limit: number;
  /** Only this datapath / bridge (for metrics with a dimension). */
  dimension?: string;
}

/** ovsTop: one `topk` over every node the scope covers (a cluster's Prometheus, or a fleet-wide one with `cluster=~`). */
export function topQuery(def: OvsMetricDef, stat: OvsStat, scope: OvsScope, o: TopOptions): string {
  if (!Number.isInteger(o.limit) || o.limit < 1) throw new Error(`topk limit ${o.limit}`);
  const extra: LabelMatcher[] = o.dimension !== undefined && def.dimension ? [{ label: def.dimension, op: '=', value: o.dimension }] : [];
  return `topk(${o.limit}, ${statExpr(def, stat, scope, o, extra)})`;
}

export interface AlertQueryOptions extends WindowOptions {
  /** The metrics with thresholds in force for the cluster. */
  metrics: readonly OvsMetricDef[];
}

/**
 * What the alert loop evaluates, for one cluster in one query: the current value of gauges and CPU,
 * and the increase of counters over the counter window (`windowMs`).
 */
export function alertQuery(scope: OvsScope, o: AlertQueryOptions): string {
  return o.metrics
    .map((def) => {
      const stat: OvsStat = def.kind === 'counter' ? 'INCREASE' : 'LAST';
      return tag(statExpr(def, stat, scope, o), { [TAG.metric]: def.id, [TAG.stat]: stat });
    })
    .join('\n  or ');
}
