// Alert evaluation over observations (one value per node × metric × dimension) against the thresholds
// in force for the cluster, and the raised / level-changed / cleared diff the subscription sends.
// Levels: CRITICAL ≥ critical, WARNING ≥ warning, INFO ≥ info. Hysteresis: an active alert keeps its
// level until the value falls below that level's threshold minus `hysteresisPercent` (no flapping on a
// noisy value sitting at the threshold). Gauges and CPU are judged on their current value; counters
// on their increase over the counter window (a cumulative total since start says nothing about now).
import type { MetricSample } from '../metrics/types.js';
import { isOvsMetricId, metricDef, unitOf, type OvsMetricId } from './catalogue.js';
import { formatDuration } from './duration.js';
import type { NodeOvsModel, OvsAlertChange, OvsAlertLevel, OvsAlertModel, OvsObservation } from './models.js';
import { groupByNode, type SeriesNodeIndex } from './node-map.js';
import { TAG } from './promql.js';
import { activeThresholds, type OvsAlertSettings, type OvsThreshold } from './thresholds.js';

export const ALERT_LEVELS: readonly OvsAlertLevel[] = Object.freeze(['CRITICAL', 'WARNING', 'INFO']);

const RANK: Record<OvsAlertLevel, number> = { CRITICAL: 3, WARNING: 2, INFO: 1 };

export function levelRank(level: OvsAlertLevel): number {
  return RANK[level];
}

/** What to do, per metric, at WARNING / CRITICAL (INFO: keep watching the trend). */
const RECOMMENDATIONS: Record<OvsMetricId, { warning: string; critical: string }> = {
  VSWITCHD_CPU: {
    warning: 'Watch the upcall rate (ovs-appctl upcall/show) and flow churn; review recent NetworkPolicy / EgressFirewall changes that multiply OpenFlow rules.',
    critical: 'ovs-vswitchd is near a full core: check for a flow storm (ovs-appctl upcall/show, ovs-appctl dpctl/dump-flows | wc -l), find the pods driving new connections, and reduce rule count or cap the datapath (other_config:flow-limit) before packets are lost.',
  },
  OVSDB_CPU: {
    warning: 'Check the OVS database size and its clients (ovs-appctl -t ovsdb-server memory/show); frequent transactions from ovn-controller point at churn in the southbound database.',
    critical: 'ovsdb-server is saturated: compact the database (ovs-appctl -t ovsdb-server ovsdb-server/compact), check for a client looping on transactions, and look at ovn-controller logs on the node.',
  },
  VSWITCHD_MEMORY: {
    warning: 'Compare with the flow counts (ovs-appctl memory/show): memory that grows without more flows suggests a leak; review revalidator settings and flow table sizes.',
    critical: 'ovs-vswitchd memory is past 1 GiB-class levels: optimize flow tables, lower other_config:flow-limit, and plan a controlled restart of ovs-vswitchd if it keeps growing (a leak).',
  },
  OVSDB_MEMORY: {
    warning: 'Database memory is growing: check the number of rows (ovsdb-client dump | wc -l) and compact the database.',
    critical: 'ovsdb-server memory is high: compact the database (ovsdb-server/compact), check for stale ports/interfaces left by deleted pods, and restart ovsdb-server in a maintenance window if it does not drop.',
  },
  VSWITCHD_SERVICE_CPU: {
    warning: 'The ovs-vswitchd systemd unit uses a lot of CPU: see the VSWITCHD_CPU advice (upcalls, flow churn).',
    critical: 'The ovs-vswitchd systemd unit is near a full core: look for a flow storm (ovs-appctl upcall/show) and the workloads that drive it.',
  },
  OVSDB_SERVICE_CPU: {
    warning: 'The ovsdb-server systemd unit uses a lot of CPU: check its clients and database size.',
    critical: 'The ovsdb-server systemd unit is saturated: compact the database and check for a client looping on transactions.',
  },
  VSWITCHD_SERVICE_MEMORY: {
    warning: 'The ovs-vswitchd systemd unit memory is growing: compare with flow counts (ovs-appctl memory/show).',
    critical: 'The ovs-vswitchd systemd unit memory is high: reduce flow tables and plan a controlled restart if it keeps growing.',
  },
  OVSDB_SERVICE_MEMORY: {
    warning: 'The ovsdb-server systemd unit memory is growing: compact the database.',
    critical: 'The ovsdb-server systemd unit memory is high: compact the database and look for stale rows.',
  },
  DP_FLOWS: {
    warning: 'Datapath flows are high: check the megaflow cache efficiency (ovs-appctl dpctl/show masks, upcall/show) and traffic with many distinct 5-tuples.',
    critical: 'Datapath flow table is exploding (flow storm): identify the source (ovs-appctl dpctl/dump-flows sorted by packets), rate-limit or block it, and consider other_config:flow-limit / max-idle to protect the node.',
  },
  BRIDGE_FLOWS: {
    warning: 'OpenFlow rules on this bridge are high: review NetworkPolicies, services and EgressFirewalls that expand into per-pod rules (ovs-ofctl dump-flows br-int | wc -l).',
    critical: 'The bridge carries a very large OpenFlow table: consolidate NetworkPolicies (use namespace/label selectors instead of per-pod rules), check for leaked logical flows in OVN, and watch ovn-controller CPU.',
  },
  RCONN_OVERFLOW: {
    warning: 'OpenFlow connection queues overflow: check ovn-controller connectivity and CPU on the node; a slow controller makes vswitchd drop messages.',
    critical: 'Many OpenFlow messages overflowed: the controller cannot keep up. Check ovn-controller (logs, CPU), reduce flow churn, and consider tuning the connection probe/backlog settings.',
  },
  RCONN_DISCARDED: {
    warning: 'OpenFlow messages are being discarded: check the stability of the controller connection (ovs-vsctl show, ovn-controller logs).',
    critical: 'Many OpenFlow messages discarded: the controller connection is unstable or overloaded; check ovn-controller health and the node network before flows go stale.',
  },
  STREAM_OPEN: {
    warning: 'Many new stream connections: a client is reconnecting in a loop; find it in the ovs-vswitchd / ovsdb-server logs.',
    critical: 'Stream connections open at a very high rate: stop the reconnecting client (check ovn-controller and monitoring agents).',
  },
  DP_LOOKUP_LOST: {
    warning: 'The datapath lost upcalls (packets dropped before reaching vswitchd): check handler threads and the upcall rate (ovs-appctl upcall/show).',
    critical: 'Upcalls are being lost at a high rate: packets are dropped. Reduce the flow miss rate (flow storm?), and check CPU available to the handler threads.',
  },
};

