// The OVS domain's models: what the mappers produce from exporter pages and PromQL answers, and what
// the resolvers (phase 2) hand to GraphQL. Numbers are plain JS numbers (counters exceed 2^31, so the
// SDL uses Float); absent series are null, never 0.
import type { MetricRead } from '../metrics/types.js';
import type { OvsMetricId, OvsStat, OvsUnit } from './catalogue.js';
import type { OvsDaemon } from './upstream.js';

export type OvsTcPolicy = 'NONE' | 'SKIP_SW' | 'SKIP_HW' | 'UNKNOWN';

export interface OvsPodRef {
  namespace: string;
  name: string;
}

export interface OvsDatapathModel {
  name: string;
  /** `ovs_vswitchd_dp{type}`: system, netdev … */
  type: string | null;
  ports: number | null;
  flows: number | null;
  /** Cumulative packet counts from `dpctl/show`. */
  lookupHit: number | null;
  lookupMissed: number | null;
  lookupLost: number | null;
  packets: number | null;
  masksHit: number | null;
  masksTotal: number | null;
  masksHitRatio: number | null;
}

export interface OvsBridgeModel {
  name: string;
  ports: number | null;
  flows: number | null;
}

/** Summed over every OVS interface (the exporter has no per-interface labels). */
export interface OvsInterfaceTotalsModel {
  count: number | null;
  resets: number | null;
  rxDropped: number | null;
  txDropped: number | null;
  rxErrors: number | null;
  txErrors: number | null;
  collisions: number | null;
  upWaitSeconds: number | null;
}

/** Connection coverage counters: cumulative totals since ovs-vswitchd started. */
export interface OvsConnectionsModel {
  streamOpen: number | null;
  pstreamOpen: number | null;
  vconnOpen: number | null;
  vconnSent: number | null;
  vconnReceived: number | null;
  rconnSent: number | null;
  rconnQueued: number | null;
  rconnOverflow: number | null;
  rconnDiscarded: number | null;
}

export interface OvsCoverageModel {
  /** Coverage name without the `ovs_vswitchd_` prefix (rconn_overflow …). */
  name: string;
  total: number;
}

/** The kubelet cAdvisor view of a daemon's systemd unit. */
export interface OvsServiceModel {
  /** cAdvisor `id`, e.g. /system.slice/ovs-vswitchd.service. */
  unit: string;
  cpuSecondsTotal: number | null;
  cpuPercent: number | null;
  memoryRssBytes: number | null;
  memoryWorkingSetBytes: number | null;
  /** When the kubelet was scraped (ISO-8601). */
  sampledAt: string | null;
}

export interface OvsProcessModel {
  daemon: OvsDaemon;
  cpuSecondsTotal: number | null;
  /** % of one core: rate over the rate window (Prometheus) or between two reads (pod proxy); null when unknown. */
  cpuPercent: number | null;
  residentMemoryBytes: number | null;
  virtualMemoryBytes: number | null;
  virtualMemoryMaxBytes: number | null;
  openFds: number | null;
  maxFds: number | null;
  /** Process start (ISO-8601). */
  startTime: string | null;
  /** Null without cAdvisor series (pod-proxy reads, or a Prometheus that does not scrape cAdvisor). */
  service: OvsServiceModel | null;
}

export interface NodeOvsModel {
  clusterName: string;
  nodeName: string;
  /** The ovnkube-node pod whose endpoint exported the values. */
  pod: OvsPodRef | null;
  version: string | null;
  datapathCount: number | null;
  datapaths: OvsDatapathModel[];
  bridgeCount: number | null;
  bridges: OvsBridgeModel[];
  interfaces: OvsInterfaceTotalsModel;
  handlerThreads: number | null;
  revalidatorThreads: number | null;
  hwOffload: boolean | null;
  tcPolicy: OvsTcPolicy | null;
  connections: OvsConnectionsModel;
  coverage: OvsCoverageModel[];
  vswitchd: OvsProcessModel;
  ovsdb: OvsProcessModel;
  /** When the exporter was scraped (ISO-8601): Prometheus' sample time, or the pod-proxy read. */
  sampledAt: string;
  read: MetricRead;
}

export interface OvsStatsModel {
  min: number | null;
  avg: number | null;
  max: number | null;
  p95: number | null;
}

