// The whole fleetgraph stack in one process: the simulated fleet (unless a kubeconfig is given),
// every subgraph and the gateway. `npm start` and the integration tests both start it from here, so
// the tests exercise exactly what a user runs.
import { readFileSync } from 'node:fs';
import { ClusterRegistry, WatchCacheRegistry } from '../subgraphs/kube/index.js';
import type { RunningSubgraph } from '../subgraphs/common/serve.js';
import type { FleetAccess } from '../subgraphs/common/fleet-access.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { limitsFromEnv } from '../gateway/subscriptions/index.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/simulator.js';
import { SUBGRAPHS } from '../schema/subgraphs.js';
import { SUPERGRAPH_PATH } from './supergraph.js';
import { SUBGRAPH_STARTERS } from './subgraph-starters.js';

export interface StackOptions {
  /** Real clusters: kubeconfig files (no simulator runs). */
  kubeconfigPaths?: string[];
  fleetFilePath?: string;
  contexts?: string[];
  /** Options of the embedded simulator when no kubeconfig is given. */
  simulator?: SimulatorOptions;
  host?: string;
  /** Gateway port (default 4000; 0 = random). */
  port?: number;
  /** Subgraph ports: their defaults (4001…) or random. */
  subgraphPorts?: 'default' | 'random';
  /** Per-cluster deadline when the fleet file does not say, ms. */
  deadlineMs?: number;
}

export interface Stack {
  gatewayUrl: string;
  simulator?: Simulator;
  registry: ClusterRegistry;
  watchCaches: WatchCacheRegistry;
  subgraphs: Record<string, RunningSubgraph>;
  gateway: RunningGateway;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const host = options.host ?? '127.0.0.1';
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let simulator: Simulator | undefined;
    let kubeconfigPaths = options.kubeconfigPaths;
    let fleetFilePath = options.fleetFilePath;
    if (!kubeconfigPaths?.length) {
      // The demo fleet behaves like a live one: created ProvisioningRequests progress (the CLI does the same).
      simulator = await startSimulator({ host: '127.0.0.1', provisioningOperator: true, ...options.simulator });
      stops.push(() => simulator!.stop());
      kubeconfigPaths = [simulator.kubeconfigPath];
      fleetFilePath = simulator.fleetFilePath;
    }

    const registry = new ClusterRegistry({
      kubeconfigPaths,
      fleetFilePath,
      contexts: options.contexts,
      defaults: { deadlineMs: options.deadlineMs },
    });
    // Clusters join at run time (a fulfilled ProvisioningRequest rewrites the kubeconfig).
    const unwatch = registry.watchFiles();
    stops.push(async () => {
      unwatch();
      await registry.close();
    });
    const watchCaches = new WatchCacheRegistry(registry);
    stops.push(() => watchCaches.stop());
    const access: FleetAccess = { registry, watchCaches };

    const subgraphs: Record<string, RunningSubgraph> = {};
    for (const entry of SUBGRAPHS) {
      const start = SUBGRAPH_STARTERS[entry.name];
      if (!start) throw new Error(`no starter for subgraph "${entry.name}" in scripts/subgraph-starters.ts`);
      const running = await start({ ...access, host, port: options.subgraphPorts === 'random' ? 0 : entry.port });
      subgraphs[entry.name] = running;
      stops.push(() => running.stop());
    }

    const gateway = await startGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
      host,
      port: options.port ?? 4000,
      introspection: true,
      subscriptions: { limits: limitsFromEnv() },
    });
    stops.push(() => gateway.stop());

    return { gatewayUrl: gateway.url, simulator, registry, watchCaches, subgraphs, gateway, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
