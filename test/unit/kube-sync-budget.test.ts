// The fleet-wide sync budget and pre-warming, against scripted clusters whose LISTs the test releases:
// at most N LISTs in flight fleet-wide, a cache a reader waits for jumps the queue, the wait in the queue
// does not count against the cluster's deadline, a reader shares the cache's first LIST (one request)
// and its failure, progress counts what is queued / listing / synced and when the fleet was fully
// synced, and a cluster that joins is pre-warmed too.
import { describe, expect, test } from '@jest/globals';
import type { ClusterHealth, ClusterReader, ListResult, WatchStream } from '../../subgraphs/kube/client.js';
import { ClusterError, unknownCluster } from '../../subgraphs/kube/errors.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import type { RegistryChange } from '../../subgraphs/kube/registry.js';
import { Resources, type ResourceRef } from '../../subgraphs/kube/resources.js';
import { SyncBudget } from '../../subgraphs/kube/sync-budget.js';
import { WatchCacheRegistry, type WatchedFleet } from '../../subgraphs/kube/watch-cache-registry.js';
import { waitUntil } from '../helpers/wait.js';

describe('SyncBudget', () => {
  test('grants at most `concurrency` slots; the rest queue in order; release lets the next in', async () => {
    const budget = new SyncBudget(2);
    const order: string[] = [];
    const tickets = ['a', 'b', 'c', 'd'].map((name) => {
      const t = budget.acquire();
      void t.granted.then(() => order.push(name));
      return t;
    });
    await Promise.resolve();
    expect(order).toEqual(['a', 'b']);
    expect(budget.stats()).toMatchObject({ inFlight: 2, queued: 2, granted: 2 });
    tickets[0].release();
    tickets[0].release(); // idempotent
    await Promise.resolve();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(budget.stats()).toMatchObject({ inFlight: 2, queued: 1 });
  });

  test('a promoted ticket goes before every ticket nobody waits for; an aborted one leaves the queue', async () => {
    const budget = new SyncBudget(1);
    const order: string[] = [];
    const first = budget.acquire();
    const abort = new AbortController();
    const queued = ['b', 'c', 'd'].map((name) => {
      const t = budget.acquire(name === 'c' ? { signal: abort.signal } : {});
      t.granted.then(() => order.push(name), () => order.push(`${name} cancelled`));
      return t;
    });
    queued[2].promote(); // d: a query waits for it
    abort.abort(); // c: its cache stopped
    await Promise.resolve();
    expect(budget.stats()).toMatchObject({ queued: 2 });
    first.release();
    await Promise.resolve();
    queued[2].release();
    await Promise.resolve();
    expect(order).toEqual(['c cancelled', 'd', 'b']);
    expect(budget.stats()).toMatchObject({ promoted: 1, granted: 3 });
  });
});

/** A cluster whose LISTs wait until the test releases them; watches stay open and silent. */
class GatedCluster implements ClusterReader {
  readonly lists: string[] = [];
  private readonly gates: (() => void)[] = [];
  failNext?: ClusterError;
  readonly deadlineMs: number;
  health: ClusterHealth = { reachable: true, latencyMs: 1, lastContact: new Date(), error: null, errorCode: null };
  inFlight = 0;
  constructor(
    readonly name: string,
    deadlineMs = 5000,
  ) {
    this.deadlineMs = deadlineMs;
  }

