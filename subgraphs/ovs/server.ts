// Builds and starts the ovs subgraph: schema/ovs.graphql + resolvers, the OVS reader (watch caches,
// Prometheus or pod proxy) and the alert loop behind the subscription.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { schemaPath } from '../../lib/paths.js';
import type { DomainStartOptions } from '../common/domain.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type RunningSubgraph } from '../common/serve.js';
import type { OvsContext } from './context.js';
import { OvsAlertFeeds } from './events.js';
import { OvsSummary } from './summary.js';
import { createOvsLoaders } from './loaders.js';
import { OVNKUBE_SCOPE, OvsReader } from './reader.js';
import { Resources } from '../kube/resources.js';
import { resolvers } from './resolvers.js';

export interface RunningOvsSubgraph extends RunningSubgraph {
  reader: OvsReader;
  feeds: OvsAlertFeeds;
}

export async function startOvsSubgraph(access: FleetAccess, options: DomainStartOptions): Promise<RunningOvsSubgraph> {
  const reader = new OvsReader({
    fleet: access.registry,
    caches: access.watchCaches,
    prometheus: access.metrics,
    proxyConcurrency: options.settings.proxyConcurrency,
  });
  // The ovnkube-node pods map every OVS series (PromQL or pod proxy) to its node: warm before the first query.
  access.watchCaches.prewarm(Resources.pods, OVNKUBE_SCOPE);
  // Alerts reach subscribers within about one poll interval; only subscribed clusters are evaluated.
  const feeds = new OvsAlertFeeds(access.registry, reader, { pollIntervalMs: options.settings.pollIntervalMs });

  const summary = new OvsSummary(feeds, access.registry);

  const running = await startSubgraph<OvsContext>({
    name: 'ovs',
    typeDefs: parse(readFileSync(schemaPath('ovs.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<OvsContext>,
    context: (request) => ({ ...kubeRequestContext(access, request), loaders: createOvsLoaders(reader), reader, feeds, summary }),
    // Which clusters the alert loop evaluates for subscribers, and how often it did.
    status: () => ({
      feeds: Object.fromEntries(feeds.activeFeeds().map((c) => [c, { polls: feeds.feed(c).polls, subscribers: feeds.feed(c).subscribers }])),
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
    },
  };
}
