// WatchCache against a scripted cluster: an in-stream 410 ERROR answered by a relist diff, resuming
// after a stream ends, deduplication by resourceVersion, backoff that grows and resets, isolation of
// a failing subscriber, and a prompt stop().
import type { ClusterReader, ListResult, WatchOptions, WatchStream } from '../../subgraphs/kube/client.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import type { KubeObject, WatchEvent } from '../../subgraphs/kube/objects.js';
import { Resources } from '../../subgraphs/kube/resources.js';
import { jest } from '@jest/globals';
import { log } from '../../lib/log.js';
import { WatchCache, type WatchChange } from '../../subgraphs/kube/watch-cache.js';

/** A watch stream the test writes into. */
class Channel implements WatchStream {
  private queue: (WatchEvent | Error | null)[] = [];
  private wake?: () => void;
  closed = false;
  push(event: WatchEvent | Error | null): void {
    this.queue.push(event);
    this.wake?.();
  }
  close(): void {
    this.closed = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent> {
    for (;;) {
      if (this.closed) return;
      const next = this.queue.shift();
      if (next === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (next === null) return;
      if (next instanceof Error) throw next;
      yield next;
    }
  }
}

const obj = (name: string, rv: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, managedFields: [{}] },
  ...extra,
});

class ScriptedCluster implements ClusterReader {
  readonly name = 'c';
  objects: KubeObject[] = [];
  listRv = '1';
  listFailures = 0;
  readonly listTimes: number[] = [];
  readonly watchCalls: WatchOptions[] = [];
  streams: Channel[] = [];
  hangWatch = false;

  async list<T extends KubeObject>(): Promise<ListResult<T>> {
    this.listTimes.push(Date.now());
    if (this.listFailures > 0) {
      this.listFailures--;
      throw new ClusterError('CLUSTER_UNREACHABLE', 'c', 'cluster c unreachable: connect ECONNREFUSED');
    }
    return { items: structuredClone(this.objects) as T[], resourceVersion: this.listRv };
  }

  async get<T extends KubeObject>(): Promise<T | null> {
    return null;
  }

