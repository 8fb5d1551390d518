// Metric snapshots: one read of a cluster's metrics (every node's samples, or the error of that node's
// scrape) shared by every query and subscription feed until it is older than the staleness bound, so a
// warm query reads no metrics at all; the answer's `readAt` says how old its values are. One read per
// cluster is in flight at a time whoever asks (single flight, with no one request's cancellation). A
// cluster someone read recently is kept fresh in the background: its snapshot is re-read when half the
// bound has passed (checked every tenth of the bound, oldest first), at most `budget` clusters at once
// across the fleet, so a dashboard that refreshes never waits for metrics and the refresh is a steady
// stream, not a burst per query. The half bound left is the refresh queue's time: with 1,001 clusters
// due in one tick and 16 reads at once, the last one still lands before its snapshot expires.
import { ClusterError } from '../kube/errors.js';
import { SyncBudget } from '../kube/sync-budget.js';

/** A cluster's metrics by node: what was read, or why a node could not be read. */
export type NodeMetrics<V> = Map<string, V | ClusterError>;

export interface SnapshotOptions {
  /** Longest age of a snapshot a query is answered from, ms; 0 reads on every query (no snapshots). */
  maxAgeMs: number;
  /** A snapshot with a failed node is reused this long at most, so failures and recoveries show soon. Default min(2 s, maxAgeMs). */
  maxAgeWithErrorsMs?: number;
  /** Clusters read within this window are kept fresh in the background, ms. Default 10 min; 0: never. */
  keepFreshForMs?: number;
  /** Background refreshes in flight at once across the fleet. Default 16. */
  refreshConcurrency?: number;
  now?: () => number;
}

export interface SnapshotStats {
  clusters: number;
  /** Reads answered from a snapshot, and reads that had to wait for one (cold, stale, forced). */
  hits: number;
  misses: number;
  /** Background refreshes done, and in flight/queued now. */
  refreshes: number;
  refreshing: number;
}

interface Entry<V> {
  at: number;
  metrics: NodeMetrics<V>;
  hasErrors: boolean;
}

export class MetricSnapshots<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, Promise<Entry<V>>>();
  private readonly wantedAt = new Map<string, number>();
  private readonly refreshing = new Set<string>();
  private readonly budget: SyncBudget;
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private counts = { hits: 0, misses: 0, refreshes: 0 };

  constructor(
    /** Reads every node of a cluster; throws when the cluster's metrics cannot be read at all. */
    private readonly read: (cluster: string) => Promise<NodeMetrics<V>>,
    private readonly options: SnapshotOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.budget = new SyncBudget(options.refreshConcurrency ?? 16);
  }

  get enabled(): boolean {
    return this.options.maxAgeMs > 0;
  }

  /**
   * The cluster's metrics: the snapshot when it is within the staleness bound, else a new read (shared
   * with whoever else asks meanwhile). `fresh`: a new read unless one is under way (the feeds' polls).
   */
  async get(cluster: string, options: { fresh?: boolean } = {}): Promise<NodeMetrics<V>> {
    this.wantedAt.set(cluster, this.now());
    this.schedule();
    const entry = this.entries.get(cluster);
    if (entry && !options.fresh && this.enabled && this.isFresh(entry)) {
      this.counts.hits++;
      return entry.metrics;
    }
    this.counts.misses++;
    return (await this.load(cluster)).metrics;
  }

  /**
   * Reads a cluster's snapshot in the background (under the refresh budget) and keeps it fresh as if
   * someone had just read it: pre-warm, so the first query after start or after a cluster joins finds it.
   */
  warm(cluster: string): void {
    if (!this.enabled) return;
    this.wantedAt.set(cluster, this.now());
    this.schedule();
    if (!this.entries.has(cluster)) this.refresh(cluster);
  }

  /** Drops a cluster's snapshot (it left the fleet). */
  forget(cluster: string): void {
    this.entries.delete(cluster);
    this.wantedAt.delete(cluster);
  }

  stats(): SnapshotStats {
    return { clusters: this.entries.size, ...this.counts, refreshing: this.refreshing.size };
  }

  /** Forgets every snapshot: the next read of each cluster goes to its source (a cold start). */
  clear(): void {
    this.entries.clear();
    this.wantedAt.clear();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private isFresh(entry: Entry<V>): boolean {
    return this.now() - entry.at <= this.boundOf(entry);
  }

  private boundOf(entry: Entry<V>): number {
    return entry.hasErrors ? (this.options.maxAgeWithErrorsMs ?? Math.min(2000, this.options.maxAgeMs)) : this.options.maxAgeMs;
  }

  private load(cluster: string): Promise<Entry<V>> {
    let pending = this.inFlight.get(cluster);
    if (!pending) {
      const startedAt = this.now();
      pending = this.read(cluster)
        .then((metrics) => {
          const entry: Entry<V> = { at: startedAt, metrics, hasErrors: [...metrics.values()].some((m) => m instanceof ClusterError) };
          this.entries.set(cluster, entry);
          return entry;
        })
        .finally(() => this.inFlight.delete(cluster));
      this.inFlight.set(cluster, pending);
    }
    return pending;
  }

  /** One background read of a cluster, under the fleet-wide refresh budget. */
  private refresh(cluster: string): void {
    if (this.refreshing.has(cluster) || this.inFlight.has(cluster)) return;
    this.refreshing.add(cluster);
    const ticket = this.budget.acquire();
    void ticket.granted
      .then(() => (this.wantedAt.has(cluster) ? this.load(cluster) : undefined))
      .then(
        () => this.counts.refreshes++,
        () => undefined, // the next query reads again and reports the error
      )
      .finally(() => {
        ticket.release();
        this.refreshing.delete(cluster);
      });
  }

  /** The background loop runs while someone reads snapshots (every quarter of the bound). */
  private schedule(): void {
    const keepFor = this.options.keepFreshForMs ?? 10 * 60_000;
    if (this.timer || keepFor <= 0 || !this.enabled) return;
    // A tenth of the (shorter) bound: a snapshot is picked up at most 0.6 × its bound old, leaving 0.4 for the queue.
    const bound = Math.min(this.options.maxAgeMs, this.options.maxAgeWithErrorsMs ?? 2000);
    this.timer = setInterval(() => this.refreshDue(keepFor), Math.max(250, bound / 10));
    this.timer.unref();
  }

  private refreshDue(keepFor: number): void {
    const now = this.now();
    const due: { cluster: string; at: number }[] = [];
    for (const [cluster, wantedAt] of this.wantedAt) {
      if (now - wantedAt > keepFor) {
        this.wantedAt.delete(cluster);
        this.entries.delete(cluster); // nobody reads it any more: it would only go stale
        continue;
      }
      const entry = this.entries.get(cluster);
      if (!entry || this.refreshing.has(cluster)) continue;
      if (now - entry.at < this.boundOf(entry) / 2) continue; // a snapshot with a failed node has the shorter bound
      due.push({ cluster, at: entry.at });
    }
    // Oldest first: the budget's queue is FIFO, so the snapshot nearest its bound is read first.
    due.sort((a, b) => a.at - b.at);
    for (const { cluster } of due) this.refresh(cluster);
    if (this.wantedAt.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
