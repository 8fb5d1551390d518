// PTP scenarios with an injected clock: GM loss follows the PtpConfig's holdOverTimeout, both metric
// encodings report it correctly, offset excursions and daemon restarts show in the metrics.
import { listScenarios, startScenario } from '../../simulator/scenarios/index.js';
import { proxyRequest, telemetryFor } from '../../simulator/exporters/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import { parsePrometheusText, value } from './exporters-prom-parse.js';
import { testRuntime, type TestRuntime } from './scenarios-runtime.js';

function ptpMetrics(rt: TestRuntime, cluster: string) {
  const c = rt.cluster(cluster);
  const pod = c.store.list(K.pods, 'openshift-ptp').find((p) => p.metadata.labels?.app === 'linuxptp-daemon')!;
  const r = proxyRequest(c, { resource: 'pods', namespace: 'openshift-ptp', name: pod.metadata.name, port: '9091', path: '/metrics' })!;
  return parsePrometheusText(r.body);
}

function holdOverTimeout(rt: TestRuntime, cluster: string): number {
  const config = rt.cluster(cluster).store.list(K.ptpConfigs, 'openshift-ptp')[0];
  return (config.spec as { profile: { ptpClockThreshold: { holdOverTimeout: number } }[] }).profile[0].ptpClockThreshold.holdOverTimeout;
}

