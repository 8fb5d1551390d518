// Fleet scaling: the fleet query `{ clusters { name nodes { name ptp { … } sriov { … } } } }` through
// fleetgraph's gateway over simulated fleets of N single-node edge clusters + 1 hub, with added API
// latency per cluster; cold and warm latency, API requests per query (simulator counters) and RSS; and
// the naive baseline (the seeds' per-node requests) against the same simulator in the same run.
//
// Processes: simulator (child) ← stack: gateway + subgraphs (child) ← this process (client only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import { Resources, listPath, objectPath, proxyPath } from '../../subgraphs/kube/resources.js';
import { startChild, type ChildHandle, type Memory } from '../lib/child.js';
import { control, graphql, totals, type Counters } from '../lib/http.js';
import { loadAvg } from '../lib/machine.js';
import { summarize, type Summary } from '../lib/stats.js';

export interface FleetPlan {
  sizes: number[];
  latenciesMs: number[];
  warmQueries: number;
  coldQueries: number;
  naiveRuns: number;
  /** Also run warm queries with LIST_CACHE_TTL_MS set (the list-cache fix), at these latencies. */
  listCacheTtlMs: number;
  /** Measure the all-in-one process (simulator embedded in the stack's process) at this many edges (0 = not). */
  allInOneAt: number;
  /** Per-cluster deadline of the measured stack, ms (undefined: the product default, 5 s). */
  deadlineMs?: number;
  /** Cold queries (caches cleared) at 1,000+ clusters, where each costs tens of seconds. */
  coldQueriesLarge?: number;
  /** Also measure these fleet sizes (edges) over HTTP/1.1 only, for the connection and memory comparison. */
  http1At?: number[];
  /** The warm list-cache variant only up to this many edges (it starts one more stack per size). */
  listCacheUpTo?: number;
}

interface SimInfo {
  kubeconfigPath: string;
  fleetFilePath: string;
  controlUrl: string;
  clusters: string[];
  startupMs: number;
}

interface StackInfo {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  controlUrl?: string;
  startupMs: number;
}

export interface Requests {
  perQuery: number;
  byVerb: Record<string, number>;
}

/** Connections to the API servers (the simulator's count: each opened one is a TLS handshake). */
export interface ConnectionSummary {
  /** Open now, per cluster: mean and max. */
  openPerCluster: { mean: number; max: number };
  /** Opened since the last reset, per cluster (mean) and in all. */
  openedPerCluster: number;
  opened: number;
  /** Of the opened ones, how many spoke HTTP/2. */
  h2Share: number;
}

export interface FleetRun {
  clusters: number;
  edges: number;
  latencyMs: number;
  query: string;
  responseBytes: number;
  stackStartupMs: number;
  /** Pre-warm: `npm start`-equivalent (the stack process) to every pre-warmed cache synced and watching. */
  sync: {
    /** ms since the stack process started. */
    fullySyncedMs: number | null;
    /** ms from the first pre-warmed kind to the last first sync (the registry's own clock). */
    fullySyncedAfterMs: number | null;
    caches: number;
    kinds: string[];
    /** Connections opened while starting and pre-warming (TLS handshakes per cluster). */
    connections: ConnectionSummary;
  };
  /** The fleet query sent the moment the stack listens, while pre-warm runs (its share synced when sent). */
  duringSync: { ms: number; errors: number; errorCodes: Record<string, number>; syncedShare: number };
  /** The first fleet query once pre-warm is done (the dashboard opened in the morning). */
  coldFirst: { ms: number; requests: Requests; errors: number };
  /** CPU time used per query by the gateway+subgraphs process and by the simulator process. */
  cpuMsPerQuery: { coldFirst: { stack: number; simulator: number }; warm: { stack: number; simulator: number } };
  errorCodes: { coldFirst: Record<string, number>; cold: Record<string, number>; warm: Record<string, number> };
  deadlineMs: number;
  coldCleared: Summary & { requests: Requests; errors: number };
  warm: Summary & {
    requests: Requests;
    errors: number;
    connections: ConnectionSummary;
    /** PTP metric snapshots over the warm queries: reads the queries waited for (misses), answers from a snapshot (hits), and the background refreshes meanwhile (whose pod-proxy reads the request counts include). */
    metricSnapshots?: { waitedFor: number; hits: number; backgroundRefreshes: number };
  };
  warmWithListCache?: Summary & { requests: Requests; errors: number; ttlMs: number };
  naive: Summary & { requests: Requests; failures: number; description: string };
  /** After the warm queries, as the OS sees it. */
  stackMemory: Memory;
  /** Right after, following a full garbage collection: live memory. */
  stackMemoryAfterGc: Memory;
  simulatorMemory: Memory;
  watchCaches: number;
  /** The same fleet over HTTP/1.1 only (KUBE_HTTP2=false), for comparison, where the plan asks for it. */
  http1?: { fullySyncedMs: number | null; connections: ConnectionSummary; warmP50: number; memory: Memory; memoryAfterGc: Memory };
  loadAvg: number[];
}

