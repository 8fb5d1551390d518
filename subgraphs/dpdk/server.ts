// The dpdk subgraph: schema/dpdk.graphql + resolvers over the shared fleet access, a process-wide
// telemetry reader (bounded concurrency) and rate tracker (last sample per pod and port).
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { schemaPath } from '../../lib/paths.js';
import type { DomainStartOptions } from '../common/domain.js';
import type { GraphQLResolverMap } from '../common/resolver-map.js';
import { startSubgraph, type RunningSubgraph } from '../common/serve.js';
import { kubeRequestContext, type FleetAccess } from '../common/fleet-access.js';
import type { DpdkContext } from './context.js';
import { createDpdkLoaders } from './loaders.js';
import { RateTracker } from './rates.js';
import { TelemetryReader } from './reader.js';
import { resolvers } from './resolvers.js';
import { DpdkSummary } from './summary.js';

export interface RunningDpdkSubgraph extends RunningSubgraph {
  reader: TelemetryReader;
  rates: RateTracker;
}

export async function startDpdkSubgraph(access: FleetAccess, options: DomainStartOptions): Promise<RunningDpdkSubgraph> {
  const reader = new TelemetryReader(access.registry, { concurrency: options.settings.proxyConcurrency });
  const rates = new RateTracker();
  const summary = new DpdkSummary(access, reader, options.settings.pollIntervalMs);
  const running = await startSubgraph<DpdkContext>({
    name: 'dpdk',
    typeDefs: parse(readFileSync(schemaPath('dpdk.graphql'), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<DpdkContext>,
    context: (request) => {
      const base = kubeRequestContext(access, request);
      return { ...base, reader, rates, summary, loaders: createDpdkLoaders(base.kube, reader, rates) };
    },
    port: options.port,
    host: options.host,
    principals: options.principals,
  });
  return {
    ...running,
    reader,
    rates,
    async stop() {
      await running.stop();
      await summary.stop();
    },
  };
}