describe('ptp-gm-loss', () => {
  it('is listed with its parameters', () => {
    const gm = listScenarios().find((s) => s.name === 'ptp-gm-loss')!;
    expect(gm.params.join(' ')).toMatch(/recoverAfterSeconds/);
    expect(listScenarios().map((s) => s.name).sort()).toEqual(
      ['cni-sandbox-failure', 'dpdk-drop', 'oda-deploy', 'ovs-flow-storm', 'ovs-load', 'provisioning-delete', 'provisioning-lifecycle', 'ptp-daemon-restart', 'ptp-gm-loss', 'ptp-offset-excursion', 'sriov-policy-reconcile'].sort(),
    );
  });

  it('events mode (T-BC): LOCKED → HOLDOVER (2) at once, FREERUN (0) after holdOverTimeout, LOCKED after recoverAfterSeconds', async () => {
    const rt = testRuntime();
    const site = 'du-003'; // T-BC, events on, holdOverTimeout 5
    const timeout = holdOverTimeout(rt, site);
    expect(timeout).toBe(5);
    let m = ptpMetrics(rt, site);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(1);
    expect(value(m, 'openshift_ptp_clock_class')).toBe(6);

    const handle = startScenario(rt, 'ptp-gm-loss', { cluster: site, recoverAfterSeconds: 40 });
    m = ptpMetrics(rt, site);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ptp4l', iface: 'ens5fx' })).toBe(2);
    expect(value(m, 'openshift_ptp_clock_class')).toBe(135);
    expect(value(m, 'openshift_ptp_interface_role', { iface: 'ens5f0' })).toBe(3); // FAULTY
    expect(value(m, 'openshift_ptp_offset_ns', { process: 'ptp4l' })).toBe(999999);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'phc2sys' })).toBe(1);

    rt.advance(timeout * 1000 - 200);
    expect(value(ptpMetrics(rt, site), 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(2);
    expect(value(ptpMetrics(rt, site), 'openshift_ptp_clock_class')).toBe(165); // drifted out of spec late in holdover
    rt.advance(400);
    m = ptpMetrics(rt, site);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(0);
    expect(value(m, 'openshift_ptp_clock_class')).toBe(248);

    rt.advance(40_000 - timeout * 1000);
    m = ptpMetrics(rt, site);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(1);
    expect(value(m, 'openshift_ptp_clock_class')).toBe(6);
    expect(value(m, 'openshift_ptp_interface_role', { iface: 'ens5f0' })).toBe(1);
    expect(Math.abs(value(m, 'openshift_ptp_offset_ns', { process: 'ptp4l' }))).toBeLessThan(20);
    await expect(handle.done).resolves.toBeUndefined();
  });

  it('events off: ptp4l clock_state reads 0 during HOLDOVER (1 only when LOCKED)', () => {
    const rt = testRuntime();
    const site = 'du-002'; // T-BC, events off
    startScenario(rt, 'ptp-gm-loss', { cluster: site });
    const tel = telemetryFor(rt.cluster(site)).ptp('du-002-sno')!;
    expect(tel.state(rt.now())).toBe('HOLDOVER');
    expect(value(ptpMetrics(rt, site), 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(0);
  });

  it('T-GM: GNSS lost, ts2phc HOLDOVER with class 7 even with events off, default recovery after holdOverTimeout + 30 s', async () => {
    const rt = testRuntime();
    const site = 'du-005'; // T-GM, events off, holdOverTimeout 120
    const timeout = holdOverTimeout(rt, site);
    const handle = startScenario(rt, 'ptp-gm-loss', { cluster: site, timeScale: 10 });
    let m = ptpMetrics(rt, site);
    expect(value(m, 'openshift_ptp_gnss_status')).toBe(0);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ts2phc' })).toBe(2);
    expect(value(m, 'openshift_ptp_clock_class')).toBe(7);
    expect(value(m, 'openshift_ptp_phase_status')).toBe(4);
    rt.advance((timeout * 1000) / 10 + 100);
    m = ptpMetrics(rt, site);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ts2phc' })).toBe(0);
    expect(value(m, 'openshift_ptp_clock_class')).toBe(248);
    expect(value(m, 'openshift_ptp_offset_ns', { process: 'ts2phc' })).toBeGreaterThan(100);
    rt.advance(3000);
    expect(value(ptpMetrics(rt, site), 'openshift_ptp_clock_state', { process: 'ts2phc' })).toBe(1);
    expect(value(ptpMetrics(rt, site), 'openshift_ptp_gnss_status')).toBe(3);
    await handle.done;
  });

  it('takes a whole region and can be cancelled (the clocks recover)', async () => {
    const rt = testRuntime();
    const handle = startScenario(rt, 'ptp-gm-loss', { region: 'west' });
    const states = (region: string) =>
      [...rt.clusters.values()]
        .filter((c) => c.spec.role === 'edge' && c.spec.labels.region === region)
        .map((c) => telemetryFor(c).ptp(`${c.name}-sno`)!.state(rt.now()));
    expect(new Set(states('west'))).toEqual(new Set(['HOLDOVER']));
    expect(new Set(states('east'))).toEqual(new Set(['LOCKED']));
    handle.cancel();
    expect(new Set(states('west'))).toEqual(new Set(['LOCKED']));
    await handle.done;
  });

  it('rejects bad parameters with clear messages before changing anything', () => {
    const rt = testRuntime();
    expect(() => startScenario(rt, 'ptp-gm-loss', {})).toThrow(/ptp-gm-loss: give "cluster", "clusters" or "region"/);
    expect(() => startScenario(rt, 'ptp-gm-loss', { cluster: 'nope' })).toThrow(/unknown cluster "nope"/);
    expect(() => startScenario(rt, 'ptp-gm-loss', { cluster: 'hub-1' })).toThrow(/no PTP nodes/);
    expect(() => startScenario(rt, 'ptp-gm-loss', { cluster: 'du-001', timeScale: 0 })).toThrow(/timeScale/);
    expect(() => startScenario(rt, 'ptp-gm-loss', { cluster: 'du-001', recoverAfterSeconds: 'soon' })).toThrow(/recoverAfterSeconds/);
    expect(() => startScenario(rt, 'no-such-thing', {})).toThrow(/unknown scenario "no-such-thing"/);
    expect(telemetryFor(rt.cluster('du-001')).ptp('du-001-sno')!.state(rt.now())).toBe('LOCKED');
  });
});

describe('ptp-offset-excursion and ptp-daemon-restart', () => {
  it('pushes the offset beyond maxOffsetThreshold for N seconds (events mode: FREERUN meanwhile)', async () => {
    const rt = testRuntime();
    const handle = startScenario(rt, 'ptp-offset-excursion', { cluster: 'du-003', seconds: 10 });
    let m = ptpMetrics(rt, 'du-003');
    expect(value(m, 'openshift_ptp_offset_ns', { process: 'ptp4l' })).toBeGreaterThan(100);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(0);
    rt.advance(10_100);
    m = ptpMetrics(rt, 'du-003');
    expect(Math.abs(value(m, 'openshift_ptp_offset_ns', { process: 'ptp4l' }))).toBeLessThan(100);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(1);
    await handle.done;
  });

  it('events off: the servo stays LOCKED (1) while the offset is out of range', () => {
    const rt = testRuntime();
    startScenario(rt, 'ptp-offset-excursion', { cluster: 'du-002', offsetNs: 450 });
    const m = ptpMetrics(rt, 'du-002');
    expect(value(m, 'openshift_ptp_offset_ns', { process: 'ptp4l' })).toBeGreaterThan(400);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(1);
  });

  it('takes processes DOWN then UP again with restart_count + 1', async () => {
    const rt = testRuntime();
    const before = value(ptpMetrics(rt, 'du-002'), 'openshift_ptp_process_restart_count', { process: 'ptp4l' });
    const handle = startScenario(rt, 'ptp-daemon-restart', { cluster: 'du-002', process: 'ptp4l', downSeconds: 5 });
    let m = ptpMetrics(rt, 'du-002');
    expect(value(m, 'openshift_ptp_process_status', { process: 'ptp4l' })).toBe(0);
    expect(value(m, 'openshift_ptp_process_status', { process: 'phc2sys' })).toBe(1);
    expect(value(m, 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(0);
    rt.advance(5_100);
    m = ptpMetrics(rt, 'du-002');
    expect(value(m, 'openshift_ptp_process_status', { process: 'ptp4l' })).toBe(1);
    expect(value(m, 'openshift_ptp_process_restart_count', { process: 'ptp4l' })).toBe(before + 1);
    expect(value(m, 'openshift_ptp_process_restart_count', { process: 'phc2sys' })).toBe(before);
    await handle.done;
    expect(() => startScenario(rt, 'ptp-daemon-restart', { cluster: 'du-002', process: 'ts2phc' })).toThrow(/"process" must be one of ptp4l, phc2sys/);
  });
});