export interface AllInOneRun {
  clusters: number;
  startupMs: number;
  coldFirstMs: number;
  warmP50Ms: number;
  memory: Memory;
  afterGc: Memory;
  note: string;
}

export interface FleetResult {
  plan: FleetPlan;
  simulatorStartupMs: Record<string, number>;
  sriov: string;
  runs: FleetRun[];
  allInOne?: AllInOneRun;
}

type Log = (line: string) => void;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** The fleet query with whatever Node.ptp / Node.sriov fields the supergraph has now (introspection). */
async function fleetQuery(gatewayUrl: string): Promise<{ query: string; sriov: string }> {
  const scalarFields = async (typeName: string, max: number): Promise<string[]> => {
    const res = await graphql(gatewayUrl, `{ __type(name: "${typeName}") { fields { name args { name } type { kind name ofType { kind name ofType { kind name } } } } } }`);
    const type = (res.data as { __type: { fields: { name: string; args: unknown[]; type: { kind: string; ofType?: { kind: string; ofType?: { kind: string } } } }[] } | null }).__type;
    const isLeaf = (t: { kind: string; ofType?: { kind: string; ofType?: { kind: string } } }): boolean =>
      t.kind === 'SCALAR' || t.kind === 'ENUM' || (t.kind === 'NON_NULL' && !!t.ofType && isLeaf(t.ofType as typeof t));
    return (type?.fields ?? []).filter((f) => f.args.length === 0 && isLeaf(f.type)).map((f) => f.name).slice(0, max);
  };
  const nodeFields = await graphql(gatewayUrl, '{ __type(name: "Node") { fields { name type { name kind ofType { name } } } } }');
  const fields = (nodeFields.data as { __type: { fields: { name: string; type: { name: string | null; ofType?: { name: string | null } } }[] } }).__type.fields;
  const typeOf = (name: string) => {
    const f = fields.find((x) => x.name === name);
    return f ? (f.type.name ?? f.type.ofType?.name ?? null) : null;
  };
  const parts: string[] = [];
  const ptpType = typeOf('ptp');
  if (ptpType) parts.push(`ptp { ${['syncState', 'offsetNs', 'clockClass'].join(' ')} }`);
  const sriovType = typeOf('sriov');
  let sriov = 'not in the supergraph when this ran (the SR-IOV subgraph was not composed yet): ptp only';
  if (sriovType) {
    const leaves = await scalarFields(sriovType, 4);
    if (leaves.length) {
      parts.push(`sriov { ${leaves.join(' ')} }`);
      sriov = `Node.sriov { ${leaves.join(' ')} }`;
    }
  }
  return { query: `{ clusters { name nodes { name ${parts.join(' ')} } } }`, sriov };
}

function countErrors(res: { errors?: unknown[] }): number {
  return res.errors?.length ?? 0;
}

/** Error codes seen, summed over a run (e.g. CLUSTER_TIMEOUT: 631). */
type ErrorCodes = Record<string, number>;

