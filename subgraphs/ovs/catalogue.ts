// The OVS metrics users rank, window and alert on, in one table: what series each reads, how a value is
// derived from it (a gauge as is; CPU as rate × 100; a coverage counter as an increase or a per-second
// rate, never its raw cumulative total), its unit and its dimension (datapath, bridge). The PromQL
// builders, the window/ranking mappers and the alert evaluation all read this table.
import type { LabelMatcher } from '../metrics/promql.js';
import { CadvisorMetric, OVS_DAEMONS, OvsMetric, coverageMetric, processMetric } from './upstream.js';

export const OVS_METRIC_IDS = Object.freeze([
  'VSWITCHD_CPU',
  'OVSDB_CPU',
  'VSWITCHD_MEMORY',
  'OVSDB_MEMORY',
  'VSWITCHD_SERVICE_CPU',
  'OVSDB_SERVICE_CPU',
  'VSWITCHD_SERVICE_MEMORY',
  'OVSDB_SERVICE_MEMORY',
  'DP_FLOWS',
  'BRIDGE_FLOWS',
  'RCONN_OVERFLOW',
  'RCONN_DISCARDED',
  'STREAM_OPEN',
  'DP_LOOKUP_LOST',
] as const);

export type OvsMetricId = (typeof OVS_METRIC_IDS)[number];

/**
 * gauge: the sample value. rate: a cumulative CPU-seconds counter as % of one core (rate × 100).
 * counter: a cumulative total (coverage gauges without `_total` included): an increase over a window,
 * or a per-second rate.
 */
export type OvsMetricKind = 'gauge' | 'rate' | 'counter';

export type OvsUnit = 'PERCENT' | 'BYTES' | 'FLOWS' | 'EVENTS' | 'EVENTS_PER_SECOND';

/** Where a series comes from: ovnkube-node's OVS endpoint (label pod/instance) or the kubelet's cAdvisor (label node). */
export type OvsSeriesSource = 'EXPORTER' | 'CADVISOR';

export interface OvsMetricDef {
  id: OvsMetricId;
  kind: OvsMetricKind;
  unit: OvsUnit;
  source: OvsSeriesSource;
  /** The metric name read. */
  series: string;
  /** Fixed matchers on that series (the cAdvisor unit id). */
  matchers: readonly LabelMatcher[];
  /** The label that splits one node's value (one value per datapath / bridge). */
  dimension?: 'datapath' | 'bridge';
  description: string;
}

function unitMatcher(daemon: keyof typeof OVS_DAEMONS): LabelMatcher[] {
  return [{ label: 'id', op: '=', value: OVS_DAEMONS[daemon].unit }];
}

