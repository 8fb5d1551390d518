// The cni subgraph: schema/cni.graphql + resolvers over the shared fleet access. Detection signals and
// NADs come from the shared watch caches; Events from the feed's shared cache (which also feeds the
// subscription) or one field-selected LIST per cluster; pods per request.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { schemaPath } from '../../lib/paths.js';
import type { StartDomain } from '../common/domain.js';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type SubgraphRequest } from '../common/serve.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import type { CniContext } from './context.js';
import { PodNetworkEventFeed } from './events.js';
import { createCniLoaders } from './loaders.js';
import { CniReader, POD_EVENTS_SELECTOR } from './reader.js';
import { resolvers } from './resolvers.js';
import { Resources } from '../kube/resources.js';
import { CniResources } from './upstream.js';

export function createCniContext(access: FleetAccess, reader: CniReader, feed: PodNetworkEventFeed, request?: SubgraphRequest): CniContext {
  const base = kubeRequestContext(access, request);
  const ctx: CniContext = {
    ...base,
    reader,
    feed,
    loaders: createCniLoaders(reader, base.kube),
    renew() {
      ctx.kube = kubeRequestContext(access, request).kube;
      ctx.loaders = createCniLoaders(reader, ctx.kube);
    },
  };
  return ctx;
}

export const startCniSubgraph: StartDomain = (access, options) => {
  const reader = new CniReader(access.registry, access.watchCaches);
  const feed = new PodNetworkEventFeed(reader, access.registry);
  // What detection and the NAD queries read on every cluster: warm before the first query (a kind a
  // cluster does not serve costs one LIST that answers 404). Calico/Cilium objects and node annotations
  // are read only where the signals leave the CNI open, so they start on first read.
  for (const ref of [Resources.clusterNetworks, CniResources.operatorNetworks, CniResources.daemonSets, Resources.networkAttachmentDefinitions]) access.watchCaches.prewarm(ref);
  // Pod-network Events (cniEvents, cniSummary, Pod.networkEvents and the subscription share this cache).
  access.watchCaches.prewarm(Resources.events, { fieldSelector: POD_EVENTS_SELECTOR });
  return startSubgraph<CniContext>({
    name: 'cni',
    typeDefs: parse(readFileSync(schemaPath('cni.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<CniContext>,
    context: (request) => createCniContext(access, reader, feed, request),
    port: options.port,
    host: options.host,
    principals: options.principals,
  });
};
