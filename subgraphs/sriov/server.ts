// The sriov subgraph: schema/sriov.graphql + resolvers over the shared fleet access. Node states come
// from the shared watch caches (which also feed the subscription); everything else per request.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type RunningSubgraph } from '../common/serve.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import { createKubeLoaders } from '../kube/loaders.js';
import { SCHEMA_DIR } from '../../scripts/supergraph.js';
import type { SriovContext } from './context.js';
import { createSriovLoaders } from './loaders.js';
import { SriovReader } from './reader.js';
import { resolvers } from './resolvers.js';

export interface SriovSubgraphOptions extends FleetAccess {
  port?: number;
  host?: string;
}

export function createSriovContext(access: FleetAccess, reader: SriovReader): SriovContext {
  const base = kubeRequestContext(access);
  const ctx: SriovContext = {
    ...base,
    reader,
    loaders: createSriovLoaders(reader, base.kube),
    renew() {
      ctx.kube = createKubeLoaders(access.registry, { watchCaches: access.watchCaches });
      ctx.loaders = createSriovLoaders(reader, ctx.kube);
    },
  };
  return ctx;
}

export function startSriovSubgraph(options: SriovSubgraphOptions): Promise<RunningSubgraph> {
  const reader = new SriovReader(options.registry, options.watchCaches);
  return startSubgraph<SriovContext>({
    name: 'sriov',
    typeDefs: parse(readFileSync(`${SCHEMA_DIR}/sriov.graphql`, 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<SriovContext>,
    context: () => createSriovContext(options, reader),
    port: options.port,
    host: options.host,
  });
}
