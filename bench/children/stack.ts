// Bench child: fleetgraph's gateway and subgraphs (scripts/stack.ts, the `single` layout) in one process,
// sharing one registry, one set of watch caches and one connection pool per cluster, against the
// simulator child's kubeconfig (or, with EMBED, with the simulator inside too).
// argv: KUBECONFIG FLEETFILE | EMBED EDGES HUBS REGIONALS SEED DIR
// Env BENCH_DEADLINE_MS: per-cluster deadline (startStack deadlineMs; default the product's 5 s);
// BENCH_UNSIGNED_PRINCIPALS=1: subgraphs accept unsigned principals (startStack unsignedPrincipals).
// KUBE_HTTP2, PREWARM, SYNC_CONCURRENCY, POLL_INTERVAL_MS, LIST_CACHE_TTL_MS … as the product reads them.
// Commands: rss, gcMemory, cpu; sync (pre-warm progress, and when it was complete: ms since this process
// started); connections (to the API servers, as the registry counts them); clear (stop every watch cache
// and close every cluster connection: the next query is cold).
import { domainSettingsFrom, fleetSourceFrom, operationLimitsFrom, subscriptionLimitsFrom } from '../../lib/config.js';
import { limitHeapGrowth } from '../../lib/heap-growth.js';
import { startStack } from '../../scripts/stack.js';
import { serveParent } from '../lib/child.js';
import type { RunningTimingSubgraph } from '../../subgraphs/timing/server.js';

// As every product entry point does (scripts/start.ts, gateway/main.ts, subgraphs/run.ts).
limitHeapGrowth();
const argv = process.argv.slice(2);
const embedded = argv[0] === 'EMBED';
const started = performance.now();
const deadlineMs = process.env.BENCH_DEADLINE_MS ? Number(process.env.BENCH_DEADLINE_MS) : undefined;
const settings = domainSettingsFrom(process.env);
const subscriptionLimits = subscriptionLimitsFrom(process.env);
// The bench's clients are one identity: the per-identity rate limit is off unless RATE_LIMIT_* says otherwise.
const limits = { rateLimitPerSecond: 0, ...operationLimitsFrom(process.env) };
// The throughput comparison puts gateways that cannot sign a principal in front of these subgraphs.
const unsignedPrincipals = process.env.BENCH_UNSIGNED_PRINCIPALS === '1';
// HTTP/2, pre-warm and the sync budget as the product's environment says (KUBE_HTTP2, PREWARM, SYNC_CONCURRENCY).
const { http2, prewarm, syncConcurrency } = fleetSourceFrom([], process.env);
const stack = embedded
  ? await startStack({
      layout: 'single',
      // The bench reads the schema through introspection (off by default with real clusters).
      introspection: true,
      deadlineMs,
      prewarm,
      settings,
      subscriptionLimits,
      limits,
      basePort: 0,
      simulator: {
        dir: argv[5],
        fleet: { edges: Number(argv[1]), hubs: Number(argv[2]), regionals: Number(argv[3]), seed: Number(argv[4]) },
      },
    })
  : await startStack({
      layout: 'single',
      introspection: true,
      deadlineMs,
      settings,
      subscriptionLimits,
      limits,
      unsignedPrincipals,
      basePort: 0,
      fleet: { kubeconfigPaths: [argv[0]], fleetFilePath: argv[1], http2, prewarm, syncConcurrency },
    });
const startupMs = Math.round(performance.now() - started);
const parts = stack.inProcess!;

// The moment every pre-warmed cache had synced and opened its watch (or found its kind not served),
// in ms since this process started: what `npm start` to "fully synced" costs.
let fullySyncedMs: number | null = null;
const watchSync = setInterval(() => {
  const p = parts.access.watchCaches.progress();
  if (p.caches > 0 && p.watching + p.notServed === p.caches) {
    fullySyncedMs = Math.round(performance.now());
    clearInterval(watchSync);
  }
}, 20);
watchSync.unref();

serveParent(
  {
    gatewayUrl: stack.gatewayUrl,
    subgraphUrls: stack.subgraphUrls,
    controlUrl: stack.simulator?.controlUrl,
    startupMs,
  },
  {
    async clear() {
      // Fully cold: no watch cache, no open connection (the next query pays LIST + watch + TLS again).
      clearInterval(watchSync);
      await parts.access.watchCaches.stop();
      await parts.access.registry.close();
      (parts.subgraphs.timing as RunningTimingSubgraph | undefined)?.reader.clearSnapshots();
      return true;
    },
    subStats: () => parts.gateway.subscriptions.stats(),
    watchCaches: () => parts.access.watchCaches.progress().allCaches,
    sync: () => ({ progress: parts.access.watchCaches.progress(), fullySyncedMs, nowMs: Math.round(performance.now()) }),
    connections: () => parts.access.registry.connectionTotals(),
    // PTP metric snapshots: reads queries waited for (misses) and background refreshes, so far.
    snapshots: () => (parts.subgraphs.timing as RunningTimingSubgraph | undefined)?.reader.snapshotStats() ?? null,
  },
  () => stack.stop(),
);
