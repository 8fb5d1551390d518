// Builds and starts the timing subgraph: schema/timing.graphql + resolvers, the PTP reader (watch
// caches, Prometheus or pod proxy) and the per-cluster change feeds behind the subscriptions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { parse } from 'graphql';
import { startSubgraph, type RunningSubgraph } from '../common/serve.js';
import type { ClusterRegistry } from '../kube/registry.js';
import { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import { PrometheusSource, type PrometheusSourceOptions } from '../metrics/prometheus-source.js';
import type { TimingContext } from './context.js';
import { PtpFeeds, type ClusterSnapshot } from './events.js';
import { createTimingLoaders } from './loaders.js';
import { PtpReader, type DaemonMetricsEndpoint } from './reader.js';
import { resolvers } from './resolvers.js';

export const TIMING_SCHEMA_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/timing.graphql');

export interface TimingSubgraphOptions {
  registry: ClusterRegistry;
  /** Shared watch caches (one per process); created here (and stopped with the subgraph) when absent. */
  caches?: WatchCacheRegistry;
  port?: number;
  host?: string;
  /** Subscription feeds poll each subscribed cluster this often, ms. Default 1000 (env PTP_POLL_INTERVAL_MS): a dashboard should see a GM loss within about a second; only subscribed clusters are polled. */
  pollIntervalMs?: number;
  prometheus?: PrometheusSourceOptions;
  /** Where the linuxptp-daemon serves metrics for pod-proxy reads. Default port 9091, /metrics. */
  daemonMetrics?: DaemonMetricsEndpoint;
  /** Read metrics from Prometheus where the fleet file configures one (default true). */
  preferPrometheus?: boolean;
}

export interface RunningTimingSubgraph extends RunningSubgraph {
  reader: PtpReader;
  feeds: PtpFeeds;
  prometheus: PrometheusSource;
}

export async function startTimingSubgraph(options: TimingSubgraphOptions): Promise<RunningTimingSubgraph> {
  const { registry } = options;
  const ownCaches = !options.caches;
  const caches = options.caches ?? new WatchCacheRegistry(registry);
  const prometheus = new PrometheusSource(registry, options.prometheus);
  const reader = new PtpReader({
    clients: registry,
    caches,
    prometheus,
    daemonMetrics: options.daemonMetrics,
    preferPrometheus: options.preferPrometheus,
  });

  const readSnapshot = async (cluster: string, signal: AbortSignal): Promise<ClusterSnapshot | null> => {
    const objects = await reader.objects(cluster, signal);
    if (!objects) return null;
    const assignment = await reader.assignment(cluster, objects, signal);
    const nodes = await reader.readNodes(cluster, objects, assignment, null, signal);
    const snapshot: ClusterSnapshot = new Map();
    for (const [node, value] of nodes) if (value) snapshot.set(node, value);
    return snapshot;
  };
  const envInterval = Number(process.env.PTP_POLL_INTERVAL_MS);
  const feeds = new PtpFeeds(registry, readSnapshot, {
    pollIntervalMs: options.pollIntervalMs ?? (Number.isFinite(envInterval) && envInterval > 0 ? envInterval : 1000),
    defaultSource: (cluster) => (reader.usesPrometheus(cluster) ? 'PROMETHEUS' : 'POD_PROXY'),
  });

  const running = await startSubgraph<TimingContext>({
    name: 'timing',
    typeDefs: parse(readFileSync(TIMING_SCHEMA_PATH, 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<TimingContext>,
    context: () => ({ fleet: registry, loaders: createTimingLoaders(reader), feeds }),
    port: options.port,
    host: options.host,
  });

  return {
    ...running,
    reader,
    feeds,
    prometheus,
    async stop() {
      await running.stop();
      await feeds.stop();
      if (ownCaches) await caches.stop();
    },
  };
}
