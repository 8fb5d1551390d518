// The fleet summary's shared parts. `FleetSummary` is an entity keyed by `selector`, the canonical form
// of the label filters it covers; the fleet subgraph creates it (Query.fleetSummary, the
// fleetSummaryChanged subscription) and every domain subgraph resolves its own field on it
// (`FleetSummary.timing`, `.sriov` …) from its watch caches or live snapshots. This module is what each
// domain's summary.ts needs: the selector in both directions, the count model with the clusters behind
// it, unreadable clusters with their code, and the time a part last changed.
import { GraphQLError } from 'graphql';
import { ClusterError, toClusterError } from '../kube/errors.js';
import { DEFAULT_DEADLINE_MS } from '../kube/registry.js';
import { fanOut, selectClusters, type FanOutFleet } from '../kube/fan-out.js';
import { validateLabelFilters, type LabelFilter, type LabelOperator } from '../kube/labels.js';

const OPERATORS: readonly LabelOperator[] = ['EQUALS', 'NOT_EQUALS', 'IN', 'NOT_IN', 'EXISTS', 'DOES_NOT_EXIST'];

/** The parent of every domain's `FleetSummary` field. */
export interface FleetSummaryRef {
  selector: string;
}

/** A count and the clusters behind it (resolved to `Cluster` entities). */
export interface SummaryCountModel {
  count: number;
  clusters: { name: string }[];
}

export interface UnreadableClusterModel {
  cluster: { name: string };
  code: string;
  message: string;
}

/** The canonical selector of label filters: same filters in any order, same selector (one cache entry, one subscription group). */
export function summarySelector(labels: readonly LabelFilter[] | null | undefined): string {
  const filters = [...(labels ?? [])].map((f) => {
    const op = f.op ?? 'EQUALS';
    const values = f.values ? [...f.values].sort() : undefined;
    return { key: f.key, op, ...(f.value !== undefined && f.value !== null ? { value: f.value } : {}), ...(values ? { values } : {}) };
  });
  filters.sort((a, b) => (a.key === b.key ? a.op.localeCompare(b.op) : a.key.localeCompare(b.key)));
  return JSON.stringify(filters);
}

/** The label filters of a selector; a selector that is not one we made is BAD_USER_INPUT. */
export function parseSummarySelector(selector: string): LabelFilter[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(selector);
  } catch {
    parsed = undefined;
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.every(
      (f) =>
        typeof f === 'object' &&
        f !== null &&
        typeof f.key === 'string' &&
        OPERATORS.includes(f.op) &&
        (f.value === undefined || typeof f.value === 'string') &&
        (f.values === undefined || (Array.isArray(f.values) && f.values.every((v: unknown) => typeof v === 'string'))),
    );
  if (!ok) throw new GraphQLError(`not a fleet summary selector: ${JSON.stringify(selector)}`, { extensions: { code: 'BAD_USER_INPUT' } });
  const filters = parsed as LabelFilter[];
  validateLabelFilters(filters);
  return filters;
}

/**
 * A part's key in its ChangeClock: the selector, and for a caller who sees only part of the fleet, what
 * it may see (two callers with different rules get different answers, each with its own `computedAt`).
 */
export function partKey(fleet: FanOutFleet, selector: string): string {
  const key = visibilityKey(fleet);
  return key ? `${key}\u0000${selector}` : selector;
}

/** The clusters a summary covers, in name order. */
export function summaryClusters(fleet: FanOutFleet, selector: string): string[] {
  return selectClusters(fleet, { labels: parseSummarySelector(selector) }).clusters;
}

/**
 * A summary's reads are warm-cache reads or waits for a cache to fill (each cluster client bounds its own
 * requests with its concurrency slot), so every cluster is asked at once, as the fleet query's loaders
 * do: a fan-out limit would make a cold 1,000-cluster summary wait cluster by cluster, wave after wave.
 */
export const SUMMARY_CONCURRENCY = Number.MAX_SAFE_INTEGER;

/** What a cluster's value was derived from (compared element by element); undefined: cannot tell now. */
export type SummaryInputs = (cluster: string) => readonly unknown[] | undefined;

/**
 * Per-cluster values of a summary part, each kept with the inputs it was derived from (a watch-cache
 * epoch, a feed's snapshot): a warm summary re-reads only the clusters whose inputs moved, not the
 * fleet. One map per visibility (a restricted caller's values may be fewer), the most recent
 * `maxViews`; a cluster that failed, or whose inputs could not be told, is not kept.
 */
export class SummaryMemo<T> {
  private readonly views = new Map<string, Map<string, { inputs: readonly unknown[]; value: T }>>();

  constructor(private readonly maxViews = 64) {}

