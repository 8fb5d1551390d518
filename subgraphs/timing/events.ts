// The change feed behind the timing subscriptions: ONE feed per cluster, whatever the number of
// subscribers. A feed polls its cluster's PTP (the same read path as queries: CRs from watch caches,
// metrics in one PromQL query or the pod-proxy fallback) every `pollIntervalMs`, diffs the snapshot with
// the previous one and hands each change to the subscribers whose filter matches. It starts with its
// first subscriber and stops with its last. The first poll is the baseline: it emits nothing.
import { eventIterator } from '../kube/async-queue.js';
import type { RegistryChange } from '../kube/registry.js';
import type { ClusterError } from '../kube/errors.js';
import { log } from '../../lib/log.js';
import type { ClockState, PtpMetricSource } from './generated/types.js';
import type { NodePtpModel, PtpClockClassEventModel, PtpClockStateEventModel } from './models.js';
import { clockClassResourceAddress, OranEventType, syncStateResourceAddress } from './ptp-metrics.js';

export type FeedEvent = { kind: 'state'; event: PtpClockStateEventModel } | { kind: 'class'; event: PtpClockClassEventModel };

/** One cluster's PTP by node: a node's model, or the error that kept it from being read this time. */
export type ClusterSnapshot = Map<string, NodePtpModel | ClusterError>;

/** Reads a whole cluster; null when it has no PTP operator. Throws when the cluster cannot be read. */
export type SnapshotReader = (cluster: string, signal: AbortSignal) => Promise<ClusterSnapshot | null>;

export interface FeedFleet {
  names(): string[];
  has(name: string): boolean;
  on(event: 'change', listener: (change: RegistryChange) => void): () => void;
}

export interface PtpFeedOptions {
  /** Time between the end of one poll and the start of the next, ms. Default 5000. */
  pollIntervalMs?: number;
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

type Listener = (event: FeedEvent) => void;

/** One cluster's poll loop. */
export class ClusterPtpFeed {
  readonly cluster: string;
  /** Completed polls (successful or not). */
  polls = 0;
  lastError?: Error;
  private readonly listeners = new Set<Listener>();
  private state = new Map<string, NodePtpModel>();
  private hasBaseline = false;
  private timer?: NodeJS.Timeout;
  private controller?: AbortController;
  private running?: Promise<void>;
  private baselineWaiters: (() => void)[] = [];

  constructor(
    cluster: string,
    private readonly read: SnapshotReader,
    private readonly options: Required<Pick<PtpFeedOptions, 'pollIntervalMs' | 'now'>> & { defaultSource: (cluster: string) => PtpMetricSource },
  ) {
    this.cluster = cluster;
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  get active(): boolean {
    return this.controller !== undefined;
  }

  /** Resolves once the feed has its baseline (immediately if it has one). */
  baseline(): Promise<void> {
    if (this.hasBaseline) return Promise.resolve();
    return new Promise((resolve) => this.baselineWaiters.push(resolve));
  }

  attach(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.controller) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.controller = undefined;
    await this.running;
    // A later subscriber starts from a fresh baseline: changes while nobody listened are not replayed.
    this.hasBaseline = false;
    this.state = new Map();
  }

