// The generic poll feed (kube/poll-feed) that timing's PTP feed and ovs's alert loop are built on: one
// loop per cluster whatever the number of subscribers, baseline then diff, start/stop with subscribers,
// fleet-wide subscriptions that follow the registry, and backoff while a cluster keeps failing.
import { EventEmitter } from 'node:events';
import type { RegistryChange } from '../../subgraphs/kube/registry.js';
import { PollFeeds } from '../../subgraphs/kube/poll-feed.js';
import { waitUntil } from '../helpers/wait.js';

class FakeFleet {
  private readonly events = new EventEmitter();
  constructor(private clusters: string[]) {}
  names() {
    return [...this.clusters];
  }
  has(name: string) {
    return this.clusters.includes(name);
  }
  on(event: 'change', listener: (change: RegistryChange) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }
  change(added: string[], removed: string[]) {
    this.clusters = [...this.clusters.filter((c) => !removed.includes(c)), ...added];
    this.events.emit('change', { added, removed, updated: [] });
  }
}

interface Change {
  cluster: string;
  from: number;
  to: number;
  time: string;
}

/** A counter per cluster; the feed's events are its changes. */
function counterFeeds(fleet: FakeFleet, options: { pollIntervalMs?: number; maxBackoffMs?: number; onStop?: (cluster: string) => void } = {}) {
  const value = new Map<string, number>();
  const reads = new Map<string, number[]>();
  const failing = new Set<string>();
  const feeds = new PollFeeds<number, Change>(fleet, {
    name: 'counter',
    pollIntervalMs: options.pollIntervalMs ?? 10,
    maxBackoffMs: options.maxBackoffMs,
    onStop: options.onStop,
    read: async (cluster) => {
      reads.set(cluster, [...(reads.get(cluster) ?? []), Date.now()]);
      if (failing.has(cluster)) throw new Error(`cluster ${cluster} unreachable`);
      return value.get(cluster) ?? 0;
    },
    diff: (previous, next, time, cluster) => (previous === next ? [] : [{ cluster, from: previous, to: next, time }]),
    now: () => Date.parse('2026-01-01T00:00:00Z'),
  });
  return { feeds, value, reads, failing, readCount: (c: string) => reads.get(c)?.length ?? 0 };
}

/** Collects a subscription's events; `end()` unsubscribes and waits for the loop to finish. */
function collect<E>(it: AsyncIterableIterator<E>): { events: E[]; end(): Promise<void> } {
  const events: E[] = [];
  const done = (async () => {
    for await (const e of it) events.push(e);
  })();
  return {
    events,
    async end() {
      await it.return!();
      await done;
    },
  };
}