  view(fleet: FanOutFleet): Map<string, { inputs: readonly unknown[]; value: T }> {
    const key = visibilityKey(fleet);
    let view = this.views.get(key);
    if (view) this.views.delete(key);
    else view = new Map();
    this.views.set(key, view); // most recent last
    if (this.views.size > this.maxViews) this.views.delete(this.views.keys().next().value!);
    return view;
  }
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function visibilityKey(fleet: FanOutFleet): string {
  const visibility = (fleet as { visibility?: { unrestricted: boolean; key: string } }).visibility;
  return visibility && !visibility.unrestricted ? visibility.key : '';
}

export interface ReadSummaryOptions<T> {
  /** Clusters read at once (default SUMMARY_CONCURRENCY: all). */
  concurrency?: number;
  /** The cluster's value when it is at hand (a feed's last snapshot): no read, no memo. Undefined: read it. */
  now?: (cluster: string) => T | undefined;
  /** Keeps each cluster's value with its `inputs`: unchanged inputs, no read. */
  memo?: SummaryMemo<T>;
  inputs?: SummaryInputs;
}

/**
 * Reads every cluster of a summary (cluster-name order): the values of those that answered, and each
 * one that failed as unreadable with its code. A value at hand (`now`) is taken as it is; with a memo, a
 * cluster whose inputs are those of its kept value is not read again. Only the rest are read (fan-out).
 */
export async function readSummaryClusters<T>(
  fleet: FanOutFleet,
  selector: string,
  read: (cluster: string, signal: AbortSignal) => Promise<T>,
  options: ReadSummaryOptions<T> = {},
): Promise<{ clusters: string[]; results: { cluster: string; value: T }[]; unreadable: UnreadableClusterModel[] }> {
  const clusters = summaryClusters(fleet, selector);
  const view = options.inputs ? options.memo?.view(fleet) : undefined;
  const values = new Map<string, T>(); // kept or at hand now; the fresh reads join below
  const toRead: string[] = [];
  const inputsOf = new Map<string, readonly unknown[]>();
  for (const cluster of clusters) {
    const atHand = options.now?.(cluster);
    if (atHand !== undefined) {
      values.set(cluster, atHand);
      continue;
    }
    const inputs = view && options.inputs!(cluster);
    const known = inputs && view!.get(cluster);
    if (known && sameInputs(known.inputs, inputs)) values.set(cluster, known.value);
    else {
      toRead.push(cluster);
      if (inputs) inputsOf.set(cluster, inputs); // taken before the read: a change meanwhile is seen next time
    }
  }
  const { results: read_, errors } =
    toRead.length > 0 ? await fanOut(fleet, { clusters: toRead }, (cluster, { signal }) => read(cluster, signal), { concurrency: options.concurrency ?? SUMMARY_CONCURRENCY }) : { results: [], errors: [] };
  for (const r of read_) values.set(r.cluster, r.value);
  if (view) {
    for (const cluster of toRead) {
      const inputs = inputsOf.get(cluster);
      if (inputs && values.has(cluster)) view.set(cluster, { inputs, value: values.get(cluster)! });
      else view.delete(cluster);
    }
    if (view.size > clusters.length) for (const name of view.keys()) if (!fleet.has(name)) view.delete(name); // clusters that left
  }
  const results = clusters.filter((c) => values.has(c)).map((cluster) => ({ cluster, value: values.get(cluster)! }));
  const failed = errors.map((e) => ({ cluster: { name: String(e.extensions.cluster) }, code: String(e.extensions.code), message: e.message }));
  return { clusters, results, unreadable: failed };
}

/** What a summary needs of a domain's poll feeds (kube/poll-feed.ts ClusterPollFeed has it). */
export interface SnapshotFeed<S> {
  readonly snapshot: S | undefined;
  readonly polls: number;
  readonly consecutiveFailures: number;
  readonly lastError?: Error;
  polled(): Promise<void>;
}

/**
 * Each cluster's deadline (ClusterRegistry has it): how long a summary waits for a cluster's first poll,
 * as for any other read of it. At startup the first polls of a large fleet queue for the fleet-wide
 * refresh budget (1,001 clusters: ~30 s); a summary answers within the deadline with the clusters not
 * read yet unreadable (CLUSTER_TIMEOUT, "first reading pending"), and `fleetSummaryChanged` sends them
 * as they arrive. A cluster it does not know (or no registry) waits DEFAULT_DEADLINE_MS.
 */
export interface ClusterDeadlines {
  get(name: string): { readonly deadlineMs: number } | undefined;
}

/**
 * A polled domain's latest snapshots for summaries (timing's PTP, ovs's alerts): the first read starts a
 * fleet-wide follow (`follow()`: one poll loop per cluster, joining ones too, whatever the number of
 * readers), after which a summary costs 0 requests. A cluster whose feed has not polled yet is waited for
 * (its first poll); one whose last poll failed is unreadable with that poll's error.
 */
export class FollowedSnapshots<S> {
  private following?: () => void;