export function recommendationFor(metric: OvsMetricId, level: OvsAlertLevel): string {
  if (level === 'INFO') return `Approaching the warning threshold: watch the trend. If it keeps rising: ${RECOMMENDATIONS[metric].warning}`;
  return level === 'CRITICAL' ? RECOMMENDATIONS[metric].critical : RECOMMENDATIONS[metric].warning;
}

function thresholdOf(t: OvsThreshold, level: OvsAlertLevel): number | null {
  return level === 'CRITICAL' ? t.critical : level === 'WARNING' ? t.warning : t.info;
}

/** The highest level whose threshold the value reaches (`margin` lowers thresholds at or below `keep`). */
function levelFor(value: number, t: OvsThreshold, keep?: OvsAlertLevel, hysteresisPercent = 0): OvsAlertLevel | null {
  for (const level of ALERT_LEVELS) {
    const th = thresholdOf(t, level);
    if (th === null) continue;
    const held = keep !== undefined && RANK[level] <= RANK[keep];
    const bar = held ? th * (1 - hysteresisPercent / 100) : th;
    if (value >= bar) return level;
  }
  return null;
}

const MiB = 1024 * 1024;

/** A value as an operator reads it: 92.3 %, 612.0 MiB, 21,345 flows, 150 events. */
export function formatValue(metric: OvsMetricId, value: number): string {
  const def = metricDef(metric);
  switch (def.unit) {
    case 'PERCENT':
      return `${value.toFixed(1)} %`;
    case 'BYTES':
      return value >= 1024 * MiB ? `${(value / (1024 * MiB)).toFixed(2)} GiB` : `${(value / MiB).toFixed(1)} MiB`;
    case 'FLOWS':
      return `${Math.round(value).toLocaleString('en-US')} flows`;
    default:
      return `${Math.round(value).toLocaleString('en-US')} events`;
  }
}

export function alertId(o: { clusterName: string; nodeName: string; metric: OvsMetricId; dimension: string | null }): string {
  return [o.clusterName, o.nodeName, o.metric, ...(o.dimension !== null ? [o.dimension] : [])].join('/');
}

