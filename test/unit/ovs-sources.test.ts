// Exporter text and PromQL answers shaped like upstream → Node.ovs: names and labels exactly as
// ovn-kubernetes writes them, no node label on the exporter (pod / instance → node), absent series null
// (never 0), CPU % only from a rate (never from the cumulative seconds of one sample).
import { parsePrometheusText } from '../../subgraphs/metrics/text-format.js';
import { samplesOf } from '../../subgraphs/metrics/promql.js';
import type { MetricRead } from '../../subgraphs/metrics/types.js';
import { groupByNode, indexFromObjects, instanceHost, SeriesNodeIndex } from '../../subgraphs/ovs/node-map.js';
import { decodeTcPolicy, hasOvsSeries, nodeOvsFromSamples, withCpuRates } from '../../subgraphs/ovs/sources.js';
import type { NodeObject, PodObject } from '../../subgraphs/ovs/upstream.js';
import { EVAL_TIME, OVNKUBE_NODE_PAGE, ovnTarget, vectorAnswer } from './ovs-fixtures.js';

const POD_PROXY: MetricRead = { source: 'POD_PROXY', readAt: '2025-06-02T09:00:00.000Z', endpoint: '/api/v1/namespaces/openshift-ovn-kubernetes/pods/ovnkube-node-x7k2p:9105/proxy/metrics' };

function scrape(text = OVNKUBE_NODE_PAGE, read = POD_PROXY) {
  return nodeOvsFromSamples({
    clusterName: 'regional-east',
    nodeName: 'worker-0',
    pod: { namespace: 'openshift-ovn-kubernetes', name: 'ovnkube-node-x7k2p' },
    samples: parsePrometheusText(text).samples,
    read,
  });
}