async function timedQuery(url: string, query: string, codes?: ErrorCodes): Promise<{ ms: number; errors: number; bytes: number }> {
  const started = performance.now();
  const res = await graphql(url, query);
  const ms = performance.now() - started;
  if (codes) {
    for (const e of res.errors ?? []) {
      const code = String(e.extensions?.code ?? 'NO_CODE');
      codes[code] = (codes[code] ?? 0) + 1;
    }
    if (res.status !== 200) codes[`HTTP_${res.status}`] = (codes[`HTTP_${res.status}`] ?? 0) + 1;
  }
  return { ms, errors: countErrors(res) + (res.status === 200 ? 0 : 1), bytes: res.bytes };
}

async function requestsSince(controlUrl: string, queries: number): Promise<Requests> {
  const { total, byVerb } = totals(await control<Counters>(controlUrl, 'GET', '/counters'));
  const per = (n: number) => Math.round((n / queries) * 10) / 10;
  return { perQuery: per(total), byVerb: Object.fromEntries(Object.entries(byVerb).map(([k, v]) => [k, per(v)])) };
}

/**
 * The seeds' way (reference: the seed PTP collector): per cluster, one after the other, LIST
 * NodePtpDevices, then per node: GET the Node, LIST the linuxptp-daemon pod on that node (field
 * selector), read its metrics (here through the pod proxy: the seed dialled the pod IP, which a
 * client outside the cluster cannot); with SR-IOV also GET the node's SriovNetworkNodeState. Clusters
 * run concurrently and connections are kept alive, which is kinder than the seed (a new client per call).
 */
async function naiveFleetRead(registry: ClusterRegistry, clusters: string[], withSriov: boolean): Promise<{ failures: number }> {
  let failures = 0;
  await Promise.all(
    clusters.map(async (cluster) => {
      const client = registry.client(cluster);
      try {
        const devices = await client.getJson<{ items?: { metadata: { name: string } }[] }>(listPath(Resources.nodePtpDevices, 'openshift-ptp'));
        for (const device of devices.items ?? []) {
          const node = device.metadata.name;
          await client.getJson(objectPath(Resources.nodes, undefined, node));
          const pods = await client.getJson<{ items?: { metadata: { name: string } }[] }>(
            listPath(Resources.pods, 'openshift-ptp', { labelSelector: 'app=linuxptp-daemon', fieldSelector: `spec.nodeName=${node}` }),
          );
          const pod = pods.items?.[0];
          if (pod) await client.getRaw(proxyPath({ namespace: 'openshift-ptp', name: pod.metadata.name, port: 9091, path: '/metrics' }));
          if (withSriov) await client.getJson(objectPath(Resources.sriovNetworkNodeStates, 'openshift-sriov-network-operator', node)).catch(() => undefined);
        }
      } catch {
        failures++;
      }
    }),
  );
  return { failures };
}

async function setLatency(controlUrl: string, clusters: string[], latencyMs: number): Promise<void> {
  await mapLimit(clusters, 32, (name) => control(controlUrl, 'PUT', `/clusters/${encodeURIComponent(name)}/faults`, { latencyMs }));
}

