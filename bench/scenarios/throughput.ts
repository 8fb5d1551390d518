// Gateway overhead and throughput at 50 concurrent clients (autocannon), same supergraph, same
// subgraphs, same machine, same run: fleetgraph's gateway, stock @apollo/gateway with defaults, Hive
// Gateway, and the query sent straight to the subgraph (the lower bound). The query is answered by the
// fleet subgraph from its cluster registry (no simulator request), so this measures gateways, not clusters.
//
// Processes: simulator (child), subgraphs (stack child), the gateway under test (its own child),
// autocannon (this process). On 2 cores the three busy processes share the CPU alike for every gateway.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { SUPERGRAPH_PATH } from '../../lib/paths.js';
import { startChild, type Memory } from '../lib/child.js';
import { graphql } from '../lib/http.js';
import { loadAvg } from '../lib/machine.js';

export interface ThroughputPlan {
  edges: number;
  connections: number;
  durationSec: number;
  warmupSec: number;
  /** Rounds over all targets (alternating order); default 1. */
  rounds?: number;
}

export const THROUGHPUT_QUERY = '{ clusters { name labels { key value } } }';
/**
 * The same answer with a different variable value in every request (a label filter that matches every
 * cluster), so no two requests are alike: in-flight deduplication cannot apply, plan caches still do.
 */
export const DISTINCT_QUERY = 'query Fleet($v: String) { clusters(labels: [{ key: "bench-nonce", op: NOT_EQUALS, value: $v }]) { name labels { key value } } }';

export type Workload = 'same' | 'distinct';

/** CPU ms per answered request of the gateway process (none when direct) and of the subgraphs' process. */
export interface CpuPerRequest {
  gateway?: number;
  subgraphs: number;
}

export interface TargetResult {
  target: string;
  workload: Workload;
  description: string;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  requests: number;
  errors: number;
  non2xx: number;
  responseBytes: number;
  memory?: Memory;
  rounds: number[];
  /** Per round. */
  cpuMsPerRequest: CpuPerRequest[];
  sameAnswer: boolean;
}

export interface ThroughputResult {
  plan: ThroughputPlan;
  query: string;
  clusters: number;
  /** Every target under both workloads: `same` (one query, as the public benchmark) and `distinct`. */
  targets: TargetResult[];
  ratios: Record<Workload, { fleetgraphVsHive: number | null; fleetgraphVsApollo: number | null; fleetgraphVsDirect: number | null; passThroughGain: number | null }>;
  loadAvg: number[];
}

type Log = (line: string) => void;

const TARGETS: { target: string; kind?: string; description: string }[] = [
  { target: 'subgraph (direct)', description: 'the fleet subgraph itself, no gateway: the lower bound' },
  { target: 'fleetgraph gateway', kind: 'fleetgraph', description: 'gateway/server.ts startGateway: Apollo Server 5 + @apollo/gateway, keep-alive undici fetcher, single-fetch pass-through' },
  { target: 'fleetgraph gateway, pass-through off', kind: 'fleetgraph-executor', description: 'the same with GATEWAY_PASS_THROUGH=false: every query planned, fetched and shaped by @apollo/gateway' },
  { target: '@apollo/gateway (stock)', kind: 'apollo', description: 'ApolloServer + ApolloGateway with defaults (default fetcher), startStandaloneServer' },
  { target: 'Hive Gateway', kind: 'hive', description: '@graphql-hive/gateway createGatewayRuntime, same supergraph SDL, defaults' },
];

function cannon(url: string, connections: number, duration: number, workload: Workload): Promise<autocannon.Result> {
  let n = 0;
  const distinct = () => JSON.stringify({ query: DISTINCT_QUERY, variables: { v: `nonce-${n++}` } });
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: THROUGHPUT_QUERY }),
        ...(workload === 'distinct' ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: distinct() }) }] } : {}),
        connections,
        duration,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