const DEFS: readonly OvsMetricDef[] = [
  { id: 'VSWITCHD_CPU', kind: 'rate', unit: 'PERCENT', source: 'EXPORTER', series: processMetric('vswitchd', 'cpuSecondsTotal'), matchers: [], description: 'ovs-vswitchd CPU, % of one core (process collector)' },
  { id: 'OVSDB_CPU', kind: 'rate', unit: 'PERCENT', source: 'EXPORTER', series: processMetric('ovsdb', 'cpuSecondsTotal'), matchers: [], description: 'ovsdb-server CPU, % of one core (process collector)' },
  { id: 'VSWITCHD_MEMORY', kind: 'gauge', unit: 'BYTES', source: 'EXPORTER', series: processMetric('vswitchd', 'residentMemoryBytes'), matchers: [], description: 'ovs-vswitchd resident memory (process collector)' },
  { id: 'OVSDB_MEMORY', kind: 'gauge', unit: 'BYTES', source: 'EXPORTER', series: processMetric('ovsdb', 'residentMemoryBytes'), matchers: [], description: 'ovsdb-server resident memory (process collector)' },
  { id: 'VSWITCHD_SERVICE_CPU', kind: 'rate', unit: 'PERCENT', source: 'CADVISOR', series: CadvisorMetric.cpuSecondsTotal, matchers: unitMatcher('vswitchd'), description: 'ovs-vswitchd.service CPU, % of one core (kubelet cAdvisor)' },
  { id: 'OVSDB_SERVICE_CPU', kind: 'rate', unit: 'PERCENT', source: 'CADVISOR', series: CadvisorMetric.cpuSecondsTotal, matchers: unitMatcher('ovsdb'), description: 'ovsdb-server.service CPU, % of one core (kubelet cAdvisor)' },
  { id: 'VSWITCHD_SERVICE_MEMORY', kind: 'gauge', unit: 'BYTES', source: 'CADVISOR', series: CadvisorMetric.memoryRss, matchers: unitMatcher('vswitchd'), description: 'ovs-vswitchd.service RSS (kubelet cAdvisor)' },
  { id: 'OVSDB_SERVICE_MEMORY', kind: 'gauge', unit: 'BYTES', source: 'CADVISOR', series: CadvisorMetric.memoryRss, matchers: unitMatcher('ovsdb'), description: 'ovsdb-server.service RSS (kubelet cAdvisor)' },
  { id: 'DP_FLOWS', kind: 'gauge', unit: 'FLOWS', source: 'EXPORTER', series: OvsMetric.dpFlowsTotal, matchers: [], dimension: 'datapath', description: 'datapath (megaflow) flows per datapath' },
  { id: 'BRIDGE_FLOWS', kind: 'gauge', unit: 'FLOWS', source: 'EXPORTER', series: OvsMetric.bridgeFlowsTotal, matchers: [], dimension: 'bridge', description: 'OpenFlow flows per bridge' },
  { id: 'RCONN_OVERFLOW', kind: 'counter', unit: 'EVENTS', source: 'EXPORTER', series: coverageMetric('rconn_overflow'), matchers: [], description: 'OpenFlow connection send-queue overflows (coverage counter)' },
  { id: 'RCONN_DISCARDED', kind: 'counter', unit: 'EVENTS', source: 'EXPORTER', series: coverageMetric('rconn_discarded'), matchers: [], description: 'OpenFlow messages discarded on connections (coverage counter)' },
  { id: 'STREAM_OPEN', kind: 'counter', unit: 'EVENTS', source: 'EXPORTER', series: coverageMetric('stream_open'), matchers: [], description: 'stream connections opened (coverage counter)' },
  { id: 'DP_LOOKUP_LOST', kind: 'counter', unit: 'EVENTS', source: 'EXPORTER', series: OvsMetric.dpLookupLost, matchers: [], dimension: 'datapath', description: 'upcalls lost by the datapath (cumulative)' },
];

const BY_ID = new Map(DEFS.map((d) => [d.id, d]));

export function metricDef(id: OvsMetricId): OvsMetricDef {
  const def = BY_ID.get(id);
  if (!def) throw new Error(`unknown OVS metric ${id}`);
  return def;
}

export function isOvsMetricId(value: unknown): value is OvsMetricId {
  return typeof value === 'string' && BY_ID.has(value as OvsMetricId);
}

export const OVS_METRICS: readonly OvsMetricDef[] = DEFS;

/** How a value over a window is summarised. INCREASE: counters only. LAST: the value at evaluation time. */
export const OVS_STATS = Object.freeze(['LAST', 'MIN', 'AVG', 'MAX', 'P95', 'INCREASE'] as const);
export type OvsStat = (typeof OVS_STATS)[number];

/** The ranking statistic when none is asked: the peak for gauges and CPU, the increase for counters. */
export function defaultStat(def: OvsMetricDef): OvsStat {
  return def.kind === 'counter' ? 'INCREASE' : 'MAX';
}

/** Whether `stat` applies to the metric (INCREASE only to counters). */
export function statApplies(def: OvsMetricDef, stat: OvsStat): boolean {
  return stat !== 'INCREASE' || def.kind === 'counter';
}

/** The unit of a statistic: a counter's INCREASE counts events, its other statistics are per-second rates. */
export function unitOf(def: OvsMetricDef, stat: OvsStat): OvsUnit {
  if (def.kind !== 'counter') return def.unit;
  return stat === 'INCREASE' ? 'EVENTS' : 'EVENTS_PER_SECOND';
}
