// Bench child: fleetgraph's gateway and subgraphs (scripts/stack.ts) in one process, against the
// simulator child's kubeconfig (or, with EMBED, with the simulator inside: the `npm start` shape).
// argv: KUBECONFIG FLEETFILE | EMBED EDGES HUBS REGIONALS SEED DIR
// Env BENCH_DEADLINE_MS: per-cluster deadline (startStack deadlineMs; default the product's 5 s).
// Commands: rss, cpu; clear (stop every watch cache and close every cluster connection: the next query is cold).
import { startStack } from '../../scripts/stack.js';
import { serveParent } from '../lib/child.js';

const argv = process.argv.slice(2);
const embedded = argv[0] === 'EMBED';
const started = performance.now();
const deadlineMs = process.env.BENCH_DEADLINE_MS ? Number(process.env.BENCH_DEADLINE_MS) : undefined;
const stack = embedded
  ? await startStack({
      deadlineMs,
      port: 0,
      subgraphPorts: 'random',
      simulator: {
        port: 0,
        controlPort: 0,
        dir: argv[5],
        fleet: { edges: Number(argv[1]), hubs: Number(argv[2]), regionals: Number(argv[3]), seed: Number(argv[4]) },
      },
    })
  : await startStack({ deadlineMs, port: 0, subgraphPorts: 'random', kubeconfigPaths: [argv[0]], fleetFilePath: argv[1] });

serveParent(
  {
    gatewayUrl: stack.gatewayUrl,
    subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url])),
    controlUrl: stack.simulator?.controlUrl,
    startupMs: Math.round(performance.now() - started),
  },
  {
    async clear() {
      // Fully cold: no watch cache, no open connection (the next query pays LIST + watch + TLS again).
      await stack.watchCaches.stop();
      await stack.registry.close();
      return true;
    },
    subStats: () => stack.gateway.subscriptions.stats(),
    watchCaches: () => (stack.watchCaches as unknown as { caches: Map<string, unknown> }).caches.size,
  },
  () => stack.stop(),
);
