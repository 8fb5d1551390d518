// The fleet summary's shared parts (subgraphs/common/summary.ts) and capability detection
// (subgraphs/fleet/capabilities.ts), on plain inputs.
import { ChangeClock, FollowedSnapshots, SummaryMemo, countSummary, parseSummarySelector, readSummaryClusters, summarySelector, type SnapshotFeed } from '../../subgraphs/common/summary.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { detectCapabilities } from '../../subgraphs/fleet/capabilities.js';
import type { Pod } from '../../subgraphs/kube/objects.js';

const fleet = (names: string[], labels: Record<string, Record<string, string>> = {}) => ({
  list: (filter?: { labels?: readonly { key: string; value?: string | null }[] }) =>
    names.filter((n) => (filter?.labels ?? []).every((f) => labels[n]?.[f.key] === f.value)).map((name) => ({ name })),
  has: (n: string) => names.includes(n),
});

describe('summary selector', () => {
  it('is canonical: the same filters in any order give one selector, and it parses back', () => {
    const a = summarySelector([{ key: 'role', value: 'edge' }, { key: 'region', op: 'IN', values: ['west', 'east'] }]);
    const b = summarySelector([{ key: 'region', op: 'IN', values: ['east', 'west'] }, { key: 'role', op: 'EQUALS', value: 'edge' }]);
    expect(a).toBe(b);
    expect(parseSummarySelector(a)).toEqual([{ key: 'region', op: 'IN', values: ['east', 'west'] }, { key: 'role', op: 'EQUALS', value: 'edge' }]);
    expect(summarySelector(null)).toBe('[]');
  });

  it('refuses a selector it did not make, and a filter without its value, as BAD_USER_INPUT', () => {
    for (const bad of ['nope', '{}', '[{"key":1}]', '[{"key":"a","op":"LIKE"}]', '[{"key":"a","op":"EQUALS"}]']) {
      expect(() => parseSummarySelector(bad)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
    }
  });
});

describe('ChangeClock', () => {
  it('keeps the time of the last change while the answer stays the same', () => {
    let now = 1000;
    const clock = new ChangeClock(() => now);
    expect(clock.observe('s', { n: 1 })).toBe(new Date(1000).toISOString());
    now = 2000;
    expect(clock.observe('s', { n: 1 })).toBe(new Date(1000).toISOString());
    expect(clock.observe('s', { n: 2 })).toBe(new Date(2000).toISOString());
    expect(clock.observe('other', { n: 2 })).toBe(new Date(2000).toISOString());
  });
});

describe('countSummary', () => {
  it('counts each cluster once per key, leaves out absent domains, names failing clusters with their code', async () => {
    const part = await countSummary({
      fleet: fleet(['a', 'b', 'c', 'd'], { a: { role: 'edge' }, b: { role: 'edge' }, c: { role: 'edge' }, d: { role: 'hub' } }),
      clock: new ChangeClock(() => 0),
      selector: summarySelector([{ key: 'role', value: 'edge' }]),
      keys: ['clusters', 'nodes', 'bad'] as const,
      read: async (cluster) => {
        if (cluster === 'b') throw new ClusterError('CLUSTER_UNREACHABLE', 'b', 'cluster b: connection refused');
        return cluster === 'c' ? null : { nodes: 3, bad: 0 };
      },
      count: (add, v) => {
        add('clusters');
        add('nodes', v.nodes);
        add('bad', v.bad);
      },
    });
    expect(part).toEqual({
      clusters: { count: 1, clusters: [{ name: 'a' }] },
      nodes: { count: 3, clusters: [{ name: 'a' }] },
      bad: { count: 0, clusters: [] },
      unreadable: [{ cluster: { name: 'b' }, code: 'CLUSTER_UNREACHABLE', message: 'cluster b: connection refused' }],
      computedAt: new Date(0).toISOString(),
    });
  });
});

describe('readSummaryClusters with a memo', () => {
  it('reads again only the clusters whose inputs moved, or that had none, or that failed; takes values at hand as they are', async () => {
    const memo = new SummaryMemo<string>();
    const epochs: Record<string, number | undefined> = { a: 1, b: 1, c: undefined, d: 1, e: 1 };
    const reads: string[] = [];
    let failD = true;
    const read = async (cluster: string) => {
      reads.push(cluster);
      if (cluster === 'd' && failD) throw new ClusterError('CLUSTER_TIMEOUT', 'd', 'cluster d: no answer');
      return `${cluster}@${epochs[cluster] ?? '-'}`;
    };
    const options = { memo, inputs: (c: string) => (epochs[c] === undefined ? undefined : [epochs[c]]), now: (c: string) => (c === 'e' ? 'e-now' : undefined) };
    const all = fleet(['a', 'b', 'c', 'd', 'e']);
    const first = await readSummaryClusters(all, '[]', read, options);
    expect(reads.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(first.results).toEqual([{ cluster: 'a', value: 'a@1' }, { cluster: 'b', value: 'b@1' }, { cluster: 'c', value: 'c@-' }, { cluster: 'e', value: 'e-now' }]);
    expect(first.unreadable.map((u) => u.cluster.name)).toEqual(['d']);

    reads.length = 0;
    epochs.b = 2;
    failD = false;
    const second = await readSummaryClusters(all, '[]', read, options);
    expect(reads.sort()).toEqual(['b', 'c', 'd']); // a kept; b moved; c has no inputs; d failed last time
    expect(second.results.map((r) => r.value)).toEqual(['a@1', 'b@2', 'c@-', 'd@1', 'e-now']);
    expect(second.unreadable).toEqual([]);

    reads.length = 0;
    const restricted = Object.assign(fleet(['a', 'b']), { visibility: { unrestricted: false, key: 'team-a' } });
    await readSummaryClusters(restricted, '[]', read, options);
    expect(reads.sort()).toEqual(['a', 'b']); // another caller's view has values of its own
  });
});

describe('FollowedSnapshots', () => {
  class Feed implements SnapshotFeed<number> {
    snapshot: number | undefined;
    polls = 0;
    consecutiveFailures = 0;
    lastError?: Error;
    private waiters: (() => void)[] = [];
    polled() {
      return this.polls > 0 ? Promise.resolve() : new Promise<void>((r) => this.waiters.push(r));
    }
    poll(value: number | Error) {
      this.polls++;
      if (value instanceof Error) {
        this.consecutiveFailures++;
        this.lastError = value;
      } else {
        this.snapshot = value;
        this.consecutiveFailures = 0;
      }
      this.waiters.splice(0).forEach((r) => r());
    }
  }

  it('follows once, waits for a first poll, and reports a failed last poll as the cluster error', async () => {
    const feed = new Feed();
    let follows = 0;
    let stopped = 0;
    const snapshots = new FollowedSnapshots({ feed: () => feed, follow: () => (follows++, () => stopped++) });
    const first = snapshots.read('a');
    feed.poll(7);
    await expect(first).resolves.toBe(7);
    await expect(snapshots.read('a')).resolves.toBe(7);
    expect(follows).toBe(1);
    feed.poll(new ClusterError('CLUSTER_TIMEOUT', 'a', 'cluster a: no answer'));
    await expect(snapshots.read('a')).rejects.toMatchObject({ code: 'CLUSTER_TIMEOUT', cluster: 'a' });
    snapshots.stop();
    expect(stopped).toBe(1);
  });

  it('waits for a first poll no longer than the cluster deadline, then says the reading is pending', async () => {
    const slow = new Feed();
    const snapshots = new FollowedSnapshots({ feed: () => slow, follow: () => () => undefined }, { get: (cluster) => (cluster === 'a' ? { deadlineMs: 20 } : undefined) });
    await expect(snapshots.read('a')).rejects.toMatchObject({ code: 'CLUSTER_TIMEOUT', cluster: 'a', message: expect.stringContaining('first reading is still pending') });
    // Counted as soon as its first poll lands.
    slow.poll(3);
    await expect(snapshots.read('a')).resolves.toBe(3);
  });
});

describe('detectCapabilities', () => {
  const pod = (name: string, extra: Partial<Pod['metadata']> = {}, ports: { name: string; containerPort: number }[] = []): Pod =>
    ({ metadata: { name, namespace: 'ns', ...extra }, spec: { containers: [{ name: 'c', image: 'i', ports }] } }) as unknown as Pod;

  it('names each capability with the signal that found it, in the enum order', () => {
    const caps = detectCapabilities({
      groups: new Set(['o2ims.provisioning.oran.org', 'ptp.openshift.io', 'apps']),
      ovnkubePods: [pod('ovnkube-node-x', { labels: { app: 'ovnkube-node' } })],
      pods: [pod('plain'), pod('vdu', {}, [{ name: 'dpdk-telemetry', containerPort: 9876 }])],
    });
    expect(caps).toEqual([
      { capability: 'PTP_OPERATOR', detectedBy: 'API group ptp.openshift.io served' },
      { capability: 'DPDK_TELEMETRY', detectedBy: 'pod ns/vdu (port dpdk-telemetry)' },
      { capability: 'OVN_KUBERNETES', detectedBy: 'pod ns/ovnkube-node-x (app=ovnkube-node)' },
      { capability: 'O2IMS', detectedBy: 'API group o2ims.provisioning.oran.org served' },
    ]);
    expect(detectCapabilities({ groups: new Set(), ovnkubePods: [], pods: [pod('x', { annotations: { 'fleetgraph.io/dpdk-telemetry': '9876' } })] })).toEqual([
      { capability: 'DPDK_TELEMETRY', detectedBy: 'pod ns/x (annotation fleetgraph.io/dpdk-telemetry)' },
    ]);
  });
});
