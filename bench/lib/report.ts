// The results as markdown: machine, fleet scaling, gateway throughput, subscription fan-out, and the
// targets of issue 17 marked met / missed / not measured.
import type { BenchResults } from '../run.js';
import type { FleetResult } from '../scenarios/fleet.js';
import type { SummaryResult } from '../scenarios/summary.js';
import type { SubscriptionResult } from '../scenarios/subscriptions.js';
import type { ThroughputResult } from '../scenarios/throughput.js';

const fmt = (n: number | null | undefined, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
const ppp = (s: { p50: number; p95: number; p99: number }) => `${fmt(s.p50)} / ${fmt(s.p95)} / ${fmt(s.p99)}`;
const verbs = (byVerb: Record<string, number>) =>
  Object.entries(byVerb)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

function notRun(x: unknown): string | undefined {
  return x && typeof x === 'object' && 'notRun' in x ? String((x as { notRun: string }).notRun) : undefined;
}

function fleetSection(f: FleetResult): string[] {
  const out = [
    '## Fleet scaling',
    '',
    `Query: \`${f.runs[0]?.query ?? ''}\` through fleetgraph's gateway; SR-IOV: ${f.sriov}.`,
    'Fleets of N single-node edge clusters + 1 hub; "+latency" is added to every API response of every cluster. Times in ms (p50 / p95 / p99); requests = simulator API requests per query.',
    'The stack pre-warms (PREWARM, SYNC_CONCURRENCY): **synced** = ms from the stack process start until every pre-warmed watch cache has listed and opened its watch; **during sync** = the fleet query sent the moment the stack listens (share of caches synced then); **first** = the first query once synced; **warm** = back to back after it; **cold** = every watch cache stopped and every connection closed before the query (no pre-warm).',
    'Connections = TLS connections to the API server per cluster as the simulator counts them: opened while starting + pre-warming (each a handshake), open during the warm queries. RSS = the gateway + subgraphs process (the simulator runs in its own), after the warm queries (peak = VmHWM), then after a forced full GC: JS heap used, and native = RSS − V8 heap (TLS state, sockets, buffers, code).',
    '',
    '| clusters | +latency | synced after | during sync | first | warm | warm req/query | connections: opened / open warm | cold | cold req/query | naive (seeds) | naive ÷ warm p50 | RSS MiB now (peak) | after GC: heap / native | sim RSS |',
    '|---:|---:|---:|---|---|---:|---|---|---:|---|---:|---:|---:|---|---:|',
  ];
  for (const r of f.runs) {
    const sync = r.sync;
    const during = r.duringSync ? `${r.duringSync.ms} (${fmt(r.duringSync.syncedShare * 100)} % synced; ${r.duringSync.errors} errors)` : '–';
    const conns = sync ? `${fmt(sync.connections.openedPerCluster, 2)} / ${fmt(r.warm.connections?.openPerCluster.mean, 2)} (max ${r.warm.connections?.openPerCluster.max ?? '–'})` : '–';
    out.push(
      `| ${r.clusters} | ${r.latencyMs} ms | ${sync?.fullySyncedMs ?? '–'} | ${during} | ${r.coldFirst.ms} (${fmt(r.coldFirst.requests.perQuery, 1)} req) | ${ppp(r.warm)} | ${fmt(r.warm.requests.perQuery, 1)} (${verbs(r.warm.requests.byVerb) || 'none'}) | ${conns} | ${ppp(r.coldCleared)} | ${fmt(r.coldCleared.requests.perQuery, 1)} (${verbs(r.coldCleared.requests.byVerb)}) | ${ppp(r.naive)} (${fmt(r.naive.requests.perQuery, 0)} req) | ${fmt(r.naive.p50 / r.warm.p50, 1)}× | ${fmt(r.stackMemory.rssMiB)} (${fmt(r.stackMemory.peakRssMiB)}) | ${fmt(r.stackMemoryAfterGc?.heapUsedMiB)} / ${fmt(r.stackMemoryAfterGc?.nativeMiB)} | ${fmt(r.simulatorMemory.rssMiB)} |`,
    );
  }
  const http1 = f.runs.filter((r) => r.http1);
  if (http1.length) {
    out.push('', 'The same fleet over HTTP/1.1 only (`KUBE_HTTP2=false`, same run):');
    for (const r of http1) {
      const h = r.http1!;
      out.push(
        `- ${r.clusters} clusters: synced after ${h.fullySyncedMs ?? '–'} ms (HTTP/2: ${r.sync?.fullySyncedMs ?? '–'}); ${fmt(h.connections.openPerCluster.mean, 2)} connections open per cluster, ${fmt(h.connections.openedPerCluster, 2)} opened (HTTP/2: ${fmt(r.warm.connections?.openPerCluster.mean, 2)} / ${fmt(r.sync?.connections.openedPerCluster, 2)}); RSS ${fmt(h.memory.rssMiB)} MiB, native after GC ${fmt(h.memoryAfterGc.nativeMiB)} MiB (HTTP/2: ${fmt(r.stackMemory.rssMiB)} / ${fmt(r.stackMemoryAfterGc?.nativeMiB)}); warm p50 ${fmt(h.warmP50)} ms.`,
      );
    }
  }
  const lc = f.runs.filter((r) => r.warmWithListCache);
  if (lc.length) out.push('', `Warm with \`LIST_CACHE_TTL_MS=2000\` (a stack of its own): ${lc.map((r) => `${r.clusters} clusters ${fmt(r.warmWithListCache!.p50)} ms, ${fmt(r.warmWithListCache!.requests.perQuery, 1)} req`).join('; ')}.`);
  const codes = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const errs = f.runs.filter((r) => r.coldFirst.errors || r.warm.errors || r.coldCleared.errors || r.duringSync?.errors);
  if (errs.length) {
    out.push('', 'GraphQL errors (by `extensions.code`, summed over the queries of each kind):');
    for (const r of errs) out.push(`- ${r.clusters} clusters, +${r.latencyMs} ms: during sync: ${codes(r.duringSync?.errorCodes ?? {})}; first: ${codes(r.errorCodes.coldFirst)}; cold: ${codes(r.errorCodes.cold)}; warm: ${codes(r.errorCodes.warm)}`);
  }
  out.push('', 'CPU time per query (ms; gateway+subgraphs process / simulator process): ' + f.runs.map((r) => `${r.clusters}@${r.latencyMs}ms first ${r.cpuMsPerQuery.coldFirst.stack} / ${r.cpuMsPerQuery.coldFirst.simulator}, warm ${r.cpuMsPerQuery.warm.stack} / ${r.cpuMsPerQuery.warm.simulator}`).join('; ') + '.');
  out.push(`Per-cluster deadline of the measured stack: ${f.runs[0]?.deadlineMs ?? 5000} ms${(f.runs[0]?.deadlineMs ?? 5000) !== 5000 ? ' (not the product default)' : ' (the product default)'}.`);
  out.push(`Pre-warmed kinds: ${f.runs[0]?.sync?.kinds.join(', ') ?? '–'}.`);
  out.push('', `Naive baseline: ${f.runs[0]?.naive.description ?? ''}.`);
  out.push(`Simulator start-up (ms) by edge count: ${Object.entries(f.simulatorStartupMs).map(([k, v]) => `${k}: ${v}`).join(', ')}.`);
  if (f.allInOne) {
    const a = f.allInOne;
    out.push(`All in one process (${a.note}): ${a.clusters} clusters, RSS ${fmt(a.memory.rssMiB)} MiB (peak ${fmt(a.memory.peakRssMiB)}, JS heap after GC ${fmt(a.afterGc?.heapUsedMiB)} MiB), first ${a.coldFirstMs} ms, warm p50 ${fmt(a.warmP50Ms)} ms, start-up ${a.startupMs} ms.`);
  }
  return out;
}

function throughputSection(t: ThroughputResult): string[] {
  const out = [
    '## Gateway throughput',
    '',
    `\`${t.query}\` over ${t.clusters} clusters (answered by the fleet subgraph from its registry: no cluster request), ${t.plan.connections} concurrent connections (autocannon), ${t.plan.durationSec} s after ${t.plan.warmupSec} s warm-up${(t.plan.rounds ?? 1) > 1 ? `, ${t.plan.rounds} rounds averaged` : ''}. Each gateway in its own process; subgraphs in another; autocannon in a third.`,
    '',
    'Workloads: **same** = every request the same query (as the public benchmark; identical concurrent requests may share an execution); **distinct** = a different variable value in every request (no sharing possible; same answer).',
    '',
    '| target | workload | req/s | latency p50 / p90 / p99 ms | errors | non-2xx | gateway RSS MiB | CPU ms per request: gateway / subgraphs | same answer |',
    '|---|---|---:|---|---:|---:|---:|---|---|',
  ];
  const mean = (xs: (number | undefined)[]) => {
    const known = xs.filter((x): x is number => x !== undefined);
    return known.length ? known.reduce((a, b) => a + b, 0) / known.length : undefined;
  };
  for (const x of t.targets) {
    const cpu = x.cpuMsPerRequest ?? [];
    const gw = mean(cpu.map((c) => c.gateway));
    const sg = mean(cpu.map((c) => c.subgraphs));
    const cpuCell = sg === undefined ? '–' : `${gw === undefined ? '–' : gw.toFixed(2)} / ${sg.toFixed(2)}`;
    out.push(`| ${x.target} | ${x.workload} | ${fmt(x.rps)} | ${fmt(x.latencyMs.p50)} / ${fmt(x.latencyMs.p90)} / ${fmt(x.latencyMs.p99)} | ${x.errors} | ${x.non2xx} | ${x.memory ? fmt(x.memory.rssMiB) : '–'} | ${cpuCell} | ${x.sameAnswer ? 'yes' : 'NO'} |`);
  }
  for (const w of ['same', 'distinct'] as const) {
    const r = t.ratios[w];
    out.push('', `${w}: fleetgraph ÷ Hive Gateway ${fmt(r.fleetgraphVsHive, 2)}×; fleetgraph ÷ stock @apollo/gateway ${fmt(r.fleetgraphVsApollo, 2)}×; fleetgraph ÷ direct subgraph ${fmt(r.fleetgraphVsDirect, 2)}×; with ÷ without the pass-through ${fmt(r.passThroughGain, 2)}×.`);
  }
  return out;
}

function subscriptionSection(s: SubscriptionResult): string[] {
  const out = [
    '## Subscription fan-out',
    '',
    `\`${s.runs[0]?.subscription ?? ''}\` (per feed's cluster) on one gateway, one WebSocket per subscriber; change = \`POST /scenarios/ptp-gm-loss\` on that cluster (LOCKED → HOLDOVER). Feed *push*: a cluster whose cloud-event-proxy publishes events (REST API v2), each event waking the timing subgraph's poll (CALLBACK_BASE_URL=self). Feed *poll*: a cluster without the event publisher, found by the poll every ${s.plan.pollIntervalMs} ms (POLL_INTERVAL_MS), which is part of its "delivery". Per row: the first change after the subscribers connected (one-time costs on both ends: the first write to each fresh socket, each client's first frame, all clients in one process), then ${s.plan.changes} changes pooled into "delivery".`,
    '',
    '| feed (cluster) | subscribers | connected | connect time ms | first change p50 / p99 / last ms | delivery p50 / p95 / p99 ms | fan-out spread p50 / p99 ms | missed | RSS before → after MiB | RSS per subscriber KiB |',
    '|---|---:|---:|---:|---|---|---|---:|---|---:|',
  ];
  for (const r of s.runs) {
    out.push(
      `| ${r.feed} (${r.cluster}) | ${r.subscribers} | ${r.connected} | ${r.connectMs} | ${r.firstChange ? `${fmt(r.firstChange.p50)} / ${fmt(r.firstChange.p99)} / ${fmt(r.firstChange.lastMs)}` : '–'} | ${ppp(r.delivery)} | ${fmt(r.spread.p50)} / ${fmt(r.spread.p99)} | ${r.missed} | ${fmt(r.baseMemory.rssMiB)} → ${fmt(r.memory.rssMiB)} | ${fmt(r.rssPerSubscriberKiB, 1)} |`,
    );
  }
  return out;
}

interface Target {
  target: string;
  measured: string;
  verdict: 'met' | 'missed' | 'not measured';
}

function verdict(ok: boolean | undefined): Target['verdict'] {
  return ok === undefined ? 'not measured' : ok ? 'met' : 'missed';
}

function targets(r: BenchResults): Target[] {
  const list: Target[] = [];
  const f = notRun(r.fleet) ? undefined : (r.fleet as FleetResult | undefined);
  const t = notRun(r.throughput) ? undefined : (r.throughput as ThroughputResult | undefined);
  const s = notRun(r.subscriptions) ? undefined : (r.subscriptions as SubscriptionResult | undefined);
  const big = f?.runs.filter((x) => x.clusters >= 1000 && x.clusters < 2000 && x.latencyMs === 25)[0];
  const bigger = f?.runs.filter((x) => x.clusters >= 2000 && x.latencyMs === 25)[0];
  const notHere = 'not in this run (quick runs stop at 101 clusters)';
  if (big) {
    const w = big.warm;
    // Requests counted while the warm queries ran include the background refresh of metric snapshots
    // (pod proxy); what the queries themselves waited for is the snapshots' miss count.
    const snaps = w.metricSnapshots;
    const listOrGet = Object.entries(w.requests.byVerb).filter(([verb]) => verb !== 'proxy').reduce((n, [, v]) => n + v, 0);
    const ownReads = snaps ? listOrGet + snaps.waitedFor : w.requests.perQuery;
    list.push({
      target: 'warm fleet query at 1,001 clusters: 0 API requests',
      measured: `${fmt(ownReads, 1)} made by the queries (${fmt(listOrGet, 1)} LIST/GET/WATCH per query, ${snaps ? `${snaps.waitedFor} metric reads waited for, ${snaps.hits} cluster answers from snapshots` : 'snapshots not reported'}); ${fmt(w.requests.perQuery, 1)} per query counted in the window (${verbs(w.requests.byVerb) || 'none'})${snaps ? `, the pod-proxy part from ${snaps.backgroundRefreshes} background snapshot refreshes` : ''}`,
      verdict: verdict(ownReads === 0),
    });
    list.push({ target: 'warm p50 ≤ 150 ms', measured: `${fmt(w.p50)} ms (p99 ${fmt(w.p99)})`, verdict: verdict(w.p50 <= 150) });
    list.push({ target: 'warm p50 ≤ 0.2 × the naive baseline\'s p50', measured: `${fmt(w.p50 / big.naive.p50, 3)} × (naive ${fmt(big.naive.p50)} ms)`, verdict: verdict(w.p50 <= 0.2 * big.naive.p50) });
    list.push({ target: 'first query after pre-warm ≤ 1.5 s', measured: `${big.coldFirst.ms} ms (${fmt(big.coldFirst.requests.perQuery, 1)} requests)`, verdict: verdict(big.coldFirst.ms <= 1500) });
    list.push({ target: 'time from start to fully synced: reported', measured: `${big.sync?.fullySyncedMs ?? '–'} ms${bigger ? `; 2,001 clusters: ${bigger.sync?.fullySyncedMs ?? '–'} ms` : ''}`, verdict: verdict(big.sync?.fullySyncedMs !== null && big.sync?.fullySyncedMs !== undefined) });
    const timeouts = big.duringSync?.errorCodes?.CLUSTER_TIMEOUT ?? 0;
    list.push({ target: `a query during sync: no CLUSTER_TIMEOUT at the ${big.deadlineMs === 5000 ? 'default ' : ''}${big.deadlineMs / 1000} s deadline`, measured: `${big.duringSync?.ms ?? '–'} ms, ${timeouts} CLUSTER_TIMEOUT, ${big.duringSync?.errors ?? '–'} errors (${fmt((big.duringSync?.syncedShare ?? 0) * 100)} % synced when sent)`, verdict: verdict(big.duringSync ? timeouts === 0 && big.deadlineMs === 5000 : undefined) });
    const open = w.connections?.openPerCluster.mean;
    list.push({ target: '≤ 1.5 connections per cluster when warm', measured: `${fmt(open, 2)} open per cluster (max ${w.connections?.openPerCluster.max ?? '–'}); ${fmt(big.sync?.connections.openedPerCluster, 2)} opened per cluster while pre-warming${big.http1 ? `; HTTP/1.1 only: ${fmt(big.http1.connections.openPerCluster.mean, 2)}` : ''}`, verdict: verdict(open === undefined ? undefined : open <= 1.5) });
    list.push({
      target: 'whole stack ≤ 1 GB RSS watching 1,001 clusters',
      measured: `${fmt(big.stackMemory.rssMiB)} MiB after the warm queries, peak ${fmt(big.stackMemory.peakRssMiB)}; after GC: JS heap ${fmt(big.stackMemoryAfterGc?.heapUsedMiB)} MiB, native ${fmt(big.stackMemoryAfterGc?.nativeMiB)} MiB${bigger ? `; 2,001 clusters: ${fmt(bigger.stackMemory.rssMiB)} MiB (peak ${fmt(bigger.stackMemory.peakRssMiB)})` : ''}`,
      verdict: verdict(big.stackMemory.peakRssMiB <= 1024),
    });
  } else {
    list.push({ target: '1,001 clusters: warm 0 requests, p50 ≤ 150 ms and ≤ 0.2 × naive; first after pre-warm ≤ 1.5 s; no CLUSTER_TIMEOUT during sync; ≤ 1.5 connections per cluster; ≤ 1 GB RSS', measured: notHere, verdict: 'not measured' });
  }
  if (t) {
    const d = t.ratios.distinct;
    list.push({ target: 'gateway, distinct queries: ≥ 0.85 × the subgraph-direct throughput', measured: `${fmt(d.fleetgraphVsDirect, 2)}×`, verdict: verdict((d.fleetgraphVsDirect ?? 0) >= 0.85) });
    list.push({ target: 'gateway, distinct queries: ≥ 1.5 × stock @apollo/gateway', measured: `${fmt(d.fleetgraphVsApollo, 2)}× (Hive Gateway: ${fmt(d.fleetgraphVsHive, 2)}×)`, verdict: verdict((d.fleetgraphVsApollo ?? 0) >= 1.5) });
  } else list.push({ target: 'gateway throughput', measured: notRun(r.throughput) ?? '', verdict: 'not measured' });
  // The target is the pushed feed (what a cluster publishing events gets); the poll-only feed is quoted beside it.
  const tenK = s?.runs.find((x) => x.subscribers >= 10_000 && x.feed === 'push');
  const tenKPoll = s?.runs.find((x) => x.subscribers >= 10_000 && x.feed === 'poll');
  if (tenK) {
    const poll = tenKPoll ? `; poll-only feed: p99 ${fmt(tenKPoll.delivery.p99)} ms at a ${s!.plan.pollIntervalMs} ms interval` : '';
    const first = tenK.firstChange ? `; the first change after connecting, reported apart: p99 ${fmt(tenK.firstChange.p99)} ms` : '';
    list.push({ target: 'no regression in subscriptions: 10,000 subscribers, p99 ≤ 250 ms', measured: `${fmt(tenK.delivery.p99)} ms, pushed events (fan-out spread p99 ${fmt(tenK.spread.p99)} ms; ${fmt(tenK.rssPerSubscriberKiB, 1)} KiB per subscriber${first}${poll})`, verdict: verdict(tenK.delivery.p99 <= 250) });
  } else list.push({ target: '10,000 subscribers', measured: notRun(r.subscriptions) ?? 'not in this run', verdict: 'not measured' });
  return list;
}

function summarySection(s: SummaryResult): string[] {
  return [
    '## Fleet summary (issue 16)',
    '',
    `\`fleetSummary\` with every domain's part (${s.plan.warmQueries} warm queries; POLL_INTERVAL_MS ${s.plan.pollIntervalMs} so background poll loops stay out of the warm window).`,
    '',
    '| clusters | cold first | cold requests | complete after | warm p50 | warm p99 | API requests / warm summary | errors |',
    '|---|---|---|---|---|---|---|---|',
    ...s.runs.map(
      (r) => `| ${r.clusters} | ${r.coldFirst.ms} ms (${r.coldFirst.error ?? `${r.coldFirst.unreadable} unreadable`}) | ${r.coldFirst.requests} | ${r.completeAfterMs} ms | ${r.warm.p50} ms | ${r.warm.p99} ms | ${r.warm.requestsPerQuery} | ${r.warm.errors} |`,
    ),
  ];
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const out = [
    `# fleetgraph benchmark, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC (${r.mode})`,
    '',
    `Machine: ${m.cpuModel} × ${m.cpuCount} CPUs, ${m.totalMemGiB} GiB, ${m.platform}, Node ${m.node}. Commit ${m.gitCommit ?? '?'}${m.gitDirty ? ' (with uncommitted changes)' : ''}.`,
    `Load average at start ${m.loadAvgAtStart.join(' / ')}${r.loadAvgAtEnd ? `, at end ${r.loadAvgAtEnd.join(' / ')}` : ''} (1 / 5 / 15 min).`,
    ...r.notes.map((n) => `**Note:** ${n}`),
    '',
  ];
  if (r.fleet) out.push(...(notRun(r.fleet) ? ['## Fleet scaling', '', `Not run: ${notRun(r.fleet)}`] : fleetSection(r.fleet as FleetResult)), '');
  if (r.throughput) out.push(...(notRun(r.throughput) ? ['## Gateway throughput', '', `Not run: ${notRun(r.throughput)}`] : throughputSection(r.throughput as ThroughputResult)), '');
  if (r.subscriptions) out.push(...(notRun(r.subscriptions) ? ['## Subscription fan-out', '', `Not run: ${notRun(r.subscriptions)}`] : subscriptionSection(r.subscriptions as SubscriptionResult)), '');
  if (r.summary) out.push(...(notRun(r.summary) ? ['## Fleet summary', '', `Not run: ${notRun(r.summary)}`] : summarySection(r.summary as SummaryResult)), '');
  out.push('## Targets (issue 17)', '', '| target | measured | verdict |', '|---|---|---|');
  for (const t of targets(r)) out.push(`| ${t.target} | ${t.measured} | ${t.verdict} |`);
  out.push('', 'Reproduce: `npm run bench` (full) or `npm run bench -- --quick`; see README "Performance".', '');
  return out.join('\n');
}
