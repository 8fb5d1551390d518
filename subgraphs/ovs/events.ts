// The alert loop behind `ovsAlertChanged`: the house's poll feed, ONE evaluation loop per subscribed
// cluster whatever the number of subscribers. Each poll evaluates the cluster's alerts (reader.alerts:
// one alert query, or one pod-proxy read per ovnkube-node pod), diffs them with the previous
// evaluation and sends RAISED / LEVEL_CHANGED / CLEARED. The first evaluation is the baseline.
import { PollFeeds, type FeedFleet } from '../kube/poll-feed.js';
import { changeMatchesLevels, diffAlerts } from './alerts.js';
import type { OvsAlertChange, OvsAlertLevel, OvsAlertModel } from './models.js';
import type { OvsReader } from './reader.js';

export interface OvsAlertFilter {
  cluster?: string | null;
  levels?: readonly OvsAlertLevel[] | null;
}

export class OvsAlertFeeds {
  private readonly feeds: PollFeeds<OvsAlertModel[], OvsAlertChange>;

  constructor(fleet: FeedFleet, reader: OvsReader, options: { pollIntervalMs?: number; now?: () => number } = {}) {
    this.feeds = new PollFeeds<OvsAlertModel[], OvsAlertChange>(fleet, {
      name: 'ovs-alerts',
      read: (cluster, signal) => reader.alerts(cluster, signal),
      diff: (previous, next, time) => diffAlerts(previous, next, time),
      pollIntervalMs: options.pollIntervalMs,
      now: options.now,
    });
  }

  feed(cluster: string) {
    return this.feeds.feed(cluster);
  }

  activeFeeds(): string[] {
    return this.feeds.activeFeeds();
  }

  /** Keeps every cluster's alert loop running (joining clusters too), for readers of the snapshots (the summary); returns the function that stops. */
  follow(): () => void {
    return this.feeds.subscribe(null, () => undefined);
  }

  changes(filter: OvsAlertFilter, signal?: AbortSignal): AsyncIterableIterator<OvsAlertChange> {
    return this.feeds.events(filter.cluster ?? null, (change) => (changeMatchesLevels(change, filter.levels) ? change : undefined), signal);
  }

  stop(): Promise<void> {
    return this.feeds.stop();
  }
}
