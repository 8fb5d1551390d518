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
import { PtpEventPush } from './event-push.js';
import { redisEventPushRelay } from './event-push-relay.js';
import { eventPushMetrics } from './event-push-metrics.js';
import { ptpEventRoutes } from './event-receiver.js';
import { PtpFeeds, type ClusterSnapshot } from './events.js';
import { createTimingLoaders } from './loaders.js';
import { PTP_WATCHED_KINDS, PtpReader } from './reader.js';
import { resolvers } from './resolvers.js';
import { TimingSummary } from './summary.js';
import type { PtpObjects } from './models.js';

export interface RunningTimingSubgraph extends RunningSubgraph {
  reader: PtpReader;
  feeds: PtpFeeds;
  /** Cloud-event-proxy subscriptions (CALLBACK_BASE_URL set), else undefined. */
  eventPush?: PtpEventPush;
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

  // With a callback URL the clusters' cloud-event-proxies push PTP events, each one waking its cluster's
  // poll (event-push.ts); without one, or where a cluster does not publish, the feeds only poll.
  let running: RunningSubgraph | undefined;
  const base = options.settings.callbackBaseUrl;
  // Replicas behind one callback URL pass on each other's events through Redis when there is one.
  const relay = base && options.redisUrl ? redisEventPushRelay(options.redisUrl) : undefined;
  const push = base
    ? new PtpEventPush({
        relay,
        client: (cluster) => registry.client(cluster),
        callbackBaseUrl: () => (base === 'self' ? new URL(running!.url).origin : base),
        onEvent: (cluster) => feeds.wake(cluster),
      })
    : undefined;
  const registerPush = async (cluster: string, objects: PtpObjects, signal: AbortSignal) => {
    try {
      const pods = await reader.daemonPods(cluster, signal);
      for (const [node, pod] of pods) if (pod.status?.phase !== 'Running') pods.delete(node);
      push!.reconcile(cluster, objects, pods);
    } catch {
      // the poll itself reports the cluster's failures; registration is tried again after the next poll
    }
  };

  const readSnapshot = async (cluster: string, signal: AbortSignal): Promise<ClusterSnapshot | null> => {
    const objects = await reader.objects(cluster, signal);
    if (!objects) return null;
    if (push) void registerPush(cluster, objects, signal);
    const assignment = await reader.assignment(cluster, objects, signal);
    const nodes = await reader.readNodes(cluster, objects, assignment, null, signal, { fresh: true });
    const snapshot: ClusterSnapshot = new Map();
    for (const [node, value] of nodes) if (value) snapshot.set(node, value);
    return snapshot;
  };
  // A dashboard should see a GM loss within about a poll interval; only subscribed clusters are polled.
  const feeds = new PtpFeeds(registry, readSnapshot, {
    pollIntervalMs: options.settings.pollIntervalMs,
    onStop: (cluster) => void push?.release(cluster),
    defaultSource: (cluster) => (reader.usesPrometheus(cluster) ? 'PROMETHEUS' : 'POD_PROXY'),
  });

  const summary = new TimingSummary(feeds, registry);

  running = await startSubgraph<TimingContext>({
    name: 'timing',
    typeDefs: parse(readFileSync(schemaPath('timing.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<TimingContext>,
    context: (request) => ({ ...kubeRequestContext(access, request), loaders: createTimingLoaders(reader), feeds, summary }),
    // Which clusters are polled for subscribers, and how often they were polled (the first poll is the baseline).
    status: () => ({
      feeds: Object.fromEntries(feeds.activeFeeds().map((c) => [c, { polls: feeds.feed(c).polls, subscribers: feeds.feed(c).subscribers }])),
      metricSnapshots: reader.snapshotStats(),
      ...(push ? { eventPush: push.stats() } : {}),
    }),
    routes: push && ptpEventRoutes(push),
    metrics: push && eventPushMetrics(push),
    port: options.port,
    host: options.host,
    principals: options.principals,
  });

  const subgraph = running;
  return {
    ...subgraph,
    reader,
    feeds,
    eventPush: push,
    async stop() {
      await subgraph.stop();
      summary.stop();
      await feeds.stop();
      await push?.stop();
      await relay?.close();
      unlisten();
      reader.stop();
    },
  };
}
