// OVS load and DPDK drops move the exporters' numbers; and the shared scheduler works with jest fake
// timers (one interval, driven by Date.now), as the simulator runs it for real.
import { jest } from '@jest/globals';
import { startScenario, schedulerFor } from '../../simulator/scenarios/index.js';
import { proxyRequest, telemetryFor } from '../../simulator/exporters/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import { generateFleet } from '../../simulator/fleet/generate.js';
import { memoryCluster } from '../../simulator/fleet/load.js';
import type { SimCluster, SimulatorRuntime } from '../../simulator/cluster.js';
import { parsePrometheusText, value } from './exporters-prom-parse.js';
import { testRuntime, type TestRuntime } from './scenarios-runtime.js';

function telemetry(rt: TestRuntime, cluster: string, pod: { namespace: string; name: string }, cmd: string): Record<string, number> {
  const r = proxyRequest(rt.cluster(cluster), { resource: 'pods', ...pod, port: '9876', path: `/telemetry?cmd=${cmd}` })!;
  return (JSON.parse(r.body) as Record<string, Record<string, number>>)[cmd.split(',')[0]];
}

describe('dpdk-drop', () => {
  it('makes imissed and rx_nombuf of one pod climb for a while, leaving other pods alone', async () => {
    const rt = testRuntime();
    const upf = { namespace: 'upf-core', name: 'upf-1' };
    const other = { namespace: 'upf-core', name: 'upf-0' };
    const a = telemetry(rt, 'regional-east', upf, '/ethdev/stats,0');
    const otherBefore = telemetry(rt, 'regional-east', other, '/ethdev/stats,0');
    const handle = startScenario(rt, 'dpdk-drop', { cluster: 'regional-east', pod: 'upf-core/upf-1', missedPerSecond: 1000, seconds: 10 });
    rt.advance(5_000);
    const b = telemetry(rt, 'regional-east', upf, '/ethdev/stats,0');
    expect(b.imissed - a.imissed).toBeGreaterThanOrEqual(5000);
    expect(b.rx_nombuf - a.rx_nombuf).toBeGreaterThanOrEqual(1200);
    const otherAfter = telemetry(rt, 'regional-east', other, '/ethdev/stats,0');
    expect(otherAfter.imissed - otherBefore.imissed).toBeLessThan(10);
    rt.advance(5_100);
    await handle.done;
    const c = telemetry(rt, 'regional-east', upf, '/ethdev/stats,0');
    rt.advance(10_000);
    const d = telemetry(rt, 'regional-east', upf, '/ethdev/stats,0');
    expect(d.rx_nombuf).toBe(c.rx_nombuf);
    expect(d.imissed - c.imissed).toBeLessThan(20);
    expect(d.ipackets).toBeGreaterThan(c.ipackets);
  });

  it('defaults to the first DPDK pod and refuses pods without an exporter', () => {
    const rt = testRuntime();
    expect(() => startScenario(rt, 'dpdk-drop', { cluster: 'du-001', pod: 'openshift-ptp/nope' })).toThrow(/no pod openshift-ptp\/nope/);
    const amf = rt.cluster('regional-east').store.list(K.pods, '5g-core')[0];
    expect(() => startScenario(rt, 'dpdk-drop', { cluster: 'regional-east', pod: `5g-core/${amf.metadata.name}` })).toThrow(/no DPDK telemetry exporter/);
    expect(() => startScenario(rt, 'dpdk-drop', { cluster: 'regional-west' })).toThrow(/no DPDK pod/);
    expect(startScenario(rt, 'dpdk-drop', { cluster: 'du-001' }).name).toBe('dpdk-drop');
  });
});

describe('ovs-load', () => {
  it('raises datapath flows and vswitchd CPU for the duration, then restores', async () => {
    const rt = testRuntime();
    const c = rt.cluster('regional-east');
    const pod = c.store.list(K.pods, 'openshift-ovn-kubernetes')[0];
    const scrape = () => parsePrometheusText(proxyRequest(c, { resource: 'pods', namespace: pod.metadata.namespace!, name: pod.metadata.name, port: '9105', path: '/metrics' })!.body);
    const cpuRate = (ms: number) => {
      const before = value(scrape(), 'ovs_vswitchd_process_cpu_seconds_total');
      rt.advance(ms);
      return (value(scrape(), 'ovs_vswitchd_process_cpu_seconds_total') - before) / (ms / 1000);
    };
    const flows = value(scrape(), 'ovs_vswitchd_dp_flows_total', { datapath: 'ovs-system' });
    const idle = cpuRate(10_000);
    const handle = startScenario(rt, 'ovs-load', { cluster: 'regional-east', factor: 4, seconds: 30 });
    expect(value(scrape(), 'ovs_vswitchd_dp_flows_total', { datapath: 'ovs-system' })).toBeGreaterThan(3 * flows);
    const loaded = cpuRate(10_000);
    expect(loaded).toBeGreaterThan(3 * idle);
    expect(value(scrape(), 'ovs_vswitchd_dp_flows_lookup_lost', { datapath: 'ovs-system' })).toBeGreaterThan(0);
    rt.advance(20_100);
    await handle.done;
    expect(value(scrape(), 'ovs_vswitchd_dp_flows_total', { datapath: 'ovs-system' })).toBeLessThan(1.5 * flows);
    expect(() => startScenario(rt, 'ovs-load', { cluster: 'regional-west' })).toThrow(/no ovnkube-node/);
    expect(() => startScenario(rt, 'ovs-load', { cluster: 'regional-east', factor: 0.5 })).toThrow(/"factor" must be at least 1/);
  });
});

describe('shared scheduler with fake timers', () => {
  afterEach(() => jest.useRealTimers());

  it('runs every scenario step from one interval driven by the runtime clock', async () => {
    jest.useFakeTimers({ now: Date.UTC(2025, 5, 2, 9), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const clusters = new Map<string, SimCluster>();
    for (const spec of generateFleet({ seed: 4, hubs: 1, regionals: 1, edges: 3 })) clusters.set(spec.name, memoryCluster(spec));
    const runtime: SimulatorRuntime = { clusters, now: () => Date.now(), addCluster: async () => { throw new Error('not used'); }, removeCluster: async () => { throw new Error('not used'); } };
    const gm = startScenario(runtime, 'ptp-gm-loss', { clusters: ['du-002', 'du-003'], recoverAfterSeconds: 20 });
    const sriov = startScenario(runtime, 'sriov-policy-reconcile', { cluster: 'du-001' });
    expect(jest.getTimerCount()).toBe(1);
    const ptp = telemetryFor(clusters.get('du-003')!).ptp('du-003-sno')!;
    expect(ptp.state(Date.now())).toBe('HOLDOVER');
    await jest.advanceTimersByTimeAsync(10_100);
    const state = clusters.get('du-001')!.store.get(K.sriovNodeStates, 'openshift-sriov-network-operator', 'du-001-sno')!;
    expect((state.status as { syncStatus: string }).syncStatus).toBe('Succeeded');
    await sriov.done;
    await jest.advanceTimersByTimeAsync(10_000);
    await gm.done;
    expect(ptp.state(Date.now())).toBe('LOCKED');
    expect(schedulerFor(runtime).pending).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
