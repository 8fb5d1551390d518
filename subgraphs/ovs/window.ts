// Pure mappers for windowed answers: windowQuery's tagged samples → per-node windows, a cluster rollup
// computed from those (no extra query), and topQuery answers → one merged, ranked list.
import type { MetricRead, MetricSample } from '../metrics/types.js';
import { metricDef, OVS_METRICS, unitOf, type OvsMetricDef, type OvsMetricId, type OvsStat } from './catalogue.js';
import { formatDuration } from './duration.js';
import type {
  ClusterOvsWindowCounterModel,
  ClusterOvsWindowModel,
  ClusterOvsWindowSeriesModel,
  NodeOvsWindowModel,
  OvsCounterWindowModel,
  OvsRankEntryModel,
  OvsRankingModel,
  OvsStatsModel,
  OvsWindowSeriesModel,
} from './models.js';
import { groupByNode, type SeriesNodeIndex } from './node-map.js';
import { TAG } from './promql.js';

const STAT_FIELD: Partial<Record<OvsStat, keyof OvsStatsModel>> = { MIN: 'min', AVG: 'avg', MAX: 'max', P95: 'p95' };

export interface WindowInput {
  clusterName: string;
  windowMs: number;
  samples: readonly MetricSample[];
  index: SeriesNodeIndex;
  read: MetricRead;
}

