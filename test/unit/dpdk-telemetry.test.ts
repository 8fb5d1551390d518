// DPDK v2 telemetry socket replies (reference/domain-models.md §3) → the dpdk schema's values; which
// pods carry an exporter; the pod-proxy path; rates from two samples; bounded concurrency.
import type { Pod } from '../../subgraphs/kube/objects.js';
import { Limiter } from '../../subgraphs/kube/limiter.js';
import { RateTracker, ratesBetween, sumRates } from '../../subgraphs/dpdk/rates.js';
import { telemetryPath } from '../../subgraphs/dpdk/reader.js';
import {
  drops,
  mapLinkStatus,
  mapPortInfo,
  mapPortList,
  mapStats,
  mapXstats,
  parseReply,
  pciAddressOf,
  telemetryEndpoint,
  TelemetryReplyError,
  type StatValues,
} from '../../subgraphs/dpdk/telemetry.js';

// Replies as the socket sends them (DPDK 23.11, lib/ethdev/rte_ethdev_telemetry.c).
const STATS_REPLY = JSON.stringify({
  '/ethdev/stats': {
    ipackets: 46895974837,
    opackets: 45489095592,
    ibytes: 56275169804400,
    obytes: 54586914710400,
    imissed: 20597,
    ierrors: 3,
    oerrors: 1,
    rx_nombuf: 12,
    q_ipackets: [11723993710, 11723993709, 11723993709, 11723993709, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    q_opackets: Array(16).fill(0),
    q_ibytes: Array(16).fill(0),
    q_obytes: Array(16).fill(0),
    q_errors: Array(16).fill(0),
  },
});

const INFO_REPLY = {
  name: '0000:51:01.0',
  state: 1,
  nb_rx_queues: 4,
  nb_tx_queues: 4,
  port_id: 0,
  mtu: 9000,
  rx_mbuf_size_min: 2176,
  mac_addr: 'B6:3A:10:0C:7E:21',
  promiscuous: 1,
  scattered_rx: 0,
  all_multicast: 1,
  dev_started: 1,
  lro: 0,
  dev_configured: 1,
  rxq_state: [1, 1, 1, 1],
  txq_state: [1, 1, 1, 1],
  numa_node: 0,
  dev_flags: '0x43',
  rx_offloads: ['VLAN_STRIP', 'RSS_HASH'],
  tx_offloads: ['MULTI_SEGS'],
  ethdev_rss_hf: '0x38d34',
};

describe('telemetry replies', () => {
  it('takes the value under the command name (parameters dropped)', () => {
    expect(parseReply('/ethdev/list', '{"/ethdev/list":[0,1]}')).toEqual([0, 1]);
    expect(mapStats(parseReply('/ethdev/stats,0', STATS_REPLY))).toEqual({
      ipackets: 46895974837,
      opackets: 45489095592,
      ibytes: 56275169804400,
      obytes: 54586914710400,
      imissed: 20597,
      ierrors: 3,
      oerrors: 1,
      rx_nombuf: 12,
    });
  });

  it('reports a null reply (unknown command or port) and a non-JSON reply as errors with a reason', () => {
    expect(() => parseReply('/ethdev/stats,7', '{"/ethdev/stats":null}')).toThrow(TelemetryReplyError);
    try {
      parseReply('/ethdev/stats,7', '{"/ethdev/stats":null}');
    } catch (err) {
      expect((err as TelemetryReplyError).reason).toBe('TelemetryCommandFailed');
    }
    try {
      parseReply('/ethdev/list', '<html>bad gateway</html>');
    } catch (err) {
      expect((err as TelemetryReplyError).reason).toBe('MalformedTelemetry');
    }
    expect(() => parseReply('/ethdev/list', '{"/other":1,"/x":2}')).toThrow(/no "\/ethdev\/list" key/);
  });

  it('maps port list, link status, info and xstats', () => {
    expect(mapPortList([1, 0, 'x'])).toEqual([0, 1]);
    expect(mapLinkStatus({ status: 'UP', speed: 25000, duplex: 'full-duplex' })).toEqual({ status: 'UP', up: true, speedMbps: 25000, duplex: 'full-duplex' });
    // speed/duplex only when UP
    expect(mapLinkStatus({ status: 'DOWN' })).toEqual({ status: 'DOWN', up: false, speedMbps: null, duplex: null });
    expect(mapPortInfo(INFO_REPLY)).toEqual({
      name: '0000:51:01.0',
      driver: null,
      numaNode: 0,
      rxQueues: 4,
      txQueues: 4,
      mtu: 9000,
      macAddress: 'B6:3A:10:0C:7E:21',
      started: true,
      configured: true,
      promiscuous: true,
      rxOffloads: ['VLAN_STRIP', 'RSS_HASH'],
      txOffloads: ['MULTI_SEGS'],
    });
    expect(mapPortInfo({ ...INFO_REPLY, driver_name: 'net_iavf' }).driver).toBe('net_iavf');
    const xstats = { rx_good_packets: 10, rx_missed_errors: 0, rx_q0_packets: 5, tx_good_packets: 9 };
    expect(mapXstats(xstats).map((x) => x.name)).toEqual(['rx_good_packets', 'rx_missed_errors', 'rx_q0_packets', 'tx_good_packets']);
    expect(mapXstats(xstats, { hideZero: true, prefix: 'rx_' })).toEqual([
      { name: 'rx_good_packets', value: 10 },
      { name: 'rx_q0_packets', value: 5 },
    ]);
  });

  it('tells PCI port names from others', () => {
    expect(pciAddressOf('0000:51:01.0')).toBe('0000:51:01.0');
    expect(pciAddressOf('0000:8A:01.7')).toBe('0000:8a:01.7');
    expect(pciAddressOf('net_tap0')).toBeNull();
    expect(pciAddressOf(null)).toBeNull();
  });
});

describe('DPDK pods', () => {
  const pod = (annotations: Record<string, string>, ports: { name?: string; containerPort: number }[]): Pod => ({
    metadata: { name: 'vdu-0', namespace: 'du-vdu', annotations },
    spec: { containers: [{ name: 'vdu', ports }] },
  });

  it('are found by the annotation (its value the port) or the container port name', () => {
    expect(telemetryEndpoint(pod({ 'fleetgraph.io/dpdk-telemetry': '9876' }, []))).toEqual({ marker: 'ANNOTATION', port: 9876 });
    expect(telemetryEndpoint(pod({ 'fleetgraph.io/dpdk-telemetry': 'telemetry' }, [{ name: 'telemetry', containerPort: 9000 }]))).toEqual({
      marker: 'ANNOTATION',
      port: 9000,
    });
    expect(telemetryEndpoint(pod({}, [{ name: 'dpdk-telemetry', containerPort: 9876 }]))).toEqual({ marker: 'PORT_NAME', port: 9876 });
    expect(telemetryEndpoint(pod({}, [{ name: 'metrics', containerPort: 9100 }]))).toBeNull();
  });

  it('are read through the pod proxy with the command in the path', () => {
    const target = { cluster: 'du-001', namespace: 'du-vdu', pod: 'vdu-0', port: 9876 };
    expect(telemetryPath(target, '/ethdev/stats,0')).toBe('/api/v1/namespaces/du-vdu/pods/vdu-0:9876/proxy/telemetry/ethdev/stats,0');
    expect(telemetryPath(target, '/ethdev/xstats,1,hide_zero=true')).toBe('/api/v1/namespaces/du-vdu/pods/vdu-0:9876/proxy/telemetry/ethdev/xstats,1,hide_zero=true');
    expect(telemetryPath(target)).toBe('/api/v1/namespaces/du-vdu/pods/vdu-0:9876/proxy/telemetry');
  });
});

describe('rates from two samples', () => {
  const stats = (n: number, imissed = 0): StatValues => ({
    ipackets: n,
    opackets: n,
    ibytes: n * 1000,
    obytes: n * 1000,
    imissed,
    ierrors: 0,
    oerrors: 0,
    rx_nombuf: Math.floor(imissed / 4),
  });

  it('are per second over the window between the samples', () => {
    const r = ratesBetween({ at: 0, stats: stats(0) }, { at: 2000, stats: stats(1000, 400) })!;
    expect(r).toMatchObject({ windowSeconds: 2, ipackets: 500, ibytes: 500_000, imissed: 200, rx_nombuf: 50, drops: 250 });
    expect(drops(stats(0, 400))).toBe(500);
    expect(ratesBetween({ at: 0, stats: stats(10) }, { at: 1000, stats: stats(5) })).toBeNull(); // restart
  });

  it('need a kept sample: the first read has none, the second has one', () => {
    const t = new RateTracker({ minIntervalMs: 1000 });
    expect(t.record('p/0', { at: 0, stats: stats(0) })).toBeNull();
    expect(t.record('p/0', { at: 1500, stats: stats(1500) })).toMatchObject({ windowSeconds: 1.5, ipackets: 1000 });
  });

  it('never shrink the window below the minimum interval when reads come faster', () => {
    const t = new RateTracker({ minIntervalMs: 1000 });
    t.record('p/0', { at: 0, stats: stats(0) });
    // Too soon after the only kept read: no rate, and the kept read stays.
    expect(t.record('p/0', { at: 10, stats: stats(10) })).toBeNull();
    expect(t.record('p/0', { at: 1000, stats: stats(1000) })).toMatchObject({ windowSeconds: 1 });
    // 5 ms later: compared with the read before (0 ms), not with the one 5 ms ago.
    expect(t.record('p/0', { at: 1005, stats: stats(1005) })).toMatchObject({ windowSeconds: 1.005 });
  });

  it('give none across a restart or from a read older than the maximum age, then start over', () => {
    const t = new RateTracker({ minIntervalMs: 1000, maxAgeMs: 60_000 });
    t.record('p/0', { at: 0, stats: stats(100) });
    expect(t.record('p/0', { at: 2000, stats: stats(5) })).toBeNull();
    expect(t.record('p/0', { at: 4000, stats: stats(2005) })).toMatchObject({ ipackets: 1000 });
    expect(t.record('p/0', { at: 100_000, stats: stats(9000) })).toBeNull();
    expect(t.record('p/0', { at: 101_000, stats: stats(10_000) })).toMatchObject({ ipackets: 1000 });
  });

  it('keep at most `capacity` ports, forgetting the least recently read', () => {
    const t = new RateTracker({ capacity: 2 });
    t.record('a', { at: 0, stats: stats(0) });
    t.record('b', { at: 0, stats: stats(0) });
    t.record('a', { at: 2000, stats: stats(2000) });
    t.record('c', { at: 0, stats: stats(0) });
    expect(t.size).toBe(2);
    // b (least recently read) was forgotten when c came; a and c are kept.
    expect(t.record('c', { at: 3000, stats: stats(3000) })).not.toBeNull();
    expect(t.record('a', { at: 4000, stats: stats(4000) })).not.toBeNull();
    expect(t.record('b', { at: 5000, stats: stats(5000) })).toBeNull();
  });

  it('sum over ports only when every port has one', () => {
    const r = ratesBetween({ at: 0, stats: stats(0) }, { at: 1000, stats: stats(100, 8) })!;
    expect(sumRates([r, r])).toMatchObject({ ipackets: 200, imissed: 16, drops: 20 });
    expect(sumRates([r, null])).toBeNull();
    expect(sumRates([])).toBeNull();
  });
});

describe('telemetry concurrency', () => {
  it('runs at most `limit` reads at once, in order', async () => {
    const limiter = new Limiter(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) =>
      limiter.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        order.push(i);
        active--;
        return i;
      });
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map(task));
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(limiter.inFlight).toBe(0);
    await expect(limiter.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(limiter.inFlight).toBe(0);
  });
});