export async function runFleet(plan: FleetPlan, log: Log): Promise<FleetResult> {
  const result: FleetResult = { plan, simulatorStartupMs: {}, sriov: '', runs: [] };
  for (const edges of plan.sizes) {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleetgraph-bench-'));
    log(`fleet ${edges} edges + 1 hub: starting the simulator`);
    const sim = await startChild<SimInfo>('sim', [String(edges), '1', '0', '1', dir]);
    result.simulatorStartupMs[String(edges)] = sim.info.startupMs;
    const clusters = sim.info.clusters;
    try {
      for (const latencyMs of plan.latenciesMs) {
        await setLatency(sim.info.controlUrl, clusters, latencyMs);
        result.runs.push(await measure(sim, clusters, edges, latencyMs, plan, log, result));
      }
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (plan.allInOneAt > 0) result.allInOne = await measureAllInOne(plan.allInOneAt, plan, log);
  return result;
}

interface SyncReport {
  progress: { caches: number; synced: number; watching: number; notServed: number; kinds: string[]; fullySyncedAfterMs: number | null };
  fullySyncedMs: number | null;
  nowMs: number;
}

interface ConnectionReport {
  total: { open: number; opened: number };
  clusters: Record<string, { open: number; opened: number; h2: number; http1: number }>;
}

async function connectionSummary(controlUrl: string, clusters: readonly string[]): Promise<ConnectionSummary> {
  const report = await control<ConnectionReport>(controlUrl, 'GET', '/connections');
  const per = clusters.map((c) => report.clusters[c] ?? { open: 0, opened: 0, h2: 0, http1: 0 });
  const opened = per.reduce((n, c) => n + c.opened, 0);
  const h2 = per.reduce((n, c) => n + c.h2, 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    openPerCluster: { mean: round(per.reduce((n, c) => n + c.open, 0) / Math.max(1, per.length)), max: Math.max(0, ...per.map((c) => c.open)) },
    openedPerCluster: round(opened / Math.max(1, per.length)),
    opened,
    h2Share: opened ? round(h2 / opened) : 0,
  };
}

/** Polls the stack child until every pre-warmed cache is synced and watching (or the timeout). */
async function untilSynced(stack: ChildHandle<StackInfo>, timeoutMs: number): Promise<SyncReport> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const report = await stack.call<SyncReport>('sync');
    if (report.fullySyncedMs !== null || performance.now() > deadline) return report;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function measure(
  simChild: ChildHandle<SimInfo>,
  clusters: string[],
  edges: number,
  latencyMs: number,
  plan: FleetPlan,
  log: Log,
  result: FleetResult,
): Promise<FleetRun> {
  const sim = simChild.info;
  const simCtl = sim.controlUrl;
  const stackEnv = plan.deadlineMs ? { BENCH_DEADLINE_MS: String(plan.deadlineMs) } : {};
  await control(simCtl, 'POST', '/connections/reset');
  const stack = await startChild<StackInfo>('stack', [sim.kubeconfigPath, sim.fleetFilePath], stackEnv);
  const cpu = async () => [await stack.call<number>('cpu'), await simChild.call<number>('cpu')];
  const errorCodes: { coldFirst: ErrorCodes; cold: ErrorCodes; warm: ErrorCodes } = { coldFirst: {}, cold: {}, warm: {} };
  try {
    const { query, sriov } = await fleetQuery(stack.info.gatewayUrl);
    result.sriov = sriov;
    const url = stack.info.gatewayUrl;

    // While pre-warm runs: the first query a user could send the moment the stack listens.
    const atQuery = await stack.call<SyncReport>('sync');
    const duringCodes: ErrorCodes = {};
    const during = await timedQuery(url, query, duringCodes);
    const syncedShare = atQuery.progress.caches ? Math.round((atQuery.progress.synced / atQuery.progress.caches) * 100) / 100 : 1;
    log(`  ${clusters.length} clusters, +${latencyMs} ms: during sync (${Math.round(syncedShare * 100)} % synced when sent) ${Math.round(during.ms)} ms, ${during.errors} errors ${JSON.stringify(duringCodes)}`);

    const synced = await untilSynced(stack, 600_000);
    const syncConnections = await connectionSummary(simCtl, clusters);
    log(`  fully synced ${synced.fullySyncedMs ?? 'never'} ms after start (${synced.progress.caches} caches); ${syncConnections.openedPerCluster} connections opened per cluster, ${syncConnections.openPerCluster.mean} open`);

    await control(simCtl, 'POST', '/counters/reset');
    const cpu0 = await cpu();
    const first = await timedQuery(url, query, errorCodes.coldFirst);
    const cpu1 = await cpu();
    const firstRequests = await requestsSince(simCtl, 1);
    log(`  first query after pre-warm ${Math.round(first.ms)} ms, ${firstRequests.perQuery} requests, ${first.errors} errors`);

    // Warm: back to back.
    await timedQuery(url, query);
    await control(simCtl, 'POST', '/counters/reset');
    await control(simCtl, 'POST', '/connections/reset');
    const warmMs: number[] = [];
    let warmErrors = 0;
    let bytes = first.bytes;
    type Snap = { hits: number; misses: number; refreshes: number } | null;
    const snap0 = await stack.call<Snap>('snapshots');
    const cpu2 = await cpu();
    // BENCH_WARM_PROF=FILE: a CPU profile of the stack process during the warm queries (one file per size).
    const warmProf = process.env.BENCH_WARM_PROF ? `${process.env.BENCH_WARM_PROF}-${clusters.length}.cpuprofile` : undefined;
    if (warmProf) await stack.call('profileStart');
    for (let i = 0; i < plan.warmQueries; i++) {
      const q = await timedQuery(url, query, errorCodes.warm);
      warmMs.push(q.ms);
      warmErrors += q.errors;
      bytes = q.bytes;
    }
    if (warmProf) await stack.call('profileStop', warmProf);
    const cpu3 = await cpu();
    const warmRequests = await requestsSince(simCtl, plan.warmQueries);
    const snap1 = await stack.call<Snap>('snapshots');
    const metricSnapshots = snap0 && snap1 ? { waitedFor: snap1.misses - snap0.misses, hits: snap1.hits - snap0.hits, backgroundRefreshes: snap1.refreshes - snap0.refreshes } : undefined;
    const warmConnections = await connectionSummary(simCtl, clusters);
    const stackMemory = await stack.call<Memory>('rss');
    const stackMemoryAfterGc = await stack.call<Memory>('gcMemory');
    // BENCH_HEAP_SNAPSHOT=FILE: the V8 spaces and a heap snapshot of the stack process after the warm queries.
    if (process.env.BENCH_HEAP_SNAPSHOT) {
      log(`  V8 heap spaces after GC: ${JSON.stringify(await stack.call('heapSpaces'))}; resident set: ${JSON.stringify(await stack.call('smaps'))}`);
      log(`  heap snapshot: ${await stack.call<string>('heapSnapshot', `${process.env.BENCH_HEAP_SNAPSHOT}-${clusters.length}.heapsnapshot`)}`);
      // Writing a snapshot collects all available garbage (compacting): what is left is fragmentation-free.
      log(`  after the snapshot: ${JSON.stringify(await stack.call('rss'))}; V8 heap spaces ${JSON.stringify(await stack.call('heapSpaces'))}`);
    }
    const simulatorMemory = await simChild.call<Memory>('rss');
    const watchCaches = await stack.call<number>('watchCaches');
    const warm = { ...summarize(warmMs), requests: warmRequests, errors: warmErrors, connections: warmConnections, metricSnapshots };
    log(
      `  warm p50 ${warm.p50} ms p99 ${warm.p99} ms, ${warmRequests.perQuery} requests/query (metric snapshots: ${JSON.stringify(metricSnapshots)}), ${warmConnections.openPerCluster.mean} connections open per cluster (${warmConnections.opened} opened), stack RSS ${stackMemory.rssMiB} MiB (peak ${stackMemory.peakRssMiB}; after GC heap ${stackMemoryAfterGc.heapUsedMiB}, native ${stackMemoryAfterGc.nativeMiB})`,
    );

    // Cold again: every watch cache stopped and every cluster connection closed before each query.
    const coldMs: number[] = [];
    let coldErrors = 0;
    let coldRequests: Requests = { perQuery: 0, byVerb: {} };
    const coldVerbs: Record<string, number> = {};
    let coldTotal = 0;
    const coldQueries = clusters.length >= 1000 ? (plan.coldQueriesLarge ?? plan.coldQueries) : plan.coldQueries;
    for (let i = 0; i < coldQueries; i++) {
      await stack.call('clear');
      await control(simCtl, 'POST', '/counters/reset');
      const q = await timedQuery(url, query, errorCodes.cold);
      coldMs.push(q.ms);
      coldErrors += q.errors;
      const r = await requestsSince(simCtl, 1);
      coldTotal += r.perQuery;
      for (const [k, v] of Object.entries(r.byVerb)) coldVerbs[k] = (coldVerbs[k] ?? 0) + v;
    }
    if (coldQueries) {
      const per = (n: number) => Math.round((n / coldQueries) * 10) / 10;
      coldRequests = { perQuery: per(coldTotal), byVerb: Object.fromEntries(Object.entries(coldVerbs).map(([k, v]) => [k, per(v)])) };
    }
    const coldCleared = { ...summarize(coldMs), requests: coldRequests, errors: coldErrors };
    log(`  cold (caches cleared) p50 ${coldCleared.p50} ms, ${coldRequests.perQuery} requests`);

    // Naive baseline, same simulator, same latency.
    const registry = new ClusterRegistry({ kubeconfigPaths: [sim.kubeconfigPath], defaults: { deadlineMs: 120_000, concurrency: 8 } });
    const withSriov = query.includes('sriov');
    const naiveMs: number[] = [];
    let failures = 0;
    await control(simCtl, 'POST', '/counters/reset');
    for (let i = 0; i < plan.naiveRuns; i++) {
      const started = performance.now();
      failures += (await naiveFleetRead(registry, clusters, withSriov)).failures;
      naiveMs.push(performance.now() - started);
    }
    const naiveRequests = await requestsSince(simCtl, Math.max(1, plan.naiveRuns));
    await registry.close();
    const naive = {
      ...summarize(naiveMs),
      requests: naiveRequests,
      failures,
      description: `per cluster sequentially: LIST nodeptpdevices, then per node GET node + LIST its daemon pod + pod-proxy metrics${withSriov ? ' + GET SriovNetworkNodeState' : ''}; clusters concurrently, keep-alive`,
    };
    log(`  naive p50 ${naive.p50} ms, ${naiveRequests.perQuery} requests`);

    const run: FleetRun = {
      clusters: clusters.length,
      edges,
      latencyMs,
      query,
      responseBytes: bytes,
      stackStartupMs: stack.info.startupMs,
      sync: {
        fullySyncedMs: synced.fullySyncedMs,
        fullySyncedAfterMs: synced.progress.fullySyncedAfterMs,
        caches: synced.progress.caches,
        kinds: synced.progress.kinds,
        connections: syncConnections,
      },
      duringSync: { ms: Math.round(during.ms), errors: during.errors, errorCodes: duringCodes, syncedShare },
      coldFirst: { ms: Math.round(first.ms), requests: firstRequests, errors: first.errors },
      cpuMsPerQuery: {
        coldFirst: { stack: cpu1[0] - cpu0[0], simulator: cpu1[1] - cpu0[1] },
        warm: { stack: Math.round((cpu3[0] - cpu2[0]) / plan.warmQueries), simulator: Math.round((cpu3[1] - cpu2[1]) / plan.warmQueries) },
      },
      errorCodes,
      deadlineMs: plan.deadlineMs ?? 5000,
      coldCleared,
      warm,
      naive,
      stackMemory,
      stackMemoryAfterGc,
      simulatorMemory,
      watchCaches,
      loadAvg: loadAvg(),
    };
    await stack.stop();
    if (plan.listCacheTtlMs > 0 && edges <= (plan.listCacheUpTo ?? Infinity)) run.warmWithListCache = await warmWithListCache(sim, query, plan, log);
    if (plan.http1At?.includes(edges)) run.http1 = await overHttp1(sim, clusters, query, plan, log);
    return run;
  } finally {
    await stack.stop();
  }
}

/** The same fleet with HTTP/2 switched off (KUBE_HTTP2=false): connections, memory, time to synced, warm p50. */
async function overHttp1(sim: SimInfo, clusters: string[], query: string, plan: FleetPlan, log: Log): Promise<NonNullable<FleetRun['http1']>> {
  await control(sim.controlUrl, 'POST', '/connections/reset');
  const stack = await startChild<StackInfo>('stack', [sim.kubeconfigPath, sim.fleetFilePath], {
    KUBE_HTTP2: 'false',
    ...(plan.deadlineMs ? { BENCH_DEADLINE_MS: String(plan.deadlineMs) } : {}),
  });
  try {
    const synced = await untilSynced(stack, 600_000);
    await timedQuery(stack.info.gatewayUrl, query);
    const ms: number[] = [];
    for (let i = 0; i < Math.min(5, plan.warmQueries); i++) ms.push((await timedQuery(stack.info.gatewayUrl, query)).ms);
    const connections = await connectionSummary(sim.controlUrl, clusters);
    const memory = await stack.call<Memory>('rss');
    const memoryAfterGc = await stack.call<Memory>('gcMemory');
    const out = { fullySyncedMs: synced.fullySyncedMs, connections, warmP50: summarize(ms).p50, memory, memoryAfterGc };
    log(`  over HTTP/1.1 only: fully synced ${out.fullySyncedMs} ms, ${connections.openPerCluster.mean} connections open per cluster, RSS ${memory.rssMiB} MiB (native after GC ${memoryAfterGc.nativeMiB}), warm p50 ${out.warmP50} ms`);
    return out;
  } finally {
    await stack.stop();
  }
}

/** Warm queries on a stack whose subgraphs keep LIST results for `listCacheTtlMs` (LIST_CACHE_TTL_MS). */
async function warmWithListCache(sim: SimInfo, query: string, plan: FleetPlan, log: Log) {
  const stack = await startChild<StackInfo>('stack', [sim.kubeconfigPath, sim.fleetFilePath], {
    LIST_CACHE_TTL_MS: String(plan.listCacheTtlMs),
    ...(plan.deadlineMs ? { BENCH_DEADLINE_MS: String(plan.deadlineMs) } : {}),
  });
  try {
    await timedQuery(stack.info.gatewayUrl, query);
    await timedQuery(stack.info.gatewayUrl, query);
    await control(sim.controlUrl, 'POST', '/counters/reset');
    const ms: number[] = [];
    let errors = 0;
    for (let i = 0; i < plan.warmQueries; i++) {
      const q = await timedQuery(stack.info.gatewayUrl, query);
      ms.push(q.ms);
      errors += q.errors;
    }
    const requests = await requestsSince(sim.controlUrl, plan.warmQueries);
    const out = { ...summarize(ms), requests, errors, ttlMs: plan.listCacheTtlMs };
    log(`  warm with LIST_CACHE_TTL_MS=${plan.listCacheTtlMs}: p50 ${out.p50} ms, ${requests.perQuery} requests/query`);
    return out;
  } finally {
    await stack.stop();
  }
}

/** The `npm start` shape: simulator, subgraphs and gateway in one process. */
async function measureAllInOne(edges: number, plan: FleetPlan, log: Log): Promise<AllInOneRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetgraph-bench-'));
  const stack = await startChild<StackInfo>('stack', ['EMBED', String(edges), '1', '0', '1', dir], plan.deadlineMs ? { BENCH_DEADLINE_MS: String(plan.deadlineMs) } : {});
  try {
    const { query } = await fleetQuery(stack.info.gatewayUrl);
    const first = await timedQuery(stack.info.gatewayUrl, query);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await timedQuery(stack.info.gatewayUrl, query)).ms);
    const memory = await stack.call<Memory>('rss');
    const afterGc = await stack.call<Memory>('gcMemory');
    log(`all in one process, ${edges + 1} clusters: RSS ${memory.rssMiB} MiB (peak ${memory.peakRssMiB})`);
    return {
      clusters: edges + 1,
      startupMs: stack.info.startupMs,
      coldFirstMs: Math.round(first.ms),
      warmP50Ms: summarize(warm).p50,
      memory,
      afterGc,
      note: 'simulator + subgraphs + gateway in one process (the single layout with the demo fleet inside), no added latency, after 1 first + 5 warm fleet queries',
    };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
