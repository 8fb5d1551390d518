// Open vSwitch as ovnkube-node exports it on the OVN metrics endpoint (:9105, domain-models §4): datapath,
// bridge and interface gauges, coverage totals and the vswitchd/ovsdb-server process collectors.
// Counters are base + rate × ∫load dt; the `ovs-load` scenario raises the load factor (flows, upcalls and
// CPU go up) for a while.
import type { MetricWriter } from './prom-text.js';
import { RateTimeline, smoothNoise } from './signals.js';

const COVERAGE_RATES: [string, number][] = [
  ['netlink_sent', 95], ['netlink_received', 110], ['netlink_recv_jumbo', 3], ['netlink_overflow', 0],
  ['rconn_sent', 12], ['rconn_queued', 12], ['rconn_discarded', 0], ['rconn_overflow', 0],
  ['vconn_open', 0.001], ['vconn_sent', 14], ['vconn_received', 14], ['pstream_open', 0.0005], ['stream_open', 0.002],
  ['txn_success', 2], ['txn_error', 0], ['txn_uncommitted', 0.5], ['txn_unchanged', 6], ['txn_incomplete', 2],
  ['txn_aborted', 0], ['txn_try_again', 0],
  ['dpif_port_add', 0.001], ['dpif_port_del', 0.001], ['dpif_flow_flush', 0], ['dpif_flow_get', 0.2],
  ['dpif_flow_put', 40], ['dpif_flow_del', 38], ['dpif_execute', 60], ['bridge_reconfigure', 0.01],
  ['xlate_actions', 420], ['xlate_actions_oversize', 0], ['xlate_actions_too_many_output', 0],
  ['packet_in', 3], ['packet_in_drop', 0], ['ofproto_dpif_expired', 38], ['ofproto_flush', 0],
  ['ofproto_packet_out', 2], ['ofproto_recv_openflow', 14], ['ofproto_reinit_ports', 0],
  ['upcall_flow_limit_kill', 0], ['upcall_flow_limit_hit', 0],
];

const HELP = 'OVS metric exported by ovnkube-node (see ovn-kubernetes go-controller/pkg/metrics/ovs.go).';

export class OvsNodeTelemetry {
  readonly load: RateTimeline;
  /** Seconds the switch had been running when the simulation started (seeded). */
  private readonly uptime: number;

  constructor(
    private readonly seed: number,
    private readonly origin: number,
    /** When ovs-vswitchd started (the node's boot), seconds since epoch. */
    private readonly startTimeSeconds: number,
    private readonly cpus: number,
  ) {
    this.load = new RateTimeline(origin);
    this.uptime = Math.max(600, origin / 1000 - startTimeSeconds);
  }

  /** Load multiplier from `now` on (1 = normal; never below 1, so the overload counters stay monotonic). */
  setLoad(now: number, factor: number): void {
    this.load.set(now, Math.max(1, factor));
  }

  loadFactor(t: number): number {
    return this.load.factorAt(t);
  }

  /** Cumulative value of a counter with base rate `rate`/s at `t`. */
  private cumulative(rate: number, t: number, loadSensitive = true): number {
    const seconds = loadSensitive ? this.load.integral(t) : (t - this.origin) / 1000;
    return Math.floor(rate * (this.uptime + seconds));
  }

  datapathFlows(t: number): number {
    return Math.round((1150 + (this.seed % 300) + 40 * smoothNoise(this.seed, t / 20000)) * this.loadFactor(t));
  }

