// Metric snapshots (subgraphs/metrics/snapshots.ts): a snapshot answers within its staleness bound and
// is read again past it; concurrent readers share one read; a snapshot with a failed node is reused
// only briefly; a failed read is not kept; `fresh` reads again; `warm` reads ahead; clusters someone reads are refreshed in
// the background, at most `refreshConcurrency` at once, and dropped when nobody reads them any more.
import { describe, expect, test } from '@jest/globals';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { MetricSnapshots, type NodeMetrics } from '../../subgraphs/metrics/snapshots.js';
import { waitUntil } from '../helpers/wait.js';

function scripted() {
  let now = 1_000_000;
  const reads: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  let fail: ClusterError | undefined;
  let failNode = false;
  const read = async (cluster: string): Promise<NodeMetrics<number>> => {
    reads.push(cluster);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await gate;
      if (fail) throw fail;
      const value = reads.length;
      return new Map<string, number | ClusterError>([['n1', value], ...(failNode ? ([['n2', new ClusterError('UPSTREAM_ERROR', cluster, 'scrape failed')]] as const) : [])]);
    } finally {
      inFlight--;
    }
  };
  return {
    read,
    reads,
    get maxInFlight() {
      return maxInFlight;
    },
    now: () => now,
    advance: (ms: number) => (now += ms),
    hold: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    release: () => open(),
    failWith: (err: ClusterError | undefined) => (fail = err),
    failNode: (on: boolean) => (failNode = on),
  };
}

describe('MetricSnapshots', () => {
  test('answers from the snapshot within the bound, reads again past it', async () => {
    const s = scripted();
    const snapshots = new MetricSnapshots(s.read, { maxAgeMs: 10_000, keepFreshForMs: 0, now: s.now });
    expect((await snapshots.get('a')).get('n1')).toBe(1);
    s.advance(9_000);
    expect((await snapshots.get('a')).get('n1')).toBe(1);
    expect(s.reads).toEqual(['a']);
    s.advance(2_000);
    expect((await snapshots.get('a')).get('n1')).toBe(2);
    expect(snapshots.stats()).toMatchObject({ clusters: 1, hits: 1, misses: 2 });
  });

  test('concurrent readers share one read; fresh reads again unless one is under way', async () => {
    const s = scripted();
    const snapshots = new MetricSnapshots(s.read, { maxAgeMs: 10_000, keepFreshForMs: 0, now: s.now });
    s.hold();
    const both = Promise.all([snapshots.get('a'), snapshots.get('a'), snapshots.get('a', { fresh: true })]);
    s.release();
    const [x, y, z] = await both;
    expect(x).toBe(y);
    expect(y).toBe(z);
    expect(s.reads).toEqual(['a']);
    expect((await snapshots.get('a', { fresh: true })).get('n1')).toBe(2);
  });

  test('a failed read is not kept; a snapshot with a failed node is reused only briefly', async () => {
    const s = scripted();
    const snapshots = new MetricSnapshots(s.read, { maxAgeMs: 10_000, keepFreshForMs: 0, now: s.now });
    s.failWith(new ClusterError('CLUSTER_UNREACHABLE', 'a', 'down'));
    await expect(snapshots.get('a')).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    s.failWith(undefined);
    s.failNode(true);
    expect((await snapshots.get('a')).get('n2')).toBeInstanceOf(ClusterError);
    s.advance(1_000);
    await snapshots.get('a');
    expect(s.reads).toHaveLength(2);
    s.advance(1_500); // past the 2 s bound of a snapshot with errors
    s.failNode(false);
    expect((await snapshots.get('a')).has('n2')).toBe(false);
    expect(s.reads).toHaveLength(3);
  });

  test('warm reads a cluster in the background, so the first query finds its snapshot', async () => {
    const s = scripted();
    const snapshots = new MetricSnapshots(s.read, { maxAgeMs: 10_000, keepFreshForMs: 60_000, now: s.now });
    try {
      snapshots.warm('a');
      snapshots.warm('a'); // once
      await waitUntil('the background read', () => snapshots.stats().refreshes === 1);
      expect((await snapshots.get('a')).get('n1')).toBe(1);
      expect(s.reads).toEqual(['a']);
      expect(snapshots.stats()).toMatchObject({ hits: 1, misses: 0 });
    } finally {
      snapshots.stop();
    }
  });

  test('off (maxAgeMs 0): every read goes to the source', async () => {
    const s = scripted();
    const snapshots = new MetricSnapshots(s.read, { maxAgeMs: 0, now: s.now });
    expect(snapshots.enabled).toBe(false);
    await snapshots.get('a');
    await snapshots.get('a');
    expect(s.reads).toEqual(['a', 'a']);
  });

  test('keeps the clusters someone reads fresh in the background, under the refresh budget, and drops the ones nobody reads', async () => {
    const s = scripted();
    const snapshots = new MetricSnapshots(s.read, { maxAgeMs: 1_000, keepFreshForMs: 60_000, refreshConcurrency: 2, now: s.now });
    try {
      for (const c of ['a', 'b', 'c', 'd']) await snapshots.get(c);
      expect(s.reads).toHaveLength(4);
      s.hold();
      s.advance(600); // past half the bound: due for a refresh
      await waitUntil('two refreshes in flight', () => s.reads.length === 6);
      expect(snapshots.stats().refreshing).toBe(4); // two reading, two queued for the budget
      s.release();
      await waitUntil('all four refreshed', () => snapshots.stats().refreshes === 4);
      expect(s.maxInFlight).toBeLessThanOrEqual(2);
      // A query now finds a fresh snapshot: no read of its own.
      s.advance(400);
      const before = s.reads.length;
      await snapshots.get('a');
      expect(s.reads.length).toBe(before);
      expect(snapshots.stats().misses).toBe(4);

      s.advance(61_000); // nobody read b, c, d for longer than the window 
      await waitUntil('snapshots dropped', () => snapshots.stats().clusters === 0);
    } finally {
      snapshots.stop();
    }
  });
});
