// The change feed behind ptpClockStateChanged / ptpClockClassChanged: one poll loop per cluster
// whatever the number of subscribers, diffs as O-RAN event types, filters per subscriber.
import { EventEmitter } from 'node:events';
import { parsePrometheusText } from '../../subgraphs/metrics/text-format.js';
import type { RegistryChange } from '../../subgraphs/kube/registry.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { diffSnapshots, mergeSnapshot, PtpFeeds, type ClusterSnapshot } from '../../subgraphs/timing/events.js';
import type { NodePtpModel } from '../../subgraphs/timing/models.js';
import { decodeNodePtp } from '../../subgraphs/timing/ptp-metrics.js';
import { waitUntil } from '../helpers/wait.js';

function nodePtp(node: string, ptp4l: number, clockClass: number, offset = 5): NodePtpModel {
  const page = `
openshift_ptp_clock_state{iface="ens5fx",node="${node}",process="ptp4l"} ${ptp4l}
openshift_ptp_offset_ns{from="master",iface="ens5fx",node="${node}",process="ptp4l"} ${offset}
openshift_ptp_clock_state{iface="CLOCK_REALTIME",node="${node}",process="phc2sys"} 1
openshift_ptp_clock_class{config="ptp4l.0.config",node="${node}",process="ptp4l"} ${clockClass}
`;
  return decodeNodePtp({
    clusterName: 'du-001',
    nodeName: node,
    samples: parsePrometheusText(page).samples,
    read: { source: 'PROMETHEUS', readAt: '2026-01-01T00:00:00Z', endpoint: 'http://prom' },
    eventPublisherEnabled: true,
    profiles: [],
    device: null,
  });
}

describe('diffSnapshots', () => {
  it('emits per-interface, overall and clock-class changes with O-RAN types', () => {
    const before = new Map([['sno', nodePtp('sno', 1, 6)]]);
    const after = new Map([['sno', nodePtp('sno', 2, 135, 80)]]);
    const events = diffSnapshots('du-001', before, after, '2026-01-01T00:00:01Z', 'POD_PROXY');
    expect(events).toEqual([
      {
        kind: 'state',
        event: {
          eventType: 'event.sync.ptp-status.ptp-state-change',
          resourceAddress: '/cluster/node/sno/ens5fx/master',
          clusterName: 'du-001',
          nodeName: 'sno',
          process: 'ptp4l',
          interface: 'ens5fx',
          previousState: 'LOCKED',
          currentState: 'HOLDOVER',
          offsetNs: 80,
          time: '2026-01-01T00:00:01Z',
          source: 'PROMETHEUS',
        },
      },
      {
        kind: 'state',
        event: expect.objectContaining({
          eventType: 'event.sync.sync-status.synchronization-state-change',
          resourceAddress: '/cluster/node/sno/sync/sync-status/sync-state',
          process: null,
          interface: null,
          previousState: 'LOCKED',
          currentState: 'HOLDOVER',
        }),
      },
      {
        kind: 'class',
        event: expect.objectContaining({ eventType: 'event.sync.ptp-status.ptp-clock-class-change', process: 'ptp4l', config: 'ptp4l.0.config', previousClockClass: 6, clockClass: 135 }),
      },
    ]);
  });

  it('a node that disappears goes to UNKNOWN; no change, no event', () => {
    const before = new Map([['sno', nodePtp('sno', 1, 6)]]);
    expect(diffSnapshots('c', before, before, 't', 'POD_PROXY')).toEqual([]);
    const gone = diffSnapshots('c', before, new Map(), 't', 'POD_PROXY').filter((e) => e.kind === 'state');
    expect(gone.map((e) => e.kind === 'state' && [e.event.process, e.event.currentState])).toEqual([
      ['ptp4l', 'UNKNOWN'],
      ['phc2sys', 'UNKNOWN'],
      [null, 'UNKNOWN'],
    ]);
  });
});

describe('mergeSnapshot', () => {
  it('a node whose read failed keeps its last known PTP (no spurious UNKNOWN); a cluster without PTP has no nodes', () => {
    const known = new Map([['sno', nodePtp('sno', 1, 6)], ['w1', nodePtp('w1', 1, 6)]]);
    const read: ClusterSnapshot = new Map<string, NodePtpModel | ClusterError>([
      ['sno', new ClusterError('UPSTREAM_ERROR', 'du-001', 'pod linuxptp-daemon-sno: 503')],
      ['w1', nodePtp('w1', 2, 6)],
      ['w2', new ClusterError('UPSTREAM_ERROR', 'du-001', 'pod linuxptp-daemon-w2: 503')],
    ]);
    const merged = mergeSnapshot(known, read);
    expect([...merged.keys()]).toEqual(['sno', 'w1']);
    expect(merged.get('sno')).toBe(known.get('sno'));
    expect(merged.get('w1')!.syncState).toBe('HOLDOVER');
    expect(diffSnapshots('du-001', known, merged, 't', 'POD_PROXY').every((e) => e.event.nodeName === 'w1')).toBe(true);
    expect(mergeSnapshot(known, null).size).toBe(0);
  });
});