export interface OvsWindowSeriesModel {
  metric: OvsMetricId;
  /** Datapath or bridge name for metrics with a dimension. */
  dimension: string | null;
  unit: OvsUnit;
  stats: OvsStatsModel;
}

export interface OvsCounterWindowModel {
  /** The cumulative series, e.g. ovs_vswitchd_rconn_overflow. */
  series: string;
  /** Datapath for the per-datapath lookup counters. */
  dimension: string | null;
  /** Prometheus increase() over the window (counter resets handled, extrapolated to the window edges). */
  increase: number;
  /** increase / window seconds (= rate() over the window). */
  perSecond: number;
}

export interface NodeOvsWindowModel {
  clusterName: string;
  nodeName: string;
  /** Canonical PromQL duration, e.g. 5m. */
  window: string;
  seconds: number;
  evaluatedAt: string;
  series: OvsWindowSeriesModel[];
  counters: OvsCounterWindowModel[];
  read: MetricRead;
}

export interface ClusterOvsWindowSeriesModel extends OvsWindowSeriesModel {
  clusterName: string;
  /** The node with the highest max. */
  worstNode: string | null;
  nodes: number;
}

export interface ClusterOvsWindowCounterModel extends OvsCounterWindowModel {
  clusterName: string;
  worstNode: string | null;
  nodes: number;
}

export interface ClusterOvsWindowModel {
  clusterName: string;
  window: string;
  seconds: number;
  evaluatedAt: string;
  nodes: number;
  series: ClusterOvsWindowSeriesModel[];
  counters: ClusterOvsWindowCounterModel[];
  read: MetricRead;
}

export interface OvsRankEntryModel {
  rank: number;
  clusterName: string;
  /** Null when the series could not be mapped to a node (pod gone). */
  nodeName: string | null;
  pod: OvsPodRef | null;
  dimension: string | null;
  value: number;
}

export interface OvsRankingModel {
  metric: OvsMetricId;
  stat: OvsStat;
  window: string;
  unit: OvsUnit;
  limit: number;
  entries: OvsRankEntryModel[];
}

export type OvsAlertLevel = 'CRITICAL' | 'WARNING' | 'INFO';

/** One value an alert rule is evaluated on. */
export interface OvsObservation {
  clusterName: string;
  nodeName: string;
  metric: OvsMetricId;
  dimension: string | null;
  /** Gauges / CPU: the value; counters: the increase over `windowMs`. */
  value: number;
  sampledAt: string;
  /** For counters: the window the increase is over. */
  windowMs?: number;
}

export interface OvsAlertModel {
  /** cluster/node/metric[/dimension]: stable while the alert is active, whatever its level. */
  id: string;
  level: OvsAlertLevel;
  clusterName: string;
  nodeName: string;
  metric: OvsMetricId;
  dimension: string | null;
  unit: OvsUnit;
  observed: number;
  /** The threshold of `level` that was crossed. */
  threshold: number;
  /** Counters: the window of the increase (canonical duration). */
  window: string | null;
  /** When the alert was first raised (at any level), ISO-8601. */
  since: string;
  /** When it reached its current level. */
  levelSince: string;
  evaluatedAt: string;
  message: string;
  recommendation: string;
}

export type OvsAlertChangeKind = 'RAISED' | 'LEVEL_CHANGED' | 'CLEARED';

export interface OvsAlertChange {
  kind: OvsAlertChangeKind;
  /** The alert as it now is (CLEARED: as it last was). */
  alert: OvsAlertModel;
  previousLevel: OvsAlertLevel | null;
  at: string;
}

export type { ClusterRef, NodeRef } from '../common/entity-refs.js';

/** Cluster.ovs: a cluster that runs ovnkube-node. */
export interface ClusterOvsModel {
  clusterName: string;
  source: MetricRead['source'];
  /** Nodes that run an ovnkube-node pod, by name. */
  nodeNames: string[];
}

/** Query.ovsTop's answer: the ranking, when it was evaluated, and the clusters that could not be ranked. */
export interface OvsRankingResult extends OvsRankingModel {
  evaluatedAt: string;
  /** Coded GraphQL errors, listed as null entries after the ranking. */
  errors: readonly Error[];
}

export type { OvsAlertSettings as OvsThresholdSettingsModel, OvsThreshold as OvsThresholdModel } from './thresholds.js';
