// The dashboard header (issue 16): `fleetSummary` with every domain's part, through the gateway, over
// simulated fleets of N single-node edge clusters + 1 hub. Cold first answer (the watch caches and
// the timing/ovs/dpdk poll loops start), then warm latency and API requests per summary (simulator
// counters). The measured stack runs with a long POLL_INTERVAL_MS so that the poll loops' background
// reads (PTP metrics, OVS alerts, DPDK telemetry: once per interval per cluster whatever the number of
// summaries) do not land inside the warm window: what is counted is what a summary itself costs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChild } from '../lib/child.js';
import { control, graphql, totals, type Counters } from '../lib/http.js';
import { loadAvg } from '../lib/machine.js';
import { summarize, type Summary } from '../lib/stats.js';

export interface SummaryPlan {
  sizes: number[];
  warmQueries: number;
  /** The measured stack's POLL_INTERVAL_MS (long: see the file comment). */
  pollIntervalMs: number;
  deadlineMs?: number;
}

export interface SummaryRun {
  clusters: number;
  /** `error`: the code of the answer's first error when it had no summary at all (e.g. QUERY_TIMEOUT). */
  coldFirst: { ms: number; requests: number; unreadable: number; error?: string };
  /** Until every cluster answered every part (cold caches on a loaded machine may time out at first). */
  completeAfterMs: number;
  warm: Summary & { requestsPerQuery: number; byVerb: Record<string, number>; errors: number };
  counts: Record<string, number>;
  loadAvg: number[];
}

export interface SummaryResult {
  plan: SummaryPlan;
  query: string;
  runs: SummaryRun[];
}

const COUNT = '{ count }';
export const SUMMARY_QUERY = `{ fleetSummary {
  clusters ${COUNT} reachable ${COUNT} unreachable { code }
  timing { sites ${COUNT} locked ${COUNT} holdover ${COUNT} freerun ${COUNT} unreadable { code } }
  sriov { nodes ${COUNT} nodesOutOfSync ${COUNT} vfsTotal unreadable { code } }
  dpdk { pods ${COUNT} podsWithDrops ${COUNT} unreadable { code } }
  cni { failureEvents ${COUNT} unreadable { code } }
  ovs { alerts ${COUNT} critical ${COUNT} unreadable { code } }
  oda { components ${COUNT} notComplete ${COUNT} unreadable { code } }
  o2ims { running ${COUNT} failed ${COUNT} unreadable { code } }
} }`;

type Part = { unreadable?: unknown[]; unreachable?: unknown[] } & Record<string, unknown>;

function unreadableOf(data: unknown): number {
  const s = (data as { fleetSummary?: Record<string, Part> } | undefined)?.fleetSummary;
  if (!s) return Number.POSITIVE_INFINITY;
  return Object.values(s).reduce((n, part) => n + ((part as Part)?.unreadable?.length ?? 0), (s.unreachable as unknown as unknown[])?.length ?? 0);
}

async function requestCount(controlUrl: string): Promise<{ total: number; byVerb: Record<string, number> }> {
  return totals(await control<Counters>(controlUrl, 'GET', '/counters'));
}

export async function runSummary(plan: SummaryPlan, log: (line: string) => void): Promise<SummaryResult> {
  const result: SummaryResult = { plan, query: SUMMARY_QUERY.replace(/\s+/g, ' '), runs: [] };
  for (const edges of plan.sizes) {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleetgraph-bench-'));
    const sim = await startChild<{ kubeconfigPath: string; fleetFilePath: string; controlUrl: string; clusters: string[] }>('sim', [String(edges), '1', '0', '1', dir]);
    const env: Record<string, string> = { POLL_INTERVAL_MS: String(plan.pollIntervalMs), ...(plan.deadlineMs ? { BENCH_DEADLINE_MS: String(plan.deadlineMs) } : {}) };
    const stack = await startChild<{ gatewayUrl: string }>('stack', [sim.info.kubeconfigPath, sim.info.fleetFilePath], env);
    const url = stack.info.gatewayUrl;
    const ctl = sim.info.controlUrl;
    try {
      await control(ctl, 'POST', '/counters/reset');
      const t0 = performance.now();
      // Cold at 1,001 clusters starts some 15,000 watch caches and three poll loops per cluster.
      const first = await graphql(url, SUMMARY_QUERY, 900_000);
      const coldMs = performance.now() - t0;
      const coldRequests = (await requestCount(ctl)).total;
      let unreadable = unreadableOf(first.data);
      const coldError = unreadable === Number.POSITIVE_INFINITY ? String(first.errors?.[0]?.extensions?.code ?? `HTTP ${first.status}`) : undefined;
      const coldUnreadable = coldError ? 0 : unreadable;
      while (unreadable > 0 && performance.now() - t0 < 900_000) {
        await new Promise((r) => setTimeout(r, 500));
        unreadable = unreadableOf((await graphql(url, SUMMARY_QUERY, 900_000)).data);
      }
      const completeAfterMs = Math.round(performance.now() - t0);
      log(`summary ${sim.info.clusters.length} clusters: cold first ${Math.round(coldMs)} ms, ${coldRequests} requests, ${coldError ?? `${coldUnreadable} unreadable`}; complete after ${completeAfterMs} ms`);

      await graphql(url, SUMMARY_QUERY);
      await control(ctl, 'POST', '/counters/reset');
      const ms: number[] = [];
      let errors = 0;
      let last: unknown;
      // BENCH_WARM_PROF=FILE: a CPU profile of the stack process during the warm summaries (one file per size).
      const warmProf = process.env.BENCH_WARM_PROF ? `${process.env.BENCH_WARM_PROF}-summary-${sim.info.clusters.length}.cpuprofile` : undefined;
      if (warmProf) await stack.call('profileStart');
      for (let i = 0; i < plan.warmQueries; i++) {
        const s = performance.now();
        const res = await graphql(url, SUMMARY_QUERY);
        ms.push(performance.now() - s);
        errors += (res.errors?.length ?? 0) + (unreadableOf(res.data) > 0 ? 1 : 0);
        last = res.data;
      }
      if (warmProf) await stack.call('profileStop', warmProf);
      const warmRequests = await requestCount(ctl);
      const per = (n: number) => Math.round((n / plan.warmQueries) * 10) / 10;
      const warm = { ...summarize(ms), requestsPerQuery: per(warmRequests.total), byVerb: Object.fromEntries(Object.entries(warmRequests.byVerb).map(([k, v]) => [k, per(v)])), errors };
      const s = (last as { fleetSummary: Record<string, Record<string, { count?: number }>> }).fleetSummary;
      const counts: Record<string, number> = {
        clusters: Number(s.clusters.count),
        ptpSites: Number(s.timing.sites.count),
        sriovNodes: Number(s.sriov.nodes.count),
        dpdkPods: Number(s.dpdk.pods.count),
      };
      log(`  warm p50 ${warm.p50} ms p99 ${warm.p99} ms, ${warm.requestsPerQuery} API requests/summary, ${errors} errors`);
      result.runs.push({ clusters: sim.info.clusters.length, coldFirst: { ms: Math.round(coldMs), requests: coldRequests, unreadable: coldUnreadable, ...(coldError ? { error: coldError } : {}) }, completeAfterMs, warm, counts, loadAvg: loadAvg() });
    } finally {
      await stack.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return result;
}