  collect(w: MetricWriter, t: number): void {
    const load = this.loadFactor(t);
    const dp = { datapath: 'ovs-system' };
    w.gauge('ovs_build_info', 'A metric with a constant \'1\' value labeled by ovs version.', { version: '3.4.1' }, 1);
    w.gauge('ovs_vswitchd_dp_total', HELP, {}, 1);
    w.gauge('ovs_vswitchd_dp', HELP, { datapath: 'ovs-system', type: 'system' }, 1);
    w.gauge('ovs_vswitchd_dp_if_total', HELP, dp, 18 + (this.seed % 6));
    w.gauge('ovs_vswitchd_dp_flows_total', HELP, dp, this.datapathFlows(t));
    const hit = this.cumulative(48_000, t);
    const missed = this.cumulative(180, t);
    w.gauge('ovs_vswitchd_dp_flows_lookup_hit', HELP, dp, hit);
    w.gauge('ovs_vswitchd_dp_flows_lookup_missed', HELP, dp, missed);
    // Upcalls are lost only while overloaded: proportional to the extra load integrated so far.
    const overload = Math.max(0, this.load.integral(t) - (t - this.origin) / 1000);
    w.gauge('ovs_vswitchd_dp_flows_lookup_lost', HELP, dp, Math.floor(0.5 * overload));
    w.gauge('ovs_vswitchd_dp_packets_total', HELP, dp, hit + missed);
    const masksHit = this.cumulative(61_000, t);
    w.gauge('ovs_vswitchd_dp_masks_hit', HELP, dp, masksHit);
    w.gauge('ovs_vswitchd_dp_masks_total', HELP, dp, 14 + Math.round(4 * load));
    w.gauge('ovs_vswitchd_dp_masks_hit_ratio', HELP, dp, Math.round((masksHit / Math.max(1, hit + missed)) * 1000) / 1000);

    w.gauge('ovs_vswitchd_bridge_total', HELP, {}, 2);
    for (const [bridge, ports, flows] of [
      ['br-int', 14 + (this.seed % 6), 8200 + (this.seed % 900)],
      ['br-ex', 2, 38],
    ] as const) {
      w.gauge('ovs_vswitchd_bridge', HELP, { bridge }, 1);
      w.gauge('ovs_vswitchd_bridge_ports_total', HELP, { bridge }, ports);
      w.gauge('ovs_vswitchd_bridge_flows_total', HELP, { bridge }, Math.round(flows * (bridge === 'br-int' ? load : 1)));
    }
    w.gauge('ovs_vswitchd_interfaces_total', HELP, {}, 20 + (this.seed % 6));
    w.gauge('ovs_vswitchd_interface_resets_total', HELP, {}, 3);
    w.gauge('ovs_vswitchd_interface_rx_dropped_total', HELP, {}, this.cumulative(0.02, t));
    w.gauge('ovs_vswitchd_interface_tx_dropped_total', HELP, {}, this.cumulative(0.01, t));
    w.gauge('ovs_vswitchd_interface_rx_errors_total', HELP, {}, 0);
    w.gauge('ovs_vswitchd_interface_tx_errors_total', HELP, {}, 0);
    w.gauge('ovs_vswitchd_interface_collisions_total', HELP, {}, 0);
    w.counter('ovs_vswitchd_interface_up_wait_seconds_total', HELP, {}, 0.215);
    w.gauge('ovs_vswitchd_handlers_total', HELP, {}, Math.max(1, this.cpus - 4));
    w.gauge('ovs_vswitchd_revalidators_total', HELP, {}, Math.max(1, Math.round(this.cpus / 4)));
    w.gauge('ovs_vswitchd_hw_offload', HELP, {}, 0);
    w.gauge('ovs_vswitchd_tc_policy', HELP, {}, 0);
    for (const [name, rate] of COVERAGE_RATES) w.gauge(`ovs_vswitchd_${name}`, HELP, {}, this.cumulative(rate, t));

    const rss = (290 + (this.seed % 40) + 35 * (load - 1)) * 1024 * 1024;
    this.processCollector(w, 'ovs_vswitchd', t, 0.06, Math.round(rss), 512);
    this.processCollector(w, 'ovs_db', t, 0.012, 48 * 1024 * 1024, 64);
  }

  private processCollector(w: MetricWriter, prefix: string, t: number, cpuRate: number, rss: number, fds: number): void {
    const cpu = Math.round(cpuRate * (this.uptime + this.load.integral(t)) * 100) / 100;
    w.counter(`${prefix}_process_cpu_seconds_total`, 'Total user and system CPU time spent in seconds.', {}, cpu);
    w.gauge(`${prefix}_process_resident_memory_bytes`, 'Resident memory size in bytes.', {}, rss);
    w.gauge(`${prefix}_process_virtual_memory_bytes`, 'Virtual memory size in bytes.', {}, rss * 8);
    w.gauge(`${prefix}_process_virtual_memory_max_bytes`, 'Maximum amount of virtual memory available in bytes.', {}, 18446744073709552000);
    w.gauge(`${prefix}_process_open_fds`, 'Number of open file descriptors.', {}, fds + (this.seed % 30));
    w.gauge(`${prefix}_process_max_fds`, 'Maximum number of open file descriptors.', {}, 1048576);
    w.gauge(`${prefix}_process_start_time_seconds`, 'Start time of the process since unix epoch in seconds.', {}, this.startTimeSeconds);
  }
}
