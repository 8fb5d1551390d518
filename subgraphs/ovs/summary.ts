// The ovs part of FleetSummary: active alerts from the per-cluster alert loops (events.ts) that
// `ovsAlertChanged` uses, through FollowedSnapshots (the first summary starts a fleet-wide follow;
// afterwards a summary reads only the loops' last evaluations: 0 requests). Counted as `ovsAlerts`
// reports them; a cluster whose last evaluation failed is unreadable, its alerts not counted.
import { ChangeClock, FollowedSnapshots, countSummary, type ClusterDeadlines, type CountedPart } from '../common/summary.js';
import type { FanOutFleet } from '../kube/fan-out.js';
import type { OvsAlertFeeds } from './events.js';
import type { OvsAlertModel } from './models.js';

const KEYS = ['alerts', 'critical', 'warning', 'info', 'nodesAlerting'] as const;
export type OvsSummaryModel = CountedPart<(typeof KEYS)[number]>;

export class OvsSummary {
  private readonly clock = new ChangeClock();
  private readonly snapshots: FollowedSnapshots<OvsAlertModel[]>;

  /** `deadlines`: how long a summary waits for a cluster's first poll (the registry). */
  constructor(feeds: OvsAlertFeeds, deadlines?: ClusterDeadlines) {
    this.snapshots = new FollowedSnapshots(feeds, deadlines);
  }

  /** The part over the clusters `fleet` (the request's view) lets the caller see. */
  part(selector: string, fleet: FanOutFleet): Promise<OvsSummaryModel> {
    return countSummary({
      fleet,
      clock: this.clock,
      selector,
      keys: KEYS,
      now: (cluster) => this.snapshots.now(cluster), // the last poll's snapshot: a warm summary awaits nothing
      read: (cluster) => this.snapshots.read(cluster),
      count: (add, alerts) => {
        add('alerts', alerts.length);
        add('critical', alerts.filter((a) => a.level === 'CRITICAL').length);
        add('warning', alerts.filter((a) => a.level === 'WARNING').length);
        add('info', alerts.filter((a) => a.level === 'INFO').length);
        add('nodesAlerting', new Set(alerts.filter((a) => a.level !== 'INFO').map((a) => a.nodeName)).size);
      },
    });
  }

  stop(): void {
    this.snapshots.stop();
  }
}
