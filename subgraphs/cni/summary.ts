// The cni part of FleetSummary: each cluster's pod-network failure Events from the podNetworkEvent
// feed's shared Event cache (started and waited for on first use, so the request loaders read it: 0
// requests warm), counted as `cniSummary` counts them; Multus from the detection signals (watch caches).
import { ChangeClock, SummaryMemo, countSummary, type CountedPart } from '../common/summary.js';
import type { PodNetworkEventModel } from './models.js';
import { Resources } from '../kube/resources.js';
import type { CniContext } from './context.js';
import { POD_EVENTS_SELECTOR } from './reader.js';
import { recentFailures } from './sources.js';

/** When this process's answers last changed, per selector (created on first use). */
let clock: ChangeClock | undefined;
/** Each cluster's Multus state and Events with the epoch of its caches and its discovery: a warm summary reads only clusters that changed. */
const memo = new SummaryMemo<{ multus: boolean; events: PodNetworkEventModel[] } | null>();
const KEYS = ['clusters', 'multus', 'failureEvents', 'failureOccurrences'] as const;
export type CniSummaryModel = CountedPart<(typeof KEYS)[number]>;

export function cniSummary(ctx: CniContext, selector: string): Promise<CniSummaryModel> {
  const now = Date.now();
  return countSummary({
    fleet: ctx.registry,
    clock: (clock ??= new ChangeClock()),
    selector,
    keys: KEYS,
    memo,
    inputs: (cluster) => {
      const epoch = ctx.watchCaches.epoch(cluster);
      const discovery = ctx.reader.discovered(cluster);
      return epoch && discovery ? [...epoch, discovery] : undefined;
    },
    read: async (cluster, signal) => {
      await ctx.watchCaches.readThrough(cluster, Resources.events, { fieldSelector: POD_EVENTS_SELECTOR }, { waitForSync: true, signal });
      const [network, events] = await Promise.all([ctx.loaders.network.load(cluster), ctx.loaders.events.load(cluster)]);
      return { multus: network.multus.running, events };
    },
    // The failure window moves with the clock: counted on every summary, from the kept Events.
    count: (add, { multus, events }) => {
      const failures = recentFailures(events, now);
      add('clusters');
      add('multus', multus ? 1 : 0);
      add('failureEvents', failures.length);
      add('failureOccurrences', failures.reduce((n, e) => n + e.count, 0));
    },
  });
}
