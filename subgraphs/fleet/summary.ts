// The fleet subgraph's part of FleetSummary: the clusters a selector covers, which answered (their
// Node watch cache is current: 0 requests warm; a cold cache's LIST is its only request) and which
// could not be read, with the code; plus the subscription's coalescing ticker.
import { ChangeClock, SummaryCounts, SummaryMemo, partKey, readSummaryClusters, type SummaryCountModel, type UnreadableClusterModel } from '../common/summary.js';
import { eventIterator } from '../kube/async-queue.js';
import type { Node } from '../kube/objects.js';
import { Resources } from '../kube/resources.js';
import type { FleetContext } from './context.js';

export interface FleetSummaryPart {
  clusters: SummaryCountModel;
  reachable: SummaryCountModel;
  unreachable: UnreadableClusterModel[];
  nodes: number;
  computedAt: string;
}

/** Each cluster's node count with the epoch of its caches: a warm summary reads only clusters that changed. */
const memo = new SummaryMemo<number>();

export async function fleetSummaryPart(ctx: FleetContext, clock: ChangeClock, selector: string): Promise<FleetSummaryPart> {
  const { clusters, results, unreadable: unreachable } = await readSummaryClusters(ctx.registry, selector, async (cluster, signal) => {
    const nodes = await ctx.watchCaches.readThrough<Node>(cluster, Resources.nodes, {}, { waitForSync: true, signal });
    return nodes?.length ?? 0;
  }, { memo, inputs: (cluster) => ctx.watchCaches.epoch(cluster) });
  const counts = new SummaryCounts(['clusters', 'reachable'] as const);
  for (const c of clusters) counts.add('clusters', c);
  let nodes = 0;
  for (const r of results) {
    counts.add('reachable', r.cluster);
    nodes += r.value;
  }
  const part = { clusters: counts.get('clusters'), reachable: counts.get('reachable'), unreachable, nodes };
  return { ...part, computedAt: clock.observe(partKey(ctx.registry, selector), part) };
}

/** A tick every `intervalMs`: the gateway resolves the summary once per tick and group, and sends it only when it changed. */
export function summaryTicks(selector: string, intervalMs: number, signal?: AbortSignal): AsyncIterableIterator<{ selector: string }> {
  return eventIterator<{ selector: string }>((push) => {
    push({ selector });
    const timer = setInterval(() => push({ selector }), intervalMs);
    timer.unref?.(); // a tick never keeps the process alive; the subscription's end clears it
    return () => clearInterval(timer);
  }, { signal, maxBuffered: 1 });
}
