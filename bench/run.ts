// `npm run bench` (full) / `npm run bench -- --quick` (under 2 minutes). Prints numbers and writes
// bench/results/<date>.json and bench/results/<date>.md. Not part of `npm test`.
//   --only=fleet,throughput,subscriptions,summary   run only these scenarios
//   --sizes=10,100  --latencies=5,25        override the fleet plan (sizes in edge clusters; +1 hub each)
//   --summary-sizes=100,1000                override the fleet summary plan (edges; + 1 hub)
//   --http1=1000                            also measure these sizes over HTTP/1.1 only (KUBE_HTTP2=false)
//   --warm=20                               warm fleet queries per size (default 5 quick, 20 full)
//   --all-in-one=0                          the all-in-one process at this many edges (0: not measured)
//   --subscribers=1000,10000                override the fan-out plan
//   --out=NAME                              results file name (default: the date and time)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR } from './lib/child.js';
import { closeHttp } from './lib/http.js';
import { loadAvg, machineInfo, type MachineInfo } from './lib/machine.js';
import { renderMarkdown } from './lib/report.js';
import { runFleet, type FleetPlan, type FleetResult } from './scenarios/fleet.js';
import { runThroughput, type ThroughputPlan, type ThroughputResult } from './scenarios/throughput.js';
import { runSubscriptions, type SubscriptionPlan, type SubscriptionResult } from './scenarios/subscriptions.js';
import { runSummary, type SummaryPlan, type SummaryResult } from './scenarios/summary.js';

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  loadAvgAtEnd?: number[];
  noisy: boolean;
  notes: string[];
  fleet?: FleetResult | { notRun: string };
  throughput?: ThroughputResult | { notRun: string };
  subscriptions?: SubscriptionResult | { notRun: string };
  summary?: SummaryResult | { notRun: string };
}

function flag(name: string): string | undefined {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!arg) return undefined;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : '';
}
const numbers = (v: string | undefined) => v?.split(',').map(Number).filter((n) => Number.isFinite(n) && n > 0);

const quick = flag('quick') !== undefined;
const only = flag('only')?.split(',');
const wants = (s: string) => !only || only.includes(s);

const fleetPlan: FleetPlan = quick
  ? { sizes: [10, 100], latenciesMs: [25], warmQueries: 5, coldQueries: 2, naiveRuns: 2, listCacheTtlMs: 2000, listCacheUpTo: 100, http1At: [100], allInOneAt: 0 }
  : {
      sizes: [10, 100, 1000, 2000],
      latenciesMs: [25],
      warmQueries: 20,
      coldQueries: 3,
      coldQueriesLarge: 1,
      naiveRuns: 3,
      listCacheTtlMs: 2000,
      listCacheUpTo: 100,
      http1At: [1000],
      allInOneAt: 1000,
    };
// --deadline=MS: the measured stack's per-cluster deadline (default and 0: the product default, 5 s).
if (flag('deadline') !== undefined) fleetPlan.deadlineMs = Number(flag('deadline')) || undefined;
fleetPlan.sizes = numbers(flag('sizes')) ?? fleetPlan.sizes;
fleetPlan.latenciesMs = numbers(flag('latencies')) ?? fleetPlan.latenciesMs;
fleetPlan.http1At = flag('http1') !== undefined ? (numbers(flag('http1')) ?? []) : fleetPlan.http1At;
if (flag('sizes') !== undefined && !fleetPlan.sizes.includes(fleetPlan.allInOneAt)) fleetPlan.allInOneAt = 0;
if (flag('all-in-one') !== undefined) fleetPlan.allInOneAt = Number(flag('all-in-one')) || 0;
if (flag('warm') !== undefined) fleetPlan.warmQueries = Number(flag('warm')) || fleetPlan.warmQueries;

const throughputPlan: ThroughputPlan = quick
  ? { edges: 100, connections: 50, durationSec: 3, warmupSec: 1 }
  : { edges: 100, connections: 50, durationSec: 15, warmupSec: 3, rounds: 2 };

const subscriptionPlan: SubscriptionPlan = quick
  ? { subscribers: [1000], feeds: ['push'], edges: 10, pollIntervalMs: 1000, changes: 2 }
  : { subscribers: [1000, 10_000], feeds: ['push', 'poll'], edges: 10, pollIntervalMs: 1000, changes: 5 };
subscriptionPlan.subscribers = numbers(flag('subscribers')) ?? subscriptionPlan.subscribers;
subscriptionPlan.pollIntervalMs = numbers(flag('poll-interval-ms'))?.[0] ?? subscriptionPlan.pollIntervalMs;
subscriptionPlan.feeds = (flag('feeds')?.split(',').filter((f): f is 'push' | 'poll' => f === 'push' || f === 'poll')) ?? subscriptionPlan.feeds;

const summaryPlan: SummaryPlan = quick ? { sizes: [100], warmQueries: 10, pollIntervalMs: 600_000 } : { sizes: [100, 1000], warmQueries: 20, pollIntervalMs: 600_000, deadlineMs: 30_000 };
summaryPlan.sizes = numbers(flag('summary-sizes')) ?? summaryPlan.sizes;

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const started = new Date();
const machine = machineInfo();
const results: BenchResults = {
  startedAt: started.toISOString(),
  mode: quick ? 'quick' : 'full',
  machine,
  noisy: machine.loadAvgAtStart[0] > 1.5,
  notes: [],
};
if (results.noisy) {
  const note = `load average ${machine.loadAvgAtStart.join(' / ')} at start (> 1.5 on ${machine.cpuCount} cores): other work shared the CPU, so these numbers are noisy`;
  results.notes.push(note);
  log(`WARNING: ${note}`);
}
log(`${machine.cpuModel} × ${machine.cpuCount}, Node ${machine.node}, load ${machine.loadAvgAtStart.join(' ')}, ${quick ? 'quick' : 'full'} run`);

const name = flag('out') || started.toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
const dir = path.join(BENCH_DIR, 'results');
mkdirSync(dir, { recursive: true });
const save = () => {
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(dir, `${name}.md`), renderMarkdown(results));
};

async function scenario<T>(key: 'fleet' | 'throughput' | 'subscriptions' | 'summary', run: () => Promise<T>): Promise<void> {
  if (!wants(key)) return;
  const t0 = performance.now();
  try {
    (results as unknown as Record<string, unknown>)[key] = await run();
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log(`${key} FAILED: ${message}`);
    (results as unknown as Record<string, unknown>)[key] = { notRun: `failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  log(`${key} done in ${Math.round((performance.now() - t0) / 1000)} s (load ${loadAvg().join(' ')})`);
  save();
}

await scenario('fleet', () => runFleet(fleetPlan, log));
await scenario('throughput', () => runThroughput(throughputPlan, log));
await scenario('subscriptions', () => runSubscriptions(subscriptionPlan, log));
await scenario('summary', () => runSummary(summaryPlan, log));

results.finishedAt = new Date().toISOString();
results.loadAvgAtEnd = loadAvg();
save();
await closeHttp();
console.log(`\n${renderMarkdown(results)}`);
log(`wrote bench/results/${name}.json and .md in ${Math.round((Date.now() - started.getTime()) / 1000)} s`);
process.exit(0);
