// Bench child: fleetgraph's gateway and subgraphs (scripts/stack.ts, the `single` layout) in one process,
// sharing one registry, one set of watch caches and one connection pool per cluster, against the
// simulator child's kubeconfig (or, with EMBED, with the simulator inside too).
// argv: KUBECONFIG FLEETFILE | EMBED EDGES HUBS REGIONALS SEED DIR
// Env BENCH_DEADLINE_MS: per-cluster deadline (startStack deadlineMs; default the product's 5 s);
// BENCH_UNSIGNED_PRINCIPALS=1: subgraphs accept unsigned principals (startStack unsignedPrincipals).
// Commands: rss, cpu; clear (stop every watch cache and close every cluster connection: the next query is cold).
import { domainSettingsFrom, operationLimitsFrom, subscriptionLimitsFrom } from '../../lib/config.js';
import { startStack } from '../../scripts/stack.js';
import { serveParent } from '../lib/child.js';

const argv = process.argv.slice(2);
const embedded = argv[0] === 'EMBED';
const started = performance.now();
const deadlineMs = process.env.BENCH_DEADLINE_MS ? Number(process.env.BENCH_DEADLINE_MS) : undefined;
// POLL_INTERVAL_MS / PTP_POLL_INTERVAL_MS, LIST_CACHE_TTL_MS … as the product reads them.
const settings = domainSettingsFrom(process.env);
const subscriptionLimits = subscriptionLimitsFrom(process.env);
// The bench's clients are one identity: the per-identity rate limit is off unless RATE_LIMIT_* says otherwise.
const limits = { rateLimitPerSecond: 0, ...operationLimitsFrom(process.env) };
// The throughput comparison puts gateways that cannot sign a principal in front of these subgraphs.
const unsignedPrincipals = process.env.BENCH_UNSIGNED_PRINCIPALS === '1';
const stack = embedded
  ? await startStack({
      layout: 'single',
      // The bench reads the schema through introspection (off by default with real clusters).
      introspection: true,
      deadlineMs,
      settings,
      subscriptionLimits,
      limits,
      basePort: 0,
      simulator: {
        dir: argv[5],
        fleet: { edges: Number(argv[1]), hubs: Number(argv[2]), regionals: Number(argv[3]), seed: Number(argv[4]) },
      },
    })
  : await startStack({ layout: 'single', introspection: true, deadlineMs, settings, subscriptionLimits, limits, unsignedPrincipals, basePort: 0, fleet: { kubeconfigPaths: [argv[0]], fleetFilePath: argv[1] } });
const parts = stack.inProcess!;

serveParent(
  {
    gatewayUrl: stack.gatewayUrl,
    subgraphUrls: stack.subgraphUrls,
    controlUrl: stack.simulator?.controlUrl,
    startupMs: Math.round(performance.now() - started),
  },
  {
    async clear() {
      // Fully cold: no watch cache, no open connection (the next query pays LIST + watch + TLS again).
      await parts.access.watchCaches.stop();
      await parts.access.registry.close();
      return true;
    },
    subStats: () => parts.gateway.subscriptions.stats(),
    watchCaches: () => (parts.access.watchCaches as unknown as { caches: Map<string, unknown> }).caches.size,
  },
  () => stack.stop(),
);
