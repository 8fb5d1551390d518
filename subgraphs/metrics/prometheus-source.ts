// Which Prometheus answers for which cluster, and one instant query per cluster.
// The fleet file gives a `prometheusUrl` per cluster (its own Prometheus) or one fleet-wide default
// (Thanos / a central Prometheus whose series carry a `cluster` label). The registry merges the two,
// so a URL that several clusters share is taken as fleet-wide and every query gets
// `cluster="<name>"`; a URL of one cluster alone is that cluster's own Prometheus and gets no matcher.
import { performance } from 'node:perf_hooks';
import { SpanKind, inSpan } from '../../lib/tracing.js';
import { kubeMetrics } from '../kube/kube-metrics.js';
import { metricSourceError } from './errors.js';
import { PrometheusClient, vectorSelector, type LabelMatcher } from './promql.js';
import type { MetricRead, MetricSample } from './types.js';

/** What this needs of the cluster registry (ClusterRegistry has it). */
export interface PrometheusFleet {
  names(): string[];
  get(name: string): { readonly prometheusUrl?: string } | undefined;
}

export interface PrometheusSourceOptions {
  /** Per-query deadline, ms (default 5000). */
  timeoutMs?: number;
  /** Extra headers for every query (e.g. an Authorization header for a Thanos route). */
  headers?: Record<string, string>;
  /** The label naming the cluster in a fleet-wide Prometheus (default `cluster`). */
  clusterLabel?: string;
  /**
   * `auto` (default): a URL shared by several clusters is fleet-wide. `true`: always add the cluster
   * matcher (a fleet-wide Thanos that serves only one of our clusters). `false`: never.
   */
  fleetWide?: 'auto' | boolean;
  /** For tests. */
  fetch?: typeof fetch;
}

export interface PrometheusTarget {
  client: PrometheusClient;
  /** `cluster="<name>"` on a fleet-wide Prometheus. */
  clusterMatcher?: LabelMatcher;
}

export interface PrometheusQueryResult {
  samples: MetricSample[];
  read: MetricRead;
}

export class PrometheusSource {
  private readonly clients = new Map<string, PrometheusClient>();
  private sharedCounts?: { at: number; counts: Map<string, number> };
  private readonly clusterLabel: string;
  /** PromQL queries sent, for tests and benchmarks. */
  queries = 0;

  constructor(
    private readonly fleet: PrometheusFleet,
    private readonly options: PrometheusSourceOptions = {},
  ) {
    this.clusterLabel = options.clusterLabel ?? 'cluster';
  }

  /** The cluster has a Prometheus configured. */
  has(cluster: string): boolean {
    return Boolean(this.fleet.get(cluster)?.prometheusUrl);
  }

  target(cluster: string): PrometheusTarget | undefined {
    const url = this.fleet.get(cluster)?.prometheusUrl;
    if (!url) return undefined;
    let client = this.clients.get(url);
    if (!client) {
      client = new PrometheusClient({ url, timeoutMs: this.options.timeoutMs, headers: this.options.headers, fetch: this.options.fetch });
      this.clients.set(url, client);
    }
    const fleetWide = this.options.fleetWide ?? 'auto';
    const shared = fleetWide === 'auto' ? (this.urlCounts().get(url) ?? 0) > 1 : fleetWide;
    return { client, clusterMatcher: shared ? { label: this.clusterLabel, op: '=', value: cluster } : undefined };
  }

  /**
   * One instant query for `cluster`: the vector selector of `matchers` (plus the cluster matcher on a
   * fleet-wide Prometheus). Failures are ClusterErrors of that cluster.
   */
  async select(cluster: string, matchers: readonly LabelMatcher[], options: { signal?: AbortSignal } = {}): Promise<PrometheusQueryResult> {
    const target = this.target(cluster);
    if (!target) throw metricSourceError(cluster, new Error('no Prometheus configured'));
    const query = vectorSelector(target.clusterMatcher ? [...matchers, target.clusterMatcher] : matchers);
    this.queries++;
    // One span and one count per query (the PromQL text is the selector of a batch, not per node).
    const attributes = { 'db.system': 'prometheus', 'db.query.text': query, 'fleetgraph.cluster': cluster, 'server.address': target.client.url };
    return inSpan('promql query', attributes, async (span) => {
      const started = performance.now();
      try {
        const result = await target.client.instantQuery(query, { signal: options.signal });
        kubeMetrics.promqlQuery(cluster, true, (performance.now() - started) / 1000);
        span?.setAttribute('fleetgraph.samples', result.samples.length);
        return {
          samples: result.samples,
          read: { source: 'PROMETHEUS', readAt: new Date(result.evaluatedAtMs).toISOString(), endpoint: target.client.url },
        };
      } catch (err) {
        kubeMetrics.promqlQuery(cluster, false, (performance.now() - started) / 1000);
        throw metricSourceError(cluster, err);
      }
    }, SpanKind.CLIENT);
  }

  /** How many clusters use each URL (recomputed at most once a second: the registry can change). */
  private urlCounts(): Map<string, number> {
    const now = Date.now();
    if (this.sharedCounts && now - this.sharedCounts.at < 1000) return this.sharedCounts.counts;
    const counts = new Map<string, number>();
    for (const name of this.fleet.names()) {
      const url = this.fleet.get(name)?.prometheusUrl;
      if (url) counts.set(url, (counts.get(url) ?? 0) + 1);
    }
    this.sharedCounts = { at: now, counts };
    return counts;
  }
}