  async watch<T extends KubeObject>(_ref: unknown, options: WatchOptions = {}): Promise<WatchStream<T>> {
    this.watchCalls.push(options);
    if (this.hangWatch) {
      await new Promise<void>((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    const stream = new Channel();
    this.streams.push(stream);
    return stream as unknown as WatchStream<T>;
  }

  get stream(): Channel {
    return this.streams[this.streams.length - 1];
  }
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

let cache: WatchCache<KubeObject>;
afterEach(() => cache?.stop());

function start(cluster: ScriptedCluster, backoff = { initialMs: 10, maxMs: 100 }) {
  cache = new WatchCache({ cluster: 'c', ref: Resources.ptpConfigs, client: () => cluster, backoff });
  const changes: WatchChange<KubeObject>[] = [];
  cache.on('change', (_o, _old, change) => changes.push(change));
  cache.start();
  return changes;
}

const summary = (changes: WatchChange<KubeObject>[]) => changes.map((c) => `${c.type} ${c.object.metadata.name}`);

test('an in-stream ERROR 410 relists; the diff deletes what vanished, updates what changed, adds what is new', async () => {
  const cluster = new ScriptedCluster();
  cluster.objects = [obj('keep', '2'), obj('vanish', '3'), obj('change', '4')];
  cluster.listRv = '4';
  const changes = start(cluster);
  await cache.ready;
  await waitFor('watch', () => cluster.streams.length === 1);
  expect(cluster.watchCalls[0]).toMatchObject({ resourceVersion: '4', allowWatchBookmarks: true });
  expect(cache.get('ns', 'keep')?.metadata.managedFields).toBeUndefined();
  changes.length = 0;

  cluster.objects = [obj('keep', '2'), obj('change', '9', { spec: { v: 2 } }), obj('new', '10')];
  cluster.listRv = '10';
  cluster.stream.push({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 4 (8)' } });
  await waitFor('relist diff', () => changes.length === 3);
  expect(summary(changes).sort()).toEqual(['add new', 'delete vanish', 'update change']);
  expect(cache.stats.relistsAfterGone).toBe(1);
  expect(cache.resourceVersion).toBe('10');
  await waitFor('watch from the relist', () => cluster.watchCalls.length === 2);
  expect(cluster.watchCalls[1].resourceVersion).toBe('10');
});

test('a stream that ends resumes from the last resourceVersion (bookmarks included) without relisting', async () => {
  const cluster = new ScriptedCluster();
  const changes = start(cluster);
  await waitFor('watch', () => cluster.streams.length === 1);
  cluster.stream.push({ type: 'ADDED', object: obj('a', '5') });
  cluster.stream.push({ type: 'BOOKMARK', object: { metadata: { name: '', resourceVersion: '7' } } as KubeObject });
  cluster.stream.push(null);
  await waitFor('reconnect', () => cluster.watchCalls.length === 2);
  expect(cluster.watchCalls[1].resourceVersion).toBe('7');
  expect(cluster.listTimes).toHaveLength(1);
  expect(summary(changes)).toEqual(['add a']);
});

test('events already seen (same resourceVersion) are not emitted twice; deletes of unknown objects are ignored', async () => {
  const cluster = new ScriptedCluster();
  cluster.objects = [obj('a', '2')];
  cluster.listRv = '2';
  const changes = start(cluster);
  await waitFor('watch', () => cluster.streams.length === 1);
  changes.length = 0;
  cluster.stream.push({ type: 'ADDED', object: obj('a', '2') });
  cluster.stream.push({ type: 'MODIFIED', object: obj('a', '2') });
  cluster.stream.push({ type: 'DELETED', object: obj('never-seen', '3') });
  cluster.stream.push({ type: 'MODIFIED', object: obj('a', '4') });
  // The update is the last event pushed: once it is seen, every earlier one has been handled.
  await waitFor('update', () => changes.length >= 1);
  expect(summary(changes)).toEqual(['update a']);
});

test('failures back off with growing, jittered delays; a success resets the backoff', async () => {
  const cluster = new ScriptedCluster();
  cluster.listFailures = 4;
  start(cluster, { initialMs: 60, maxMs: 10_000 });
  await cache.ready;
  const gaps = cluster.listTimes.slice(1).map((t, i) => t - cluster.listTimes[i]);
  // half jitter: [30,60), [60,120), [120,240), [240,480)
  expect(gaps).toHaveLength(4);
  expect(gaps[0]).toBeGreaterThanOrEqual(25);
  expect(gaps[3]).toBeGreaterThan(gaps[0] * 3);
  expect(cache.lastError?.code).toBe('CLUSTER_UNREACHABLE');

  // After the successful list the next failure waits the first delay again, not the fifth.
  await waitFor('watch', () => cluster.streams.length === 1);
  cluster.stream.push(new ClusterError('CLUSTER_UNREACHABLE', 'c', 'reset'));
  const failedAt = Date.now();
  await waitFor('reconnect', () => cluster.watchCalls.length === 2);
  expect(Date.now() - failedAt).toBeLessThan(200);
});

test('a subscriber that throws does not stop the cache or the other subscribers', async () => {
  const cluster = new ScriptedCluster();
  start(cluster);
  const seen: string[] = [];
  cache.on('add', () => {
    throw new Error('subscriber bug');
  });
  cache.on('add', (o) => seen.push(o.metadata.name));
  await waitFor('watch', () => cluster.streams.length === 1);
  cluster.stream.push({ type: 'ADDED', object: obj('a', '2') });
  cluster.stream.push({ type: 'ADDED', object: obj('b', '3') });
  await waitFor('both adds', () => seen.length === 2);
  expect(cluster.watchCalls).toHaveLength(1);
});

test('changes() is an async iterator of real changes that ends on return()', async () => {
  const cluster = new ScriptedCluster();
  cluster.objects = [obj('initial', '1')];
  start(cluster);
  const iterator = cache.changes();
  await waitFor('watch', () => cluster.streams.length === 1);
  cluster.stream.push({ type: 'ADDED', object: obj('a', '2') });
  await expect(iterator.next()).resolves.toMatchObject({ done: false, value: { type: 'add', object: { metadata: { name: 'a' } } } });
  await iterator.return!();
  await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
});

test('stop() returns promptly even while a watch is connecting, and ready rejects if never synced', async () => {
  const cluster = new ScriptedCluster();
  cluster.hangWatch = true;
  start(cluster);
  await cache.ready;
  await waitFor('watch connecting', () => cluster.watchCalls.length === 1);
  const started = Date.now();
  await cache.stop();
  expect(Date.now() - started).toBeLessThan(100);
  expect(cache.synced).toBe(false);

  const never = new ScriptedCluster();
  never.listFailures = 1000;
  const unsynced = new WatchCache({ cluster: 'c', ref: Resources.ptpConfigs, client: () => never, backoff: { initialMs: 5, maxMs: 5 } }).start();
  await unsynced.stop();
  await expect(unsynced.ready).rejects.toThrow(/stopped/);
});

/** A listener that holds on its first change until `release()`: slow for a while. */
function gatedListener() {
  const seen: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const listener = async (o: KubeObject) => {
    seen.push(o.metadata.name);
    if (seen.length === 1) await gate;
  };
  return { seen, listener, release: () => release() };
}

function pushAdds(cluster: ScriptedCluster, from: number, to: number): void {
  for (let i = from; i < to; i++) cluster.stream.push({ type: 'ADDED', object: obj(`p${i}`, String(10 + i)) });
}

/** Starts the cache and waits for its watch. */
async function watching(cluster: ScriptedCluster): Promise<void> {
  cache.start();
  await waitFor('watch', () => cluster.streams.length === 1);
}

async function queuedCache(maxQueuedChanges: number): Promise<ScriptedCluster> {
  const cluster = new ScriptedCluster();
  cache = new WatchCache({ cluster: 'c', ref: Resources.ptpConfigs, client: () => cluster, backoff: { initialMs: 10, maxMs: 100 }, maxQueuedChanges });
  return cluster;
}

test('a slow listener cannot stall the watch loop: its changes queue (bounded); past the bound it is detached, told and logged', async () => {
  const cluster = await queuedCache(5);
  const warn = jest.spyOn(log, 'warn').mockImplementation(() => undefined);
  try {
    const fast: string[] = [];
    cache.on('change', (o) => void fast.push(o.metadata.name));
    // A listener whose work never finishes (e.g. a write to a socket that never drains).
    const stuck: string[] = [];
    let overflowed: number | undefined;
    cache.on(
      'add',
      (o) => {
        stuck.push(o.metadata.name);
        return new Promise<void>(() => undefined);
      },
      { onOverflow: (dropped) => (overflowed = dropped) },
    );
    // A listener that is released only after it has fallen too far behind: detached as well.
    const late = gatedListener();
    cache.on('add', late.listener);
    await watching(cluster);
    pushAdds(cluster, 0, 5);
    await waitFor('the five adds in the store', () => cache.size === 5);
    expect(stuck).toEqual(['p0']); // busy with its first change; the other four wait in its queue
    expect(overflowed).toBeUndefined();
    pushAdds(cluster, 5, 8);
    await waitFor('every add in the store and for the fast listener', () => cache.size === 8 && fast.length === 8);
    // The loop went on: the store and the fast listener have everything; the stuck listener was cut loose.
    expect(overflowed).toBe(6);
    expect(cache.stats.listenerOverflows).toBe(2);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ cluster: 'c', kind: 'ptpconfigs', maxQueued: 5, dropped: 6 }), expect.stringMatching(/fell behind and was detached/));
    late.release();
    pushAdds(cluster, 8, 9);
    await waitFor('p8 for the fast listener', () => fast.includes('p8'));
    expect(stuck).toEqual(['p0']); // detached: nothing more
    expect(late.seen).toEqual(['p0']); // released too late: 6 queued > 5, detached like the stuck one
  } finally {
    warn.mockRestore();
  }
});

test('a listener that is slow for a while but within the bound gets every change, in order', async () => {
  const cluster = await queuedCache(100);
  const slow = gatedListener();
  cache.on('add', slow.listener);
  await watching(cluster);
  pushAdds(cluster, 0, 10);
  await waitFor('the store to have all ten', () => cache.size === 10);
  expect(slow.seen).toEqual(['p0']);
  slow.release();
  await waitFor('the listener to catch up', () => slow.seen.length === 10);
  expect(slow.seen).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`));
  expect(cache.stats.listenerOverflows).toBe(0);
});