export interface EvaluateInput {
  observations: readonly OvsObservation[];
  settings: OvsAlertSettings;
  /** The alerts active after the previous evaluation of the same cluster (for since / hysteresis). */
  previous?: readonly OvsAlertModel[];
  /** Evaluation time, ISO-8601. */
  at: string;
}

/** The alerts active now, most severe first, then by cluster / node / metric. */
export function evaluateAlerts(input: EvaluateInput): OvsAlertModel[] {
  const thresholds = new Map(activeThresholds(input.settings).map((t) => [t.metric, t]));
  const previous = new Map((input.previous ?? []).map((a) => [a.id, a]));
  const out: OvsAlertModel[] = [];
  for (const o of input.observations) {
    const t = thresholds.get(o.metric);
    if (!t || !Number.isFinite(o.value)) continue;
    const id = alertId(o);
    const before = previous.get(id);
    const level = levelFor(o.value, t, before?.level, input.settings.hysteresisPercent);
    if (level === null) continue;
    const threshold = thresholdOf(t, level)!;
    const def = metricDef(o.metric);
    const window = def.kind === 'counter' ? formatDuration(o.windowMs ?? input.settings.counterWindowMs) : null;
    const where = `${o.nodeName} (${o.clusterName})${o.dimension !== null ? `, ${def.dimension} ${o.dimension}` : ''}`;
    const observed = window !== null ? `${formatValue(o.metric, o.value)} in ${window}` : formatValue(o.metric, o.value);
    out.push({
      id,
      level,
      clusterName: o.clusterName,
      nodeName: o.nodeName,
      metric: o.metric,
      dimension: o.dimension,
      unit: unitOf(def, def.kind === 'counter' ? 'INCREASE' : 'LAST'),
      observed: o.value,
      threshold,
      window,
      since: before?.since ?? input.at,
      levelSince: before && before.level === level ? before.levelSince : input.at,
      evaluatedAt: input.at,
      message:
        o.value >= threshold
          ? `${level}: ${def.description} on ${where}: ${observed} ≥ ${level.toLowerCase()} threshold ${formatValue(o.metric, threshold)}`
          : `${level}: ${def.description} on ${where}: ${observed}, below the ${level.toLowerCase()} threshold ${formatValue(o.metric, threshold)} but within its ${input.settings.hysteresisPercent} % hysteresis`,
      recommendation: recommendationFor(o.metric, level),
    });
  }
  return out.sort((a, b) => RANK[b.level] - RANK[a.level] || a.id.localeCompare(b.id));
}

/** RAISED (new), LEVEL_CHANGED (up or down), CLEARED (gone) between two evaluations of a cluster. */
export function diffAlerts(previous: readonly OvsAlertModel[], current: readonly OvsAlertModel[], at: string): OvsAlertChange[] {
  const before = new Map(previous.map((a) => [a.id, a]));
  const now = new Map(current.map((a) => [a.id, a]));
  const changes: OvsAlertChange[] = [];
  for (const a of current) {
    const b = before.get(a.id);
    if (!b) changes.push({ kind: 'RAISED', alert: a, previousLevel: null, at });
    else if (b.level !== a.level) changes.push({ kind: 'LEVEL_CHANGED', alert: a, previousLevel: b.level, at });
  }
  for (const b of previous) if (!now.has(b.id)) changes.push({ kind: 'CLEARED', alert: { ...b, evaluatedAt: at }, previousLevel: b.level, at });
  return changes;
}

/** A change concerns a subscriber's levels when the alert's level, or the level it left, is one of them. */
export function changeMatchesLevels(change: OvsAlertChange, levels: readonly OvsAlertLevel[] | null | undefined): boolean {
  if (!levels || levels.length === 0) return true;
  return levels.includes(change.alert.level) || (change.previousLevel !== null && levels.includes(change.previousLevel));
}

