// The o2ims part of FleetSummary: each management cluster's ProvisioningRequests through the request's
// loaders (the shared watch caches: 0 requests warm), counted by state as `provisioningRequests(states:
// …)` filters them. A cluster that does not serve ProvisioningRequests is not counted.
import { ChangeClock, SummaryMemo, countSummary, type CountedPart } from '../common/summary.js';
import type { ProvisioningRequestModel } from './models.js';
import type { O2imsContext } from './context.js';

/** When this process's answers last changed, per selector (created on first use). */
let clock: ChangeClock | undefined;
/** Each cluster's requests with the epoch of its caches: a warm summary reads only clusters that changed. */
const memo = new SummaryMemo<ProvisioningRequestModel[] | null>();
const KEYS = ['clusters', 'requests', 'running', 'failed', 'fulfilled', 'deleting'] as const;
export type O2imsSummaryModel = CountedPart<(typeof KEYS)[number]>;

export function o2imsSummary(ctx: O2imsContext, selector: string): Promise<O2imsSummaryModel> {
  return countSummary({
    fleet: ctx.registry,
    clock: (clock ??= new ChangeClock()),
    selector,
    keys: KEYS,
    memo,
    inputs: (cluster) => ctx.watchCaches.epoch(cluster),
    read: async (cluster) => (await ctx.loaders.requests.load(cluster))?.requests ?? null,
    count: (add, requests) => {
      const inState = (...states: string[]) => requests.filter((r) => states.includes(r.state)).length;
      add('clusters');
      add('requests', requests.length);
      add('running', inState('PENDING', 'PROGRESSING'));
      add('failed', inState('FAILED'));
      add('fulfilled', inState('FULFILLED'));
      add('deleting', inState('DELETING'));
    },
  });
}
