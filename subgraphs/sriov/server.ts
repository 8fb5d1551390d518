// The sriov subgraph: schema/sriov.graphql + resolvers over the shared fleet access. Node states come
// from the shared watch caches (which also feed the subscription); everything else per request.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { schemaPath } from '../../lib/paths.js';
import type { StartDomain } from '../common/domain.js';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type SubgraphRequest } from '../common/serve.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import type { SriovContext } from './context.js';
import { createSriovLoaders } from './loaders.js';
import { SriovReader } from './reader.js';
import { resolvers } from './resolvers.js';
import { Resources } from '../kube/resources.js';
import { SriovSummary } from './summary.js';

export function createSriovContext(access: FleetAccess, reader: SriovReader, summary: SriovSummary, request?: SubgraphRequest): SriovContext {
  const base = kubeRequestContext(access, request);
  const ctx: SriovContext = {
    ...base,
    reader,
    summary,
    loaders: createSriovLoaders(reader, base.kube),
    renew() {
      ctx.kube = kubeRequestContext(access, request).kube;
      ctx.loaders = createSriovLoaders(reader, ctx.kube);
    },
  };
  return ctx;
}

export const startSriovSubgraph: StartDomain = (access, options) => {
  const reader = new SriovReader(access.registry, access.watchCaches);
  // Node states are what most SR-IOV queries and the subscription read: warm before the first query.
  access.watchCaches.prewarm(Resources.sriovNetworkNodeStates);
  const summary = new SriovSummary(reader, access.watchCaches);
  return startSubgraph<SriovContext>({
    name: 'sriov',
    typeDefs: parse(readFileSync(schemaPath('sriov.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<SriovContext>,
    context: (request) => createSriovContext(access, reader, summary, request),
    port: options.port,
    host: options.host,
    principals: options.principals,
  });
};