/** Observations of gauges and CPU from an instant model (counters need a window: see the other builders). */
export function observationsFromNode(model: NodeOvsModel): OvsObservation[] {
  const base = { clusterName: model.clusterName, nodeName: model.nodeName, sampledAt: model.sampledAt };
  const out: OvsObservation[] = [];
  const add = (metric: OvsMetricId, value: number | null, dimension: string | null = null, sampledAt = base.sampledAt) => {
    if (value !== null && Number.isFinite(value)) out.push({ ...base, metric, dimension, value, sampledAt });
  };
  add('VSWITCHD_CPU', model.vswitchd.cpuPercent);
  add('OVSDB_CPU', model.ovsdb.cpuPercent);
  add('VSWITCHD_MEMORY', model.vswitchd.residentMemoryBytes);
  add('OVSDB_MEMORY', model.ovsdb.residentMemoryBytes);
  const svc = (metric: OvsMetricId, value: number | null | undefined, at: string | null | undefined) => add(metric, value ?? null, null, at ?? base.sampledAt);
  svc('VSWITCHD_SERVICE_CPU', model.vswitchd.service?.cpuPercent, model.vswitchd.service?.sampledAt);
  svc('OVSDB_SERVICE_CPU', model.ovsdb.service?.cpuPercent, model.ovsdb.service?.sampledAt);
  svc('VSWITCHD_SERVICE_MEMORY', model.vswitchd.service?.memoryRssBytes, model.vswitchd.service?.sampledAt);
  svc('OVSDB_SERVICE_MEMORY', model.ovsdb.service?.memoryRssBytes, model.ovsdb.service?.sampledAt);
  for (const dp of model.datapaths) add('DP_FLOWS', dp.flows, dp.name);
  for (const br of model.bridges) add('BRIDGE_FLOWS', br.flows, br.name);
  return out;
}

/** The cumulative value a counter metric reads from an instant model (per datapath for lookups). */
function counterTotals(model: NodeOvsModel, metric: OvsMetricId): { dimension: string | null; total: number | null }[] {
  switch (metric) {
    case 'RCONN_OVERFLOW':
      return [{ dimension: null, total: model.connections.rconnOverflow }];
    case 'RCONN_DISCARDED':
      return [{ dimension: null, total: model.connections.rconnDiscarded }];
    case 'STREAM_OPEN':
      return [{ dimension: null, total: model.connections.streamOpen }];
    case 'DP_LOOKUP_LOST':
      return model.datapaths.map((d) => ({ dimension: d.name, total: d.lookupLost }));
    default:
      return [];
  }
}

/**
 * Counter observations from a node's own read history (the pod-proxy path, oldest first): the
 * increase from the oldest read inside the window to the newest, counting a drop as a restart from 0
 * (as Prometheus' increase() does). Fewer than two reads → no observation (never one sample).
 */
export function counterObservationsFromHistory(history: readonly NodeOvsModel[], windowMs: number, metrics: readonly OvsMetricId[]): OvsObservation[] {
  if (history.length < 2) return [];
  const newest = history[history.length - 1];
  const from = Date.parse(newest.sampledAt) - windowMs;
  const inWindow = history.filter((h) => Date.parse(h.sampledAt) >= from);
  if (inWindow.length < 2) return [];
  const out: OvsObservation[] = [];
  for (const metric of metrics) {
    if (metricDef(metric).kind !== 'counter') continue;
    const series = new Map<string, number[]>();
    for (const h of inWindow) {
      for (const { dimension, total } of counterTotals(h, metric)) {
        if (total === null) continue;
        const key = dimension ?? '';
        series.set(key, [...(series.get(key) ?? []), total]);
      }
    }
    for (const [key, totals] of series) {
      if (totals.length < 2) continue;
      let increase = 0;
      for (let i = 1; i < totals.length; i++) increase += totals[i] >= totals[i - 1] ? totals[i] - totals[i - 1] : totals[i];
      out.push({ clusterName: newest.clusterName, nodeName: newest.nodeName, metric, dimension: key === '' ? null : key, value: increase, sampledAt: newest.sampledAt, windowMs: Date.parse(newest.sampledAt) - Date.parse(inWindow[0].sampledAt) });
    }
  }
  return out;
}

/** alertQuery's answer for one cluster → observations (node from the series labels). */
export function observationsFromSamples(clusterName: string, samples: readonly MetricSample[], index: SeriesNodeIndex, at: string, counterWindowMs: number): OvsObservation[] {
  const out: OvsObservation[] = [];
  for (const [nodeName, list] of groupByNode(samples, index).byNode) {
    for (const s of list) {
      const metric = s.labels[TAG.metric];
      if (!isOvsMetricId(metric) || !Number.isFinite(s.value)) continue;
      const def = metricDef(metric);
      out.push({
        clusterName,
        nodeName,
        metric,
        dimension: def.dimension ? s.labels[def.dimension] ?? null : null,
        value: s.value,
        sampledAt: at,
        ...(def.kind === 'counter' ? { windowMs: counterWindowMs } : {}),
      });
    }
  }
  return out;
}

