// Exporter pages parse as Prometheus text, carry the upstream names/labels/encodings, counters move, and
// the pod/service proxy answers like a real API server would.
import { generateFleet } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET } from '../../simulator/fleet/model.js';
import { memoryCluster } from '../../simulator/fleet/load.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import { proxyRequest, renderClusterMetrics, telemetryFor } from '../../simulator/exporters/index.js';
import { escapeLabelValue, MetricWriter } from '../../simulator/exporters/prom-text.js';
import { ptpInterfaceAlias } from '../../simulator/exporters/ptp-config.js';
import type { SimCluster } from '../../simulator/cluster.js';
import { spawnSync } from 'node:child_process';
import { parsePrometheusText, samples, value } from './exporters-prom-parse.js';

const specs = generateFleet(DEMO_FLEET);
let now = Date.UTC(2025, 5, 2, 9, 0, 0);
const clock = () => now;
const clusters = new Map<string, SimCluster>();
for (const s of specs) {
  const c = memoryCluster(s);
  telemetryFor(c, clock);
  clusters.set(s.name, c);
}
const cluster = (name: string) => clusters.get(name)!;

function podNamed(c: SimCluster, predicate: (labels: Record<string, string>) => boolean) {
  const pod = c.store.list(K.pods).find((p) => predicate(p.metadata.labels ?? {}));
  if (!pod) throw new Error(`no such pod in ${c.name}`);
  return pod;
}

function scrape(c: SimCluster, pod: { metadata: { name: string; namespace?: string } }, port: string, path = '/metrics') {
  const r = proxyRequest(c, { resource: 'pods', namespace: pod.metadata.namespace!, name: pod.metadata.name, port, path });
  if (!r) throw new Error('no answer');
  return r;
}

