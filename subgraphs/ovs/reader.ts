// The ovs subgraph's reads of one cluster (or of every cluster behind one Prometheus), shared by the
// query loaders and the alert loop:
//  - ovnkube-node pods from the shared watch cache (label app=ovnkube-node, every namespace): which
//    nodes run OVS, and the pod/instance → node index. 0 requests when warm. No pod: not OVN-Kubernetes.
//  - With a Prometheus for the cluster: ONE instant query per batch of nodes (instantQuery), one per
//    window (windowQuery), one per alert evaluation (alertQuery), one `topk` per Prometheus for a
//    ranking (several clusters behind one fleet-wide Prometheus share it). Every query is evaluated at
//    a pinned instant, so `read.readAt` tells exactly when, and the same PromQL there gives the same.
//  - Without: one pod-proxy read per ovnkube-node pod (:9105 /metrics), at most `proxyConcurrency` in
//    flight for the whole process; CPU % and counter increases come from the node's recent reads.
import type { GraphQLError } from 'graphql';
import type { ClusterClient } from '../kube/client.js';
import { ClusterError, toGraphQLError } from '../kube/errors.js';
import { domainSettings, type SettingsByDomain } from '../kube/fleet-file.js';
import { Limiter } from '../kube/limiter.js';
import type { Pod } from '../kube/objects.js';
import { Resources } from '../kube/resources.js';
import type { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import type { WatchScope } from '../kube/watch-cache.js';
import { metricSourceError } from '../metrics/errors.js';
import { scrapePod } from '../metrics/pod-scraper.js';
import type { PrometheusSource, PrometheusTarget } from '../metrics/prometheus-source.js';
import { anyOfRegex, type LabelMatcher } from '../metrics/promql.js';
import type { MetricRead, MetricSample } from '../metrics/types.js';
import { counterObservationsFromHistory, evaluateAlerts, observationsFromNode, observationsFromSamples } from './alerts.js';
import { metricDef, type OvsMetricId, type OvsStat } from './catalogue.js';
import { subqueryStepMs } from './duration.js';
import { badConfiguration, prometheusRequired } from './errors.js';
import { NodeHistory } from './history.js';
import type { NodeOvsModel, NodeOvsWindowModel, OvsAlertModel, OvsRankingModel } from './models.js';
import { groupByNode, ovnkubePods, SeriesNodeIndex, type OvnkubePodInfo } from './node-map.js';
import { alertQuery, DEFAULT_RATE_WINDOW_MS, instantQuery, topQuery, windowQuery, type OvsScope } from './promql.js';
import { hasOvsSeries, nodeOvsFromSamples, withCpuRates } from './sources.js';
import { activeThresholds, OvsSettingsError, resolveOvsSettings, type OvsAlertSettings } from './thresholds.js';
import { OVNKUBE_NODE, type PodObject } from './upstream.js';
import { rankingFromParts, nodeWindowsFromSamples, type RankingPart } from './window.js';

/** What the reader needs of the cluster registry (ClusterRegistry has it). */
export interface OvsFleet {
  client(name: string): ClusterClient;
  get(name: string): { readonly settings: SettingsByDomain } | undefined;
}

export interface OvsReaderOptions {
  fleet: OvsFleet;
  caches: WatchCacheRegistry;
  prometheus: PrometheusSource;
  /** Pod-proxy reads in flight at once, for the whole process. */
  proxyConcurrency: number;
  /** rate() range for CPU % and counter rates (default 2 m). */
  rateWindowMs?: number;
  /** ovnkube-node's OVS metrics endpoint (default port 9105, `/metrics`). */
  endpoint?: { port: number | string; path: string };
  /** Above this many pods/nodes in a batch, no pod/node matcher (one unfiltered query per cluster). Default 100. */
  maxBatchMatcher?: number;
  /**
   * Queries are evaluated this long before now (default 1 s): a scrape in flight lands samples stamped
   * with its start, so "now" would give a different answer a moment later; slightly in the past it is
   * final, and the same PromQL at `read.readAt` gives the same numbers.
   */
  evaluationLagMs?: number;
  now?: () => number;
}

/** The ovnkube-node pods of a cluster, and the series → node index over them. */
export interface OvsPods {
  pods: OvnkubePodInfo[];
  byNode: Map<string, OvnkubePodInfo>;
  index: SeriesNodeIndex;
}

export type NodeOvsResult = NodeOvsModel | ClusterError;

export const OVNKUBE_SCOPE: WatchScope = { labelSelector: `app=${OVNKUBE_NODE.app}` };

/** Alerts of an evaluation older than this are not `previous` of the next one (since / hysteresis start over). */
const ALERT_MEMORY_MS = 10 * 60_000;

export class OvsReader {
  readonly history = new NodeHistory();
  private readonly limiter: Limiter;
  private readonly rateWindowMs: number;
  private readonly now: () => number;
  private readonly lagMs: number;
  private readonly settingsCache = new WeakMap<object, OvsAlertSettings | OvsSettingsError>();
  private readonly lastAlerts = new Map<string, { at: number; alerts: OvsAlertModel[] }>();

  constructor(private readonly options: OvsReaderOptions) {
    this.limiter = new Limiter(Math.max(1, options.proxyConcurrency));
    this.rateWindowMs = options.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS;
    this.now = options.now ?? Date.now;
    this.lagMs = options.evaluationLagMs ?? 1000;
  }

  /** The instant PromQL is evaluated at (ms). */
  private evaluationTime(): number {
    return this.now() - this.lagMs;
  }

  usesPrometheus(cluster: string): boolean {
    return this.options.prometheus.has(cluster);
  }

  /** The thresholds in force for the cluster; a `settings.ovs` that does not validate is BAD_CONFIGURATION. */
  settings(cluster: string): OvsAlertSettings {
    const entry = this.options.fleet.get(cluster);
    const raw = entry ? domainSettings(entry, 'ovs') : {};
    let resolved = this.settingsCache.get(raw);
    if (!resolved) {
      try {
        resolved = resolveOvsSettings([{ raw, path: 'settings.ovs' }]);
      } catch (err) {
        if (!(err instanceof OvsSettingsError)) throw err;
        resolved = err;
      }
      this.settingsCache.set(raw, resolved);
    }
    if (resolved instanceof OvsSettingsError) throw badConfiguration(cluster, resolved);
    return resolved;
  }

  /** ovnkube-node pods (scheduled, not terminating; a Running one preferred per node). Throws ClusterError. */
  async pods(cluster: string, signal?: AbortSignal): Promise<OvsPods> {
    const items = await this.options.caches.readThrough<Pod>(cluster, Resources.pods, OVNKUBE_SCOPE, { waitForSync: true, signal });
    const byNode = new Map<string, OvnkubePodInfo>();
    const phase = new Map<string, string | undefined>();
    for (const pod of items ?? []) {
      if (pod.metadata.deletionTimestamp) continue;
      const [info] = ovnkubePods([pod as unknown as PodObject]);
      if (!info) continue;
      const current = byNode.get(info.nodeName);
      if (!current || (phase.get(info.nodeName) !== 'Running' && pod.status?.phase === 'Running')) {
        byNode.set(info.nodeName, info);
        phase.set(info.nodeName, pod.status?.phase);
      }
    }
    const pods = [...byNode.values()].sort((a, b) => a.nodeName.localeCompare(b.nodeName));
    return { pods, byNode, index: new SeriesNodeIndex(pods) };
  }

  /**
   * Node.ovs of `nodes` (null: every node with an ovnkube-node pod) in one metric read for the batch.
   * A node without an ovnkube-node pod is absent (not OVN); a node that could not be read is an error.
   */
  async nodes(cluster: string, nodes: readonly string[] | null, signal?: AbortSignal): Promise<Map<string, NodeOvsResult>> {
    const ovs = await this.pods(cluster, signal);
    const wanted = (nodes ? [...new Set(nodes)] : [...ovs.byNode.keys()]).filter((n) => ovs.byNode.has(n));
    if (wanted.length === 0) return new Map();
    return this.usesPrometheus(cluster) ? this.nodesFromPrometheus(cluster, ovs, wanted, signal) : this.nodesFromPods(cluster, ovs, wanted, signal);
  }

  private scope(cluster: string, target: PrometheusTarget, ovs: OvsPods, nodes: readonly string[] | null): OvsScope {
    const max = this.options.maxBatchMatcher ?? 100;
    const batch = nodes && nodes.length <= max && nodes.length < ovs.pods.length ? nodes : null;
    return {
      cluster: target.clusterMatcher,
      pods: batch ? batch.map((n) => ovs.byNode.get(n)!.name) : undefined,
      nodes: batch ?? undefined,
    };
  }

  private target(cluster: string): PrometheusTarget {
    const target = this.options.prometheus.target(cluster);
    if (!target) throw prometheusRequired([cluster], 'this field');
    return target;
  }

  /** One instant query at a pinned time; failures are the cluster's (or the Prometheus') ClusterError. */
  private async query(errorCluster: string, target: PrometheusTarget, promql: string, signal?: AbortSignal): Promise<{ samples: MetricSample[]; read: MetricRead }> {
    const timeMs = this.evaluationTime();
    this.options.prometheus.queries++;
    try {
      const result = await target.client.instantQuery(promql, { timeMs, signal });
      return { samples: result.samples, read: { source: 'PROMETHEUS', readAt: new Date(timeMs).toISOString(), endpoint: target.client.url } };
    } catch (err) {
      throw metricSourceError(errorCluster, err);
    }
  }

  private async nodesFromPrometheus(cluster: string, ovs: OvsPods, wanted: string[], signal?: AbortSignal): Promise<Map<string, NodeOvsResult>> {
    const target = this.target(cluster);
    const { samples, read } = await this.query(cluster, target, instantQuery(this.scope(cluster, target, ovs, wanted), { rateWindowMs: this.rateWindowMs }), signal);
    const { byNode } = groupByNode(samples, ovs.index);
    const out = new Map<string, NodeOvsResult>();
    for (const node of wanted) {
      const pod = ovs.byNode.get(node)!;
      const list = byNode.get(node) ?? [];
      if (!hasOvsSeries(list)) {
        out.set(
          node,
          new ClusterError('UPSTREAM_ERROR', cluster, `cluster ${cluster}: Prometheus ${target.client.url} has no OVS series of ${pod.namespace}/${pod.name} (not scraped yet, or no ServiceMonitor for ovnkube-node's ovn-metrics port)`, {
            reason: 'NoSeries',
            clusterFault: false,
          }),
        );
        continue;
      }
      out.set(node, nodeOvsFromSamples({ clusterName: cluster, nodeName: node, pod: { namespace: pod.namespace, name: pod.name }, samples: list, read }));
    }
    return out;
  }

  private async nodesFromPods(cluster: string, ovs: OvsPods, wanted: string[], signal?: AbortSignal): Promise<Map<string, NodeOvsResult>> {
    const client = this.options.fleet.client(cluster);
    const endpoint = this.options.endpoint ?? { port: OVNKUBE_NODE.metricsPort, path: OVNKUBE_NODE.metricsPath };
    const out = new Map<string, NodeOvsResult>();
    await Promise.all(
      wanted.map((node) =>
        this.limiter.run(async () => {
          const pod = ovs.byNode.get(node)!;
          try {
            const scrape = await scrapePod(client, { namespace: pod.namespace, name: pod.name, port: endpoint.port, path: endpoint.path }, { signal, now: this.now });
            const model = nodeOvsFromSamples({ clusterName: cluster, nodeName: node, pod: { namespace: pod.namespace, name: pod.name }, samples: scrape.samples, read: scrape.read });
            out.set(node, withCpuRates(model, this.history.record(model)));
          } catch (err) {
            out.set(node, metricSourceError(cluster, err));
          }
        }),
      ),
    );
    return out;
  }

  /** Per-node windows of `nodes` (null: every node) in one query. Without Prometheus: PROMETHEUS_REQUIRED. */
  async windows(cluster: string, windowMs: number, nodes: readonly string[] | null, signal?: AbortSignal): Promise<{ byNode: Map<string, NodeOvsWindowModel>; read: MetricRead; ovs: OvsPods }> {
    const target = this.target(cluster);
    const ovs = await this.pods(cluster, signal);
    const promql = windowQuery(this.scope(cluster, target, ovs, nodes), { rateWindowMs: this.rateWindowMs, windowMs, stepMs: subqueryStepMs(windowMs) });
    const { samples, read } = await this.query(cluster, target, promql, signal);
    return { byNode: nodeWindowsFromSamples({ clusterName: cluster, windowMs, samples, index: ovs.index, read }), read, ovs };
  }

  /**
   * The cluster's active alerts, evaluated now against its thresholds: one alert query (Prometheus) or
   * one read of every ovnkube-node pod (pod proxy; `readNodes` lets a request share its Node.ovs reads).
   * The previous evaluation (of a query or the alert loop) carries `since` and the hysteresis. A
   * cluster without ovnkube-node has none.
   */
  async alerts(cluster: string, signal?: AbortSignal, readNodes?: (nodes: string[]) => Promise<Map<string, NodeOvsResult>>): Promise<OvsAlertModel[]> {
    const settings = this.settings(cluster);
    const ovs = await this.pods(cluster, signal);
    if (ovs.pods.length === 0) return [];
    const thresholds = activeThresholds(settings);
    const at = new Date(this.now()).toISOString();
    let observations;
    if (this.usesPrometheus(cluster)) {
      if (thresholds.length === 0) return [];
      const target = this.target(cluster);
      const promql = alertQuery(this.scope(cluster, target, ovs, null), {
        rateWindowMs: this.rateWindowMs,
        windowMs: settings.counterWindowMs,
        stepMs: subqueryStepMs(settings.counterWindowMs),
        metrics: thresholds.map((t) => metricDef(t.metric)),
      });
      const { samples, read } = await this.query(cluster, target, promql, signal);
      observations = observationsFromSamples(cluster, samples, ovs.index, read.readAt, settings.counterWindowMs);
    } else {
      const names = ovs.pods.map((p) => p.nodeName);
      const reads = readNodes ? await readNodes(names) : await this.nodesFromPods(cluster, ovs, names, signal);
      const models = [...reads.values()].filter((r): r is NodeOvsModel => !(r instanceof ClusterError));
      if (models.length === 0 && reads.size > 0) throw [...reads.values()][0];
      const counters = thresholds.map((t) => t.metric).filter((m) => metricDef(m).kind === 'counter');
      observations = models.flatMap((m) => [
        ...observationsFromNode(m),
        ...counterObservationsFromHistory(this.history.of(cluster, m.nodeName), settings.counterWindowMs, counters),
      ]);
    }
    const last = this.lastAlerts.get(cluster);
    const previous = last && this.now() - last.at <= ALERT_MEMORY_MS ? last.alerts : [];
    const alerts = evaluateAlerts({ observations, settings, previous, at });
    this.lastAlerts.set(cluster, { at: this.now(), alerts });
    return alerts;
  }

  /**
   * One ranking over `clusters`: one `topk` per Prometheus (clusters behind a fleet-wide one share a
   * query with `cluster=~"…"`), merged. Clusters without Prometheus: one PROMETHEUS_REQUIRED error for
   * all of them; a failing Prometheus: one error per cluster behind it.
   */
  async ranking(
    clusters: readonly string[],
    request: { metric: OvsMetricId; stat: OvsStat; windowMs: number; limit: number; dimension?: string },
    signal?: AbortSignal,
  ): Promise<{ ranking: OvsRankingModel; errors: GraphQLError[]; evaluatedAt: string }> {
    const def = metricDef(request.metric);
    const errors: GraphQLError[] = [];
    const without: string[] = [];
    const groups = new Map<string, { target: PrometheusTarget; clusters: string[] }>();
    for (const cluster of clusters) {
      const target = this.options.prometheus.target(cluster);
      if (!target) {
        without.push(cluster);
        continue;
      }
      const key = target.clusterMatcher ? `${target.client.url}\u0000shared` : `${target.client.url}\u0000${cluster}`;
      const group = groups.get(key) ?? { target, clusters: [] };
      group.clusters.push(cluster);
      groups.set(key, group);
    }
    if (without.length > 0) errors.push(prometheusRequired(without, 'ovsTop'));
    const timeMs = this.evaluationTime();
    const options = { rateWindowMs: this.rateWindowMs, windowMs: request.windowMs, stepMs: subqueryStepMs(request.windowMs), limit: request.limit, dimension: request.dimension };
    const parts: RankingPart[] = [];
    await Promise.all(
      [...groups.values()].map(async ({ target, clusters: members }) => {
        const shared = target.clusterMatcher !== undefined;
        const scope: OvsScope = shared ? { cluster: { label: target.clusterMatcher!.label, op: '=~', value: anyOfRegex(members) } as LabelMatcher } : {};
        this.options.prometheus.queries++;
        try {
          const result = await target.client.instantQuery(topQuery(def, request.stat, scope, options), { timeMs, signal });
          parts.push(shared ? { samples: result.samples } : { clusterName: members[0], samples: result.samples });
        } catch (err) {
          for (const c of members) errors.push(toGraphQLError(metricSourceError(c, err), c));
        }
      }),
    );
    const clusterLabel = [...groups.values()].find((g) => g.target.clusterMatcher)?.target.clusterMatcher?.label;
    // The node index only of clusters that made the list (watch caches: 0 requests when warm).
    const listed = new Set(parts.flatMap((p) => (p.clusterName ? [p.clusterName] : p.samples.map((s) => s.labels[clusterLabel ?? 'cluster']))));
    const indexes = new Map<string, SeriesNodeIndex>();
    await Promise.all(
      [...listed].filter((c) => clusters.includes(c)).map(async (c) => {
        try {
          indexes.set(c, (await this.pods(c, signal)).index);
        } catch {
          // Without the pods the entry still names cluster and pod; the node stays null.
        }
      }),
    );
    const ranking = rankingFromParts({
      metric: request.metric,
      stat: request.stat,
      windowMs: request.windowMs,
      limit: request.limit,
      parts,
      indexOf: (c) => indexes.get(c),
      clusters: new Set(clusters),
      clusterLabel,
    });
    return { ranking, errors, evaluatedAt: new Date(timeMs).toISOString() };
  }
}
