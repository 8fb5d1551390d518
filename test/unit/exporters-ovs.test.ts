// The OVS exporter as a real Prometheus would scrape it: values that move over time (so range queries
// have something to compute), counters that never go back, per-node differences (so rankings mean
// something), and the kubelet cAdvisor series of the two OVS systemd units on the cluster page.
import { generateFleet } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET } from '../../simulator/fleet/model.js';
import { memoryCluster } from '../../simulator/fleet/load.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import { proxyRequest, renderClusterMetrics, telemetryFor } from '../../simulator/exporters/index.js';
import { Episode } from '../../simulator/exporters/signals.js';
import type { SimCluster } from '../../simulator/cluster.js';
import { parsePrometheusText, samples, value } from './exporters-prom-parse.js';

let now = Date.UTC(2025, 5, 2, 9, 0, 0);
const clusters = new Map<string, SimCluster>();
for (const spec of generateFleet(DEMO_FLEET)) {
  const c = memoryCluster(spec);
  telemetryFor(c, () => now);
  clusters.set(spec.name, c);
}
const east = clusters.get('regional-east')!;
const ovnPods = east.store.list(K.pods, 'openshift-ovn-kubernetes').filter((p) => p.metadata.labels?.app === 'ovnkube-node');
const scrape = (pod = ovnPods[0]) =>
  parsePrometheusText(proxyRequest(east, { resource: 'pods', namespace: pod.metadata.namespace!, name: pod.metadata.name, port: '9105', path: '/metrics' })!.body);

describe('OVS exporter values over time', () => {
  it('keeps every counter monotonic at a 1 s scrape while gauges wander', () => {
    const counters = ['ovs_vswitchd_process_cpu_seconds_total', 'ovs_db_process_cpu_seconds_total', 'ovs_vswitchd_dp_flows_lookup_hit', 'ovs_vswitchd_rconn_sent'];
    let last = scrape();
    const flows = new Set<number>();
    const rss = new Set<number>();
    for (let i = 0; i < 600; i++) {
      now += 1000;
      const page = scrape();
      for (const name of counters) expect(value(page, name)).toBeGreaterThanOrEqual(value(last, name));
      flows.add(value(page, 'ovs_vswitchd_dp_flows_total', { datapath: 'ovs-system' }));
      rss.add(value(page, 'ovs_vswitchd_process_resident_memory_bytes'));
      last = page;
    }
    expect(flows.size).toBeGreaterThan(20);
    expect(rss.size).toBeGreaterThan(20);
  });

  it('gives each node its own CPU and flow level (a ranking has an order)', () => {
    const before = ovnPods.map((p) => value(scrape(p), 'ovs_vswitchd_process_cpu_seconds_total'));
    now += 60_000;
    const percent = ovnPods.map((p, i) => ((value(scrape(p), 'ovs_vswitchd_process_cpu_seconds_total') - before[i]) / 60) * 100);
    expect(new Set(percent.map((p) => p.toFixed(1))).size).toBe(ovnPods.length);
    for (const p of percent) {
      expect(p).toBeGreaterThan(1);
      expect(p).toBeLessThan(15);
    }
    const flows = ovnPods.map((p) => value(scrape(p), 'ovs_vswitchd_dp_flows_total', { datapath: 'ovs-system' }));
    expect(new Set(flows).size).toBeGreaterThanOrEqual(ovnPods.length - 1);
  });
});

describe('cAdvisor series of the OVS systemd units', () => {
  it('are on the cluster page with node and the unit id, next to the exporter series, and track the process', () => {
    const page = parsePrometheusText(renderClusterMetrics(east));
    const cpu = samples(page, 'container_cpu_usage_seconds_total');
    const nodes = east.store.list(K.nodes).map((n) => n.metadata.name).sort();
    expect(cpu.map((s) => s.labels.node).sort()).toEqual([...nodes, ...nodes].sort());
    expect(new Set(cpu.map((s) => s.labels.id))).toEqual(new Set(['/system.slice/ovs-vswitchd.service', '/system.slice/ovsdb-server.service']));
    expect(page.get('container_cpu_usage_seconds_total')!.type).toBe('counter');
    for (const s of cpu) {
      expect(s.labels.cpu).toBe('total');
      expect(s.labels.pod).toBeUndefined(); // a host service, not a pod
    }
    const node = ovnPods[0].spec as { nodeName: string };
    const unitRss = value(page, 'container_memory_rss', { node: node.nodeName, id: '/system.slice/ovs-vswitchd.service' });
    const processRss = value(page, 'ovs_vswitchd_process_resident_memory_bytes', { pod: ovnPods[0].metadata.name });
    expect(unitRss).toBeGreaterThan(processRss);
    expect(unitRss).toBeLessThan(processRss * 1.1);
    expect(value(page, 'container_memory_working_set_bytes', { node: node.nodeName, id: '/system.slice/ovsdb-server.service' })).toBeGreaterThan(0);
  });

  it('are absent on clusters without OVN-Kubernetes', () => {
    expect(renderClusterMetrics(clusters.get('regional-west')!)).not.toContain('container_cpu_usage_seconds_total');
  });
});

describe('Episode (rise-hold-fall)', () => {
  it('has an exact integral of its level, and a cut drops it to 0 without the integral going back', () => {
    const e = new Episode(1000, 10_000, 20_000);
    expect(e.level(1000)).toBe(0);
    expect(e.level(6000)).toBeCloseTo(0.5);
    expect(e.level(20_000)).toBe(1);
    expect(e.level(36_000)).toBeCloseTo(0.5);
    expect(e.level(41_000)).toBe(0);
    let sum = 0;
    for (let t = 1000; t < 41_000; t += 1) sum += e.level(t + 0.5) / 1000;
    expect(e.integral(41_000)).toBeCloseTo(sum, 3);
    expect(e.integral(41_000)).toBeCloseTo(30, 6); // 10/2 + 20 + 10/2
    const at = e.integral(15_000);
    e.cut(15_000);
    expect(e.level(15_001)).toBe(0);
    expect(e.integral(50_000)).toBe(at);
  });
});