  async list<T extends KubeObject>(ref: ResourceRef, options: { signal?: AbortSignal } = {}): Promise<ListResult<T>> {
    this.lists.push(ref.plural);
    this.inFlight++;
    await new Promise<void>((resolve) => {
      this.gates.push(resolve);
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    this.inFlight--;
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = undefined;
      throw err;
    }
    return { items: [{ metadata: { name: `${this.name}-${ref.plural}`, resourceVersion: '1' } }] as T[], resourceVersion: '1' };
  }

  /** Lets the oldest waiting LIST answer. */
  release(): boolean {
    const gate = this.gates.shift();
    gate?.();
    return gate !== undefined;
  }

  get waiting(): number {
    return this.gates.length;
  }

  async get<T extends KubeObject>(): Promise<T | null> {
    return null;
  }

  async watch<T extends KubeObject>(_ref: unknown, options: { signal?: AbortSignal } = {}): Promise<WatchStream<T>> {
    const signal = options.signal;
    return {
      close() {},
      async *[Symbol.asyncIterator]() {
        await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      },
    } as WatchStream<T>;
  }
}

function fakeFleet(clusters: GatedCluster[]) {
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const listeners = new Set<(change: RegistryChange) => void>();
  const fleet: WatchedFleet & { join(c: GatedCluster): void } = {
    names: () => [...byName.keys()].sort(),
    has: (name) => byName.has(name),
    client: (name) => {
      const c = byName.get(name);
      if (!c) throw unknownCluster(name);
      return c;
    },
    on: (_event, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    join(c: GatedCluster) {
      byName.set(c.name, c);
      for (const l of listeners) l({ added: [c.name], removed: [], updated: [] });
    },
  };
  return fleet;
}

const releaseAll = (clusters: GatedCluster[]) => clusters.reduce((n, c) => n + (c.release() ? 1 : 0), 0);

describe('pre-warm under the sync budget', () => {
  test('every declared kind on every cluster, at most N LISTs in flight; progress and time to fully synced', async () => {
    const clusters = ['a', 'b', 'c'].map((n) => new GatedCluster(n));
    const fleet = fakeFleet(clusters);
    const caches = new WatchCacheRegistry(fleet, { budget: new SyncBudget(2) });
    try {
      caches.prewarm(Resources.nodes);
      caches.prewarm(Resources.ptpConfigs);
      const inFlight = () => clusters.reduce((n, c) => n + c.inFlight, 0);
      await waitUntil('two LISTs in flight', () => inFlight() === 2);
      expect(caches.progress()).toMatchObject({ kinds: ['/v1/nodes', 'ptp.openshift.io/v1/ptpconfigs'], clusters: 3, caches: 6, synced: 0, listing: 2, queued: 4, fullySyncedAfterMs: null });
      let synced = 0;
      while (synced < 6) {
        expect(inFlight()).toBeLessThanOrEqual(2);
        releaseAll(clusters);
        await new Promise((r) => setImmediate(r));
        synced = caches.progress().synced;
      }
      const done = caches.progress();
      expect(done).toMatchObject({ synced: 6, queued: 0, listing: 0, budget: { granted: 6, inFlight: 0 } });
      expect(done.fullySyncedAfterMs).toEqual(expect.any(Number));
      expect(clusters.map((c) => c.lists.length)).toEqual([2, 2, 2]);

      // A cluster that joins is pre-warmed as well.
      const d = new GatedCluster('d');
      fleet.join(d);
      await waitUntil('d listing', () => d.waiting === 2);
      expect(caches.progress()).toMatchObject({ clusters: 4, caches: 8, synced: 6 });
      d.release();
      d.release();
      await waitUntil('d synced', () => caches.progress().synced === 8);
    } finally {
      await caches.stop();
    }
  });

  test('a reader of a queued cache moves it ahead, shares its one LIST, and its wait in the queue is not its deadline', async () => {
    // Deadline 50 ms; the budget holds one LIST at a time and the first slot is taken for longer than that.
    const busy = new GatedCluster('busy');
    const target = new GatedCluster('target', 50);
    const fleet = fakeFleet([busy, target]);
    const caches = new WatchCacheRegistry(fleet, { budget: new SyncBudget(1) });
    try {
      caches.prewarm(Resources.nodes, { namespace: 'x' }); // busy's LIST takes the slot, target's queues
      caches.prewarm(Resources.pods);
      await waitUntil('busy listing', () => busy.waiting === 1);
      const reads = Promise.all([caches.readThrough('target', Resources.pods), caches.readThrough('target', Resources.pods)]);
      await new Promise((r) => setTimeout(r, 150)); // three deadlines in the queue
      expect(target.lists).toEqual([]);
      busy.release(); // the slot frees: target's pods (promoted) go before everything nobody waits for
      await waitUntil('target pods listing', () => target.waiting === 1);
      expect(target.lists).toEqual(['pods']);
      target.release();
      const [first, second] = await reads;
      expect(first?.map((o) => o.metadata.name)).toEqual(['target-pods']);
      expect(second).toEqual(first);
      expect(target.lists.filter((k) => k === 'pods')).toHaveLength(1); // one LIST for both readers and the cache
    } finally {
      while (releaseAll([busy, target])) await new Promise((r) => setImmediate(r));
      await caches.stop();
    }
  });

  test("a cold cache's failed first LIST is every waiting reader's error, with no second LIST", async () => {
    const c = new GatedCluster('c');
    const caches = new WatchCacheRegistry(fakeFleet([c]), { budget: new SyncBudget(4), backoff: { initialMs: 60_000, maxMs: 60_000 } });
    try {
      c.failNext = new ClusterError('FORBIDDEN', 'c', 'cluster c: nodes is forbidden');
      const reads = Promise.allSettled([caches.readThrough('c', Resources.nodes), caches.readThrough('c', Resources.nodes)]);
      await waitUntil('the LIST', () => c.waiting === 1);
      c.release();
      const outcomes = await reads;
      expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as ClusterError).code : 'ok'))).toEqual(['FORBIDDEN', 'FORBIDDEN']);
      expect(c.lists).toEqual(['nodes']);
    } finally {
      await caches.stop();
    }
  });
});
