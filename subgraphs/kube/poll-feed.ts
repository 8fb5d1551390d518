// A change feed over something that can only be polled (metrics, exporter pages): ONE loop per cluster
// whatever the number of subscribers. A cluster's loop starts with its first subscriber and stops with
// its last; it reads a snapshot every `pollIntervalMs` (from the end of one poll to the start of the
// next), diffs it with the previous one and hands each event to the subscribers. The first poll is the
// baseline: it emits nothing (a subscriber sees changes, not the current state). A poll that fails keeps
// the previous snapshot and emits nothing; consecutive failures back off (interval × 2ⁿ, capped), so
// an unreachable cluster is not hammered while subscribers wait for it. Fleet-wide subscriptions follow
// clusters as they join and leave the registry. The domain gives `read` and `diff`; timing's PTP feed
// and ovs's alert loop are built on it. A source that can push (a webhook saying "something changed")
// calls `wake`: the next poll starts now instead of after the interval, so the poll stays the one
// source of truth and a lost or forged notification costs at most a read.
import { detached } from '../../lib/tracing.js';
import { log } from '../../lib/log.js';
import { eventIterator } from './async-queue.js';
import type { RegistryChange } from './registry.js';

/** What the feeds need of the cluster registry (ClusterRegistry has it). */
export interface FeedFleet {
  names(): string[];
  has(name: string): boolean;
  on(event: 'change', listener: (change: RegistryChange) => void): () => void;
}

interface PollFeedBase<S, E, R> {
  /** One cluster's snapshot. Throws when the cluster cannot be read (the previous snapshot stays). */
  read(cluster: string, signal: AbortSignal): Promise<R>;
  /** The events between two snapshots of `cluster`, `time` being the ISO time of the later one. */
  diff(previous: S, next: S, time: string, cluster: string): E[];
  /** Time between the end of one poll and the start of the next, ms. Default 5000. */
  pollIntervalMs?: number;
  /** Longest delay between polls after consecutive failures, ms. Default 30000 (never below the interval). */
  maxBackoffMs?: number;
  /** A woken poll starts at least this long after the previous poll started, ms. Default 20. */
  minWakeIntervalMs?: number;
  /** Called when a cluster's loop stops (its last subscriber left, or the cluster left the registry). */
  onStop?: (cluster: string) => void;
  /** Names the feed in logs (e.g. `ptp`). */
  name?: string;
  now?: () => number;
}

type Merge<S, R> = (previous: S | undefined, read: R) => S;

/**
 * `merge` folds a read into what was known (e.g. keeps a node that could not be read this time); it is
 * required when a read (R) is not already a snapshot (S), and by default the read is the snapshot.
 */
export type PollFeedOptions<S, E, R = S> = PollFeedBase<S, E, R> & ([R] extends [S] ? { merge?: Merge<S, R> } : { merge: Merge<S, R> });

type Listener<E> = (event: E) => void;

interface Settings<S, E, R> extends Required<Omit<PollFeedBase<S, E, R>, 'now' | 'onStop'>> {
  now: () => number;
  onStop?: (cluster: string) => void;
  merge: Merge<S, R>;
}

/** One cluster's poll loop. */
export class ClusterPollFeed<S, E, R = S> {
  readonly cluster: string;
  /** Completed polls (successful or not). */
  polls = 0;
  /** Polls that failed in a row (0 after a success); the delay before the next poll doubles with each. */
  consecutiveFailures = 0;
  /** Polls started early by `wake`. */
  wakes = 0;
  lastError?: Error;
  private readonly listeners = new Set<Listener<E>>();
  private state?: S;
  private hasBaseline = false;
  private timer?: NodeJS.Timeout;
  private controller?: AbortController;
  private running?: Promise<void>;
  private baselineWaiters: (() => void)[] = [];
  private pollWaiters: (() => void)[] = [];
  private lastPollStartedAt = -Infinity;
  /** A wake arrived while a poll was running: the next poll follows at once. */
  private wakePending = false;

