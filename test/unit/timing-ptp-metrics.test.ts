// Decoding of linuxptp-daemon / cloud-event-proxy metric pages (domain-models §1.3) into NodePtp.
import { parsePrometheusText } from '../../subgraphs/metrics/text-format.js';
import type { MetricRead } from '../../subgraphs/metrics/types.js';
import { decodeClockState, decodeNodePtp, decodePortRole, samplesByNode, worstState, type NodePtpInput } from '../../subgraphs/timing/ptp-metrics.js';
import type { PtpProfileSpec } from '../../subgraphs/timing/upstream.js';

const read: MetricRead = { source: 'POD_PROXY', readAt: '2026-01-01T00:00:00.000Z', endpoint: '/api/v1/namespaces/openshift-ptp/pods/linuxptp-daemon-x:9091/proxy/metrics' };

/** Events off, OCP ≤ 4.17 label set: the daemon serves the page; clock_class has no `config` label. */
const DAEMON_PAGE_417 = `
# HELP openshift_ptp_clock_state 0 = FREERUN, 1 = LOCKED, 2 = HOLDOVER
# TYPE openshift_ptp_clock_state gauge
openshift_ptp_clock_state{iface="ens5fx",node="du-002",process="ptp4l"} 1
openshift_ptp_clock_state{iface="CLOCK_REALTIME",node="du-002",process="phc2sys"} 0
# TYPE openshift_ptp_offset_ns gauge
openshift_ptp_offset_ns{from="master",iface="ens5fx",node="du-002",process="ptp4l"} -3
openshift_ptp_offset_ns{from="phc",iface="CLOCK_REALTIME",node="du-002",process="phc2sys"} 12
openshift_ptp_max_offset_ns{from="master",iface="ens5fx",node="du-002",process="ptp4l"} 9
openshift_ptp_frequency_adjustment_ns{from="master",iface="ens5fx",node="du-002",process="ptp4l"} -3964
openshift_ptp_delay_ns{from="master",iface="ens5fx",node="du-002",process="ptp4l"} 89
openshift_ptp_interface_role{iface="ens5f0",node="du-002",process="ptp4l"} 1
openshift_ptp_interface_role{iface="ens5f1",node="du-002",process="ptp4l"} 2
openshift_ptp_interface_role{iface="ens5f2",node="du-002",process="ptp4l"} 5
openshift_ptp_clock_class{node="du-002",process="ptp4l"} 248
openshift_ptp_process_status{config="ptp4l.0.config",node="du-002",process="ptp4l"} 1
openshift_ptp_process_status{config="phc2sys.0.config",node="du-002",process="phc2sys"} 0
# TYPE openshift_ptp_process_restart_count counter
openshift_ptp_process_restart_count{config="ptp4l.0.config",node="du-002",process="ptp4l"} 3
`;

/** Events on, OCP ≥ 4.18 label set: cloud-event-proxy serves the page with `config` on clock_class and thresholds. */
const EVENTS_PAGE_418 = `
openshift_ptp_clock_state{iface="ens5fx",node="du-001",process="ptp4l"} 2
openshift_ptp_clock_state{iface="CLOCK_REALTIME",node="du-001",process="phc2sys"} 1
openshift_ptp_offset_ns{from="master",iface="ens5fx",node="du-001",process="ptp4l"} 57
openshift_ptp_offset_ns{from="phc",iface="CLOCK_REALTIME",node="du-001",process="phc2sys"} -4
openshift_ptp_interface_role{iface="ens5f0",node="du-001",process="ptp4l"} 1
openshift_ptp_clock_class{config="ptp4l.0.config",node="du-001",process="ptp4l"} 135
openshift_ptp_process_status{config="ptp4l.0.config",node="du-001",process="ptp4l"} 1
openshift_ptp_threshold{node="du-001",profile="boundary",threshold="MaxOffsetThreshold"} 50
openshift_ptp_threshold{node="du-001",profile="boundary",threshold="MinOffsetThreshold"} -50
openshift_ptp_threshold{node="du-001",profile="boundary",threshold="HoldOverTimeout"} 30
`;

