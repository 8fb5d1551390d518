// Builds and starts the timing subgraph: schema/timing.graphql + resolvers, the PTP reader (watch
// caches, Prometheus or pod proxy) and the per-cluster change feeds behind the subscriptions.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { schemaPath } from '../../lib/paths.js';
import type { DomainStartOptions } from '../common/domain.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type RunningSubgraph } from '../common/serve.js';
import type { TimingContext } from './context.js';
import { PtpFeeds, type ClusterSnapshot } from './events.js';
import { createTimingLoaders } from './loaders.js';
import { PTP_WATCHED_KINDS, PtpReader } from './reader.js';
import { resolvers } from './resolvers.js';
import { TimingSummary } from './summary.js';

export interface RunningTimingSubgraph extends RunningSubgraph {
  reader: PtpReader;
  feeds: PtpFeeds;
}

export async function startTimingSubgraph(access: FleetAccess, options: DomainStartOptions): Promise<RunningTimingSubgraph> {
  const { registry } = access;
  // Metric snapshots: a warm query reads no metrics; the feeds' polls and a background refresh of the
  // clusters someone reads keep them within the staleness bound.
  const reader = new PtpReader({
    clients: registry,
    caches: access.watchCaches,
    prometheus: access.metrics,
    snapshots: { maxAgeMs: options.settings.metricsMaxAgeMs, refreshConcurrency: options.settings.proxyConcurrency },
  });
  // Pre-warm what a PTP query reads, on every cluster now and as clusters join.
  for (const { ref, scope, podProxyOnly } of PTP_WATCHED_KINDS) {
    access.watchCaches.prewarm(ref, scope, podProxyOnly ? { where: (cluster) => !reader.usesPrometheus(cluster) } : {});
  }

  // Metric snapshots are pre-warmed too: the first query after start (or after a cluster joins) reads none.
  let unlisten = () => {};
  if (access.watchCaches.prewarming && options.settings.metricsMaxAgeMs > 0) {
    for (const name of registry.names()) reader.warmSnapshot(name);
    unlisten = registry.on('change', (change) => {
      for (const name of change.removed) reader.forgetSnapshot(name);
      for (const name of change.added) reader.warmSnapshot(name);
    });
  }

  const readSnapshot = async (cluster: string, signal: AbortSignal): Promise<ClusterSnapshot | null> => {
    const objects = await reader.objects(cluster, signal);
    if (!objects) return null;
    const assignment = await reader.assignment(cluster, objects, signal);
    const nodes = await reader.readNodes(cluster, objects, assignment, null, signal, { fresh: true });
    const snapshot: ClusterSnapshot = new Map();
    for (const [node, value] of nodes) if (value) snapshot.set(node, value);
    return snapshot;
  };
  // A dashboard should see a GM loss within about a poll interval; only subscribed clusters are polled.
  const feeds = new PtpFeeds(registry, readSnapshot, {
    pollIntervalMs: options.settings.pollIntervalMs,
    defaultSource: (cluster) => (reader.usesPrometheus(cluster) ? 'PROMETHEUS' : 'POD_PROXY'),
  });

  const summary = new TimingSummary(feeds, registry);

  const running = await startSubgraph<TimingContext>({
    name: 'timing',
    typeDefs: parse(readFileSync(schemaPath('timing.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<TimingContext>,
    context: (request) => ({ ...kubeRequestContext(access, request), loaders: createTimingLoaders(reader), feeds, summary }),
    // Which clusters are polled for subscribers, and how often they were polled (the first poll is the baseline).
    status: () => ({
      feeds: Object.fromEntries(feeds.activeFeeds().map((c) => [c, { polls: feeds.feed(c).polls, subscribers: feeds.feed(c).subscribers }])),
      metricSnapshots: reader.snapshotStats(),
    }),
    port: options.port,
    host: options.host,
    principals: options.principals,
  });

  return {
    ...running,
    reader,
    feeds,
    async stop() {
      await running.stop();
      summary.stop();
      await feeds.stop();
      unlisten();
      reader.stop();
    },
  };
}