describe('ovnkube-node page → Node.ovs', () => {
  const ovs = scrape();

  it('reads version, datapaths, bridges, interfaces, threads and offload as upstream labels them', () => {
    expect(ovs.version).toBe('3.3.2');
    expect(ovs.datapathCount).toBe(2);
    expect(ovs.datapaths).toEqual([
      { name: 'ovs-netdev', type: 'netdev', ports: 4, flows: 212, lookupHit: 98231, lookupMissed: 12, lookupLost: 0, packets: null, masksHit: null, masksTotal: null, masksHitRatio: null },
      { name: 'ovs-system', type: 'system', ports: 27, flows: 6123, lookupHit: 4815162342, lookupMissed: 19283000, lookupLost: 418, packets: 4834445342, masksHit: 6.2e9, masksTotal: 19, masksHitRatio: 1.282 },
    ]);
    expect(ovs.bridges).toEqual([
      { name: 'br-int', ports: 25, flows: 12876 },
      { name: 'br-ex', ports: 2, flows: 41 },
      { name: 'br-dpdk', ports: 3, flows: 4 },
    ]);
    expect(ovs.bridgeCount).toBe(3);
    expect(ovs.interfaces).toEqual({ count: 30, resets: 7, rxDropped: 1203, txDropped: 88, rxErrors: 0, txErrors: 0, collisions: 0, upWaitSeconds: 1.37 });
    expect([ovs.handlerThreads, ovs.revalidatorThreads, ovs.hwOffload, ovs.tcPolicy]).toEqual([28, 8, true, 'SKIP_HW']);
  });

  it('keeps coverage counters as cumulative totals and absent ones null, never 0', () => {
    expect(ovs.connections).toEqual({
      streamOpen: 11,
      pstreamOpen: null,
      vconnOpen: 4,
      vconnSent: null,
      vconnReceived: null,
      rconnSent: 118822,
      rconnQueued: null,
      rconnOverflow: 312,
      rconnDiscarded: 17,
    });
    expect(ovs.coverage.map((c) => c.name)).toEqual(['netlink_overflow', 'rconn_sent', 'rconn_discarded', 'rconn_overflow', 'vconn_open', 'stream_open', 'upcall_flow_limit_hit']);
    expect(ovs.coverage.find((c) => c.name === 'upcall_flow_limit_hit')!.total).toBe(0);
  });

  it('reads the process collectors; one scrape gives no CPU %, two reads do', () => {
    expect(ovs.vswitchd).toEqual({
      daemon: 'vswitchd',
      cpuSecondsTotal: 73211.47,
      cpuPercent: null,
      residentMemoryBytes: 607248384,
      virtualMemoryBytes: 4857978880,
      virtualMemoryMaxBytes: 18446744073709552000,
      openFds: 611,
      maxFds: 1048576,
      startTime: '2024-06-01T00:00:10.000Z',
      service: null,
    });
    expect(ovs.ovsdb).toMatchObject({ cpuSecondsTotal: 912.08, residentMemoryBytes: 50331648, openFds: null, service: null });
    expect(ovs.sampledAt).toBe(POD_PROXY.readAt);

    const later = scrape(
      OVNKUBE_NODE_PAGE.replace('ovs_vswitchd_process_cpu_seconds_total 73211.47', 'ovs_vswitchd_process_cpu_seconds_total 73238.47').replace('ovs_db_process_cpu_seconds_total 912.08', 'ovs_db_process_cpu_seconds_total 912.68'),
      { ...POD_PROXY, readAt: '2025-06-02T09:00:30.000Z' },
    );
    const rated = withCpuRates(later, ovs);
    expect(rated.vswitchd.cpuPercent).toBeCloseTo(90, 6); // 27 s of CPU in 30 s
    expect(rated.ovsdb.cpuPercent).toBeCloseTo(2, 6);
    expect(withCpuRates(later, undefined).vswitchd.cpuPercent).toBeNull();
    expect(withCpuRates(ovs, ovs).vswitchd.cpuPercent).toBeNull(); // no interval
  });

  it('gives no rate across a restart (start time changed, or the counter went down)', () => {
    const restarted = scrape(
      OVNKUBE_NODE_PAGE.replace('ovs_vswitchd_process_cpu_seconds_total 73211.47', 'ovs_vswitchd_process_cpu_seconds_total 3.1').replace('ovs_vswitchd_process_start_time_seconds 1.71720001e+09', 'ovs_vswitchd_process_start_time_seconds 1.7173188e+09'),
      { ...POD_PROXY, readAt: '2025-06-02T09:00:30.000Z' },
    );
    expect(withCpuRates(restarted, scrape()).vswitchd.cpuPercent).toBeNull();
    const wentDown = scrape(OVNKUBE_NODE_PAGE.replace('ovs_db_process_cpu_seconds_total 912.08', 'ovs_db_process_cpu_seconds_total 900'), { ...POD_PROXY, readAt: '2025-06-02T09:00:30.000Z' });
    expect(withCpuRates(wentDown, scrape()).ovsdb.cpuPercent).toBeNull();
  });

  it('decodes tc_policy and tells OVS pages from others', () => {
    expect([0, 1, 2, 7, 0.5].map(decodeTcPolicy)).toEqual(['NONE', 'SKIP_SW', 'SKIP_HW', 'UNKNOWN', 'UNKNOWN']);
    expect(decodeTcPolicy(null)).toBeNull();
    expect(hasOvsSeries(parsePrometheusText(OVNKUBE_NODE_PAGE).samples)).toBe(true);
    expect(hasOvsSeries(parsePrometheusText('# TYPE up gauge\nup 1\n').samples)).toBe(false);
    const empty = scrape('');
    expect([empty.version, empty.datapaths, empty.bridges, empty.hwOffload, empty.tcPolicy, empty.vswitchd.residentMemoryBytes]).toEqual([null, [], [], null, null, null]);
  });
});

