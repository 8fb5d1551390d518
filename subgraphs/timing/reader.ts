// The timing subgraph's read path for one cluster, shared by query loaders and subscription feeds.
//  - CRs (PtpOperatorConfig, PtpConfig, NodePtpDevice; nodes and daemon pods when needed) from the
//    shared watch caches (started on first use; a cold cache's own LIST is the only request) when they
//    are synced and the cluster answered its last call: 0 requests. A kind not served (404 on
//    ptp.openshift.io) means the operator is not installed: `null`, not an error.
//  - Metrics: one PromQL query per cluster when a Prometheus is configured for it; without one, one
//    pod-proxy scrape per linuxptp-daemon pod (= per node), the documented fallback. Both go through one
//    snapshot per cluster (metrics/snapshots.ts) shared by queries and the subscription feeds: a warm
//    query reads none while the snapshot is within the staleness bound (METRICS_MAX_AGE_MS); each
//    node's `read.readAt` says when its values were read.
import { ClusterError } from '../kube/errors.js';
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject, Pod } from '../kube/objects.js';
import { Resources, type ResourceRef } from '../kube/resources.js';
import type { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import type { WatchScope } from '../kube/watch-cache.js';
import { metricSourceError } from '../metrics/errors.js';
import { scrapePod } from '../metrics/pod-scraper.js';
import type { PrometheusSource } from '../metrics/prometheus-source.js';
import { anyOfMatcher } from '../metrics/promql.js';
import { memoByInputs, memoByObject } from '../../lib/memo.js';
import { MetricSnapshots, type NodeMetrics, type SnapshotOptions, type SnapshotStats } from '../metrics/snapshots.js';
import type { MetricRead, MetricSample } from '../metrics/types.js';
import type { NodePtpModel, PtpObjects } from './models.js';
import { decodeNodePtp, PTP_METRIC_PREFIX, samplesByNode } from './ptp-metrics.js';
import { assignProfiles, eventPublisherEnabled, needsEvaluation, type NodeIdentity, type ProfileAssignment } from './sources.js';
import {
  DAEMON_POD_SELECTOR,
  PTP_NAMESPACE,
  type NodePtpDeviceObject,
  type PtpConfigObject,
  type PtpOperatorConfigObject,
  type PtpProfileSpec,
} from './upstream.js';

/** What the reader needs of the cluster registry (ClusterRegistry has it). */
export interface ClusterClients {
  client(name: string): ClusterClient;
}

export interface DaemonMetricsEndpoint {
  /** Port of the daemon's metrics (number or name). Default 9091. */
  port: number | string;
  /** Default `/metrics`. */
  path: string;
  /** `https` goes through the API server as `https:POD:PORT` (e.g. kube-rbac-proxy on 8443). */
  scheme?: 'http' | 'https';
}

export const DEFAULT_DAEMON_METRICS: DaemonMetricsEndpoint = { port: 9091, path: '/metrics' };

export interface PtpReaderOptions {
  clients: ClusterClients;
  caches: WatchCacheRegistry;
  prometheus: PrometheusSource;
  daemonMetrics?: DaemonMetricsEndpoint;
  /** Read metrics through Prometheus where one is configured (default true). */
  preferPrometheus?: boolean;
  /** Above this many nodes in one batch, the PromQL query has no node matcher. Default 100. */
  maxNodesInMatcher?: number;
  /** Metric snapshots (staleness bound, background refresh); default: off, every query reads metrics. */
  snapshots?: SnapshotOptions;
}

type NodeSamples = { samples: MetricSample[]; read: MetricRead };

const byName = (a: KubeObject, b: KubeObject) => a.metadata.name.localeCompare(b.metadata.name);

// Derived once per version of their inputs (lib/memo.ts: the watch caches hand out one list per
// version, a metric snapshot one sample list per node per read), not per request. Shared: never mutated.

/** A cluster's PTP objects (null: none at all), by its three lists. */
const ptpObjectsOf = memoByInputs(
  (operatorConfigs: readonly PtpOperatorConfigObject[], configs: readonly PtpConfigObject[], devices: readonly NodePtpDeviceObject[]): PtpObjects | null =>
    operatorConfigs.length === 0 && configs.length === 0 && devices.length === 0
      ? null
      : {
          operatorConfig: operatorConfigs.find((c) => c.metadata.name === 'default') ?? operatorConfigs[0] ?? null,
          configs: [...configs].sort(byName),
          devices: [...devices].sort(byName),
        },
);

const devicesByName = memoByObject((objects: PtpObjects) => new Map(objects.devices.map((d) => [d.metadata.name, d])));

/** Profile specs by `config/profile`. */
const profileSpecsOf = memoByObject((objects: PtpObjects) => {
  const specs = new Map<string, PtpProfileSpec>();
  for (const c of objects.configs) for (const p of c.spec?.profile ?? []) if (p.name) specs.set(`${c.metadata.name}/${p.name}`, p);
  return specs;
});

/** Which profile applies to which node; `nodes`: the cluster's Node list when some config needs evaluating. */
const assignmentOf = memoByInputs((objects: PtpObjects, nodes: readonly KubeObject[] | null) =>
  assignProfiles(objects.configs, nodes && nodes.map((n): NodeIdentity => ({ name: n.metadata.name, labels: n.metadata.labels ?? {} }))),
);

/** A node's decoded PTP, by the sample list it comes from and the configuration objects that shape it. */
const decodedOf = memoByInputs(
  (samples: MetricSample[], clusterName: string, nodeName: string, read: MetricRead | null, eventPublisher: boolean, device: NodePtpDeviceObject | null, ...profiles: PtpProfileSpec[]) =>
    decodeNodePtp({ clusterName, nodeName, samples, read, eventPublisherEnabled: eventPublisher, profiles, device }),
);

/** A node's PTP, null when the node runs no PTP, or the error that kept it from being read. */
export type NodeReadResult = NodePtpModel | null | ClusterError;

const DAEMON_SCOPE: WatchScope = { namespace: PTP_NAMESPACE, labelSelector: DAEMON_POD_SELECTOR };

/** What a PTP query reads through the watch caches (nodes: the fleet subgraph pre-warms them). */
export const PTP_WATCHED_KINDS: readonly { ref: ResourceRef; scope?: WatchScope; podProxyOnly?: boolean }[] = [
  { ref: Resources.ptpOperatorConfigs },
  { ref: Resources.ptpConfigs },
  { ref: Resources.nodePtpDevices },
  // The daemon pods are what the pod-proxy fallback scrapes: not needed where Prometheus answers.
  { ref: Resources.pods, scope: DAEMON_SCOPE, podProxyOnly: true },
];

export class PtpReader {
  private readonly daemonMetrics: DaemonMetricsEndpoint;
  private readonly snapshots: MetricSnapshots<NodeSamples>;

  constructor(private readonly options: PtpReaderOptions) {
    this.daemonMetrics = options.daemonMetrics ?? DEFAULT_DAEMON_METRICS;
    // A snapshot is the whole cluster: every node's daemon (or every series of the cluster in PromQL).
    this.snapshots = new MetricSnapshots<NodeSamples>(
      (cluster) => (this.usesPrometheus(cluster) ? this.prometheusMetrics(cluster, null) : this.podProxyMetrics(cluster, null)),
      options.snapshots ?? { maxAgeMs: 0 },
    );
  }

  /** Snapshot counters (hits, misses, background refreshes) for the subgraph's status. */
  snapshotStats(): SnapshotStats {
    return this.snapshots.stats();
  }

  /** Reads the cluster's metric snapshot in the background and keeps it fresh (pre-warm). */
  warmSnapshot(cluster: string): void {
    this.snapshots.warm(cluster);
  }

  /** The cluster left the fleet. */
  forgetSnapshot(cluster: string): void {
    this.snapshots.forget(cluster);
  }

  /** Drops every metric snapshot (the next query reads metrics again). */
  clearSnapshots(): void {
    this.snapshots.clear();
  }

  stop(): void {
    this.snapshots.stop();
  }

  /** Metrics for this cluster come from Prometheus. */
  usesPrometheus(cluster: string): boolean {
    return (this.options.preferPrometheus ?? true) && this.options.prometheus.has(cluster);
  }

  /** The PTP objects of a cluster; null when the PTP operator is not installed there. Throws ClusterError. */
  async objects(cluster: string, signal?: AbortSignal): Promise<PtpObjects | null> {
    let operatorConfigs: readonly PtpOperatorConfigObject[];
    let configs: readonly PtpConfigObject[];
    let devices: readonly NodePtpDeviceObject[];
    try {
      [operatorConfigs, configs, devices] = await Promise.all([
        this.read<PtpOperatorConfigObject>(cluster, Resources.ptpOperatorConfigs, {}, signal),
        this.read<PtpConfigObject>(cluster, Resources.ptpConfigs, {}, signal),
        this.read<NodePtpDeviceObject>(cluster, Resources.nodePtpDevices, {}, signal),
      ]);
    } catch (err) {
      // The API group is not served: no PTP operator. Absent is not a failure.
      if (err instanceof ClusterError && err.httpStatus === 404) return null;
      throw err;
    }
    return ptpObjectsOf(operatorConfigs, configs, devices);
  }

  /** Which profile applies to which node (reads node labels only when some PtpConfig has no status.matchList). */
  async assignment(cluster: string, objects: PtpObjects, signal?: AbortSignal): Promise<ProfileAssignment> {
    let items: readonly KubeObject[] | null = null;
    if (objects.configs.some(needsEvaluation)) {
      try {
        items = await this.read<KubeObject>(cluster, Resources.nodes, {}, signal);
      } catch (err) {
        // Not allowed to read nodes: configs without status get no matches; anything else is an error.
        if (!(err instanceof ClusterError && err.code === 'FORBIDDEN')) throw err;
      }
    }
    return assignmentOf(objects, items);
  }

  /**
   * PTP of `nodes` (null: every node with a NodePtpDevice) from the cluster's metric snapshot, or with
   * snapshots off one metric read for the whole batch. A failure of the whole read throws; a failure of
   * one node's scrape is that node's result. `fresh`: a new snapshot unless one is being read (feeds).
   */
  async readNodes(
    cluster: string,
    objects: PtpObjects,
    assignment: ProfileAssignment,
    nodes: readonly string[] | null,
    signal?: AbortSignal,
    options: { fresh?: boolean } = {},
  ): Promise<Map<string, NodeReadResult>> {
    const devices = devicesByName(objects);
    const wanted = nodes ? [...new Set(nodes)] : [...devices.keys()];
    const metrics: NodeMetrics<NodeSamples> =
      wanted.length === 0
        ? new Map()
        : this.snapshots.enabled
          ? await this.snapshots.get(cluster, options)
          : this.usesPrometheus(cluster)
            ? await this.prometheusMetrics(cluster, wanted, signal)
            : await this.podProxyMetrics(cluster, wanted, signal);

    const results = new Map<string, NodeReadResult>();
    for (const node of wanted) {
      const m = metrics.get(node);
      if (m instanceof ClusterError) {
        results.set(node, m);
        continue;
      }
      const samples = m?.samples ?? [];
      if (!devices.has(node) && samples.length === 0) {
        results.set(node, null); // no daemon here: not a PTP node
        continue;
      }
      results.set(node, this.decode(cluster, objects, assignment, node, samples, samples.length ? (m?.read ?? null) : null));
    }
    return results;
  }

  /**
   * A node's PTP from its configuration alone (profiles, thresholds, device), for when its metrics
   * could not be read: the metric fields then answer with `error`. Null when the node has no
   * NodePtpDevice (nothing configured there to show).
   */
  configurationOnly(cluster: string, objects: PtpObjects, assignment: ProfileAssignment, node: string, error: ClusterError): NodePtpModel | null {
    if (!objects.devices.some((d) => d.metadata.name === node)) return null;
    return { ...this.decode(cluster, objects, assignment, node, [], null), metricsError: error };
  }

  private decode(cluster: string, objects: PtpObjects, assignment: ProfileAssignment, node: string, samples: MetricSample[], read: MetricRead | null): NodePtpModel {
    const specs = profileSpecsOf(objects);
    const profiles = assignment.matches
      .filter((match) => match.nodeName === node)
      .map((match) => specs.get(`${match.config}/${match.profile}`))
      .filter((p): p is PtpProfileSpec => p !== undefined);
    const device = devicesByName(objects).get(node) ?? null;
    return decodedOf(samples, cluster, node, read, eventPublisherEnabled(objects.operatorConfig), device, ...profiles);
  }

  /** One PromQL query for the batch (null: the whole cluster): `{__name__=~"openshift_ptp_.*", node=~"a|b"}` (+ `cluster=` on a fleet-wide Prometheus). */
  private async prometheusMetrics(cluster: string, nodes: readonly string[] | null, signal?: AbortSignal): Promise<NodeMetrics<NodeSamples>> {
    const byNode: NodeMetrics<NodeSamples> = new Map();
    if (nodes?.length === 0) return byNode;
    const nodeMatcher = nodes && anyOfMatcher('node', nodes, this.options.maxNodesInMatcher ?? 100);
    const { samples, read } = await this.options.prometheus.select(
      cluster,
      [{ label: '__name__', op: '=~', value: `${PTP_METRIC_PREFIX}.*` }, ...(nodeMatcher ? [nodeMatcher] : [])],
      { signal },
    );
    for (const [node, list] of samplesByNode(samples)) byNode.set(node, { samples: list, read });
    return byNode;
  }

  /** One scrape per node (null: every node with a daemon) through the pod proxy, to the linuxptp-daemon pod scheduled there. */
  private async podProxyMetrics(cluster: string, nodes: readonly string[] | null, signal?: AbortSignal): Promise<NodeMetrics<NodeSamples>> {
    const byNode: NodeMetrics<NodeSamples> = new Map();
    if (nodes?.length === 0) return byNode;
    const podByNode = await this.daemonPods(cluster, signal);
    const client = this.options.clients.client(cluster);
    await Promise.all(
      (nodes ?? [...podByNode.keys()]).map(async (node) => {
        const pod = podByNode.get(node);
        if (!pod) return; // daemon not scheduled (yet): no metrics
        try {
          const scrape = await scrapePod(
            client,
            {
              namespace: pod.metadata.namespace ?? PTP_NAMESPACE,
              name: pod.metadata.name,
              port: this.daemonMetrics.port,
              path: this.daemonMetrics.path,
              scheme: this.daemonMetrics.scheme,
            },
            { signal, filter: (s) => s.name.startsWith(PTP_METRIC_PREFIX) },
          );
          // The page is the daemon's own: every sample belongs to this node (its `node` label says so).
          byNode.set(node, { samples: scrape.samples.filter((s) => !s.labels.node || s.labels.node === node), read: scrape.read });
        } catch (err) {
          byNode.set(node, metricSourceError(cluster, err));
        }
      }),
    );
    return byNode;
  }

  /** The linuxptp-daemon pod of each node (a Running one where a node has several), from the watch cache. */
  async daemonPods(cluster: string, signal?: AbortSignal): Promise<Map<string, Pod>> {
    const podByNode = new Map<string, Pod>();
    for (const pod of await this.read<Pod>(cluster, Resources.pods, DAEMON_SCOPE, signal)) {
      const node = pod.spec?.nodeName;
      if (!node || pod.metadata.deletionTimestamp) continue;
      const current = podByNode.get(node);
      if (!current || (current.status?.phase !== 'Running' && pod.status?.phase === 'Running')) podByNode.set(node, pod);
    }
    return podByNode;
  }

  /**
   * Objects of one kind from the shared watch cache (started here on first use) when it is synced and
   * the cluster answered its last call: 0 requests. A cache that is still filling is waited for (its
   * first LIST is the only request) until it syncs or fails; when it fails, or the cluster looks down,
   * one LIST of our own answers, and reports why the cluster fails. A kind the cluster does not serve is
   * a 404 ClusterError either way.
   */
  private async read<T extends KubeObject>(cluster: string, ref: ResourceRef, scope: WatchScope, signal?: AbortSignal): Promise<readonly T[]> {
    const items = await this.options.caches.readThrough<T>(cluster, ref, scope, { waitForSync: true, signal });
    if (!items) throw new ClusterError('NOT_FOUND', cluster, `cluster ${cluster} does not serve ${ref.group}/${ref.plural}`, { httpStatus: 404 });
    return items;
  }
}