function dimensionOf(def: OvsMetricDef | undefined, labels: Readonly<Record<string, string>>): string | null {
  if (def?.dimension) return labels[def.dimension] ?? null;
  return labels.datapath ?? null;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** windowQuery's answer for one cluster → one window per node that has any series in it. */
export function nodeWindowsFromSamples(input: WindowInput): Map<string, NodeOvsWindowModel> {
  const seconds = input.windowMs / 1000;
  const window = formatDuration(input.windowMs);
  const out = new Map<string, NodeOvsWindowModel>();
  for (const [nodeName, samples] of groupByNode(input.samples, input.index).byNode) {
    const series = new Map<string, OvsWindowSeriesModel>();
    const counters: OvsCounterWindowModel[] = [];
    for (const s of samples) {
      const counter = s.labels[TAG.counter];
      if (counter !== undefined) {
        if (!Number.isFinite(s.value)) continue;
        counters.push({ series: counter, dimension: s.labels.datapath ?? null, increase: s.value, perSecond: s.value / seconds });
        continue;
      }
      const id = s.labels[TAG.metric] as OvsMetricId | undefined;
      const field = STAT_FIELD[s.labels[TAG.stat] as OvsStat];
      if (!id || !field || !OVS_METRICS.some((d) => d.id === id)) continue;
      const def = metricDef(id);
      const dimension = dimensionOf(def, s.labels);
      const key = `${id}\u0000${dimension ?? ''}`;
      let entry = series.get(key);
      if (!entry) {
        entry = { metric: id, dimension, unit: def.unit, stats: { min: null, avg: null, max: null, p95: null } };
        series.set(key, entry);
      }
      entry.stats[field] = finiteOrNull(s.value);
    }
    const order = (m: OvsMetricId) => OVS_METRICS.findIndex((d) => d.id === m);
    out.set(nodeName, {
      clusterName: input.clusterName,
      nodeName,
      window,
      seconds,
      evaluatedAt: input.read.readAt,
      series: [...series.values()].sort((a, b) => order(a.metric) - order(b.metric) || (a.dimension ?? '').localeCompare(b.dimension ?? '')),
      counters: counters.sort((a, b) => a.series.localeCompare(b.series) || (a.dimension ?? '').localeCompare(b.dimension ?? '')),
      read: input.read,
    });
  }
  return out;
}

function mean(values: number[]): number | null {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * The cluster's rollup from its nodes' windows: per metric (and dimension) min of the minima, mean of
 * the node averages, max of the maxima, and the highest node p95 (the worst node's, not a fleet
 * quantile, which node p95s cannot give); counters summed over nodes. `worstNode` has the highest max
 * (counters: the highest increase).
 */
export function clusterWindow(clusterName: string, windowMs: number, nodes: readonly NodeOvsWindowModel[], read: MetricRead): ClusterOvsWindowModel {
  const series = new Map<string, { first: OvsWindowSeriesModel; rows: { node: string; stats: OvsStatsModel }[] }>();
  const counters = new Map<string, { first: OvsCounterWindowModel; rows: { node: string; increase: number }[] }>();
  for (const n of nodes) {
    for (const s of n.series) {
      const key = `${s.metric}\u0000${s.dimension ?? ''}`;
      const entry = series.get(key) ?? { first: s, rows: [] };
      entry.rows.push({ node: n.nodeName, stats: s.stats });
      series.set(key, entry);
    }
    for (const c of n.counters) {
      const key = `${c.series}\u0000${c.dimension ?? ''}`;
      const entry = counters.get(key) ?? { first: c, rows: [] };
      entry.rows.push({ node: n.nodeName, increase: c.increase });
      counters.set(key, entry);
    }
  }
  const pick = (rows: { node: string; stats: OvsStatsModel }[], field: keyof OvsStatsModel) =>
    rows.map((r) => r.stats[field]).filter((v): v is number => v !== null);
  const seriesOut: ClusterOvsWindowSeriesModel[] = [...series.values()].map(({ first, rows }) => {
    const maxima = pick(rows, 'max');
    const worst = rows.filter((r) => r.stats.max !== null).sort((a, b) => b.stats.max! - a.stats.max! || a.node.localeCompare(b.node))[0];
    return {
      clusterName,
      metric: first.metric,
      dimension: first.dimension,
      unit: first.unit,
      stats: {
        min: pick(rows, 'min').length > 0 ? Math.min(...pick(rows, 'min')) : null,
        avg: mean(pick(rows, 'avg')),
        max: maxima.length > 0 ? Math.max(...maxima) : null,
        p95: pick(rows, 'p95').length > 0 ? Math.max(...pick(rows, 'p95')) : null,
      },
      worstNode: worst?.node ?? null,
      nodes: rows.length,
    };
  });
  const seconds = windowMs / 1000;
  const countersOut: ClusterOvsWindowCounterModel[] = [...counters.values()].map(({ first, rows }) => {
    const increase = rows.reduce((sum, r) => sum + r.increase, 0);
    const worst = [...rows].sort((a, b) => b.increase - a.increase || a.node.localeCompare(b.node))[0];
    return { clusterName, series: first.series, dimension: first.dimension, increase, perSecond: increase / seconds, worstNode: worst?.node ?? null, nodes: rows.length };
  });
  const order = (m: OvsMetricId) => OVS_METRICS.findIndex((d) => d.id === m);
  return {
    clusterName,
    window: formatDuration(windowMs),
    seconds,
    evaluatedAt: read.readAt,
    nodes: nodes.length,
    series: seriesOut.sort((a, b) => order(a.metric) - order(b.metric) || (a.dimension ?? '').localeCompare(b.dimension ?? '')),
    counters: countersOut.sort((a, b) => a.series.localeCompare(b.series) || (a.dimension ?? '').localeCompare(b.dimension ?? '')),
    read,
  };
}

export interface RankingPart {
  /** The cluster a per-cluster Prometheus answered for; absent for a fleet-wide one (the `cluster` label says). */
  clusterName?: string;
  samples: readonly MetricSample[];
}

export interface RankingInput {
  metric: OvsMetricId;
  stat: OvsStat;
  windowMs: number;
  limit: number;
  parts: readonly RankingPart[];
  /** The node index of a cluster (its ovnkube-node pods and nodes); undefined when unknown. */
  indexOf: (clusterName: string) => SeriesNodeIndex | undefined;
  /** Only these clusters count (a fleet-wide Prometheus may serve more). */
  clusters?: ReadonlySet<string>;
  /** The label naming the cluster in a fleet-wide Prometheus (default `cluster`). */
  clusterLabel?: string;
}

/** topQuery answers (one per Prometheus) → one list, highest first, `limit` long, ties by cluster/node. */
export function rankingFromParts(input: RankingInput): OvsRankingModel {
  const def = metricDef(input.metric);
  const clusterLabel = input.clusterLabel ?? 'cluster';
  const rows: Omit<OvsRankEntryModel, 'rank'>[] = [];
  for (const part of input.parts) {
    for (const s of part.samples) {
      if (!Number.isFinite(s.value)) continue;
      const clusterName = part.clusterName ?? s.labels[clusterLabel];
      if (!clusterName || (input.clusters && !input.clusters.has(clusterName))) continue;
      const index = input.indexOf(clusterName);
      rows.push({
        clusterName,
        nodeName: index?.nodeOf(s.labels) ?? s.labels.node ?? null,
        pod: index ? index.podOf(s.labels) : s.labels.pod ? { namespace: s.labels.namespace ?? '', name: s.labels.pod } : null,
        dimension: def.dimension ? s.labels[def.dimension] ?? null : null,
        value: s.value,
      });
    }
  }
  rows.sort(
    (a, b) =>
      b.value - a.value ||
      a.clusterName.localeCompare(b.clusterName) ||
      (a.nodeName ?? '').localeCompare(b.nodeName ?? '') ||
      (a.dimension ?? '').localeCompare(b.dimension ?? ''),
  );
  return {
    metric: input.metric,
    stat: input.stat,
    window: formatDuration(input.windowMs),
    unit: unitOf(def, input.stat),
    limit: input.limit,
    entries: rows.slice(0, input.limit).map((r, i) => ({ rank: i + 1, ...r })),
  };
}