const boundary: PtpProfileSpec = {
  name: 'boundary',
  ptp4lConf: '[ens5f0]\nmasterOnly 0\n[ens5f1]\nmasterOnly 1\n[global]\nslaveOnly 0\n',
  phc2sysOpts: '-a -r -n 24',
  ptpClockThreshold: { holdOverTimeout: 5, maxOffsetThreshold: 100, minOffsetThreshold: -100 },
};

function input(page: string, over: Partial<NodePtpInput> = {}): NodePtpInput {
  const samples = parsePrometheusText(page).samples;
  const node = samples[0]?.labels.node ?? 'n';
  return { clusterName: 'c', nodeName: node, samples, read, eventPublisherEnabled: false, profiles: [boundary], device: null, ...over };
}

describe('clock-state encodings', () => {
  it('events mode: 0 FREERUN, 1 LOCKED, 2 HOLDOVER for every process', () => {
    expect(['ptp4l', 'phc2sys', 'ts2phc'].map((p) => [0, 1, 2].map((v) => decodeClockState(v, p, 'EVENTS')))).toEqual([
      ['FREERUN', 'LOCKED', 'HOLDOVER'],
      ['FREERUN', 'LOCKED', 'HOLDOVER'],
      ['FREERUN', 'LOCKED', 'HOLDOVER'],
    ]);
  });

  it('events off: ptp4l/phc2sys are 1 LOCKED else 0; the T-GM handler keeps 0/1/2 and 3 unknown', () => {
    expect([0, 1, 2].map((v) => decodeClockState(v, 'ptp4l', 'DAEMON'))).toEqual(['FREERUN', 'LOCKED', 'UNKNOWN']);
    expect([0, 1, 2].map((v) => decodeClockState(v, 'phc2sys', 'DAEMON'))).toEqual(['FREERUN', 'LOCKED', 'UNKNOWN']);
    expect([0, 1, 2, 3].map((v) => decodeClockState(v, 'ts2phc', 'DAEMON'))).toEqual(['FREERUN', 'LOCKED', 'HOLDOVER', 'UNKNOWN']);
    expect([0, 1, 2, 3].map((v) => decodeClockState(v, 'dpll', 'DAEMON'))).toEqual(['FREERUN', 'LOCKED', 'HOLDOVER', 'UNKNOWN']);
  });

  it('unknown values: absent, NaN, fractions and out-of-range are UNKNOWN', () => {
    expect(decodeClockState(undefined, 'ptp4l', 'EVENTS')).toBe('UNKNOWN');
    expect(decodeClockState(NaN, 'ptp4l', 'EVENTS')).toBe('UNKNOWN');
    expect(decodeClockState(1.5, 'ptp4l', 'EVENTS')).toBe('UNKNOWN');
    expect(decodeClockState(7, 'ptp4l', 'EVENTS')).toBe('UNKNOWN');
    expect(decodeClockState(-1, 'ts2phc', 'DAEMON')).toBe('UNKNOWN');
    expect([0, 1, 2, 3, 4, 5, 6, NaN].map(decodePortRole)).toEqual(['PASSIVE', 'SLAVE', 'MASTER', 'FAULTY', 'UNKNOWN', 'LISTENING', 'UNKNOWN', 'UNKNOWN']);
  });

  it('orders states worst first', () => {
    expect(worstState(['LOCKED', 'HOLDOVER', 'UNKNOWN'])).toBe('HOLDOVER');
    expect(worstState(['LOCKED', 'FREERUN', 'HOLDOVER'])).toBe('FREERUN');
    expect(worstState([])).toBe('UNKNOWN');
  });
});

