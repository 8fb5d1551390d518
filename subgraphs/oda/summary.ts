// The oda part of FleetSummary: each cluster's Components through the request's loaders (the shared
// watch caches at the cluster's served version: 0 requests warm), counted by deployment status as
// `odaComponents(status: …)` filters them. A cluster without the ODA CRDs is not counted.
import { ChangeClock, SummaryMemo, countSummary, type CountedPart } from '../common/summary.js';
import type { OdaComponentModel } from './models.js';
import type { OdaContext } from './context.js';

/** When this process's answers last changed, per selector (created on first use). */
let clock: ChangeClock | undefined;
/** Each cluster's components with the epoch of its caches and the ODA version it serves: a warm summary reads only clusters that changed. */
const memo = new SummaryMemo<OdaComponentModel[] | null>();
const KEYS = ['clusters', 'components', 'notComplete', 'unknown'] as const;
export type OdaSummaryModel = CountedPart<(typeof KEYS)[number]>;

export function odaSummary(ctx: OdaContext, selector: string): Promise<OdaSummaryModel> {
  return countSummary({
    fleet: ctx.registry,
    clock: (clock ??= new ChangeClock()),
    selector,
    keys: KEYS,
    memo,
    inputs: (cluster) => {
      const epoch = ctx.watchCaches.epoch(cluster);
      const version = ctx.reader.believedVersion(cluster);
      return epoch && version ? [...epoch, version] : undefined;
    },
    read: (cluster) => ctx.loaders.components.load(cluster),
    count: (add, components) => {
      add('clusters');
      add('components', components.length);
      add('notComplete', components.filter((c) => c.status?.deploymentStatus !== 'COMPLETE').length);
      add('unknown', components.filter((c) => c.status?.deploymentStatus === 'UNKNOWN').length);
    },
  });
}