  constructor(
    private readonly feeds: { feed(cluster: string): SnapshotFeed<S>; follow(): () => void },
    private readonly deadlines?: ClusterDeadlines,
  ) {}

  /** The cluster's last snapshot. Throws its last poll's error (ClusterError) when that failed. */
  async read(cluster: string): Promise<S> {
    this.following ??= this.feeds.follow();
    const feed = this.feeds.feed(cluster);
    if (!feed.snapshot && feed.polls === 0) {
      let timer: NodeJS.Timeout | undefined;
      const waitMs = this.deadlines?.get(cluster)?.deadlineMs ?? DEFAULT_DEADLINE_MS;
      await Promise.race([feed.polled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs).unref()))]);
      clearTimeout(timer);
    }
    const snapshot = this.now(cluster);
    if (snapshot) return snapshot;
    throw (
      feed.lastError ??
      new ClusterError('CLUSTER_TIMEOUT', cluster, `cluster ${cluster}: its first reading is still pending (the fleet's first polls are queued); it is counted once read`)
    );
  }

  /** What read() would answer now, without waiting; undefined before the follow, the first poll, or after a failed poll. */
  now(cluster: string): S | undefined {
    if (!this.following) return undefined;
    const feed = this.feeds.feed(cluster);
    return feed.consecutiveFailures === 0 ? feed.snapshot : undefined;
  }

  stop(): void {
    this.following?.();
    this.following = undefined;
  }
}

/** A domain's summary part: its counts, the clusters it could not read, and when it last changed. */
export type CountedPart<K extends string> = Record<K, SummaryCountModel> & { unreadable: UnreadableClusterModel[]; computedAt: string };

/**
 * The usual domain part: read every cluster of the selector (`read`: null = the domain is not there, not
 * counted), let `count` add each cluster's numbers, stamp when the answer last changed.
 */
export async function countSummary<K extends string, T>(options: {
  fleet: FanOutFleet;
  clock: ChangeClock;
  selector: string;
  keys: readonly K[];
  read: (cluster: string, signal: AbortSignal) => Promise<T | null>;
  count: (add: (key: K, n?: number) => void, value: T, cluster: string) => void;
} & ReadSummaryOptions<T | null>): Promise<CountedPart<K>> {
  const { results, unreadable } = await readSummaryClusters(options.fleet, options.selector, options.read, options);
  const counts = new SummaryCounts(options.keys);
  for (const { cluster, value } of results) {
    if (value === null) continue;
    options.count((key, n = 1) => counts.add(key, cluster, n), value, cluster);
  }
  const part = { ...Object.fromEntries(options.keys.map((k) => [k, counts.get(k)])), unreadable } as Omit<CountedPart<K>, 'computedAt'>;
  return { ...part, computedAt: options.clock.observe(partKey(options.fleet, options.selector), part) } as CountedPart<K>;
}

/** Counts by name, each with the clusters that contributed (a cluster listed once, in the order added). */
export class SummaryCounts<K extends string> {
  private readonly counts = new Map<K, { count: number; clusters: Set<string> }>();

  constructor(keys: readonly K[]) {
    for (const k of keys) this.counts.set(k, { count: 0, clusters: new Set() });
  }

  add(key: K, cluster: string, n = 1): void {
    if (n <= 0) return;
    const entry = this.counts.get(key)!;
    entry.count += n;
    entry.clusters.add(cluster);
  }

  get(key: K): SummaryCountModel {
    const entry = this.counts.get(key)!;
    return { count: entry.count, clusters: [...entry.clusters].map((name) => ({ name })) };
  }
}

export function unreadable(cluster: string, err: unknown): UnreadableClusterModel {
  const error = err instanceof ClusterError ? err : toClusterError(cluster, err);
  return { cluster: { name: cluster }, code: error.code, message: error.message };
}

/**
 * When a summary part last changed, per selector: `computedAt` is the time this answer was first
 * computed, so an unchanged part is the same answer every time (the subscription sends only changes).
 * Remembers the most recent `maxSelectors` selectors.
 */
export class ChangeClock {
  private readonly parts = new Map<string, { fingerprint: string; at: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxSelectors = 1000,
  ) {}

  /** Records `value` as the part's current answer for `selector`; returns the ISO time it last changed. */
  observe(selector: string, value: unknown): string {
    const fingerprint = JSON.stringify(value);
    const known = this.parts.get(selector);
    if (known && known.fingerprint === fingerprint) return new Date(known.at).toISOString();
    const at = this.now();
    this.parts.delete(selector);
    this.parts.set(selector, { fingerprint, at });
    if (this.parts.size > this.maxSelectors) this.parts.delete(this.parts.keys().next().value!);
    return new Date(at).toISOString();
  }
}
