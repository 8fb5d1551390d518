// Runs the dpdk subgraph alone (compose.yaml): clusters from KUBECONFIG / --kubeconfig and FLEET_FILE.
import { ClusterRegistry, WatchCacheRegistry } from '../kube/index.js';
import { onShutdown } from '../../scripts/shutdown.js';
import { startDpdkSubgraph } from './server.js';

const registry = ClusterRegistry.fromEnvironment();
const unwatch = registry.watchFiles();
const watchCaches = new WatchCacheRegistry(registry);
const subgraph = await startDpdkSubgraph({
  registry,
  watchCaches,
  port: Number(process.env.PORT ?? 4004),
  host: process.env.HOST ?? '127.0.0.1',
});
onShutdown(async () => {
  await subgraph.stop();
  await watchCaches.stop();
  unwatch();
  await registry.close();
});