class FakeFleet {
  private readonly events = new EventEmitter();
  constructor(private readonly clusters: string[]) {}
  names() {
    return this.clusters;
  }
  has(name: string) {
    return this.clusters.includes(name);
  }
  on(event: 'change', listener: (change: RegistryChange) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }
}

async function next<T>(it: AsyncIterableIterator<T>, ms = 10_000): Promise<T> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event in time')), ms).unref());
  const r = await Promise.race([it.next(), timeout]);
  return r.value as T;
}

describe('PtpFeeds', () => {
  it('polls each cluster once per interval for any number of subscribers, filters, and stops with the last one', async () => {
    const polls = new Map<string, number>();
    const state = new Map<string, number>([['a', 1], ['b', 1]]);
    const read = async (cluster: string): Promise<ClusterSnapshot> => {
      polls.set(cluster, (polls.get(cluster) ?? 0) + 1);
      return new Map([['sno', nodePtp('sno', state.get(cluster)!, 6)]]);
    };
    const feeds = new PtpFeeds(new FakeFleet(['a', 'b']), read, { pollIntervalMs: 20 });
    const subs = [
      feeds.clockStateChanges({ cluster: 'a' }),
      feeds.clockStateChanges({ cluster: 'a', states: ['FREERUN'] }),
      feeds.clockStateChanges({ cluster: 'a', node: 'other' }),
      feeds.clockStateChanges({}),
    ];
    expect(feeds.activeFeeds()).toEqual(['a', 'b']);
    await Promise.all([feeds.feed('a').baseline(), feeds.feed('b').baseline()]);

    // One poll per interval, not one per subscriber: five polls take at least four intervals.
    const pollsBefore = polls.get('a')!;
    const started = Date.now();
    await waitUntil('five polls of cluster a', () => polls.get('a')! - pollsBefore >= 5);
    const intervals = (Date.now() - started) / 20;
    expect(polls.get('a')! - pollsBefore).toBeLessThanOrEqual(intervals + 1);

    state.set('a', 2);
    const first = await next(subs[0]);
    expect([first.process, first.previousState, first.currentState]).toEqual(['ptp4l', 'LOCKED', 'HOLDOVER']);
    const fleetWide = await next(subs[3]);
    expect(fleetWide.clusterName).toBe('a');

    state.set('a', 0);
    const freerun = await next(subs[1]);
    expect([freerun.previousState, freerun.currentState]).toEqual(['HOLDOVER', 'FREERUN']);

    await Promise.all(subs.map((s) => s.return!()));
    await waitUntil('every feed to stop', () => feeds.activeFeeds().length === 0);
    const stopped = polls.get('a')!;
    // A new subscriber of b is the clock: once b polled four more times, a would have polled too.
    const control = feeds.clockStateChanges({ cluster: 'b' });
    const bBefore = polls.get('b')!;
    await waitUntil('four polls of cluster b', () => polls.get('b')! - bBefore >= 4);
    expect(polls.get('a')).toBe(stopped);
    await control.return!();
    await feeds.stop();
  });

  it('keeps the last known state while a cluster cannot be read, and emits nothing for it', async () => {
    let fail = false;
    let value = 1;
    const read = async (): Promise<ClusterSnapshot> => {
      if (fail) throw new Error('unreachable');
      return new Map([['sno', nodePtp('sno', value, 6)]]);
    };
    const feeds = new PtpFeeds(new FakeFleet(['a']), read, { pollIntervalMs: 10 });
    const sub = feeds.clockStateChanges({ cluster: 'a' });
    await feeds.feed('a').baseline();
    fail = true;
    await waitUntil('a failed poll', () => feeds.feed('a').lastError?.message === 'unreachable');
    fail = false;
    value = 0;
    const e = await next(sub);
    expect([e.previousState, e.currentState]).toEqual(['LOCKED', 'FREERUN']);
    await sub.return!();
    await feeds.stop();
  });
});
