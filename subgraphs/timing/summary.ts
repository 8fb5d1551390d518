// The timing part of FleetSummary. Counts come from the per-cluster PTP feeds (events.ts) that the
// subscriptions use: the first summary starts a fleet-wide follow, so every cluster keeps one poll loop
// (CRs from watch caches, one PromQL query or the pod-proxy scrape per node) and a summary reads only
// their latest snapshots, 0 requests. A cluster whose feed has no snapshot yet is waited for (its first
// poll) up to its deadline; one whose last poll failed is unreadable, its sites not counted.
import { ChangeClock, SummaryCounts, summaryClusters, unreadable, type SummaryCountModel, type UnreadableClusterModel } from '../common/summary.js';
import { ClusterError } from '../kube/errors.js';
import type { FanOutFleet } from '../kube/fan-out.js';
import type { PtpFeeds } from './events.js';
import type { ClockState } from './generated/types.js';
import { worstState } from './ptp-metrics.js';

export interface TimingSummaryModel {
  sites: SummaryCountModel;
  locked: SummaryCountModel;
  holdover: SummaryCountModel;
  freerun: SummaryCountModel;
  unknown: SummaryCountModel;
  nodes: SummaryCountModel;
  nodesNotLocked: SummaryCountModel;
  unreadable: UnreadableClusterModel[];
  computedAt: string;
}

const SITE_KEY: Record<ClockState, 'locked' | 'holdover' | 'freerun' | 'unknown'> = { LOCKED: 'locked', HOLDOVER: 'holdover', FREERUN: 'freerun', UNKNOWN: 'unknown' };
const FIRST_POLL_WAIT_MS = 30_000;
const KEYS = ['sites', 'locked', 'holdover', 'freerun', 'unknown', 'nodes', 'nodesNotLocked'] as const;

export class TimingSummary {
  private following?: () => void;
  private readonly clock = new ChangeClock();

  constructor(
    private readonly fleet: FanOutFleet,
    private readonly feeds: PtpFeeds,
  ) {}

  async part(selector: string): Promise<TimingSummaryModel> {
    const clusters = summaryClusters(this.fleet, selector);
    this.following ??= this.feeds.follow();
    const counts = new SummaryCounts(KEYS);
    const failed: UnreadableClusterModel[] = [];
    await Promise.all(clusters.map((c) => this.baseline(c)));
    for (const cluster of clusters) {
      const feed = this.feeds.feed(cluster);
      const snapshot = feed.snapshot;
      if (!snapshot || feed.consecutiveFailures > 0) {
        failed.push(unreadable(cluster, feed.lastError ?? new ClusterError('CLUSTER_TIMEOUT', cluster, `cluster ${cluster}: no PTP reading yet`)));
        continue;
      }
      if (snapshot.size === 0) continue;
      const states = [...snapshot.values()].map((n) => n.syncState);
      counts.add('sites', cluster);
      counts.add(SITE_KEY[worstState(states)], cluster);
      counts.add('nodes', cluster, states.length);
      counts.add('nodesNotLocked', cluster, states.filter((s) => s !== 'LOCKED').length);
    }
    const part = { ...Object.fromEntries(KEYS.map((k) => [k, counts.get(k)])), unreadable: failed } as Omit<TimingSummaryModel, 'computedAt'>;
    return { ...part, computedAt: this.clock.observe(selector, part) };
  }

  /**
   * Waits for a cluster's first poll to end (read or failed; each read is bounded by the cluster's
   * deadline), at most `FIRST_POLL_WAIT_MS` in case the loop is stuck.
   */
  private async baseline(cluster: string): Promise<void> {
    const feed = this.feeds.feed(cluster);
    if (feed.snapshot || feed.polls > 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([feed.polled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_POLL_WAIT_MS)))]);
    clearTimeout(timer);
  }

  stop(): void {
    this.following?.();
    this.following = undefined;
  }
}
