// How to start each subgraph listed in schema/subgraphs.ts (one entry per domain folder).
import type { RunningSubgraph } from '../subgraphs/common/serve.js';
import type { FleetAccess } from '../subgraphs/common/fleet-access.js';
import { startFleetSubgraph } from '../subgraphs/fleet/server.js';
import { startTimingSubgraph } from '../subgraphs/timing/server.js';
import { startSriovSubgraph } from '../subgraphs/sriov/server.js';
import { startDpdkSubgraph } from '../subgraphs/dpdk/server.js';

export interface SubgraphStartOptions extends FleetAccess {
  host: string;
  port: number;
}

export const SUBGRAPH_STARTERS: Record<string, (options: SubgraphStartOptions) => Promise<RunningSubgraph>> = {
  fleet: startFleetSubgraph,
  timing: (o) => startTimingSubgraph({ registry: o.registry, caches: o.watchCaches, host: o.host, port: o.port }),
  sriov: (o) => startSriovSubgraph({ registry: o.registry, watchCaches: o.watchCaches, host: o.host, port: o.port }),
  dpdk: (o) => startDpdkSubgraph({ registry: o.registry, watchCaches: o.watchCaches, host: o.host, port: o.port }),
};
