// The change feed behind the timing subscriptions, on the fleet-access layer's poll feed (kube/poll-feed:
// one loop per cluster whatever the number of subscribers, baseline then diff, backoff on failures,
// fleet-wide subscriptions that follow the registry). What is PTP's own: the snapshot (a cluster's PTP by
// node, read the same way as queries: CRs from watch caches, metrics in one PromQL query or the pod-proxy
// fallback), the diff into O-RAN event types, and the subscribers' filters.
import type { ClusterError } from '../kube/errors.js';
import { PollFeeds, type ClusterPollFeed, type FeedFleet } from '../kube/poll-feed.js';
import type { ClockState, PtpMetricSource } from './generated/types.js';
import type { NodePtpModel, PtpClockClassEventModel, PtpClockStateEventModel } from './models.js';
import { clockClassResourceAddress, OranEventType, syncStateResourceAddress } from './ptp-metrics.js';

export type FeedEvent = { kind: 'state'; event: PtpClockStateEventModel } | { kind: 'class'; event: PtpClockClassEventModel };

/** One cluster's PTP by node: a node's model, or the error that kept it from being read this time. */
export type ClusterSnapshot = Map<string, NodePtpModel | ClusterError>;

/** Reads a whole cluster; null when it has no PTP operator. Throws when the cluster cannot be read. */
export type SnapshotReader = (cluster: string, signal: AbortSignal) => Promise<ClusterSnapshot | null>;

export interface PtpFeedOptions {
  /** Time between the end of one poll and the start of the next, ms. Default 5000. */
  pollIntervalMs?: number;
  /** Longest pause between polls of a cluster that keeps failing, ms. Default 30000. */
  maxBackoffMs?: number;
  /** Called when a cluster's poll loop stops (last subscriber gone, or the cluster left). */
  onStop?: (cluster: string) => void;
  /** The source a change is attributed to when neither snapshot says (cluster without metrics). */
  defaultSource?: (cluster: string) => PtpMetricSource;
  now?: () => number;
}

export interface ClockStateFilter {
  cluster?: string | null;
  node?: string | null;
  /** Only changes whose new state is one of these. */
  states?: readonly ClockState[] | null;
}

export interface ClockClassFilter {
  cluster?: string | null;
  node?: string | null;
}

function clockKey(process: string, iface: string): string {
  return `${process}\u0000${iface}`;
}

/**
 * The events between two snapshots of one cluster: per clock (process × interface) state changes, the
 * node's overall sync state, and clock-class changes per process. A node or clock that appears starts
 * from UNKNOWN, one that disappears goes to UNKNOWN.
 */
export function diffSnapshots(
  cluster: string,
  previous: ReadonlyMap<string, NodePtpModel>,
  next: ReadonlyMap<string, NodePtpModel>,
  time: string,
  defaultSource: PtpMetricSource,
): FeedEvent[] {
  const events: FeedEvent[] = [];
  const nodes = [...new Set([...previous.keys(), ...next.keys()])].sort();
  for (const nodeName of nodes) {
    const p = previous.get(nodeName);
    const n = next.get(nodeName);
    const source = n?.read?.source ?? p?.read?.source ?? defaultSource;

    const prevClocks = new Map((p?.clocks ?? []).map((c) => [clockKey(c.process, c.interface), c]));
    const nextClocks = new Map((n?.clocks ?? []).map((c) => [clockKey(c.process, c.interface), c]));
    for (const key of new Set([...prevClocks.keys(), ...nextClocks.keys()])) {
      const pc = prevClocks.get(key);
      const nc = nextClocks.get(key);
      const previousState = pc?.state ?? 'UNKNOWN';
      const currentState = nc?.state ?? 'UNKNOWN';
      if (previousState === currentState) continue;
      const clock = (nc ?? pc)!;
      events.push({
        kind: 'state',
        event: {
          eventType: clock.eventType,
          resourceAddress: clock.resourceAddress,
          clusterName: cluster,
          nodeName,
          process: clock.process,
          interface: clock.interface,
          previousState,
          currentState,
          offsetNs: nc?.offsetNs ?? null,
          time,
          source,
        },
      });
    }

    const previousSync = p?.syncState ?? 'UNKNOWN';
    const currentSync = n?.syncState ?? 'UNKNOWN';
    if (previousSync !== currentSync) {
      events.push({
        kind: 'state',
        event: {
          eventType: OranEventType.syncState,
          resourceAddress: syncStateResourceAddress(nodeName),
          clusterName: cluster,
          nodeName,
          process: null,
          interface: null,
          previousState: previousSync,
          currentState: currentSync,
          offsetNs: n?.offsetNs ?? null,
          time,
          source,
        },
      });
    }

    const classKey = (name: string, config: string | null) => `${name}\u0000${config ?? ''}`;
    const prevClass = new Map((p?.processes ?? []).map((x) => [classKey(x.name, x.config), x]));
    const nextClass = new Map((n?.processes ?? []).map((x) => [classKey(x.name, x.config), x]));
    for (const key of new Set([...prevClass.keys(), ...nextClass.keys()])) {
      const before = prevClass.get(key)?.clockClass ?? null;
      const after = nextClass.get(key)?.clockClass ?? null;
      if (before === after) continue;
      const proc = (nextClass.get(key) ?? prevClass.get(key))!;
      events.push({
        kind: 'class',
        event: {
          eventType: OranEventType.clockClass,
          resourceAddress: clockClassResourceAddress(nodeName),
          clusterName: cluster,
          nodeName,
          process: proc.name,
          config: proc.config,
          previousClockClass: before,
          clockClass: after,
          time,
          source,
        },
      });
    }
  }
  return events;
}