function ptpPage(name: string) {
  const c = cluster(name);
  const r = scrape(c, podNamed(c, (l) => l.app === 'linuxptp-daemon'), '9091');
  expect(r.status).toBe(200);
  expect(r.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(r.body);
}

describe('Prometheus text writer', () => {
  it('escapes label values and help text and keeps one header per family', () => {
    const w = MetricWriter.create();
    w.gauge('x_total', 'help with \\ and\nnewline', { path: 'a"b\\c\nd' }, 1);
    w.withLabels({ pod: 'p' }).gauge('x_total', 'ignored', { path: 'e' }, 2);
    const text = w.render();
    expect(text).toBe('# HELP x_total help with \\\\ and\\nnewline\n# TYPE x_total gauge\nx_total{path="a\\"b\\\\c\\nd"} 1\nx_total{path="e",pod="p"} 2\n');
    const parsed = parsePrometheusText(text);
    expect(samples(parsed, 'x_total')[0].labels.path).toBe('a"b\\c\nd');
    expect(escapeLabelValue('plain')).toBe('plain');
  });

  it('keeps a clashing exporter label as exported_<name>, as Prometheus does', () => {
    const w = MetricWriter.create().withLabels({ pod: 'exporter-pod' });
    w.gauge('m', 'h', { pod: 'workload' }, 1);
    expect(w.render()).toContain('m{exported_pod="workload",pod="exporter-pod"} 1');
  });
});

describe('linuxptp-daemon metrics', () => {
  it('uses the alias in offset/state series and real port names in interface_role', () => {
    expect(ptpInterfaceAlias('ens5f0')).toBe('ens5fx');
    expect(ptpInterfaceAlias('enP2s2f0np0')).toBe('enP2s2fx');
    const page = ptpPage('du-002'); // T-BC, events off, 4.18
    expect(value(page, 'openshift_ptp_offset_ns', { from: 'master', process: 'ptp4l', iface: 'ens5fx', node: 'du-002-sno' })).toEqual(expect.any(Number));
    expect(Math.abs(value(page, 'openshift_ptp_offset_ns', { process: 'ptp4l' }))).toBeLessThan(20);
    expect(value(page, 'openshift_ptp_offset_ns', { from: 'phc', process: 'phc2sys', iface: 'CLOCK_REALTIME' })).toEqual(expect.any(Number));
    for (const name of ['openshift_ptp_max_offset_ns', 'openshift_ptp_frequency_adjustment_ns', 'openshift_ptp_delay_ns']) {
      expect(samples(page, name).map((s) => Object.keys(s.labels).sort())).toEqual([
        ['from', 'iface', 'node', 'process'],
        ['from', 'iface', 'node', 'process'],
      ]);
    }
    expect(samples(page, 'openshift_ptp_interface_role').map((s) => [s.labels.iface, s.value])).toEqual([
      ['ens5f0', 1],
      ['ens5f1', 2],
      ['ens5f2', 2],
    ]);
    expect(page.get('openshift_ptp_process_restart_count')!.type).toBe('counter');
    expect(page.get('openshift_ptp_clock_state')!.help).toBe('0 = FREERUN, 1 = LOCKED, 2 = HOLDOVER');
  });

  it('serves the threshold gauges only in events mode', () => {
    const eventsOn = ptpPage('du-003'); // index 2: events on
    expect(samples(eventsOn, 'openshift_ptp_threshold').map((s) => [s.labels.threshold, s.value])).toEqual([
      ['HoldOverTimeout', 5],
      ['MaxOffsetThreshold', 100],
      ['MinOffsetThreshold', -100],
    ]);
    expect(samples(eventsOn, 'openshift_ptp_threshold')[0].labels.profile).toBe('boundary');
    expect(ptpPage('du-002').has('openshift_ptp_threshold')).toBe(false);
  });

  it('labels clock_class with config on OCP ≥ 4.18 only', () => {
    expect(samples(ptpPage('du-002'), 'openshift_ptp_clock_class')[0].labels).toEqual({ process: 'ptp4l', node: 'du-002-sno', config: 'ptp4l.0.config' });
    expect(samples(ptpPage('du-010'), 'openshift_ptp_clock_class')[0].labels).toEqual({ process: 'ptp4l', node: 'du-010-sno' }); // 4.16
  });

  it('serves GNSS, ts2phc and DPLL series on T-GM sites and slave-only class on an OC', () => {
    const gm = ptpPage('du-001');
    expect(value(gm, 'openshift_ptp_gnss_status', { from: 'gnss', process: 'gnss', iface: 'ens5fx' })).toBe(3);
    expect(value(gm, 'openshift_ptp_offset_ns', { process: 'ts2phc', from: 'master' })).toEqual(expect.any(Number));
    expect(value(gm, 'openshift_ptp_clock_class')).toBe(6);
    expect(samples(gm, 'openshift_ptp_interface_role').every((s) => s.value === 2)).toBe(true);
    const oc = ptpPage('du-004');
    expect(oc.has('openshift_ptp_gnss_status')).toBe(false);
    expect(value(oc, 'openshift_ptp_clock_class')).toBe(255);
  });

  it('finds the profile from the recommend rules where the PtpConfig has no status.matchList', () => {
    const page = ptpPage('du-006'); // index 5: no matchList
    expect(value(page, 'openshift_ptp_clock_state', { process: 'ptp4l' })).toBe(1);
  });

  it('moves offsets over time (seeded, small)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      now += 1000;
      seen.add(value(ptpPage('du-002'), 'openshift_ptp_offset_ns', { process: 'ptp4l' }));
    }
    expect(seen.size).toBeGreaterThan(3);
    for (const v of seen) expect(Math.abs(v)).toBeLessThan(20);
  });

  it('serves the page on the kube-rbac-proxy port too, and on the ptp-monitor-service', () => {
    const c = cluster('du-002');
    expect(scrape(c, podNamed(c, (l) => l.app === 'linuxptp-daemon'), 'https').status).toBe(200);
    const viaService = proxyRequest(c, { resource: 'services', namespace: 'openshift-ptp', name: 'ptp-monitor-service', port: 'metrics', path: '/metrics' });
    expect(viaService?.status).toBe(200);
    expect(parsePrometheusText(viaService!.body).has('openshift_ptp_clock_state')).toBe(true);
  });
});

