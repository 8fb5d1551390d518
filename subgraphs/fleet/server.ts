// The fleet subgraph: Cluster, Node, Pod and CNF workload classification over the whole fleet.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { schemaPath } from '../../lib/paths.js';
import type { StartDomain } from '../common/domain.js';
import { kubeRequestContext } from '../common/fleet-access.js';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type SubgraphRequest } from '../common/serve.js';
import DataLoader from 'dataloader';
import { ChangeClock } from '../common/summary.js';
import { ApiDiscovery } from '../kube/discovery.js';
import { toClusterError } from '../kube/errors.js';
import { capabilitiesOf, type CapabilityModel } from './capabilities.js';
import { fleetSummaryPart, type FleetSummaryPart } from './summary.js';
import type { FleetContext } from './context.js';
import { createProbeLoader } from './probe.js';
import { resolvers } from './resolvers.js';
import { Resources } from '../kube/resources.js';

export const startFleetSubgraph: StartDomain = (access, options) => {
  // Every cluster's nodes: what the dashboard's first query reads (and PTP, SR-IOV join on).
  access.watchCaches.prewarm(Resources.nodes);
  const discovery = new ApiDiscovery(access.registry);
  const summaryClock = new ChangeClock();
  const context = (request: SubgraphRequest): FleetContext => {
    const ctx: FleetContext = {
      ...kubeRequestContext(access, request),
      probe: createProbeLoader(access.registry),
      discovery,
      summaryClock,
      capabilities: new DataLoader<string, CapabilityModel[]>((clusters) => Promise.all(clusters.map((c) => capabilitiesOf(ctx, c).catch((err: unknown) => toClusterError(c, err))))),
      summary: new DataLoader<string, FleetSummaryPart>((selectors) => Promise.all(selectors.map((s) => fleetSummaryPart(ctx, summaryClock, s).catch((err: unknown) => err as Error)))),
    };
    return ctx;
  };
  return startSubgraph<FleetContext>({
    name: 'fleet',
    typeDefs: parse(readFileSync(schemaPath('fleet.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<FleetContext>,
    context,
    port: options.port,
    host: options.host,
    principals: options.principals,
  });
};
