// The dpdk subgraph: schema/dpdk.graphql + resolvers over the shared fleet access, a process-wide
// telemetry reader (bounded concurrency) and rate tracker (last sample per pod and port).
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type RunningSubgraph } from '../common/serve.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import { SCHEMA_DIR } from '../../scripts/supergraph.js';
import type { DpdkContext } from './context.js';
import { createDpdkLoaders } from './loaders.js';
import { RateTracker, type RateTrackerOptions } from './rates.js';
import { TelemetryReader, type TelemetryReaderOptions } from './reader.js';
import { resolvers } from './resolvers.js';

export interface DpdkSubgraphOptions extends FleetAccess, TelemetryReaderOptions {
  port?: number;
  host?: string;
  rates?: RateTrackerOptions;
}

export interface RunningDpdkSubgraph extends RunningSubgraph {
  reader: TelemetryReader;
  rates: RateTracker;
}

export async function startDpdkSubgraph(options: DpdkSubgraphOptions): Promise<RunningDpdkSubgraph> {
  const reader = new TelemetryReader(options.registry, { concurrency: options.concurrency });
  const rates = new RateTracker(options.rates);
  const running = await startSubgraph<DpdkContext>({
    name: 'dpdk',
    typeDefs: parse(readFileSync(`${SCHEMA_DIR}/dpdk.graphql`, 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<DpdkContext>,
    context: () => {
      const base = kubeRequestContext(options);
      return { ...base, reader, rates, loaders: createDpdkLoaders(base.kube, reader, rates) };
    },
    port: options.port,
    host: options.host,
  });
  return { ...running, reader, rates };
}