describe('OVS, SR-IOV and DPDK exporters', () => {
  it('serves ovs_vswitchd_* / ovs_db_* on ovnkube-node :9105 with counters that move', () => {
    const c = cluster('regional-east');
    const pod = podNamed(c, (l) => l.app === 'ovnkube-node');
    const first = parsePrometheusText(scrape(c, pod, '9105').body);
    now += 30_000;
    const second = parsePrometheusText(scrape(c, pod, 'ovn-metrics').body);
    expect(value(second, 'ovs_vswitchd_dp_flows_lookup_hit', { datapath: 'ovs-system' })).toBeGreaterThan(value(first, 'ovs_vswitchd_dp_flows_lookup_hit', { datapath: 'ovs-system' }));
    expect(value(second, 'ovs_vswitchd_process_cpu_seconds_total')).toBeGreaterThan(value(first, 'ovs_vswitchd_process_cpu_seconds_total'));
    expect(second.get('ovs_vswitchd_process_cpu_seconds_total')!.type).toBe('counter');
    for (const name of ['ovs_vswitchd_bridge_flows_total', 'ovs_vswitchd_interface_up_wait_seconds_total', 'ovs_db_process_resident_memory_bytes', 'ovs_vswitchd_rconn_overflow', 'ovs_build_info']) {
      expect(second.has(name)).toBe(true);
    }
    expect(samples(second, 'ovs_vswitchd_bridge').map((s) => s.labels.bridge)).toEqual(['br-int', 'br-ex']);
  });

  it('serves sriov_vf_* per VF and sriov_kubepoddevice for the vDU VFs on :9110', () => {
    const c = cluster('du-001');
    const page = parsePrometheusText(scrape(c, podNamed(c, (l) => l.app === 'sriov-network-metrics-exporter'), '9110').body);
    expect(samples(page, 'sriov_vf_rx_packets')).toHaveLength(12);
    expect(Object.keys(samples(page, 'sriov_vf_rx_packets')[0].labels).sort()).toEqual(['numa_node', 'pciAddr', 'pf', 'vf']);
    expect(page.get('sriov_vf_tx_bytes')!.type).toBe('counter');
    const devices = samples(page, 'sriov_kubepoddevice');
    expect(devices.map((d) => [d.labels.pciAddr, d.labels.dev_type, d.labels.pod, d.labels.namespace, d.labels.container])).toEqual([
      ['0000:51:01.0', 'openshift.io/du_fh', 'vdu-0', 'du-vdu', 'vdu'],
      ['0000:51:01.1', 'openshift.io/du_fh', 'vdu-0', 'du-vdu', 'vdu'],
      ['0000:51:11.0', 'openshift.io/du_mh', 'vdu-0', 'du-vdu', 'vdu'],
    ]);
    expect(value(page, 'sriov_vf_rx_packets', { pciAddr: '0000:51:01.0' })).toBeGreaterThan(0);
    expect(value(page, 'sriov_vf_rx_packets', { pciAddr: '0000:51:01.5' })).toBe(0);
  });

  it('answers the DPDK telemetry socket commands as JSON, with the VF PCI address as the port name', () => {
    const c = cluster('du-001');
    const vdu = c.store.get(K.pods, 'du-vdu', 'vdu-0')!;
    const ask = (cmd: string) => {
      const r = scrape(c, vdu, '9876', `/telemetry?cmd=${encodeURIComponent(cmd)}`);
      expect(r.contentType).toBe('application/json');
      return JSON.parse(r.body) as Record<string, unknown>;
    };
    expect(ask('/ethdev/list')).toEqual({ '/ethdev/list': [0, 1] });
    const stats = ask('/ethdev/stats,0')['/ethdev/stats'] as Record<string, unknown>;
    expect(Object.keys(stats)).toEqual(['ipackets', 'opackets', 'ibytes', 'obytes', 'imissed', 'ierrors', 'oerrors', 'rx_nombuf', 'q_ipackets', 'q_opackets', 'q_ibytes', 'q_obytes', 'q_errors']);
    expect((stats.q_ipackets as number[]).length).toBe(16);
    const info = ask('/ethdev/info,1')['/ethdev/info'] as Record<string, unknown>;
    const networkStatus = JSON.parse(vdu.metadata.annotations!['k8s.v1.cni.cncf.io/network-status']) as { 'device-info'?: { pci: { 'pci-address': string } } }[];
    expect(info.name).toBe(networkStatus[2]['device-info']!.pci['pci-address']);
    expect(info).toMatchObject({ port_id: 1, nb_rx_queues: 4, dev_started: 1, numa_node: 0 });
    expect(typeof info.dev_flags).toBe('string');
    expect(ask('/ethdev/link_status,0')).toEqual({ '/ethdev/link_status': { status: 'UP', speed: 25000, duplex: 'full-duplex' } });
    const xstats = ask('/ethdev/xstats,0,hide_zero=true')['/ethdev/xstats'] as Record<string, number>;
    expect(xstats.rx_good_packets).toBe(stats.ipackets);
    expect(Object.values(xstats).every((v) => v !== 0)).toBe(true);
    expect(ask('/ethdev/stats,7')).toEqual({ '/ethdev/stats': null });
    expect(ask('/no/such')).toEqual({ '/no/such': null });
    expect(JSON.parse(scrape(c, vdu, 'dpdk-telemetry', '/telemetry/ethdev/list').body)).toEqual({ '/ethdev/list': [0, 1] });
    expect(scrape(c, vdu, '9876', '/telemetry').status).toBe(400);
  });

  it('serves dpdk_ethdev_stats_<field>{port} counters that grow', () => {
    const c = cluster('du-001');
    const vdu = c.store.get(K.pods, 'du-vdu', 'vdu-0')!;
    const a = parsePrometheusText(scrape(c, vdu, '9876').body);
    now += 5000;
    const b = parsePrometheusText(scrape(c, vdu, '9876').body);
    expect(samples(a, 'dpdk_ethdev_stats_ipackets').map((s) => s.labels)).toEqual([{ port: '0' }, { port: '1' }]);
    expect(b.get('dpdk_ethdev_stats_rx_nombuf')!.type).toBe('counter');
    expect(value(b, 'dpdk_ethdev_stats_ipackets', { port: '0' })).toBeGreaterThan(value(a, 'dpdk_ethdev_stats_ipackets', { port: '0' }));
  });
});