/** What the feed keeps of a cluster: each node's last known PTP. */
export type KnownPtp = ReadonlyMap<string, NodePtpModel>;

/** A node that could not be read this time keeps what we knew of it; a cluster without PTP reads as no nodes. */
export function mergeSnapshot(previous: KnownPtp | undefined, read: ClusterSnapshot | null): KnownPtp {
  const next = new Map<string, NodePtpModel>();
  for (const [node, value] of read ?? []) {
    if (!(value instanceof Error)) next.set(node, value);
    else {
      const known = previous?.get(node);
      if (known) next.set(node, known);
    }
  }
  return next;
}

/** One cluster's PTP poll loop. */
export type ClusterPtpFeed = ClusterPollFeed<KnownPtp, FeedEvent, ClusterSnapshot | null>;

/** Every cluster's PTP feed, created on first subscription; fleet-wide subscriptions follow clusters that join. */
export class PtpFeeds {
  private readonly feeds: PollFeeds<KnownPtp, FeedEvent, ClusterSnapshot | null>;

  constructor(fleet: FeedFleet, read: SnapshotReader, options: PtpFeedOptions = {}) {
    const defaultSource = options.defaultSource ?? (() => 'POD_PROXY');
    this.feeds = new PollFeeds(fleet, {
      name: 'ptp',
      read,
      merge: mergeSnapshot,
      diff: (previous, next, time, cluster) => diffSnapshots(cluster, previous, next, time, defaultSource(cluster)),
      pollIntervalMs: options.pollIntervalMs,
      maxBackoffMs: options.maxBackoffMs,
      onStop: options.onStop,
      now: options.now,
    });
  }

  /** A pushed change notification (cloud-event-proxy): the cluster's loop polls now. */
  wake(cluster: string): void {
    this.feeds.wake(cluster);
  }

  /** The feed of one cluster (created, not started). */
  feed(cluster: string): ClusterPtpFeed {
    return this.feeds.feed(cluster);
  }

  /** Clusters whose feed is polling now. */
  activeFeeds(): string[] {
    return this.feeds.activeFeeds();
  }

  /** Keeps every cluster's feed polling (joining clusters too), for readers of the snapshots (the summary); returns the function that stops. */
  follow(): () => void {
    return this.feeds.subscribe(null, () => undefined);
  }

  clockStateChanges(filter: ClockStateFilter, signal?: AbortSignal): AsyncIterableIterator<PtpClockStateEventModel> {
    const states = filter.states?.length ? new Set(filter.states) : undefined;
    return this.feeds.events(
      filter.cluster ?? null,
      (e) =>
        e.kind === 'state' && (!filter.node || e.event.nodeName === filter.node) && (!states || states.has(e.event.currentState)) ? e.event : undefined,
      signal,
    );
  }

  clockClassChanges(filter: ClockClassFilter, signal?: AbortSignal): AsyncIterableIterator<PtpClockClassEventModel> {
    return this.feeds.events(filter.cluster ?? null, (e) => (e.kind === 'class' && (!filter.node || e.event.nodeName === filter.node) ? e.event : undefined), signal);
  }

  stop(): Promise<void> {
    return this.feeds.stop();
  }
}
