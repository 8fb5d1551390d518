// The dpdk part of FleetSummary. DPDK has no change feed of its own, so the summary keeps one: the
// house's poll feed (kube/poll-feed.ts), one loop per cluster, reading every DPDK pod's totals once per
// poll interval (pods from the shared pods watch cache, telemetry through the pod proxy with the
// process-wide concurrency limit) with its own rate tracker (so query-time rates keep their window).
// No "dropping now" count: a rate between two polls flaps with every burst, and a summary that changes
// every second is noise on a dashboard header (rates stay one query away: `PodDpdk.rates`).
// Summaries read the loops' last snapshots through FollowedSnapshots: 0 requests when warm.
import { ChangeClock, FollowedSnapshots, countSummary, type CountedPart } from '../common/summary.js';
import type { FleetAccess } from '../common/fleet-access.js';
import type { FanOutFleet } from '../kube/fan-out.js';
import { createKubeLoaders } from '../kube/loaders.js';
import { PollFeeds } from '../kube/poll-feed.js';
import { Resources } from '../kube/resources.js';
import { createDpdkLoaders } from './loaders.js';
import { RateTracker } from './rates.js';
import type { TelemetryReader } from './reader.js';
import { drops } from './telemetry.js';

/** Per DPDK pod of a cluster at the last poll: its namespace and drops (null: its telemetry could not be read). */
type ClusterDrops = { namespace: string; drops: number | null };

const KEYS = ['pods', 'podsWithDrops', 'podsUnreadable'] as const;
export type DpdkSummaryModel = CountedPart<(typeof KEYS)[number]>;

export class DpdkSummary {
  private readonly clock = new ChangeClock();
  private readonly feeds: PollFeeds<ClusterDrops[], never>;
  private readonly snapshots: FollowedSnapshots<ClusterDrops[]>;

  constructor(
    private readonly access: FleetAccess,
    reader: TelemetryReader,
    pollIntervalMs: number,
  ) {
    const rates = new RateTracker();
    this.feeds = new PollFeeds<ClusterDrops[], never>(access.registry, {
      name: 'dpdk-summary',
      pollIntervalMs,
      diff: () => [],
      read: async (cluster, signal) => {
        // The shared pods cache, so the loaders' pods LIST is answered from memory.
        await access.watchCaches.readThrough(cluster, Resources.pods, {}, { waitForSync: true, signal });
        const kube = createKubeLoaders(access.registry, { watchCaches: access.watchCaches, listCache: access.listCache, signal });
        const loaders = createDpdkLoaders(kube, reader, rates, signal);
        const pods = await loaders.clusterPods.load(cluster);
        const readings = await loaders.reading.loadMany(pods);
        return readings.map((r, i) => ({ namespace: pods[i].namespace, drops: r instanceof Error ? null : drops(r.totals) }));
      },
    });
    this.snapshots = new FollowedSnapshots({ feed: (c) => this.feeds.feed(c), follow: () => this.feeds.subscribe(null, () => undefined) }, access.registry);
  }

  /** The part over the clusters and namespaces `fleet` (the request's view) lets the caller see, as `dpdkPods` does. */
  part(selector: string, fleet: FanOutFleet & { namespaces?(cluster: string): ReadonlySet<string> | null }): Promise<DpdkSummaryModel> {
    const visible = (cluster: string, all: ClusterDrops[] | undefined) => {
      const seen = all && (fleet.namespaces?.(cluster) ?? null);
      return !all || !seen ? all : all.filter((p) => seen.has(p.namespace));
    };
    return countSummary({
      fleet,
      clock: this.clock,
      selector,
      keys: KEYS,
      now: (cluster) => visible(cluster, this.snapshots.now(cluster)), // the last poll's snapshot: a warm summary awaits nothing
      read: async (cluster) => visible(cluster, await this.snapshots.read(cluster))!,
      count: (add, pods) => {
        add('pods', pods.length);
        add('podsWithDrops', pods.filter((p) => p.drops !== null && p.drops > 0).length);
        add('podsUnreadable', pods.filter((p) => p.drops === null).length);
      },
    });
  }

  async stop(): Promise<void> {
    this.snapshots.stop();
    await this.feeds.stop();
  }
}