describe('proxy semantics', () => {
  const c = cluster('du-001');
  const vdu = c.store.get(K.pods, 'du-vdu', 'vdu-0')!;

  it('is undefined for a pod or service that does not exist', () => {
    expect(proxyRequest(c, { resource: 'pods', namespace: 'du-vdu', name: 'nope', port: '9876', path: '/metrics' })).toBeUndefined();
    expect(proxyRequest(c, { resource: 'services', namespace: 'du-vdu', name: 'nope', path: '/' })).toBeUndefined();
  });

  it('answers 503 ServiceUnavailable for a port nothing listens on, 404 for an unknown path', () => {
    const refused = scrape(c, vdu, '9091');
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    expect(JSON.parse(refused.body).message).toMatch(/dial tcp 10\.128\.0\.\d+:9091: connect: connection refused/);
    expect(proxyRequest(c, { resource: 'pods', namespace: 'du-vdu', name: 'vdu-0', path: '/metrics' })!.status).toBe(503); // port 80
    expect(scrape(c, vdu, '9876', '/nope')).toEqual({ status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' });
  });

  it('answers 503 once the pod stops running', () => {
    c.store.mutate(K.pods, 'du-vdu', 'vdu-0', (p) => ({ ...p, status: { ...(p.status as object), phase: 'Failed' } }));
    expect(scrape(c, vdu, '9876').status).toBe(503);
    c.store.mutate(K.pods, 'du-vdu', 'vdu-0', (p) => ({ ...p, status: { ...(p.status as object), phase: 'Running' } }));
    expect(scrape(c, vdu, '9876').status).toBe(200);
  });
});

describe('renderClusterMetrics', () => {
  it('puts every exporter of a cluster on one valid page with namespace/pod (and node on SR-IOV) labels', () => {
    const page = parsePrometheusText(renderClusterMetrics(cluster('du-001')));
    for (const name of ['openshift_ptp_clock_state', 'ovs_vswitchd_dp_flows_total', 'sriov_vf_rx_bytes', 'dpdk_ethdev_stats_imissed']) {
      const found = samples(page, name);
      expect(found.length).toBeGreaterThan(0);
      for (const s of found) {
        expect(s.labels.namespace).toBeDefined();
        expect(s.labels.pod).toBeDefined();
      }
    }
    expect(samples(page, 'openshift_ptp_clock_state')[0].labels.namespace).toBe('openshift-ptp');
    expect(samples(page, 'sriov_vf_rx_bytes')[0].labels.node).toBe('du-001-sno');
    expect(samples(page, 'sriov_kubepoddevice')[0].labels).toMatchObject({ exported_pod: 'vdu-0', exported_namespace: 'du-vdu', namespace: 'openshift-sriov-network-operator' });
    expect(samples(page, 'dpdk_ethdev_stats_imissed', { pod: 'vdu-0', namespace: 'du-vdu' })).toHaveLength(2);
  });

  it('merges families across the nodes of a multi-node cluster and is empty-but-valid without exporters', () => {
    const page = parsePrometheusText(renderClusterMetrics(cluster('regional-east')));
    expect(new Set(samples(page, 'ovs_vswitchd_dp_flows_total').map((s) => s.labels.pod)).size).toBe(4);
    expect(samples(page, 'dpdk_ethdev_stats_ipackets').length).toBe(4);
    expect(renderClusterMetrics(cluster('regional-west'))).toBe('');
  });
});

// promtool (Debian package `prometheus`, installed by .ci/run) parses with Prometheus' own parser. Its
// lint remarks about upstream names (`pciAddr`, gauges ending in _total) are expected; parse errors are not.
const promtool = spawnSync('promtool', ['--version']).status === 0;
(promtool ? describe : describe.skip)('promtool check metrics', () => {
  it('parses every demo cluster page without errors', () => {
    for (const c of clusters.values()) {
      const run = spawnSync('promtool', ['check', 'metrics'], { input: renderClusterMetrics(c), encoding: 'utf8' });
      const output = `${run.stdout}${run.stderr}`;
      expect(output).not.toMatch(/error while linting|parsing error/);
      expect([0, 3]).toContain(run.status); // 3 = lint remarks only, 1 = the page does not parse
    }
  });
});