describe('NodePtp from a daemon page (events off, ≤4.17 labels)', () => {
  const ptp = decodeNodePtp(input(DAEMON_PAGE_417));

  it('decodes per process/interface with the daemon encoding', () => {
    expect(ptp.encoding).toBe('DAEMON');
    const ptp4l = ptp.clocks.find((c) => c.process === 'ptp4l')!;
    expect(ptp4l).toMatchObject({
      interface: 'ens5fx',
      ports: ['ens5f0', 'ens5f1', 'ens5f2'],
      from: 'master',
      state: 'LOCKED',
      stateValue: 1,
      offsetNs: -3,
      maxOffsetNs: 9,
      pathDelayNs: 89,
      frequencyAdjustment: -3964,
      faulty: false,
      beyondThreshold: false,
      eventType: 'event.sync.ptp-status.ptp-state-change',
      resourceAddress: '/cluster/node/du-002/ens5fx/master',
    });
    const phc2sys = ptp.clocks.find((c) => c.process === 'phc2sys')!;
    expect(phc2sys).toMatchObject({ interface: 'CLOCK_REALTIME', ports: [], state: 'FREERUN', offsetNs: 12, eventType: 'event.sync.sync-status.os-clock-sync-state-change' });
    expect(ptp.syncState).toBe('FREERUN');
    expect(ptp.offsetNs).toBe(-3);
    expect(ptp.maxAbsOffsetNs).toBe(12);
  });

  it('maps real port names to aliases with their roles', () => {
    expect(ptp.ports).toEqual([
      { process: 'ptp4l', name: 'ens5f0', alias: 'ens5fx', role: 'SLAVE', roleValue: 1 },
      { process: 'ptp4l', name: 'ens5f1', alias: 'ens5fx', role: 'MASTER', roleValue: 2 },
      { process: 'ptp4l', name: 'ens5f2', alias: 'ens5fx', role: 'LISTENING', roleValue: 5 },
    ]);
  });

  it('attaches a clock class without `config` to the process, with status and restart count', () => {
    expect(ptp.processes).toEqual([
      { name: 'ptp4l', config: 'ptp4l.0.config', status: 'UP', restartCount: 3, clockClass: 248 },
      { name: 'phc2sys', config: 'phc2sys.0.config', status: 'DOWN', restartCount: null, clockClass: null },
    ]);
    expect(ptp.clockClass).toBe(248);
  });

  it('takes thresholds from the applied profile when the page has none', () => {
    expect(ptp.thresholds).toEqual({ profile: 'boundary', holdOverTimeoutSeconds: 5, maxOffsetNs: 100, minOffsetNs: -100, source: 'PTP_CONFIG' });
  });
});

describe('NodePtp from a cloud-event-proxy page (events on, ≥4.18 labels)', () => {
  it('decodes 2 as HOLDOVER, reads thresholds and the config-labelled clock class', () => {
    const ptp = decodeNodePtp(input(EVENTS_PAGE_418, { eventPublisherEnabled: true }));
    expect(ptp.encoding).toBe('EVENTS');
    expect(ptp.clocks.map((c) => [c.process, c.state])).toEqual([
      ['ptp4l', 'HOLDOVER'],
      ['phc2sys', 'LOCKED'],
    ]);
    expect(ptp.syncState).toBe('HOLDOVER');
    expect(ptp.thresholds).toEqual({ profile: 'boundary', holdOverTimeoutSeconds: 30, maxOffsetNs: 50, minOffsetNs: -50, source: 'METRICS' });
    expect(ptp.clocks[0].beyondThreshold).toBe(true);
    expect(ptp.beyondThreshold).toBe(true);
    expect(ptp.processes).toEqual([{ name: 'ptp4l', config: 'ptp4l.0.config', status: 'UP', restartCount: null, clockClass: 135 }]);
    expect(ptp.clockClass).toBe(135);
  });

  it('recognises events mode from openshift_ptp_threshold even when the operator config is unknown', () => {
    expect(decodeNodePtp(input(EVENTS_PAGE_418, { eventPublisherEnabled: false })).encoding).toBe('EVENTS');
  });

  it('the same value 2 read in daemon encoding is not HOLDOVER', () => {
    const page = EVENTS_PAGE_418.split('\n').filter((l) => !l.startsWith('openshift_ptp_threshold')).join('\n');
    const ptp = decodeNodePtp(input(page, { eventPublisherEnabled: false }));
    expect(ptp.encoding).toBe('DAEMON');
    expect(ptp.clocks[0].state).toBe('UNKNOWN');
  });
});