const PODS: PodObject[] = [
  { metadata: { name: 'ovnkube-node-a', namespace: 'openshift-ovn-kubernetes', labels: { app: 'ovnkube-node' } }, spec: { nodeName: 'worker-0', hostNetwork: true }, status: { podIP: '10.0.0.10', hostIP: '10.0.0.10' } },
  { metadata: { name: 'ovnkube-node-b', namespace: 'openshift-ovn-kubernetes', labels: { app: 'ovnkube-node' } }, spec: { nodeName: 'worker-1', hostNetwork: true }, status: { podIP: '10.0.0.11', hostIP: '10.0.0.11' } },
  { metadata: { name: 'ovnkube-node-c', namespace: 'openshift-ovn-kubernetes', labels: { app: 'ovnkube-node' } }, spec: { nodeName: 'worker-2', hostNetwork: true }, status: { podIP: 'fd00::12', hostIP: 'fd00::12' } },
  { metadata: { name: 'web-0', namespace: 'shop', labels: { app: 'web' } }, spec: { nodeName: 'worker-0' }, status: { podIP: '10.128.0.5' } },
];
const NODES: NodeObject[] = [
  { metadata: { name: 'worker-0' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.10' }, { type: 'Hostname', address: 'worker-0' }] } },
  { metadata: { name: 'worker-1' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.11' }] } },
  { metadata: { name: 'worker-2' }, status: { addresses: [{ type: 'InternalIP', address: 'fd00::12' }] } },
  { metadata: { name: 'worker-3' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.13' }] } },
];

describe('series → node (the exporter has no node label)', () => {
  const index = indexFromObjects(PODS, NODES);

  it('maps by node label, then pod, then instance host (IPv4, IPv6, hostname), else leaves unmapped', () => {
    expect(index.nodeOf({ node: 'worker-3', pod: 'ovnkube-node-a' })).toBe('worker-3');
    expect(index.nodeOf({ namespace: 'openshift-ovn-kubernetes', pod: 'ovnkube-node-b', instance: '10.9.9.9:9105' })).toBe('worker-1');
    // A restarted pod's old series: name unknown, but hostNetwork → instance is the node IP.
    expect(index.nodeOf({ namespace: 'openshift-ovn-kubernetes', pod: 'ovnkube-node-old', instance: '10.0.0.11:9105' })).toBe('worker-1');
    expect(index.nodeOf({ instance: '[fd00::12]:9105' })).toBe('worker-2');
    expect(index.nodeOf({ instance: '10.0.0.13:9105' })).toBe('worker-3'); // a node address without a known pod
    expect(index.nodeOf({ instance: 'worker-0:9105' })).toBe('worker-0');
    expect(index.nodeOf({ pod: 'gone', instance: '192.0.2.1:9105' })).toBeUndefined();
    expect(index.nodeOf({})).toBeUndefined();
    expect(index.podOn('worker-2')).toMatchObject({ name: 'ovnkube-node-c' });
    expect(index.podOn('worker-0')?.name).toBe('ovnkube-node-a'); // not the workload pod
  });

  it('does not trust a pod name alone when two namespaces use it', () => {
    const twice = new SeriesNodeIndex([
      { namespace: 'a', name: 'ovnkube-node-x', nodeName: 'n1' },
      { namespace: 'b', name: 'ovnkube-node-x', nodeName: 'n2' },
    ]);
    expect(twice.nodeOf({ pod: 'ovnkube-node-x' })).toBeUndefined();
    expect(twice.nodeOf({ pod: 'ovnkube-node-x', namespace: 'b' })).toBe('n2');
  });

  it('reads host parts of instance labels', () => {
    expect(['10.0.0.5:9105', '[fd00::5]:9105', 'fd00::5', 'node-1:9105', 'node-1', '[fd00::5]'].map(instanceHost)).toEqual(['10.0.0.5', 'fd00::5', 'fd00::5', 'node-1', 'node-1', 'fd00::5']);
  });
});

describe('PromQL instant answer → Node.ovs per node', () => {
  const t = (pod: string, ip: string, extra: Record<string, string> = {}) => ({ ...ovnTarget(pod, ip), cluster: 'regional-east', ...extra });
  const answer = vectorAnswer([
    { metric: { __name__: 'ovs_build_info', version: '3.4.1', ...t('ovnkube-node-a', '10.0.0.10') }, value: [EVAL_TIME, '1'] },
    { metric: { __name__: 'ovs_vswitchd_dp_flows_total', datapath: 'ovs-system', ...t('ovnkube-node-a', '10.0.0.10') }, value: [EVAL_TIME, '1877'] },
    { metric: { __name__: 'ovs_vswitchd_process_resident_memory_bytes', ...t('ovnkube-node-a', '10.0.0.10') }, value: [EVAL_TIME, '318767104'] },
    { metric: { __name__: 'ovs_vswitchd_process_cpu_seconds_total', ...t('ovnkube-node-a', '10.0.0.10') }, value: [EVAL_TIME, '5123.4'] },
    // A restarted pod's last samples, not stale yet: the current pod's series win.
    { metric: { __name__: 'ovs_vswitchd_dp_flows_total', datapath: 'ovs-system', ...t('ovnkube-node-old', '10.0.0.10') }, value: [EVAL_TIME, '99999'] },
    { metric: { __name__: 'ovs_build_info', version: '3.4.1', ...t('ovnkube-node-b', '10.0.0.11') }, value: [EVAL_TIME, '1'] },
    { metric: { __name__: 'ovs_vswitchd_dp_flows_total', datapath: 'ovs-system', ...t('ovnkube-node-b', '10.0.0.11') }, value: [EVAL_TIME, '1402'] },
    // Tagged rates and scrape times (rate() drops the name; the tag tells them apart).
    { metric: { ovs_metric: 'VSWITCHD_CPU', ...t('ovnkube-node-a', '10.0.0.10') }, value: [EVAL_TIME, '7.25'] },
    { metric: { ovs_metric: 'OVSDB_CPU', ...t('ovnkube-node-a', '10.0.0.10') }, value: [EVAL_TIME, '1.5'] },
    { metric: { ovs_metric: 'EXPORTER_SAMPLED_AT', version: '3.4.1', ...t('ovnkube-node-a', '10.0.0.10') }, value: [EVAL_TIME, '1717318798.25'] },
    // kubelet cAdvisor: labelled by node, no pod.
    { metric: { __name__: 'container_memory_rss', id: '/system.slice/ovs-vswitchd.service', node: 'worker-0', instance: '10.0.0.10:10250', job: 'kubelet', metrics_path: '/metrics/cadvisor', cluster: 'regional-east' }, value: [EVAL_TIME, '320864256'] },
    { metric: { __name__: 'container_memory_working_set_bytes', id: '/system.slice/ovs-vswitchd.service', node: 'worker-0', instance: '10.0.0.10:10250', job: 'kubelet', metrics_path: '/metrics/cadvisor', cluster: 'regional-east' }, value: [EVAL_TIME, '327155712'] },
    { metric: { ovs_metric: 'VSWITCHD_SERVICE_CPU', id: '/system.slice/ovs-vswitchd.service', node: 'worker-0', instance: '10.0.0.10:10250', job: 'kubelet', cluster: 'regional-east' }, value: [EVAL_TIME, '7.4'] },
    { metric: { ovs_metric: 'SERVICE_SAMPLED_AT', id: '/system.slice/ovs-vswitchd.service', node: 'worker-0', instance: '10.0.0.10:10250', job: 'kubelet', cluster: 'regional-east' }, value: [EVAL_TIME, '1717318795'] },
    // A series nobody can place.
    { metric: { __name__: 'ovs_vswitchd_dp_flows_total', datapath: 'ovs-system', ...t('ovnkube-node-z', '192.0.2.9') }, value: [EVAL_TIME, '5'] },
  ]);
  const read: MetricRead = { source: 'PROMETHEUS', readAt: new Date(EVAL_TIME * 1000).toISOString(), endpoint: 'https://thanos.example' };
  const grouped = groupByNode(samplesOf(answer.data), indexFromObjects(PODS, NODES));
  const node = (name: string, pod: string) =>
    nodeOvsFromSamples({ clusterName: 'regional-east', nodeName: name, pod: { namespace: 'openshift-ovn-kubernetes', name: pod }, samples: grouped.byNode.get(name)!, read });

  it('groups by node, reports the unplaceable, and takes CPU % from the tagged rate', () => {
    expect([...grouped.byNode.keys()].sort()).toEqual(['worker-0', 'worker-1']);
    expect(grouped.unmapped.map((s) => s.labels.pod)).toEqual(['ovnkube-node-z']);
    const w0 = node('worker-0', 'ovnkube-node-a');
    expect(w0.datapaths.map((d) => d.flows)).toEqual([1877]);
    expect(w0.vswitchd).toMatchObject({ cpuSecondsTotal: 5123.4, cpuPercent: 7.25, residentMemoryBytes: 318767104 });
    expect(w0.ovsdb.cpuPercent).toBe(1.5);
    expect(w0.vswitchd.service).toEqual({
      unit: '/system.slice/ovs-vswitchd.service',
      cpuSecondsTotal: null,
      cpuPercent: 7.4,
      memoryRssBytes: 320864256,
      memoryWorkingSetBytes: 327155712,
      sampledAt: '2024-06-02T08:59:55.000Z',
    });
    expect(w0.ovsdb.service).toBeNull();
    expect(w0.sampledAt).toBe('2024-06-02T08:59:58.250Z'); // the scrape, not the evaluation
    expect(w0.read).toBe(read);
    const w1 = node('worker-1', 'ovnkube-node-b');
    expect(w1.vswitchd.cpuPercent).toBeNull();
    expect(w1.sampledAt).toBe(read.readAt);
  });
});