  private start(): void {
    this.controller = new AbortController();
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    const controller = this.controller;
    if (!controller) return;
    this.timer = setTimeout(() => {
      this.running = this.poll(controller.signal).finally(() => {
        this.running = undefined;
        if (!controller.signal.aborted) this.schedule(this.options.pollIntervalMs);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async poll(signal: AbortSignal): Promise<void> {
    let snapshot: ClusterSnapshot | null;
    try {
      snapshot = await this.read(this.cluster, signal);
      this.lastError = undefined;
    } catch (err) {
      // Unreachable for now: keep the last known state, emit nothing, try again next interval.
      this.lastError = err as Error;
      this.polls++;
      if (!signal.aborted) log.debug({ cluster: this.cluster, err: (err as Error).message }, 'ptp feed poll failed');
      return;
    }
    this.polls++;
    if (signal.aborted) return;
    const next = new Map<string, NodePtpModel>();
    for (const [node, value] of snapshot ?? []) {
      if (value instanceof Error) {
        // This node could not be read this time: keep what we knew.
        const known = this.state.get(node);
        if (known) next.set(node, known);
      } else next.set(node, value);
    }
    if (this.hasBaseline) {
      const time = new Date(this.options.now()).toISOString();
      for (const event of diffSnapshots(this.cluster, this.state, next, time, this.options.defaultSource(this.cluster))) {
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
export class PtpFeeds {
  private readonly feeds = new Map<string, ClusterPtpFeed>();
  private readonly fleetWide = new Set<{ listener: Listener; detach: Map<string, () => void> }>();
  private readonly unlisten: () => void;
  private readonly feedOptions: Required<Pick<PtpFeedOptions, 'pollIntervalMs' | 'now'>> & { defaultSource: (cluster: string) => PtpMetricSource };

  constructor(
    private readonly fleet: FeedFleet,
    private readonly read: SnapshotReader,
    options: PtpFeedOptions = {},
  ) {
    this.feedOptions = {
      pollIntervalMs: options.pollIntervalMs ?? 5000,
      now: options.now ?? Date.now,
      defaultSource: options.defaultSource ?? (() => 'POD_PROXY'),
    };
    this.unlisten = fleet.on('change', (change) => this.onFleetChange(change));
  }

  /** The feed of one cluster (created, not started). */
  feed(cluster: string): ClusterPtpFeed {
    let feed = this.feeds.get(cluster);
    if (!feed) {
      feed = new ClusterPtpFeed(cluster, this.read, this.feedOptions);
      this.feeds.set(cluster, feed);
    }
    return feed;
  }

  /** Clusters whose feed is polling now. */
  activeFeeds(): string[] {
    return [...this.feeds.values()].filter((f) => f.active).map((f) => f.cluster).sort();
  }

  clockStateChanges(filter: ClockStateFilter, signal?: AbortSignal): AsyncIterableIterator<PtpClockStateEventModel> {
    const states = filter.states?.length ? new Set(filter.states) : undefined;
    return this.iterate<PtpClockStateEventModel>(
      filter.cluster ?? null,
      (e) =>
        e.kind === 'state' && (!filter.node || e.event.nodeName === filter.node) && (!states || states.has(e.event.currentState)) ? e.event : undefined,
      signal,
    );
  }

  clockClassChanges(filter: ClockClassFilter, signal?: AbortSignal): AsyncIterableIterator<PtpClockClassEventModel> {
    return this.iterate<PtpClockClassEventModel>(
      filter.cluster ?? null,
      (e) => (e.kind === 'class' && (!filter.node || e.event.nodeName === filter.node) ? e.event : undefined),
      signal,
    );
  }

  async stop(): Promise<void> {
    this.unlisten();
    for (const sub of this.fleetWide) for (const detach of sub.detach.values()) detach();
    this.fleetWide.clear();
    await Promise.all([...this.feeds.values()].map((f) => f.stop()));
    this.feeds.clear();
  }

  private iterate<E>(cluster: string | null, pick: (e: FeedEvent) => E | undefined, signal?: AbortSignal): AsyncIterableIterator<E> {
    return eventIterator<E>(
      (push) => {
        const listener: Listener = (e) => {
          const value = pick(e);
          if (value !== undefined) push(value);
        };
        if (cluster !== null) return this.feed(cluster).attach(listener);
        const sub = { listener, detach: new Map<string, () => void>() };
        for (const name of this.fleet.names()) sub.detach.set(name, this.feed(name).attach(listener));
        this.fleetWide.add(sub);
        return () => {
          this.fleetWide.delete(sub);
          for (const detach of sub.detach.values()) detach();
          sub.detach.clear();
        };
      },
      { signal },
    );
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
