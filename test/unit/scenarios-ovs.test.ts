// ovs-flow-storm: one site's datapath flows and ovs-vswitchd CPU past the seed's critical thresholds
// (20,000 flows, 85 %) and back, on the exporter page and the cAdvisor series alike.
import { startScenario } from '../../simulator/scenarios/index.js';
import { proxyRequest, renderClusterMetrics } from '../../simulator/exporters/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import { parsePrometheusText, value } from './exporters-prom-parse.js';
import { testRuntime, type TestRuntime } from './scenarios-runtime.js';

function ovsPage(rt: TestRuntime, cluster: string, index = 0) {
  const c = rt.cluster(cluster);
  const pod = c.store.list(K.pods, 'openshift-ovn-kubernetes').filter((p) => p.metadata.labels?.app === 'ovnkube-node')[index];
  return parsePrometheusText(proxyRequest(c, { resource: 'pods', namespace: pod.metadata.namespace!, name: pod.metadata.name, port: '9105', path: '/metrics' })!.body);
}

const flows = (page: ReturnType<typeof ovsPage>) => value(page, 'ovs_vswitchd_dp_flows_total', { datapath: 'ovs-system' });

/** vswitchd CPU over the next `ms`, % of one core. */
function cpuPercent(rt: TestRuntime, cluster: string, ms: number, index = 0): number {
  const before = value(ovsPage(rt, cluster, index), 'ovs_vswitchd_process_cpu_seconds_total');
  rt.advance(ms);
  return ((value(ovsPage(rt, cluster, index), 'ovs_vswitchd_process_cpu_seconds_total') - before) / (ms / 1000)) * 100;
}

describe('ovs-flow-storm', () => {
  it('drives flows and vswitchd CPU past critical at the peak and back down after the fall', async () => {
    const rt = testRuntime();
    const idleFlows = flows(ovsPage(rt, 'du-003'));
    const idleCpu = cpuPercent(rt, 'du-003', 10_000);
    expect(idleFlows).toBeLessThan(5_000);
    expect(idleCpu).toBeLessThan(20);
    const otherBefore = flows(ovsPage(rt, 'du-004'));

    const handle = startScenario(rt, 'ovs-flow-storm', { cluster: 'du-003', rampSeconds: 10, holdSeconds: 30 });
    rt.advance(5_000);
    const rising = flows(ovsPage(rt, 'du-003'));
    expect(rising).toBeGreaterThan(idleFlows + 5_000);
    expect(rising).toBeLessThan(20_000);
    rt.advance(6_000); // at the peak
    expect(flows(ovsPage(rt, 'du-003'))).toBeGreaterThan(20_000);
    expect(cpuPercent(rt, 'du-003', 10_000)).toBeGreaterThan(85);
    // The cAdvisor unit series shows it too.
    const site = parsePrometheusText(renderClusterMetrics(rt.cluster('du-003')));
    expect(value(site, 'container_memory_rss', { id: '/system.slice/ovs-vswitchd.service' })).toBeGreaterThan(value(site, 'ovs_vswitchd_process_resident_memory_bytes'));
    // Only that site.
    expect(Math.abs(flows(ovsPage(rt, 'du-004')) - otherBefore)).toBeLessThan(200);

    rt.advance(30_000); // through the fall
    await handle.done;
    expect(flows(ovsPage(rt, 'du-003'))).toBeLessThan(idleFlows + 200);
    expect(cpuPercent(rt, 'du-003', 10_000)).toBeLessThan(idleCpu + 5);
    expect(value(ovsPage(rt, 'du-003'), 'ovs_vswitchd_dp_flows_lookup_lost', { datapath: 'ovs-system' })).toBeGreaterThan(0);
  });

  it('stops at once when cancelled, counters kept', () => {
    const rt = testRuntime();
    const first = rt.cluster('regional-east').store.list(K.pods, 'openshift-ovn-kubernetes').find((p) => p.metadata.labels?.app === 'ovnkube-node')!;
    const node = (first.spec as { nodeName: string }).nodeName;
    const handle = startScenario(rt, 'ovs-flow-storm', { cluster: 'regional-east', node, rampSeconds: 0, holdSeconds: 600 });
    const cpuBefore = value(ovsPage(rt, 'regional-east'), 'ovs_vswitchd_process_cpu_seconds_total');
    rt.advance(1_000);
    expect(flows(ovsPage(rt, 'regional-east'))).toBeGreaterThan(20_000);
    handle.cancel();
    rt.advance(1_000);
    expect(flows(ovsPage(rt, 'regional-east'))).toBeLessThan(5_000);
    expect(value(ovsPage(rt, 'regional-east'), 'ovs_vswitchd_process_cpu_seconds_total')).toBeGreaterThan(cpuBefore);
    expect(flows(ovsPage(rt, 'regional-east', 1))).toBeLessThan(5_000); // other nodes untouched
  });

  it('refuses bad parameters with a clear message', () => {
    const rt = testRuntime();
    expect(() => startScenario(rt, 'ovs-flow-storm', {})).toThrow(/give "cluster"/);
    expect(() => startScenario(rt, 'ovs-flow-storm', { region: 'east' })).toThrow(/one site: give "cluster"/);
    expect(() => startScenario(rt, 'ovs-flow-storm', { cluster: 'regional-west' })).toThrow(/no ovnkube-node in regional-west/);
    expect(() => startScenario(rt, 'ovs-flow-storm', { cluster: 'du-001', node: 'nope' })).toThrow(/on node "nope"/);
    expect(() => startScenario(rt, 'ovs-flow-storm', { cluster: 'du-001', peakFlows: 1.5 })).toThrow(/"peakFlows" must be an integer/);
    expect(() => startScenario(rt, 'ovs-flow-storm', { cluster: 'du-001', rampSeconds: 0, holdSeconds: 0 })).toThrow(/must be greater than 0/);
  });
});