describe('fault sentinel and unknown values', () => {
  it('999999 marks the clock FAULTY with a null offset, and beyond threshold', () => {
    const page = `
openshift_ptp_clock_state{iface="ens5fx",node="du-003",process="ptp4l"} 0
openshift_ptp_offset_ns{from="master",iface="ens5fx",node="du-003",process="ptp4l"} 999999
openshift_ptp_max_offset_ns{from="master",iface="ens5fx",node="du-003",process="ptp4l"} 999999
openshift_ptp_offset_ns{from="phc",iface="CLOCK_REALTIME",node="du-003",process="phc2sys"} 999999
openshift_ptp_interface_role{iface="ens5f0",node="du-003",process="ptp4l"} 3
`;
    const ptp = decodeNodePtp(input(page));
    const ptp4l = ptp.clocks.find((c) => c.process === 'ptp4l')!;
    expect(ptp4l).toMatchObject({ faulty: true, offsetNs: null, maxOffsetNs: null, state: 'FREERUN', beyondThreshold: true });
    expect(ptp.clocks.find((c) => c.process === 'phc2sys')).toMatchObject({ faulty: true, offsetNs: null, state: 'UNKNOWN' });
    expect(ptp.ports[0].role).toBe('FAULTY');
    expect(ptp.offsetNs).toBeNull();
    expect(ptp.maxAbsOffsetNs).toBeNull();
    expect(ptp.beyondThreshold).toBe(true);
    // phc2sys has offsets but no clock-state series: it does not make the node UNKNOWN.
    expect(ptp.syncState).toBe('FREERUN');
  });

  it('NaN values and a node without any clock state are UNKNOWN, not errors', () => {
    const page = `
openshift_ptp_clock_state{iface="ens5fx",node="du-004",process="ptp4l"} NaN
openshift_ptp_offset_ns{from="master",iface="ens5fx",node="du-004",process="ptp4l"} NaN
openshift_ptp_process_status{config="ptp4l.0.config",node="du-004",process="ptp4l"} 7
`;
    const ptp = decodeNodePtp(input(page));
    expect(ptp.clocks[0]).toMatchObject({ state: 'UNKNOWN', stateValue: null, offsetNs: null, faulty: false });
    expect(ptp.syncState).toBe('UNKNOWN');
    expect(ptp.processes[0].status).toBe('UNKNOWN');
    const empty = decodeNodePtp(input('', { nodeName: 'du-005', read: null }));
    expect(empty).toMatchObject({ syncState: 'UNKNOWN', clocks: [], offsetNs: null, read: null, encoding: 'DAEMON' });
  });

  it('a grandmaster (ts2phc, gnss, dpll) is grandmaster-capable and uses the ts2phc offset', () => {
    const page = `
openshift_ptp_clock_state{iface="ens5fx",node="du-000",process="ts2phc"} 2
openshift_ptp_offset_ns{from="master",iface="ens5fx",node="du-000",process="ts2phc"} 4
openshift_ptp_delay_ns{from="master",iface="ens5fx",node="du-000",process="ts2phc"} 0
openshift_ptp_clock_state{iface="ens5fx",node="du-000",process="dpll"} 1
openshift_ptp_interface_role{iface="ens5f0",node="du-000",process="ptp4l"} 2
openshift_ptp_clock_class{config="ptp4l.0.config",node="du-000",process="ptp4l"} 6
`;
    const ptp = decodeNodePtp(input(page, { profiles: [] }));
    expect(ptp.grandmasterCapable).toBe(true);
    expect(ptp.offsetNs).toBe(4);
    expect(ptp.clockClass).toBe(6);
    expect(ptp.syncState).toBe('HOLDOVER');
  });
});

describe('samplesByNode', () => {
  it('splits a multi-node answer by the node label and ignores other metrics', () => {
    const samples = parsePrometheusText(DAEMON_PAGE_417 + EVENTS_PAGE_418 + 'ovs_vswitchd_up{node="du-001"} 1\n').samples;
    const byNode = samplesByNode(samples);
    expect([...byNode.keys()].sort()).toEqual(['du-001', 'du-002']);
    expect(byNode.get('du-001')!.every((s) => s.name.startsWith('openshift_ptp_'))).toBe(true);
  });
});
