// Subscription fan-out: N graphql-ws clients (one WebSocket each, as N dashboards) on one fleetgraph
// gateway, all subscribed to `ptpClockStateChanged` of one cluster; a PTP grandmaster loss in the
// simulator is the state change. Per change: time from triggering it to the first event at every
// client (p50/p99), and the fan-out spread (time after the first client's delivery); RSS per subscriber
// = growth of the gateway+subgraphs process's RSS (each measured after a full GC) with N subscribers / N.
//
// Two feeds, each on a cluster of its kind: `push`, a cluster whose cloud-event-proxy publishes events
// (REST API v2; the stack runs with CALLBACK_BASE_URL=self, so the proxy's event wakes the poll at
// once), and `poll`, a cluster without the event publisher, found by polling alone
// (POLL_INTERVAL_MS = plan.pollIntervalMs, the product default 1000): its delivery includes up to one
// interval.
//
// Processes: simulator (child), gateway + subgraphs (stack child), the N clients (this process).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startChild, type Memory } from '../lib/child.js';
import { control, graphql } from '../lib/http.js';
import { loadAvg } from '../lib/machine.js';
import { summarize, type Summary } from '../lib/stats.js';

export type FeedKind = 'push' | 'poll';

export interface SubscriptionPlan {
  subscribers: number[];
  /** Which feeds to measure, each on its own cluster (see the file comment). */
  feeds: FeedKind[];
  edges: number;
  pollIntervalMs: number;
  /** State changes measured per subscriber count. */
  changes: number;
}

export interface FanoutRun {
  feed: FeedKind;
  cluster: string;
  subscription: string;
  subscribers: number;
  connected: number;
  connectMs: number;
  /** The first change after the subscribers connected: trigger → first event, p50 / p99, and the last client. */
  firstChange: { p50: number; p99: number; lastMs: number };
  /** Trigger → first event at each client, the later changes pooled. */
  delivery: Summary;
  /** First client's delivery → each client's, all changes pooled. */
  spread: Summary;
  missed: number;
  baseMemory: Memory;
  memory: Memory;
  rssPerSubscriberKiB: number;
  gatewayStats: Record<string, number>;
  loadAvg: number[];
}

export interface SubscriptionResult {
  plan: SubscriptionPlan;
  runs: FanoutRun[];
}

type Log = (line: string) => void;

interface Subscriber {
  socket: WebSocket;
  /** Time of the first `next` after `armedAt`, or undefined. */
  firstAt?: number;
  armed: boolean;
  errors: number;
  /** The first error message this client got (what `errorsByCode` counts, in words). */
  firstError?: string;
}

const NEXT = Buffer.from('"type":"next"');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A minimal graphql-transport-ws client: init, subscribe, record the first event after arming. */
function subscribe(url: string, query: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    const sub: Subscriber = { socket, armed: false, errors: 0 };
    const timer = setTimeout(() => reject(new Error('no connection_ack within 30 s')), 30_000);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (raw) => {
      // Arrival is timed before any work of this client: with 10,000 sockets in one process, time
      // spent parsing earlier sockets' frames would be counted as the gateway's delivery of later ones.
      const arrivedAt = performance.now();
      // A further event of a change already recorded needs no parsing (pings and errors still do).
      if (sub.armed && sub.firstAt !== undefined && (raw as Buffer).includes(NEXT)) return;
      const msg = JSON.parse(raw.toString()) as { type: string; id?: string; payload?: { message?: string }[] };
      if (msg.type === 'connection_ack') {
        clearTimeout(timer);
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        resolve(sub);
      } else if (msg.type === 'next') {
        if (sub.armed && sub.firstAt === undefined) sub.firstAt = arrivedAt;
      } else if (msg.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      } else if (msg.type === 'error') {
        sub.errors++;
        sub.firstError ??= msg.payload?.[0]?.message;
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function openAll(url: string, query: string, n: number, parallel = 200): Promise<Subscriber[]> {
  const subs: Subscriber[] = [];
  for (let i = 0; i < n; i += parallel) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(parallel, n - i) }, () => subscribe(url, query)));
    for (const b of batch) if (b.status === 'fulfilled') subs.push(b.value);
  }
  return subs;
}

async function closeAll(subs: Subscriber[]): Promise<void> {
  await Promise.all(
    subs.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.socket.readyState === WebSocket.CLOSED) return resolve();
          s.socket.once('close', () => resolve());
          s.socket.close(1000);
          setTimeout(() => {
            s.socket.terminate();
            resolve();
          }, 5000).unref();
        }),
    ),
  );
}

