// The arguments of a subscription that name a cluster (and a node in it), checked before its first
// event: an unknown cluster, or a node the cluster says it does not have, ends the subscription with
// ONE NOT_FOUND error and nothing else. Without the check a subscription to a node that does not exist
// would wait silently forever.
//
// Why a failing iterator rather than a throw: a subscribe resolver that throws makes graphql-js answer
// with a result (graphql-ws: `next` with the error, then `complete`), which a gateway must report twice
// (the error, then "the subgraph ended the subscription"). An event stream whose first `next()` rejects
// is sent by graphql-ws as a single terminal `error` message carrying the error's extensions (code,
// cluster), which the gateway forwards as is.
//
// The node is looked up through the request's kube loaders: from the warm Node cache when there is one
// (0 requests), else one GET. A cluster that cannot answer now does not fail the subscription: it waits
// for the cluster like any other subscriber. A node filter without a cluster is not checked (it would
// cost a request per cluster of the fleet).
import { log } from '../../lib/log.js';
import { ClusterError, unknownCluster } from './errors.js';
import type { KubeLoaders } from './loaders.js';
import type { Node } from './objects.js';
import { Resources } from './resources.js';

export interface SubscriptionTarget {
  cluster?: string | null;
  node?: string | null;
}

/** What the check needs of the request context (every domain's KubeRequestContext has it). */
export interface TargetLookup {
  registry: { has(name: string): boolean };
  kube: KubeLoaders;
}

export function unknownNode(cluster: string, node: string): ClusterError {
  return new ClusterError('NOT_FOUND', cluster, `unknown node "${node}" in cluster "${cluster}"`);
}

/** Resolves when the target may be subscribed to; rejects with a NOT_FOUND ClusterError when it names what does not exist. */
export async function checkTarget(lookup: TargetLookup, target: SubscriptionTarget): Promise<void> {
  const { cluster, node } = target;
  if (!cluster) return;
  if (!lookup.registry.has(cluster)) throw unknownCluster(cluster);
  if (!node) return;
  let found: Node | null;
  try {
    found = await lookup.kube.get<Node>(Resources.nodes).load({ cluster, name: node });
  } catch (err) {
    log.debug({ cluster, node, err: (err as Error).message }, 'subscription target: nodes cannot be read now; not checked');
    return;
  }
  if (found === null) throw unknownNode(cluster, node);
}

/**
 * The events `open` returns, once `target` is checked. The source is opened at once (no event is
 * missed while the check runs); when the check fails, it is closed and the first `next()` rejects with
 * the check's error. An unknown cluster is refused before anything is opened.
 */
export function checkedEvents<T>(lookup: TargetLookup, target: SubscriptionTarget, open: () => AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  if (target.cluster && !lookup.registry.has(target.cluster)) return failedEvents(unknownCluster(target.cluster));
  let source: AsyncIterableIterator<T> | undefined;
  let closed = false;
  const ready = (async () => {
    source = open();
    try {
      await checkTarget(lookup, target);
    } catch (err) {
      await source.return?.();
      throw err;
    }
    return source;
  })();
  ready.catch(() => undefined); // awaited by next(); no unhandled rejection if nobody asks
  let failed = false;
  return {
    async next(): Promise<IteratorResult<T>> {
      if (closed || failed) return { value: undefined, done: true };
      let s: AsyncIterableIterator<T>;
      try {
        s = await ready;
      } catch (err) {
        failed = true;
        throw err;
      }
      return s.next();
    },
    async return(): Promise<IteratorResult<T>> {
      closed = true;
      await source?.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** A subscription source that fails at once with `error` (its first `next()` rejects). */
export function failedEvents<T>(error: Error): AsyncIterableIterator<T> {
  let thrown = false;
  return {
    next(): Promise<IteratorResult<T>> {
      if (thrown) return Promise.resolve({ value: undefined, done: true });
      thrown = true;
      return Promise.reject(error);
    },
    return(): Promise<IteratorResult<T>> {
      thrown = true;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
