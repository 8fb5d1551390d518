// Prometheus metrics of the fleet-access layer, one set per process (a subgraph's /metrics serves them):
// API requests by cluster, verb, kind and status code and their latency by verb and kind; each
// cluster's health and breaker as its last call saw it; watch caches' sync state and how long since
// each last heard from its server; where loader reads were answered (watch cache, list cache, API: the
// cache hit ratio); PromQL queries. Labels are clusters, verbs and kinds — never nodes, pods or names —
// so a 1,000-cluster fleet stays in the tens of thousands of series.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClusterHealth } from './health.js';

/** What the gauges read from a process's cluster registry (ClusterRegistry has it). */
export interface MeasuredFleet {
  names(): string[];
  client(name: string): { readonly health: ClusterHealth; readonly circuitOpen: boolean };
}

/** What the gauges read from a process's watch caches (WatchCacheRegistry has it). */
export interface MeasuredCaches {
  all(): readonly { cluster: string; ref: { group: string; plural: string }; synced: boolean; notServed: boolean; lastHeardAt?: number }[];
}

export type ReadSource = 'watch_cache' | 'list_cache' | 'api';

const kindOf = (ref: { group: string; plural: string }) => (ref.group ? `${ref.group}/${ref.plural}` : ref.plural);

export class KubeMetrics {
  readonly registry = new Registry();
  private readonly fleets = new Set<{ fleet: MeasuredFleet; caches?: MeasuredCaches }>();
  private readonly requests: Counter<'cluster' | 'verb' | 'kind' | 'code'>;
  private readonly latency: Histogram<'verb' | 'kind'>;
  private readonly reads: Counter<'kind' | 'source'>;
  private readonly promql: Counter<'cluster' | 'outcome'>;
  private readonly promqlLatency: Histogram;

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'fleetgraph_kube_requests_total',
      help: 'Kubernetes API requests by cluster, verb, kind and HTTP status code (0: no answer)',
      labelNames: ['cluster', 'verb', 'kind', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: 'fleetgraph_kube_request_seconds',
      help: 'Time to the response headers of a Kubernetes API request, by verb and kind',
      labelNames: ['verb', 'kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.reads = new Counter({
      name: 'fleetgraph_kube_reads_total',
      help: 'Loader reads of a kind by where they were answered (watch_cache and list_cache are cache hits)',
      labelNames: ['kind', 'source'],
      registers,
    });
    this.promql = new Counter({ name: 'fleetgraph_promql_queries_total', help: 'PromQL queries by cluster and outcome', labelNames: ['cluster', 'outcome'], registers });
    this.promqlLatency = new Histogram({
      name: 'fleetgraph_promql_query_seconds',
      help: 'Time to answer one PromQL query',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const fleets = this.fleets;
    const eachCluster = (read: (health: ClusterHealth, open: boolean) => number | undefined) =>
      function (this: Gauge<'cluster'>) {
        this.reset();
        for (const { fleet } of fleets) {
          for (const name of fleet.names()) {
            let client;
            try {
              client = fleet.client(name);
            } catch {
              continue; // left the fleet meanwhile
            }
            const value = read(client.health, client.circuitOpen);
            if (value !== undefined) this.set({ cluster: name }, value);
          }
        }
      };
    new Gauge({
      name: 'fleetgraph_cluster_up',
      help: '1 when the last call to the cluster got an answer from its API server, 0 when it did not (absent before any call)',
      labelNames: ['cluster'],
      registers,
      collect: eachCluster((h) => (h.lastContact === null && h.errorCode === null ? undefined : h.reachable ? 1 : 0)),
    });
    new Gauge({
      name: 'fleetgraph_cluster_circuit_open',
      help: '1 while the cluster\'s circuit breaker refuses calls',
      labelNames: ['cluster'],
      registers,
      collect: eachCluster((_h, open) => (open ? 1 : 0)),
    });
    new Gauge({
      name: 'fleetgraph_cluster_latency_seconds',
      help: 'Time to the response headers of the last answered call to the cluster',
      labelNames: ['cluster'],
      registers,
      collect: eachCluster((h) => (h.latencyMs === null ? undefined : h.latencyMs / 1000)),
    });
    new Gauge({
      name: 'fleetgraph_cluster_last_contact_timestamp_seconds',
      help: 'When the cluster last answered (Unix time)',
      labelNames: ['cluster'],
      registers,
      collect: eachCluster((h) => (h.lastContact ? h.lastContact.getTime() / 1000 : undefined)),
    });
    const eachCache = (read: (c: ReturnType<MeasuredCaches['all']>[number]) => number | undefined) =>
      function (this: Gauge<'cluster' | 'kind'>) {
        this.reset();
        for (const { caches } of fleets) {
          for (const cache of caches?.all() ?? []) {
            const value = read(cache);
            if (value !== undefined) this.set({ cluster: cache.cluster, kind: kindOf(cache.ref) }, value);
          }
        }
      };
    new Gauge({
      name: 'fleetgraph_watch_cache_synced',
      help: '1 when the watch cache of a kind on a cluster has its list and follows the watch, 0 while it (re)syncs',
      labelNames: ['cluster', 'kind'],
      registers,
      collect: eachCache((c) => (c.synced ? 1 : 0)),
    });
    new Gauge({
      name: 'fleetgraph_watch_cache_staleness_seconds',
      help: 'Seconds since the watch cache last heard from its API server (a list, an event or a bookmark): the lag of what it serves',
      labelNames: ['cluster', 'kind'],
      registers,
      collect: eachCache((c) => (c.lastHeardAt === undefined || c.notServed ? undefined : (Date.now() - c.lastHeardAt) / 1000)),
    });
  }

  /** Follows a process's registry and watch caches for the gauges; returns the function that stops it. */
  track(fleet: MeasuredFleet, caches?: MeasuredCaches): () => void {
    const entry = { fleet, caches };
    this.fleets.add(entry);
    return () => void this.fleets.delete(entry);
  }

  request(cluster: string, verb: string, kind: string, status: number, seconds: number | undefined): void {
    this.requests.inc({ cluster, verb, kind: kind || 'none', code: String(status) });
    if (seconds !== undefined) this.latency.observe({ verb, kind: kind || 'none' }, seconds);
  }

  read(ref: { group: string; plural: string }, source: ReadSource): void {
    this.reads.inc({ kind: kindOf(ref), source });
  }

  promqlQuery(cluster: string, ok: boolean, seconds: number): void {
    this.promql.inc({ cluster, outcome: ok ? 'ok' : 'error' });
    this.promqlLatency.observe(seconds);
  }
}

/** The process's fleet-access metrics. */
export const kubeMetrics = new KubeMetrics();
