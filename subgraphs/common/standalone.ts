// Runs one subgraph as its own process (compose.yaml): the fleet from KUBECONFIG / --kubeconfig and
// FLEET_FILE, PORT and HOST from the environment, a clean stop on SIGINT/SIGTERM.
import { ClusterRegistry, WatchCacheRegistry } from '../kube/index.js';
import { onShutdown } from '../../lib/shutdown.js';
import type { FleetAccess } from './fleet-access.js';
import type { RunningSubgraph } from './serve.js';

export async function runStandalone(
  defaultPort: number,
  start: (options: FleetAccess & { port: number; host: string }) => Promise<RunningSubgraph>,
): Promise<RunningSubgraph> {
  const registry = ClusterRegistry.fromEnvironment();
  const unwatch = registry.watchFiles();
  const watchCaches = new WatchCacheRegistry(registry);
  const subgraph = await start({
    registry,
    watchCaches,
    port: Number(process.env.PORT ?? defaultPort),
    host: process.env.HOST ?? '127.0.0.1',
  });
  onShutdown(async () => {
    await subgraph.stop();
    await watchCaches.stop();
    unwatch();
    await registry.close();
  });
  return subgraph;
}
