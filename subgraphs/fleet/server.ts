// The fleet subgraph: Cluster, Node, Pod and CNF workload classification over the whole fleet.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type RunningSubgraph } from '../common/serve.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import { SCHEMA_DIR } from '../../scripts/supergraph.js';
import type { FleetContext } from './context.js';
import { createProbeLoader } from './probe.js';
import { resolvers } from './resolvers.js';

export interface FleetSubgraphOptions extends FleetAccess {
  port?: number;
  host?: string;
}

export function startFleetSubgraph(options: FleetSubgraphOptions): Promise<RunningSubgraph> {
  return startSubgraph<FleetContext>({
    name: 'fleet',
    typeDefs: parse(readFileSync(`${SCHEMA_DIR}/fleet.graphql`, 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<FleetContext>,
    context: () => ({ ...kubeRequestContext(options), probe: createProbeLoader(options.registry) }),
    port: options.port,
    host: options.host,
  });
}
