// The o2ims subgraph: schema/o2ims.graphql + resolvers over the shared fleet access. ProvisioningRequests,
// PackageVariants and Cluster API Clusters come from the shared watch caches (which also feed the
// subscription); writes go to the management cluster's API server.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { schemaPath } from '../../lib/paths.js';
import type { StartDomain } from '../common/domain.js';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type SubgraphRequest } from '../common/serve.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import type { O2imsContext } from './context.js';
import { createO2imsLoaders } from './loaders.js';
import { O2imsReader, O2imsResources } from './reader.js';
import { resolvers } from './resolvers.js';

export function createO2imsContext(access: FleetAccess, reader: O2imsReader, request?: SubgraphRequest): O2imsContext {
  const base = kubeRequestContext(access, request);
  const ctx: O2imsContext = {
    ...base,
    reader,
    // The request's view of the fleet (kubeRequestContext): fleet-wide loaders see only its clusters.
    loaders: createO2imsLoaders(reader, base.registry),
    renew() {
      ctx.kube = kubeRequestContext(access, request).kube;
      ctx.loaders = createO2imsLoaders(reader, ctx.registry);
    },
  };
  return ctx;
}

export const startO2imsSubgraph: StartDomain = (access, options) => {
  const reader = new O2imsReader(access.registry, access.watchCaches);
  // The fleet-wide request list reads every cluster's ProvisioningRequests (404 where none are served):
  // warm before the first query. PackageVariants and CAPI Clusters are read per trace, on first use.
  access.watchCaches.prewarm(O2imsResources.provisioningRequests);
  return startSubgraph<O2imsContext>({
    name: 'o2ims',
    typeDefs: parse(readFileSync(schemaPath('o2ims.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<O2imsContext>,
    context: (request) => createO2imsContext(access, reader, request),
    port: options.port,
    host: options.host,
    principals: options.principals,
  });
};