export async function runThroughput(plan: ThroughputPlan, log: Log): Promise<ThroughputResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetgraph-bench-'));
  const sim = await startChild<{ kubeconfigPath: string; fleetFilePath: string; clusters: string[] }>('sim', [String(plan.edges), '1', '0', '1', dir]);
  const stack = await startChild<{ subgraphUrls: Record<string, string> }>('stack', [sim.info.kubeconfigPath, sim.info.fleetFilePath], {
    // Apollo's and Hive's gateways cannot sign fleetgraph's principal: the subgraphs here take it unsigned.
    BENCH_UNSIGNED_PRINCIPALS: '1',
  });
  const rounds = plan.rounds ?? 1;
  const workloads: Workload[] = ['same', 'distinct'];
  const collected = new Map<string, { results: autocannon.Result[]; memory?: Memory; bytes: number; same: boolean; cpu: CpuPerRequest[] }>();
  try {
    const direct = stack.info.subgraphUrls.fleet;
    const reference = JSON.stringify((await graphql(direct, THROUGHPUT_QUERY)).data);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? TARGETS : [...TARGETS].reverse();
      for (const t of order) {
        const gateway = t.kind
          ? await startChild<{ url: string }>('gateway', [t.kind, SUPERGRAPH_PATH, JSON.stringify(stack.info.subgraphUrls)])
          : undefined;
        try {
          const url = gateway?.info.url ?? direct;
          for (const workload of workloads) {
            const key = `${t.target}|${workload}`;
            const check = await graphql(url, workload === 'same' ? THROUGHPUT_QUERY : '{ clusters(labels: [{ key: "bench-nonce", op: NOT_EQUALS, value: "x" }]) { name labels { key value } } }');
            const same = JSON.stringify(check.data) === reference && !check.errors;
            if (!same) log(`  ${t.target}: answer differs from the subgraph's (${JSON.stringify(check.errors ?? []).slice(0, 200)})`);
            if (plan.warmupSec > 0) await cannon(url, plan.connections, plan.warmupSec, workload);
            // BENCH_GW_PROF=PREFIX: a CPU profile of the process under test (the gateway child, or the
            // subgraphs' stack when direct) during the measured distinct requests, one file per target
            // and round. Profiling slows the process: the numbers of such a run are not comparable.
            const profiled = workload === 'distinct' && process.env.BENCH_GW_PROF ? (gateway ?? stack) : undefined;
            const profFile = `${process.env.BENCH_GW_PROF}-${t.kind ?? 'direct'}-${round}.cpuprofile`;
            if (profiled) await profiled.call('profileStart');
            // CPU of the gateway and of the subgraphs per answered request: on shared cores the ratio to
            // direct is about subgraph ÷ (subgraph + gateway), so these say where the time goes.
            const cpu0 = await Promise.all([gateway?.call<number>('cpu'), stack.call<number>('cpu')]);
            const r = await cannon(url, plan.connections, plan.durationSec, workload);
            const cpu1 = await Promise.all([gateway?.call<number>('cpu'), stack.call<number>('cpu')]);
            if (profiled) await profiled.call('profileStop', profFile);
            const perRequest = (i: number) => (cpu0[i] === undefined ? undefined : Math.round(((cpu1[i]! - cpu0[i]!) / Math.max(1, r.requests.total)) * 1000) / 1000);
            const memory = gateway ? await gateway.call<Memory>('rss') : undefined;
            const entry = collected.get(key) ?? { results: [], bytes: check.bytes, same: true, cpu: [] };
            entry.results.push(r);
            entry.cpu.push({ gateway: perRequest(0), subgraphs: perRequest(1)! });
            entry.memory = memory ?? entry.memory;
            entry.same &&= same;
            collected.set(key, entry);
            log(`  ${t.target}, ${workload} requests: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}, CPU ms/request: gateway ${perRequest(0) ?? '–'}, subgraphs ${perRequest(1)}`);
          }
        } finally {
          await gateway?.stop();
        }
      }
    }
  } finally {
    await stack.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const targets: TargetResult[] = workloads.flatMap((workload) => TARGETS.map((t) => ({ t, workload }))).map(({ t, workload }) => {
    const entry = collected.get(`${t.target}|${workload}`)!;
    const rs = entry.results;
    const avg = (f: (r: autocannon.Result) => number) => Math.round((rs.reduce((s, r) => s + f(r), 0) / rs.length) * 10) / 10;
    return {
      target: t.target,
      workload,
      description: t.description,
      rps: avg((r) => r.requests.average),
      latencyMs: { p50: avg((r) => r.latency.p50), p90: avg((r) => r.latency.p90), p99: avg((r) => r.latency.p99), mean: avg((r) => r.latency.average), max: avg((r) => r.latency.max) },
      requests: rs.reduce((s, r) => s + r.requests.total, 0),
      errors: rs.reduce((s, r) => s + r.errors, 0),
      non2xx: rs.reduce((s, r) => s + r.non2xx, 0),
      responseBytes: entry.bytes,
      memory: entry.memory,
      rounds: rs.map((r) => Math.round(r.requests.average)),
      cpuMsPerRequest: entry.cpu,
      sameAnswer: entry.same,
    };
  });
  const rps = (name: string, workload: Workload) => targets.find((t) => t.target === name && t.workload === workload)?.rps ?? 0;
  const ratio = (a: number, b: number) => (a > 0 && b > 0 ? Math.round((a / b) * 100) / 100 : null);
  const ratios = (w: Workload) => ({
    fleetgraphVsHive: ratio(rps('fleetgraph gateway', w), rps('Hive Gateway', w)),
    fleetgraphVsApollo: ratio(rps('fleetgraph gateway', w), rps('@apollo/gateway (stock)', w)),
    fleetgraphVsDirect: ratio(rps('fleetgraph gateway', w), rps('subgraph (direct)', w)),
    passThroughGain: ratio(rps('fleetgraph gateway', w), rps('fleetgraph gateway, pass-through off', w)),
  });
  return {
    plan,
    query: THROUGHPUT_QUERY,
    clusters: plan.edges + 1,
    targets,
    ratios: { same: ratios('same'), distinct: ratios('distinct') },
    loadAvg: loadAvg(),
  };
}
