// Upstream-shaped OVS fixtures: an ovnkube-node :9105 page as ovn-kubernetes' metrics/ovs.go writes it
// (HELP texts, gauges for cumulative coverage counters, process collectors), and Prometheus query API
// answers carrying the target labels a ServiceMonitor scrape adds (instance, job, namespace, pod,
// service, endpoint — no node) and the kubelet cAdvisor series (node, id).

/** A DPDK-capable node: two datapaths, three bridges, hw-offload on with tc-policy skip_hw. */
export const OVNKUBE_NODE_PAGE = `# HELP ovs_build_info A metric with a constant '1' value labeled by ovs version.
# TYPE ovs_build_info gauge
ovs_build_info{version="3.3.2"} 1
# HELP ovs_vswitchd_dp_total Represents total number of datapaths on the system.
# TYPE ovs_vswitchd_dp_total gauge
ovs_vswitchd_dp_total 2
# HELP ovs_vswitchd_dp A metric with a constant '1' value labeled by datapath name present on the instance.
# TYPE ovs_vswitchd_dp gauge
ovs_vswitchd_dp{datapath="ovs-netdev",type="netdev"} 1
ovs_vswitchd_dp{datapath="ovs-system",type="system"} 1
# HELP ovs_vswitchd_dp_if_total Represents the number of ports connected to the datapath.
# TYPE ovs_vswitchd_dp_if_total gauge
ovs_vswitchd_dp_if_total{datapath="ovs-netdev"} 4
ovs_vswitchd_dp_if_total{datapath="ovs-system"} 27
# HELP ovs_vswitchd_dp_flows_total Represents the number of flows in datapath.
# TYPE ovs_vswitchd_dp_flows_total gauge
ovs_vswitchd_dp_flows_total{datapath="ovs-netdev"} 212
ovs_vswitchd_dp_flows_total{datapath="ovs-system"} 6123
# HELP ovs_vswitchd_dp_flows_lookup_hit Represents number of packets matching the existing flows while processing incoming packets in the datapath.
# TYPE ovs_vswitchd_dp_flows_lookup_hit gauge
ovs_vswitchd_dp_flows_lookup_hit{datapath="ovs-netdev"} 98231
ovs_vswitchd_dp_flows_lookup_hit{datapath="ovs-system"} 4.815162342e+09
# HELP ovs_vswitchd_dp_flows_lookup_missed Represents the number of packets not matching any existing flow and require user space processing.
# TYPE ovs_vswitchd_dp_flows_lookup_missed gauge
ovs_vswitchd_dp_flows_lookup_missed{datapath="ovs-netdev"} 12
ovs_vswitchd_dp_flows_lookup_missed{datapath="ovs-system"} 1.9283e+07
# HELP ovs_vswitchd_dp_flows_lookup_lost number of packets destined for user space process but subsequently dropped before reaching userspace.
# TYPE ovs_vswitchd_dp_flows_lookup_lost gauge
ovs_vswitchd_dp_flows_lookup_lost{datapath="ovs-netdev"} 0
ovs_vswitchd_dp_flows_lookup_lost{datapath="ovs-system"} 418
# HELP ovs_vswitchd_dp_packets_total Represents the total number of packets datapath processed which is the sum of hit and missed.
# TYPE ovs_vswitchd_dp_packets_total gauge
ovs_vswitchd_dp_packets_total{datapath="ovs-system"} 4.834445342e+09
# HELP ovs_vswitchd_dp_masks_hit Represents the total number of masks visited for matching incoming packets.
# TYPE ovs_vswitchd_dp_masks_hit gauge
ovs_vswitchd_dp_masks_hit{datapath="ovs-system"} 6.2e+09
# HELP ovs_vswitchd_dp_masks_total Represents the number of masks in a datapath.
# TYPE ovs_vswitchd_dp_masks_total gauge
ovs_vswitchd_dp_masks_total{datapath="ovs-system"} 19
# HELP ovs_vswitchd_dp_masks_hit_ratio Represents the average number of masks visited per packet.
# TYPE ovs_vswitchd_dp_masks_hit_ratio gauge
ovs_vswitchd_dp_masks_hit_ratio{datapath="ovs-system"} 1.282
# HELP ovs_vswitchd_bridge_total Represents total number of OVS bridges on the system.
# TYPE ovs_vswitchd_bridge_total gauge
ovs_vswitchd_bridge_total 3
# HELP ovs_vswitchd_bridge A metric with a constant '1' value labeled by bridge name present on the instance.
# TYPE ovs_vswitchd_bridge gauge
ovs_vswitchd_bridge{bridge="br-ex"} 1
ovs_vswitchd_bridge{bridge="br-int"} 1
ovs_vswitchd_bridge{bridge="br-dpdk"} 1
# HELP ovs_vswitchd_bridge_ports_total Represents the number of OVS ports on the bridge.
# TYPE ovs_vswitchd_bridge_ports_total gauge
ovs_vswitchd_bridge_ports_total{bridge="br-dpdk"} 3
ovs_vswitchd_bridge_ports_total{bridge="br-ex"} 2
ovs_vswitchd_bridge_ports_total{bridge="br-int"} 25
# HELP ovs_vswitchd_bridge_flows_total Represents the number of OpenFlow flows on the OVS bridge.
# TYPE ovs_vswitchd_bridge_flows_total gauge
ovs_vswitchd_bridge_flows_total{bridge="br-dpdk"} 4
ovs_vswitchd_bridge_flows_total{bridge="br-ex"} 41
ovs_vswitchd_bridge_flows_total{bridge="br-int"} 12876
# HELP ovs_vswitchd_interfaces_total The total number of Open vSwitch interface(s) created for pods
# TYPE ovs_vswitchd_interfaces_total gauge
ovs_vswitchd_interfaces_total 30
# HELP ovs_vswitchd_interface_resets_total The number of link state changes observed by Open vSwitch interface(s).
# TYPE ovs_vswitchd_interface_resets_total gauge
ovs_vswitchd_interface_resets_total 7
# HELP ovs_vswitchd_interface_rx_dropped_total The total number of received packets dropped by Open vSwitch interface(s).
# TYPE ovs_vswitchd_interface_rx_dropped_total gauge
ovs_vswitchd_interface_rx_dropped_total 1203
# HELP ovs_vswitchd_interface_tx_dropped_total The total number of transmitted packets dropped by Open vSwitch interface(s).
# TYPE ovs_vswitchd_interface_tx_dropped_total gauge
ovs_vswitchd_interface_tx_dropped_total 88
# HELP ovs_vswitchd_interface_rx_errors_total The total number of received packets with errors by Open vSwitch interface(s).
# TYPE ovs_vswitchd_interface_rx_errors_total gauge
ovs_vswitchd_interface_rx_errors_total 0
# HELP ovs_vswitchd_interface_tx_errors_total The total number of transmitted packets with errors by Open vSwitch interface(s).
# TYPE ovs_vswitchd_interface_tx_errors_total gauge
ovs_vswitchd_interface_tx_errors_total 0
# HELP ovs_vswitchd_interface_collisions_total The total number of packet collisions transmitted by Open vSwitch interface(s).
# TYPE ovs_vswitchd_interface_collisions_total gauge
ovs_vswitchd_interface_collisions_total 0
# HELP ovs_vswitchd_interface_up_wait_seconds_total The total number of seconds that is required for the port to be up.
# TYPE ovs_vswitchd_interface_up_wait_seconds_total counter
ovs_vswitchd_interface_up_wait_seconds_total 1.37
# HELP ovs_vswitchd_handlers_total Represents the number of handler threads.
# TYPE ovs_vswitchd_handlers_total gauge
ovs_vswitchd_handlers_total 28
# HELP ovs_vswitchd_revalidators_total Represents the number of revalidator threads.
# TYPE ovs_vswitchd_revalidators_total gauge
ovs_vswitchd_revalidators_total 8
# HELP ovs_vswitchd_hw_offload Represents whether netdev flow offload to hardware is enabled or not -- false(0) and true(1).
# TYPE ovs_vswitchd_hw_offload gauge
ovs_vswitchd_hw_offload 1
# HELP ovs_vswitchd_tc_policy Represents the policy used with HW offloading -- none(0), skip_sw(1), and skip_hw(2).
# TYPE ovs_vswitchd_tc_policy gauge
ovs_vswitchd_tc_policy 2
# HELP ovs_vswitchd_rconn_overflow Specifies the number of times the OpenFlow connection's send queue overflowed.
# TYPE ovs_vswitchd_rconn_overflow gauge
ovs_vswitchd_rconn_overflow 312
# HELP ovs_vswitchd_rconn_discarded Specifies the number of OpenFlow messages discarded.
# TYPE ovs_vswitchd_rconn_discarded gauge
ovs_vswitchd_rconn_discarded 17
# HELP ovs_vswitchd_rconn_sent Specifies the number of OpenFlow messages successfully sent.
# TYPE ovs_vswitchd_rconn_sent gauge
ovs_vswitchd_rconn_sent 118822
# HELP ovs_vswitchd_stream_open Specifies the number of attempts to connect to a remote peer (active connection).
# TYPE ovs_vswitchd_stream_open gauge
ovs_vswitchd_stream_open 11
# HELP ovs_vswitchd_vconn_open Specifies the number of attempts to connect to an OpenFlow Device.
# TYPE ovs_vswitchd_vconn_open gauge
ovs_vswitchd_vconn_open 4
# HELP ovs_vswitchd_netlink_overflow Netlink messages dropped by the daemon due to buffer overflow.
# TYPE ovs_vswitchd_netlink_overflow gauge
ovs_vswitchd_netlink_overflow 2
# HELP ovs_vswitchd_upcall_flow_limit_hit Counts the number of times the flow limit was hit.
# TYPE ovs_vswitchd_upcall_flow_limit_hit gauge
ovs_vswitchd_upcall_flow_limit_hit 0
# HELP ovs_vswitchd_process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE ovs_vswitchd_process_cpu_seconds_total counter
ovs_vswitchd_process_cpu_seconds_total 73211.47
# HELP ovs_vswitchd_process_max_fds Maximum number of open file descriptors.
# TYPE ovs_vswitchd_process_max_fds gauge
ovs_vswitchd_process_max_fds 1.048576e+06
# HELP ovs_vswitchd_process_open_fds Number of open file descriptors.
# TYPE ovs_vswitchd_process_open_fds gauge
ovs_vswitchd_process_open_fds 611
# HELP ovs_vswitchd_process_resident_memory_bytes Resident memory size in bytes.
# TYPE ovs_vswitchd_process_resident_memory_bytes gauge
ovs_vswitchd_process_resident_memory_bytes 6.07248384e+08
# HELP ovs_vswitchd_process_start_time_seconds Start time of the process since unix epoch in seconds.
# TYPE ovs_vswitchd_process_start_time_seconds gauge
ovs_vswitchd_process_start_time_seconds 1.71720001e+09
# HELP ovs_vswitchd_process_virtual_memory_bytes Virtual memory size in bytes.
# TYPE ovs_vswitchd_process_virtual_memory_bytes gauge
ovs_vswitchd_process_virtual_memory_bytes 4.85797888e+09
# HELP ovs_vswitchd_process_virtual_memory_max_bytes Maximum amount of virtual memory available in bytes.
# TYPE ovs_vswitchd_process_virtual_memory_max_bytes gauge
ovs_vswitchd_process_virtual_memory_max_bytes 1.8446744073709552e+19
# HELP ovs_db_process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE ovs_db_process_cpu_seconds_total counter
ovs_db_process_cpu_seconds_total 912.08
# HELP ovs_db_process_resident_memory_bytes Resident memory size in bytes.
# TYPE ovs_db_process_resident_memory_bytes gauge
ovs_db_process_resident_memory_bytes 5.0331648e+07
# HELP ovs_db_process_start_time_seconds Start time of the process since unix epoch in seconds.
# TYPE ovs_db_process_start_time_seconds gauge
ovs_db_process_start_time_seconds 1.717200005e+09
`;

/** Target labels Prometheus adds to an ovnkube-node scrape (ServiceMonitor monitor-ovn-node). */
export function ovnTarget(pod: string, ip: string): Record<string, string> {
  return { endpoint: 'https-ovn-metrics', instance: `${ip}:9105`, job: 'ovnkube-node', namespace: 'openshift-ovn-kubernetes', pod, service: 'ovn-kubernetes-node' };
}

export interface PromEntry {
  metric: Record<string, string>;
  value: [number, string];
}

/** A query API answer (`/api/v1/query`), as Prometheus serialises it. */
export function vectorAnswer(result: PromEntry[]): { status: 'success'; data: { resultType: 'vector'; result: PromEntry[] } } {
  return { status: 'success', data: { resultType: 'vector', result } };
}

export const EVAL_TIME = 1717318800.5;