describe('PollFeeds', () => {
  it('one loop per cluster for any number of subscribers; the baseline emits nothing, changes do', async () => {
    const fleet = new FakeFleet(['a', 'b']);
    const { feeds, value, readCount } = counterFeeds(fleet);
    value.set('a', 1);
    const subs = [collect(feeds.events('a', (e) => e)), collect(feeds.events('a', (e) => (e.to > 5 ? e : undefined))), collect(feeds.events(null, (e) => e))];
    expect(feeds.activeFeeds()).toEqual(['a', 'b']);
    expect(feeds.feed('a').subscribers).toBe(2 + 1);
    await feeds.feed('a').baseline();
    await waitUntil('a few polls of a', () => readCount('a') >= 5);
    // Three subscribers of a, one of b, started together: one loop each, so as many reads of a as of b.
    expect(Math.abs(readCount('a') - readCount('b'))).toBeLessThanOrEqual(1);
    expect(subs[0].events).toEqual([]);

    value.set('a', 2);
    await waitUntil('the change 1 → 2', () => subs[0].events.length === 1);
    value.set('a', 9);
    await waitUntil('the change 2 → 9 on every matching subscriber', () => subs[0].events.length === 2 && subs[1].events.length === 1 && subs[2].events.length === 2);
    expect(subs[0].events).toEqual([
      { cluster: 'a', from: 1, to: 2, time: '2026-01-01T00:00:00.000Z' },
      { cluster: 'a', from: 2, to: 9, time: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(subs[1].events.map((e) => e.to)).toEqual([9]);
    await Promise.all(subs.map((s) => s.end()));
    await feeds.stop();
  });

  it('starts with the first subscriber, stops with the last; a later subscriber gets a fresh baseline', async () => {
    const fleet = new FakeFleet(['a']);
    const { feeds, value, readCount } = counterFeeds(fleet);
    expect(feeds.activeFeeds()).toEqual([]);
    const first = feeds.events('a', (e) => e);
    const second = feeds.events('a', (e) => e);
    await feeds.feed('a').baseline();
    await first.return!();
    expect(feeds.activeFeeds()).toEqual(['a']);
    await second.return!();
    await waitUntil('the loop to stop', () => feeds.activeFeeds().length === 0 || undefined);
    const stoppedAt = readCount('a');
    value.set('a', 5); // changed while nobody listened: not replayed
    const later = collect(feeds.events('a', (e) => e));
    await feeds.feed('a').baseline();
    expect(readCount('a')).toBeGreaterThan(stoppedAt);
    value.set('a', 6);
    await waitUntil('the change after the new baseline', () => later.events.length === 1);
    expect(later.events[0]).toMatchObject({ from: 5, to: 6 });
    await later.end();
    await feeds.stop();
  });

  it('wake: a pushed "something changed" polls now, not after the interval; idle clusters ignore it', async () => {
    const fleet = new FakeFleet(['a', 'b']);
    const stopped: string[] = [];
    // An hour between polls: any event in this test comes from a wake.
    const { feeds, value, readCount } = counterFeeds(fleet, { pollIntervalMs: 3_600_000, onStop: (c) => stopped.push(c) });
    const sub = collect(feeds.events('a', (e) => e));
    await feeds.feed('a').baseline();
    expect(readCount('a')).toBe(1);
    value.set('a', 4);
    feeds.wake('a');
    await waitUntil('the woken poll to see 0 → 4', () => sub.events.length === 1);
    expect(sub.events[0]).toMatchObject({ from: 0, to: 4 });
    // Several wakes while one poll runs: one more poll after it, not one per wake.
    value.set('a', 5);
    feeds.wake('a');
    feeds.wake('a');
    feeds.wake('a');
    await waitUntil('the change 4 → 5', () => sub.events.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(readCount('a')).toBeLessThanOrEqual(4);
    expect(feeds.feed('a').wakes).toBeGreaterThanOrEqual(2);
    // Nobody listens to b: a wake reads nothing.
    feeds.wake('b');
    feeds.wake('unknown');
    await new Promise((r) => setTimeout(r, 50));
    expect(readCount('b')).toBe(0);
    expect(stopped).toEqual([]);
    await sub.end();
    await waitUntil('the loop of a to stop', () => (stopped.length ? true : undefined));
    expect(stopped).toEqual(['a']);
    await feeds.stop();
  });

  it('fleet-wide subscriptions follow clusters joining and leaving the registry', async () => {
    const fleet = new FakeFleet(['a']);
    const { feeds, value, readCount } = counterFeeds(fleet);
    const all = collect(feeds.events(null, (e) => e));
    await feeds.feed('a').baseline();
    fleet.change(['b'], []);
    expect(feeds.activeFeeds()).toEqual(['a', 'b']);
    await feeds.feed('b').baseline();
    value.set('b', 3);
    await waitUntil('an event from the cluster that joined', () => all.events.some((e) => e.cluster === 'b'));
    fleet.change([], ['a']);
    expect(feeds.activeFeeds()).toEqual(['b']);
    const readsOfA = readCount('a');
    await waitUntil('more polls of b', () => readCount('b') > 10);
    expect(readCount('a')).toBe(readsOfA);
    await all.end();
    await feeds.stop();
  });

  it('a cluster that keeps failing is polled less and less often (capped); one success resets the pace', async () => {
    const fleet = new FakeFleet(['a']);
    const { feeds, value, reads, failing } = counterFeeds(fleet, { pollIntervalMs: 10, maxBackoffMs: 80 });
    const sub = collect(feeds.events('a', (e) => e));
    const feed = feeds.feed('a');
    await feed.baseline();
    failing.add('a');
    await waitUntil('five failures in a row', () => feed.consecutiveFailures >= 5, 20_000);
    expect(feed.lastError?.message).toBe('cluster a unreachable');
    // 10 × 2ⁿ after n failures, never more than the cap.
    expect(feed.nextDelayMs).toBe(80);
    const times = reads.get('a')!;
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // The pauses after the 1st, 2nd and 3rd failure: at least 20, 40, 80 ms (timers never fire early).
    const firstFailure = times.length - feed.consecutiveFailures;
    expect(gaps[firstFailure]).toBeGreaterThanOrEqual(19);
    expect(gaps[firstFailure + 1]).toBeGreaterThanOrEqual(39);
    expect(gaps[firstFailure + 2]).toBeGreaterThanOrEqual(79);
    expect(sub.events).toEqual([]); // nothing emitted for a cluster that cannot be read

    failing.delete('a');
    value.set('a', 1);
    await waitUntil('the change once the cluster answers again', () => sub.events.length === 1, 20_000);
    expect(feed.consecutiveFailures).toBe(0);
    expect(feed.lastError).toBeUndefined();
    expect(feed.nextDelayMs).toBe(10);
    expect(sub.events[0]).toMatchObject({ from: 0, to: 1 });
    await sub.end();
    await feeds.stop();
  });
});