  constructor(
    cluster: string,
    private readonly settings: Settings<S, E, R>,
  ) {
    this.cluster = cluster;
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  get active(): boolean {
    return this.controller !== undefined;
  }

  /** The last snapshot (undefined before the baseline). */
  get snapshot(): S | undefined {
    return this.state;
  }

  /** Resolves once the feed has its baseline (immediately if it has one). */
  baseline(): Promise<void> {
    if (this.hasBaseline) return Promise.resolve();
    return new Promise((resolve) => this.baselineWaiters.push(resolve));
  }

  /** Resolves after the next poll ends, successful or not (immediately if one already ended since the start). */
  polled(): Promise<void> {
    if (this.polls > 0) return Promise.resolve();
    return new Promise((resolve) => this.pollWaiters.push(resolve));
  }

  /** The delay before the next poll: the interval, doubled for each consecutive failure, capped. */
  get nextDelayMs(): number {
    const { pollIntervalMs, maxBackoffMs } = this.settings;
    if (this.consecutiveFailures === 0) return pollIntervalMs;
    return Math.max(pollIntervalMs, Math.min(maxBackoffMs, pollIntervalMs * 2 ** Math.min(this.consecutiveFailures, 30)));
  }

  attach(listener: Listener<E>): () => void {
    this.listeners.add(listener);
    if (!this.controller) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  /**
   * Something says the cluster changed: poll now (or right after the poll in flight), no sooner than
   * `minWakeIntervalMs` after the last poll started. Ignored while nobody listens.
   */
  wake(): void {
    if (!this.controller) return;
    if (this.running) {
      this.wakePending = true;
      return;
    }
    clearTimeout(this.timer);
    this.scheduleWoken();
  }

  /** A woken poll: as soon as `minWakeIntervalMs` after the last poll's start allows. */
  private scheduleWoken(): void {
    this.wakes++;
    this.schedule(Math.max(0, this.lastPollStartedAt + this.settings.minWakeIntervalMs - performance.now()));
  }

  async stop(): Promise<void> {
    const wasActive = this.controller !== undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.controller = undefined;
    this.wakePending = false;
    if (wasActive) this.settings.onStop?.(this.cluster);
    // A later subscriber starts from a fresh baseline: changes while nobody listened are not replayed.
    // Reset before waiting, so a subscriber that attaches meanwhile never sees the old baseline (a poll
    // in flight was aborted and keeps nothing).
    this.state = undefined;
    this.hasBaseline = false;
    this.consecutiveFailures = 0;
    await this.running;
  }

  private start(): void {
    this.controller = new AbortController();
    // The feed outlives the subscription that started it: its polls are traces of their own.
    detached(() => this.schedule(0));
  }

  private schedule(delayMs: number): void {
    const controller = this.controller;
    if (!controller) return;
    this.timer = setTimeout(() => {
      this.lastPollStartedAt = performance.now();
      this.running = this.poll(controller.signal).finally(() => {
        this.running = undefined;
        if (controller.signal.aborted) return;
        if (this.wakePending) {
          this.wakePending = false;
          this.scheduleWoken();
        } else this.schedule(this.nextDelayMs);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async poll(signal: AbortSignal): Promise<void> {
    try {
      await this.pollOnce(signal);
    } finally {
      for (const resolve of this.pollWaiters.splice(0)) resolve();
    }
  }

  private async pollOnce(signal: AbortSignal): Promise<void> {
    let read: R;
    try {
      read = await this.settings.read(this.cluster, signal);
    } catch (err) {
      // Unreachable for now: keep the last known state, emit nothing, try again after a longer pause.
      this.polls++;
      if (signal.aborted) return;
      this.lastError = err instanceof Error ? err : new Error(String(err));
      this.consecutiveFailures++;
      log.debug(
        { feed: this.settings.name, cluster: this.cluster, err: this.lastError.message, failures: this.consecutiveFailures, nextPollMs: this.nextDelayMs },
        'poll feed: poll failed',
      );
      return;
    }
    this.polls++;
    if (signal.aborted) return;
    this.lastError = undefined;
    this.consecutiveFailures = 0;
    const previous = this.hasBaseline ? this.state : undefined;
    const next = this.settings.merge(previous, read);
    if (this.hasBaseline) {
      const time = new Date(this.settings.now()).toISOString();
      for (const event of this.settings.diff(previous as S, next, time, this.cluster)) {
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch {
            // one broken subscriber must not stop the others
          }
        }
      }
    }
    this.state = next;
    if (!this.hasBaseline) {
      this.hasBaseline = true;
      for (const resolve of this.baselineWaiters.splice(0)) resolve();
    }
  }
}

/** Every cluster's feed, created on first subscription; fleet-wide subscriptions follow clusters that join. */
export class PollFeeds<S, E, R = S> {
  private readonly feeds = new Map<string, ClusterPollFeed<S, E, R>>();
  private readonly fleetWide = new Set<{ listener: Listener<E>; detach: Map<string, () => void> }>();
  private readonly unlisten: () => void;
  private readonly settings: Settings<S, E, R>;

  constructor(
    private readonly fleet: FeedFleet,
    options: PollFeedOptions<S, E, R>,
  ) {
    const pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.settings = {
      read: options.read,
      diff: options.diff,
      merge: options.merge ?? ((_previous: S | undefined, read: R) => read as unknown as S),
      pollIntervalMs,
      maxBackoffMs: Math.max(pollIntervalMs, options.maxBackoffMs ?? 30_000),
      minWakeIntervalMs: options.minWakeIntervalMs ?? 20,
      onStop: options.onStop,
      name: options.name ?? 'poll',
      now: options.now ?? Date.now,
    };
    this.unlisten = fleet.on('change', (change) => this.onFleetChange(change));
  }

  /** The feed of one cluster (created, not started). */
  feed(cluster: string): ClusterPollFeed<S, E, R> {
    let feed = this.feeds.get(cluster);
    if (!feed) {
      feed = new ClusterPollFeed(cluster, this.settings);
      this.feeds.set(cluster, feed);
    }
    return feed;
  }

  /** A change notification for `cluster`: its loop (if one runs) polls now. */
  wake(cluster: string): void {
    this.feeds.get(cluster)?.wake();
  }

  /** Clusters whose feed is polling now. */
  activeFeeds(): string[] {
    return [...this.feeds.values()].filter((f) => f.active).map((f) => f.cluster).sort();
  }

  /** Listens to one cluster's events, or (cluster null) every cluster's, joining ones included; returns the function that stops. */
  subscribe(cluster: string | null, listener: Listener<E>): () => void {
    if (cluster !== null) return this.feed(cluster).attach(listener);
    const sub = { listener, detach: new Map<string, () => void>() };
    for (const name of this.fleet.names()) sub.detach.set(name, this.feed(name).attach(listener));
    this.fleetWide.add(sub);
    return () => {
      this.fleetWide.delete(sub);
      for (const detach of sub.detach.values()) detach();
      sub.detach.clear();
    };
  }

  /** The events `pick` keeps (and maps), as an async iterator for a subscription resolver. */
  events<T>(cluster: string | null, pick: (event: E) => T | undefined, signal?: AbortSignal): AsyncIterableIterator<T> {
    return eventIterator<T>(
      (push) =>
        this.subscribe(cluster, (event) => {
          const value = pick(event);
          if (value !== undefined) push(value);
        }),
      { signal },
    );
  }

  async stop(): Promise<void> {
    this.unlisten();
    for (const sub of this.fleetWide) for (const detach of sub.detach.values()) detach();
    this.fleetWide.clear();
    await Promise.all([...this.feeds.values()].map((f) => f.stop()));
    this.feeds.clear();
  }

  private onFleetChange(change: RegistryChange): void {
    for (const name of change.removed) {
      for (const sub of this.fleetWide) {
        sub.detach.get(name)?.();
        sub.detach.delete(name);
      }
      const feed = this.feeds.get(name);
      this.feeds.delete(name);
      void feed?.stop();
    }
    for (const name of change.added) {
      for (const sub of this.fleetWide) if (!sub.detach.has(name)) sub.detach.set(name, this.feed(name).attach(sub.listener));
    }
  }
}
