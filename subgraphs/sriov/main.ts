// Runs the sriov subgraph alone (compose.yaml): clusters from KUBECONFIG / --kubeconfig and FLEET_FILE.
import { ClusterRegistry, WatchCacheRegistry } from '../kube/index.js';
import { onShutdown } from '../../scripts/shutdown.js';
import { startSriovSubgraph } from './server.js';

const registry = ClusterRegistry.fromEnvironment();
const unwatch = registry.watchFiles();
const watchCaches = new WatchCacheRegistry(registry);
const subgraph = await startSriovSubgraph({
  registry,
  watchCaches,
  port: Number(process.env.PORT ?? 4003),
  host: process.env.HOST ?? '127.0.0.1',
});
onShutdown(async () => {
  await subgraph.stop();
  await watchCaches.stop();
  unwatch();
  await registry.close();
});
