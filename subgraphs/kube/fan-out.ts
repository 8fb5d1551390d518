// The one way a fleet-wide root field (ptpNodes, and cniEvents, ovsTop, odaComponents,
// provisioningRequests to come) reaches its clusters:
//  - selection: the `clusters: [ID!]` argument (an unknown name is one NOT_FOUND, exactly like an unknown
//    cluster anywhere else) and the `clusterLabels` / `labels` LabelFilter argument (checked once for the
//    whole query: BAD_USER_INPUT, thrown, never one identical error per cluster);
//  - work: a per-cluster function over the selected clusters, at most `concurrency` clusters at once,
//    within an optional deadline for the whole fan-out (a cluster still working then is CLUSTER_TIMEOUT
//    and its signal aborts);
//  - outcome: per-cluster values in cluster-name order, plus coded GraphQL errors: one per failing
//    cluster, and one per distinct partial failure a cluster reports (e.g. one node's pod-proxy read),
//    identical ones of a cluster reported once.
import type { GraphQLError } from 'graphql';
import { ClusterError, toGraphQLError, unknownCluster } from './errors.js';
import { validateLabelFilters, type LabelFilter } from './labels.js';
import { Limiter } from './limiter.js';
import type { ClusterFilter } from './registry.js';

/** What the fan-out needs of the cluster registry (ClusterRegistry has it). */
export interface FanOutFleet {
  list(filter?: ClusterFilter): readonly { readonly name: string }[];
  has(name: string): boolean;
}

/** The arguments of a fleet-wide field that pick clusters. */
export interface FleetSelection {
  /** Only these clusters (null: every cluster). */
  clusters?: readonly string[] | null;
  /** Only clusters whose fleet labels match every filter. */
  labels?: readonly LabelFilter[] | null;
}

export interface FanOutOptions {
  /** Clusters worked on at once. Default 64: enough to keep every core busy, few enough that 1,000 clusters do not open 1,000 TLS handshakes at once. */
  concurrency?: number;
  /** The whole fan-out's deadline, ms; clusters that have not answered by then are CLUSTER_TIMEOUT. Default none (each cluster client keeps its own deadline). */
  deadlineMs?: number;
  /** The request was cancelled. */
  signal?: AbortSignal;
}

export interface ClusterWork {
  /** Aborts at the deadline or when the request is cancelled. */
  signal: AbortSignal;
  /** A partial failure of this cluster (its other results stand): becomes one coded error for it. */
  report(err: unknown): void;
}

export interface FanOut<T> {
  /** The clusters that answered, in cluster-name order. */
  results: { cluster: string; value: T }[];
  /** Unknown names first (argument order), then each failing cluster's errors (cluster-name order). */
  errors: GraphQLError[];
}

export const DEFAULT_FAN_OUT_CONCURRENCY = 64;

/** The selected clusters (name order) and one NOT_FOUND per unknown name. Throws BAD_USER_INPUT for a bad label filter. */
export function selectClusters(fleet: FanOutFleet, selection: FleetSelection): { clusters: string[]; errors: GraphQLError[] } {
  const labels = selection.labels ?? [];
  validateLabelFilters(labels);
  let clusters = fleet.list({ labels }).map((c) => c.name);
  const errors: GraphQLError[] = [];
  if (selection.clusters) {
    const wanted = new Set(selection.clusters);
    for (const name of wanted) if (!fleet.has(name)) errors.push(toGraphQLError(unknownCluster(name), name));
    clusters = clusters.filter((c) => wanted.has(c));
  }
  return { clusters, errors };
}

/** Runs `work` on every selected cluster; see the file comment for the contract. */
export async function fanOut<T>(
  fleet: FanOutFleet,
  selection: FleetSelection,
  work: (cluster: string, scope: ClusterWork) => Promise<T>,
  options: FanOutOptions = {},
): Promise<FanOut<T>> {
  const { clusters, errors: unknown } = selectClusters(fleet, selection);
  const concurrency = options.concurrency ?? DEFAULT_FAN_OUT_CONCURRENCY;
  // No queue when every cluster may run at once (summaries), no race when there is no deadline: the
  // per-cluster promises a 1,000-cluster fan-out makes on every request are then only the work's own.
  const limiter = concurrency < clusters.length ? new Limiter(concurrency) : undefined;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    if (options.deadlineMs === undefined) return;
    timer = setTimeout(() => {
      stop.abort();
      resolve('deadline');
    }, options.deadlineMs);
  });

  const outcomes = await Promise.all(
    clusters.map(async (cluster) => {
      const failures = new Map<string, GraphQLError>();
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return; // too late: the cluster already timed out
        const error = toGraphQLError(err, cluster);
        failures.set(`${String(error.extensions.code)}\u0000${error.message}`, error);
      };
      const run = async () => {
        if (signal.aborted) throw new ClusterError('CLUSTER_TIMEOUT', cluster, deadlineMessage(cluster, options.deadlineMs));
        return { value: await work(cluster, { signal, report: fail }) };
      };
      const task = limiter ? limiter.run(run) : run();
      try {
        const done = options.deadlineMs === undefined ? await task : await Promise.race([task, deadline]);
        if (done === 'deadline') throw new ClusterError('CLUSTER_TIMEOUT', cluster, deadlineMessage(cluster, options.deadlineMs));
        return { cluster, value: done.value, failed: false, errors: [...failures.values()] };
      } catch (err) {
        fail(err);
        return { cluster, value: undefined, failed: true, errors: [...failures.values()] };
      } finally {
        settled = true;
        if (options.deadlineMs !== undefined) task.catch(() => undefined); // a task that lost the race to the deadline may still fail later
      }
    }),
  );
  clearTimeout(timer);

  return {
    results: outcomes.filter((o) => !o.failed).map((o) => ({ cluster: o.cluster, value: o.value as T })),
    errors: [...unknown, ...outcomes.flatMap((o) => o.errors)],
  };
}

function deadlineMessage(cluster: string, deadlineMs: number | undefined): string {
  return `cluster ${cluster}: no answer within the query's ${deadlineMs} ms deadline`;
}

/**
 * A list field's value with the errors as entries: graphql-js reports an Error item of a list as an
 * error at its path (with `extensions`) and a null in its place, so a `[T]!` field shows each failure
 * as a null entry at the end.
 */
export function withErrorEntries<T>(items: readonly T[], errors: readonly GraphQLError[]): T[] {
  return [...items, ...(errors as unknown as T[])];
}