export async function runSubscriptions(plan: SubscriptionPlan, log: Log): Promise<SubscriptionResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetgraph-bench-'));
  const sim = await startChild<{ kubeconfigPath: string; fleetFilePath: string; controlUrl: string }>('sim', [String(plan.edges), '1', '0', '1', dir]);
  const stack = await startChild<{ gatewayUrl: string }>('stack', [sim.info.kubeconfigPath, sim.info.fleetFilePath], {
    POLL_INTERVAL_MS: String(plan.pollIntervalMs),
    // The simulated clusters run on this host: their cloud-event-proxies can post to the subgraph itself.
    CALLBACK_BASE_URL: 'self',
  });
  const wsUrl = stack.info.gatewayUrl.replace(/^http/, 'ws');
  try {
    const result: SubscriptionResult = { plan, runs: [] };
    for (const feed of plan.feeds) {
      const cluster = await clusterFor(stack.info.gatewayUrl, feed);
      const query = `subscription { ptpClockStateChanged(cluster: "${cluster}") { currentState previousState process interface node { clusterName name } } }`;
      log(`  ${feed} feed: ${cluster}`);
      for (const n of plan.subscribers) result.runs.push(await measure(feed, cluster, query, n));
    }
    return result;
  } finally {
    await stack.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  async function measure(feed: FeedKind, cluster: string, query: string, n: number): Promise<FanoutRun> {
    await sleep(1000);
    const baseMemory = await stack.call<Memory>('gcMemory');
    const t0 = performance.now();
    const subs = await openAll(wsUrl, query, n);
    const connectMs = Math.round(performance.now() - t0);
    await sleep(Math.max(2000, plan.pollIntervalMs * 5)); // upstream subscription and first polls settle
    const memory = await stack.call<Memory>('gcMemory');
    log(`  ${subs.length}/${n} subscribers connected in ${connectMs} ms; stack RSS ${baseMemory.rssMiB} → ${memory.rssMiB} MiB`);

    const delivery: number[] = [];
    const spread: number[] = [];
    let missed = 0;
    // BENCH_WARM_PROF=FILE: a CPU profile of the stack process during the changes (one file per subscriber count).
    const prof = process.env.BENCH_WARM_PROF ? `${process.env.BENCH_WARM_PROF}-subscriptions-${n}.cpuprofile` : undefined;
    if (prof) await stack.call('profileStart');
    // Change 0 is the first after the subscribers connected: it pays one-time costs on both ends (the
    // first write to each of N fresh sockets, the N clients' first frame in this one process), so it is
    // reported on its own (firstChange) and the target is read on the changes after it.
    let firstChange: FanoutRun['firstChange'] = { p50: 0, p99: 0, lastMs: 0 };
    for (let c = 0; c <= plan.changes; c++) {
      for (const s of subs) {
        s.firstAt = undefined;
        s.armed = true;
      }
      const triggeredAt = performance.now();
      await control(sim.info.controlUrl, 'POST', '/scenarios/ptp-gm-loss', { cluster, recoverAfterSeconds: 1 });
      const deadline = triggeredAt + 10_000 + plan.pollIntervalMs;
      while (performance.now() < deadline && subs.some((s) => s.firstAt === undefined)) await sleep(20);
      const times = subs.filter((s) => s.firstAt !== undefined).map((s) => s.firstAt!);
      missed += subs.length - times.length;
      const earliest = Math.min(...times);
      const lastMs = Math.round(Math.max(...times) - triggeredAt);
      if (c === 0) {
        const first = summarize(times.map((t) => t - triggeredAt));
        firstChange = { p50: first.p50, p99: first.p99, lastMs };
      } else {
        for (const t of times) {
          delivery.push(t - triggeredAt);
          spread.push(t - earliest);
        }
      }
      for (const s of subs) s.armed = false;
      log(`  change ${c}${c === 0 ? ' (first after connecting, reported apart)' : ''}: ${times.length}/${subs.length} delivered, last after ${lastMs} ms`);
      // Recovery (LOCKED again after 1 s) and its events pass before the next change.
      await sleep(2500 + plan.pollIntervalMs * 3);
    }
    if (prof) await stack.call('profileStop', prof);
    const gatewayStats = await stack.call<Record<string, number>>('subStats');
    const errorSample = subs.find((s) => s.firstError)?.firstError;
    if (errorSample) log(`  ${subs.filter((s) => s.errors > 0).length} clients got errors, e.g. "${errorSample}"`);
    await closeAll(subs);
    const run: FanoutRun = {
      feed,
      cluster,
      subscription: query,
      subscribers: n,
      connected: subs.length,
      connectMs,
      firstChange,
      delivery: summarize(delivery),
      spread: summarize(spread),
      missed,
      baseMemory,
      memory,
      rssPerSubscriberKiB: Math.round((((memory.rssMiB - baseMemory.rssMiB) * 1024) / Math.max(1, subs.length)) * 10) / 10,
      gatewayStats,
      loadAvg: loadAvg(),
    };
    log(`  ${feed}, ${n} subscribers: delivery p50 ${run.delivery.p50} ms p99 ${run.delivery.p99} ms, spread p99 ${run.spread.p99} ms, ${run.rssPerSubscriberKiB} KiB RSS per subscriber`);
    return run;
  }
}

/** An edge cluster with a LOCKED PTP node (the grandmaster loss turns it HOLDOVER at once) whose event publisher suits `feed`. */
async function clusterFor(gatewayUrl: string, feed: FeedKind): Promise<string> {
  const res = await graphql(gatewayUrl, '{ clusters { name ptp { operatorConfig { eventPublisherEnabled eventApiVersion } nodes { syncState } } } }');
  type Cluster = { name: string; ptp: { operatorConfig: { eventPublisherEnabled: boolean; eventApiVersion: string | null } | null; nodes: ({ syncState: string } | null)[] } | null };
  const clusters = (res.data as { clusters?: Cluster[] } | undefined)?.clusters ?? [];
  const found = clusters.find((c) => {
    const config = c.ptp?.operatorConfig;
    const pushes = !!config?.eventPublisherEnabled && !!config.eventApiVersion?.startsWith('2');
    return c.name.startsWith('du-') && c.ptp?.nodes.some((n) => n?.syncState === 'LOCKED') && pushes === (feed === 'push');
  });
  if (!found) throw new Error(`no LOCKED edge cluster for the ${feed} feed: ${JSON.stringify(res.errors ?? res.data).slice(0, 300)}`);
  return found.name;
}
