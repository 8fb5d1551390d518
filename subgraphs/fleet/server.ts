// The fleet subgraph: Cluster, Node, Pod and CNF workload classification over the whole fleet.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { schemaPath } from '../../lib/paths.js';
import type { StartDomain } from '../common/domain.js';
import { kubeRequestContext } from '../common/fleet-access.js';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph } from '../common/serve.js';
import type { FleetContext } from './context.js';
import { createProbeLoader } from './probe.js';
import { resolvers } from './resolvers.js';
import { Resources } from '../kube/resources.js';

export const startFleetSubgraph: StartDomain = (access, options) => {
  // Every cluster's nodes: what the dashboard's first query reads (and PTP, SR-IOV join on).
  access.watchCaches.prewarm(Resources.nodes);
  return startSubgraph<FleetContext>({
    name: 'fleet',
    typeDefs: parse(readFileSync(schemaPath('fleet.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<FleetContext>,
    context: (request) => ({ ...kubeRequestContext(access, request), probe: createProbeLoader(access.registry) }),
    port: options.port,
    host: options.host,
    principals: options.principals,
  });
};
