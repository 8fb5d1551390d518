// The oda subgraph: schema/oda.graphql + resolvers over the shared fleet access. Components, ExposedAPIs
// and DependentAPIs come from the shared watch caches at each cluster's served version (reader.ts), which
// also feed the subscriptions (events.ts).
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { schemaPath } from '../../lib/paths.js';
import type { StartDomain } from '../common/domain.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type SubgraphRequest } from '../common/serve.js';
import type { OdaContext } from './context.js';
import type { OdaFeedParts } from './events.js';
import { createOdaLoaders } from './loaders.js';
import { OdaReader } from './reader.js';
import { resolvers } from './resolvers.js';

export function createOdaContext(access: FleetAccess, reader: OdaReader, feeds: OdaFeedParts, request?: SubgraphRequest): OdaContext {
  const ctx: OdaContext = {
    ...kubeRequestContext(access, request),
    reader,
    feeds,
    loaders: createOdaLoaders(reader),
    now: Date.now,
    renew() {
      ctx.kube = kubeRequestContext(access, request).kube;
      ctx.loaders = createOdaLoaders(reader);
    },
  };
  return ctx;
}

export const startOdaSubgraph: StartDomain = (access, options) => {
  const reader = new OdaReader(access.registry, access.watchCaches);
  const feeds: OdaFeedParts = { fleet: access.registry, reader, caches: access.watchCaches };
  return startSubgraph<OdaContext>({
    name: 'oda',
    typeDefs: parse(readFileSync(schemaPath('oda.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<OdaContext>,
    context: (request) => createOdaContext(access, reader, feeds, request),
    port: options.port,
    host: options.host,
  });
};
