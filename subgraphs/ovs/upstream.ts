// Upstream names of the OVS domain, exactly as ovn-kubernetes and the kubelet write them
// (domain-models §4): the metrics ovnkube-node exports with `--export-ovs-metrics` on its OVN metrics
// endpoint, the Prometheus process collectors of ovs-vswitchd and ovsdb-server, and the kubelet cAdvisor
// series of the two OVS systemd units. The exporter sets no node label: Prometheus adds instance, pod,
// namespace, job, service, endpoint; we map pod / instance to the node.

/** Where ovnkube-node runs and serves the OVS metrics (kube-rbac-proxy in front of 127.0.0.1:29105). */
export const OVNKUBE_NODE = Object.freeze({
  namespace: 'openshift-ovn-kubernetes',
  /** Pod label `app` of the DaemonSet (ServiceMonitor `monitor-ovn-node` → job `ovnkube-node`). */
  app: 'ovnkube-node',
  /** Container port name and number of the OVN (and OVS) metrics. */
  metricsPortName: 'ovn-metrics',
  metricsPort: 9105,
  metricsPath: '/metrics',
});

export const OvsMetric = Object.freeze({
  buildInfo: 'ovs_build_info',
  dpTotal: 'ovs_vswitchd_dp_total',
  dp: 'ovs_vswitchd_dp',
  dpIfTotal: 'ovs_vswitchd_dp_if_total',
  dpFlowsTotal: 'ovs_vswitchd_dp_flows_total',
  dpLookupHit: 'ovs_vswitchd_dp_flows_lookup_hit',
  dpLookupMissed: 'ovs_vswitchd_dp_flows_lookup_missed',
  dpLookupLost: 'ovs_vswitchd_dp_flows_lookup_lost',
  dpPacketsTotal: 'ovs_vswitchd_dp_packets_total',
  dpMasksHit: 'ovs_vswitchd_dp_masks_hit',
  dpMasksTotal: 'ovs_vswitchd_dp_masks_total',
  dpMasksHitRatio: 'ovs_vswitchd_dp_masks_hit_ratio',
  bridgeTotal: 'ovs_vswitchd_bridge_total',
  bridge: 'ovs_vswitchd_bridge',
  bridgePortsTotal: 'ovs_vswitchd_bridge_ports_total',
  bridgeFlowsTotal: 'ovs_vswitchd_bridge_flows_total',
  interfacesTotal: 'ovs_vswitchd_interfaces_total',
  interfaceResets: 'ovs_vswitchd_interface_resets_total',
  interfaceRxDropped: 'ovs_vswitchd_interface_rx_dropped_total',
  interfaceTxDropped: 'ovs_vswitchd_interface_tx_dropped_total',
  interfaceRxErrors: 'ovs_vswitchd_interface_rx_errors_total',
  interfaceTxErrors: 'ovs_vswitchd_interface_tx_errors_total',
  interfaceCollisions: 'ovs_vswitchd_interface_collisions_total',
  /** The only true counter among the interface series. */
  interfaceUpWaitSeconds: 'ovs_vswitchd_interface_up_wait_seconds_total',
  handlersTotal: 'ovs_vswitchd_handlers_total',
  revalidatorsTotal: 'ovs_vswitchd_revalidators_total',
  hwOffload: 'ovs_vswitchd_hw_offload',
  tcPolicy: 'ovs_vswitchd_tc_policy',
});

/**
 * Coverage counters (`ovs-appctl coverage/show`), exported as gauges `ovs_vswitchd_<name>` with **no**
 * `_total` suffix although they are cumulative since ovs-vswitchd started: rate()/increase() them.
 */
export const COVERAGE_COUNTERS = Object.freeze([
  'netlink_sent', 'netlink_received', 'netlink_recv_jumbo', 'netlink_overflow',
  'rconn_sent', 'rconn_queued', 'rconn_discarded', 'rconn_overflow',
  'vconn_open', 'vconn_sent', 'vconn_received', 'pstream_open', 'stream_open',
  'txn_success', 'txn_error', 'txn_uncommitted', 'txn_unchanged', 'txn_incomplete', 'txn_aborted', 'txn_try_again',
  'dpif_port_add', 'dpif_port_del', 'dpif_flow_flush', 'dpif_flow_get', 'dpif_flow_put', 'dpif_flow_del', 'dpif_execute',
  'bridge_reconfigure', 'xlate_actions', 'xlate_actions_oversize', 'xlate_actions_too_many_output',
  'packet_in', 'packet_in_drop', 'ofproto_dpif_expired', 'ofproto_flush', 'ofproto_packet_out',
  'ofproto_recv_openflow', 'ofproto_reinit_ports', 'upcall_flow_limit_kill', 'upcall_flow_limit_hit',
] as const);

export type CoverageCounter = (typeof COVERAGE_COUNTERS)[number];

export function coverageMetric(name: CoverageCounter): string {
  return `ovs_vswitchd_${name}`;
}

/** The two OVS daemons: process-collector prefix, systemd unit (cAdvisor `id`). */
export const OVS_DAEMONS = Object.freeze({
  vswitchd: { prefix: 'ovs_vswitchd', unit: '/system.slice/ovs-vswitchd.service' },
  ovsdb: { prefix: 'ovs_db', unit: '/system.slice/ovsdb-server.service' },
});

export type OvsDaemon = keyof typeof OVS_DAEMONS;

/** Process-collector series of a daemon (Prometheus client_golang process collector names). */
export const PROCESS_SERIES = Object.freeze({
  cpuSecondsTotal: '_process_cpu_seconds_total',
  residentMemoryBytes: '_process_resident_memory_bytes',
  virtualMemoryBytes: '_process_virtual_memory_bytes',
  virtualMemoryMaxBytes: '_process_virtual_memory_max_bytes',
  openFds: '_process_open_fds',
  maxFds: '_process_max_fds',
  startTimeSeconds: '_process_start_time_seconds',
});

export function processMetric(daemon: OvsDaemon, series: keyof typeof PROCESS_SERIES): string {
  return `${OVS_DAEMONS[daemon].prefix}${PROCESS_SERIES[series]}`;
}

/** kubelet cAdvisor series (labels `id`, and `node` added by the kubelet ServiceMonitor). */
export const CadvisorMetric = Object.freeze({
  cpuSecondsTotal: 'container_cpu_usage_seconds_total',
  memoryRss: 'container_memory_rss',
  memoryWorkingSet: 'container_memory_working_set_bytes',
});

/** `ovs_vswitchd_tc_policy`: 0 none, 1 skip_sw, 2 skip_hw. */
export const TC_POLICIES = Object.freeze(['NONE', 'SKIP_SW', 'SKIP_HW'] as const);

/** The fields of a core/v1 Pod the OVS domain reads. */
export interface PodObject {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string; hostNetwork?: boolean; containers?: { ports?: { name?: string; containerPort: number }[] }[] };
  status?: { phase?: string; podIP?: string; hostIP?: string };
}

/** The fields of a core/v1 Node the OVS domain reads. */
export interface NodeObject {
  metadata: { name: string };
  status?: { addresses?: { type: string; address: string }[] };
}
