// The timing part of FleetSummary. Counts come from the per-cluster PTP feeds (events.ts) that the
// subscriptions use, through FollowedSnapshots: the first summary starts a fleet-wide follow, so every
// cluster keeps one poll loop (CRs from watch caches, one PromQL query or the pod-proxy scrape per node)
// and a summary reads only their latest snapshots, 0 requests. A cluster whose last poll failed is
// unreadable, its sites not counted.
import { ChangeClock, FollowedSnapshots, countSummary, type ClusterDeadlines, type CountedPart } from '../common/summary.js';
import type { FanOutFleet } from '../kube/fan-out.js';
import type { KnownPtp, PtpFeeds } from './events.js';
import type { ClockState } from './generated/types.js';
import { worstState } from './ptp-metrics.js';

const SITE_KEY: Record<ClockState, 'locked' | 'holdover' | 'freerun' | 'unknown'> = { LOCKED: 'locked', HOLDOVER: 'holdover', FREERUN: 'freerun', UNKNOWN: 'unknown' };
const KEYS = ['sites', 'locked', 'holdover', 'freerun', 'unknown', 'nodes', 'nodesNotLocked'] as const;
export type TimingSummaryModel = CountedPart<(typeof KEYS)[number]>;

export class TimingSummary {
  private readonly clock = new ChangeClock();
  private readonly snapshots: FollowedSnapshots<KnownPtp>;

  /** `deadlines`: how long a summary waits for a cluster's first poll (the registry). */
  constructor(feeds: PtpFeeds, deadlines?: ClusterDeadlines) {
    this.snapshots = new FollowedSnapshots(feeds, deadlines);
  }

  /** The part over the clusters `fleet` (the request's view) lets the caller see. */
  part(selector: string, fleet: FanOutFleet): Promise<TimingSummaryModel> {
    return countSummary({
      fleet,
      clock: this.clock,
      selector,
      keys: KEYS,
      now: (cluster) => this.snapshots.now(cluster), // the last poll's snapshot: a warm summary awaits nothing
      read: (cluster) => this.snapshots.read(cluster),
      count: (add, snapshot) => {
        if (snapshot.size === 0) return; // no PTP here: not a DU site
        const states = [...snapshot.values()].map((n) => n.syncState);
        add('sites');
        add(SITE_KEY[worstState(states)]);
        add('nodes', states.length);
        add('nodesNotLocked', states.filter((s) => s !== 'LOCKED').length);
      },
    });
  }

  stop(): void {
    this.snapshots.stop();
  }
}
