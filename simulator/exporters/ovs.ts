// Open vSwitch as ovnkube-node exports it on the OVN metrics endpoint (:9105, domain-models §4): datapath,
// bridge and interface gauges, coverage totals and the vswitchd/ovsdb-server process collectors; plus
// the kubelet cAdvisor series of the two systemd units (`/system.slice/ovs-vswitchd.service`,
// `/system.slice/ovsdb-server.service`) that OpenShift runs OVS as.
//
// Everything is a deterministic function of time: counters are base + rate × ∫load dt (plus a bounded
// seeded wobble that keeps them monotonic), gauges carry smooth seeded noise, so a real Prometheus sees
// values that move. Scenarios: `ovs-load` raises the load factor (flows, upcalls, CPU, connection
// overflows); `ovs-flow-storm` drives datapath flows and vswitchd CPU to given peaks along a
// rise-hold-fall episode.
import type { MetricWriter } from './prom-text.js';
import { Episode, RateTimeline, smoothNoise } from './signals.js';

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

/** Per second of overload (load above 1): what the connection and upcall counters lose. */
const OVERLOAD_RATES: Record<string, number> = { rconn_overflow: 2, rconn_discarded: 0.5, netlink_overflow: 0.2, packet_in_drop: 0.3 };
/** Per second at a storm's peak: the extra upcalls a flow storm causes (misses → upcalls → flow puts). */
const STORM_RATES: Record<string, number> = { dpif_flow_put: 400, dpif_flow_del: 300, xlate_actions: 2000, packet_in: 20 };

const HELP = 'OVS metric exported by ovnkube-node (see ovn-kubernetes go-controller/pkg/metrics/ovs.go).';
const MiB = 1024 * 1024;

/** Seconds per lattice step of the noise: values wander on a ~20 s scale. */
const NOISE_PERIOD_S = 20;

export const OVS_VSWITCHD_UNIT = '/system.slice/ovs-vswitchd.service';
export const OVSDB_SERVER_UNIT = '/system.slice/ovsdb-server.service';

export interface FlowStorm {
  /** Datapath flows at the storm's peak. */
  peakFlows: number;
  /** ovs-vswitchd CPU at the peak, % of one core. */
  peakCpuPercent: number;
  rampMs: number;
  holdMs: number;
}

interface StormState {
  episode: Episode;
  extraFlows: number;
  /** Extra CPU cores at the peak. */
  extraCores: number;
}

export class OvsNodeTelemetry {
  readonly load: RateTimeline;
  /** Seconds the switch had been running when the simulation started (seeded). */
  private readonly uptime: number;
  /** Base CPU of each daemon in cores (0.045 = 4.5 % of one core), varying per node. */
  private readonly vswitchdCores: number;
  private readonly ovsdbCores: number;
  private storms: StormState[] = [];
  /** CPU seconds and ∫level dt of storms already forgotten (kept so counters never go back). */
  private pastStormCpu = 0;
  private pastStormIntegral = 0;

  constructor(
    private readonly seed: number,
    private readonly origin: number,
    /** When ovs-vswitchd started (the node's boot), seconds since epoch. */
    private readonly startTimeSeconds: number,
    private readonly cpus: number,
  ) {
    this.load = new RateTimeline(origin);
    this.uptime = Math.max(600, origin / 1000 - startTimeSeconds);
    this.vswitchdCores = 0.03 + (seed % 60) / 1000;
    this.ovsdbCores = 0.008 + (seed % 13) / 1000;
  }

  /** Load multiplier from `now` on (1 = normal; never below 1, so the overload counters stay monotonic). */
  setLoad(now: number, factor: number): void {
    this.load.set(now, Math.max(1, factor));
  }

  loadFactor(t: number): number {
    return this.load.factorAt(t);
  }

  /** Starts a flow storm at `now`; returns when it is over (ms). */
  startStorm(now: number, storm: FlowStorm): number {
    this.forgetEndedStorms(now);
    const episode = new Episode(now, storm.rampMs, storm.holdMs);
    const extraFlows = Math.max(0, storm.peakFlows - this.baseFlows(now));
    const extraCores = Math.max(0, storm.peakCpuPercent / 100 - this.vswitchdCores * this.loadFactor(now));
    this.storms.push({ episode, extraFlows, extraCores });
    return episode.end;
  }

  /** Ends every storm at `now` (flows and CPU drop back). */
  stopStorms(now: number): void {
    for (const s of this.storms) s.episode.cut(now);
  }

  /** How far into a storm the node is at `t`: 0 none, 1 at the peak. */
  stormLevel(t: number): number {
    return Math.min(1, this.storms.reduce((sum, s) => sum + s.episode.level(t), 0));
  }

  private forgetEndedStorms(now: number): void {
    // Nothing reads the past before `now` (scrapes ask about the present): fold ended storms into constants.
    this.storms = this.storms.filter((s) => {
      if (s.episode.end > now) return true;
      this.pastStormCpu += s.extraCores * s.episode.integral(now);
      this.pastStormIntegral += s.episode.integral(now);
      return false;
    });
  }

  /** ∫ storm level dt (s) over every storm so far. */
  private stormIntegral(t: number): number {
    return this.pastStormIntegral + this.storms.reduce((sum, s) => sum + s.episode.integral(t), 0);
  }

  /** Seconds of load above 1, integrated: what overload counters grow with. */
  private overload(t: number): number {
    return Math.max(0, this.load.integral(t) - (t - this.origin) / 1000);
  }

  /** Cumulative value of a counter with base rate `rate`/s at `t`. */
  private cumulative(rate: number, t: number, loadSensitive = true): number {
    const seconds = loadSensitive ? this.load.integral(t) : (t - this.origin) / 1000;
    return Math.floor(rate * (this.uptime + seconds));
  }

  private noise(salt: number, t: number): number {
    return smoothNoise((this.seed ^ salt) >>> 0, t / (NOISE_PERIOD_S * 1000));
  }

  private baseFlows(t: number): number {
    return (1150 + (this.seed % 900) + 40 * this.noise(0x0f10, t)) * this.loadFactor(t);
  }

  datapathFlows(t: number): number {
    return Math.round(this.baseFlows(t) + this.storms.reduce((sum, s) => sum + s.extraFlows * s.episode.level(t), 0));
  }

  /**
   * CPU seconds of a daemon: base cores × ∫load dt, plus storms, plus a wobble of amplitude
   * cores × period / 4. The noise changes by at most 3 per period, so the wobble's slope stays below
   * 0.75 × cores and the counter never decreases. Rounded to clock ticks (1/100 s) like /proc.
   */
  private cpuSeconds(cores: number, salt: number, t: number, storms: boolean): number {
    const base = cores * (this.uptime + this.load.integral(t));
    const storm = storms ? this.pastStormCpu + this.storms.reduce((sum, s) => sum + s.extraCores * s.episode.integral(t), 0) : 0;
    const wobble = ((cores * NOISE_PERIOD_S) / 4) * (1 + this.noise(salt, t));
    return Math.round((base + storm + wobble) * 100) / 100;
  }

  vswitchdCpuSeconds(t: number): number {
    return this.cpuSeconds(this.vswitchdCores, 0xc9a1, t, true);
  }

  ovsdbCpuSeconds(t: number): number {
    return this.cpuSeconds(this.ovsdbCores, 0xdb01, t, false);
  }

  vswitchdRss(t: number): number {
    const mib = 290 + (this.seed % 40) + 12 * this.noise(0x3e30, t) + 35 * (this.loadFactor(t) - 1);
    return Math.round(mib * MiB + this.datapathFlows(t) * 2048);
  }

  ovsdbRss(t: number): number {
    return Math.round((46 + (this.seed % 7) + 2 * this.noise(0x3e31, t)) * MiB);
  }

  collect(w: MetricWriter, t: number): void {
    const load = this.loadFactor(t);
    const overload = this.overload(t);
    const storm = this.stormIntegral(t);
    const dp = { datapath: 'ovs-system' };
    w.gauge('ovs_build_info', 'A metric with a constant \'1\' value labeled by ovs version.', { version: '3.4.1' }, 1);
    w.gauge('ovs_vswitchd_dp_total', HELP, {}, 1);
    w.gauge('ovs_vswitchd_dp', HELP, { datapath: 'ovs-system', type: 'system' }, 1);
    w.gauge('ovs_vswitchd_dp_if_total', HELP, dp, 18 + (this.seed % 6));
    w.gauge('ovs_vswitchd_dp_flows_total', HELP, dp, this.datapathFlows(t));
    const hit = this.cumulative(48_000, t);
    const missed = this.cumulative(180, t) + Math.floor(4000 * storm);
    w.gauge('ovs_vswitchd_dp_flows_lookup_hit', HELP, dp, hit);
    w.gauge('ovs_vswitchd_dp_flows_lookup_missed', HELP, dp, missed);
    // Upcalls are lost only while overloaded or storming.
    w.gauge('ovs_vswitchd_dp_flows_lookup_lost', HELP, dp, Math.floor(0.5 * overload + 25 * storm));
    w.gauge('ovs_vswitchd_dp_packets_total', HELP, dp, hit + missed);
    const masksHit = this.cumulative(61_000, t);
    w.gauge('ovs_vswitchd_dp_masks_hit', HELP, dp, masksHit);
    w.gauge('ovs_vswitchd_dp_masks_total', HELP, dp, 14 + Math.round(4 * load + 10 * this.stormLevel(t)));
    w.gauge('ovs_vswitchd_dp_masks_hit_ratio', HELP, dp, Math.round((masksHit / Math.max(1, hit + missed)) * 1000) / 1000);

    w.gauge('ovs_vswitchd_bridge_total', HELP, {}, 2);
    for (const [bridge, ports, flows] of [
      ['br-int', 14 + (this.seed % 6), 8200 + (this.seed % 900) + 25 * this.noise(0xb1, t)],
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
    for (const [name, rate] of COVERAGE_RATES) {
      const extra = (OVERLOAD_RATES[name] ?? 0) * overload + (STORM_RATES[name] ?? 0) * storm;
      w.gauge(`ovs_vswitchd_${name}`, HELP, {}, this.cumulative(rate, t) + Math.floor(extra));
    }

    this.processCollector(w, 'ovs_vswitchd', this.vswitchdCpuSeconds(t), this.vswitchdRss(t), 512);
    this.processCollector(w, 'ovs_db', this.ovsdbCpuSeconds(t), this.ovsdbRss(t), 64);
  }

  private processCollector(w: MetricWriter, prefix: string, cpu: number, rss: number, fds: number): void {
    w.counter(`${prefix}_process_cpu_seconds_total`, 'Total user and system CPU time spent in seconds.', {}, cpu);
    w.gauge(`${prefix}_process_resident_memory_bytes`, 'Resident memory size in bytes.', {}, rss);
    w.gauge(`${prefix}_process_virtual_memory_bytes`, 'Virtual memory size in bytes.', {}, rss * 8);
    w.gauge(`${prefix}_process_virtual_memory_max_bytes`, 'Maximum amount of virtual memory available in bytes.', {}, 18446744073709552000);
    w.gauge(`${prefix}_process_open_fds`, 'Number of open file descriptors.', {}, fds + (this.seed % 30));
    w.gauge(`${prefix}_process_max_fds`, 'Maximum number of open file descriptors.', {}, 1048576);
    w.gauge(`${prefix}_process_start_time_seconds`, 'Start time of the process since unix epoch in seconds.', {}, this.startTimeSeconds);
  }

  /**
   * The kubelet's cAdvisor series of the two OVS systemd units, as Prometheus stores them (the empty
   * container/image/name/namespace/pod labels dropped). The unit's cgroup holds the daemon and its
   * helpers: a little more CPU and memory than the process alone.
   */
  collectHostServices(w: MetricWriter, t: number): void {
    const units: [string, number, number][] = [
      [OVS_VSWITCHD_UNIT, this.vswitchdCpuSeconds(t) * 1.03, this.vswitchdRss(t) + 1.5 * MiB],
      [OVSDB_SERVER_UNIT, this.ovsdbCpuSeconds(t) * 1.02, this.ovsdbRss(t) + 0.5 * MiB],
    ];
    for (const [id, cpu, rss] of units) {
      w.counter('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.', { cpu: 'total', id }, Math.round(cpu * 1e6) / 1e6);
      w.gauge('container_memory_rss', 'Size of RSS in bytes.', { id }, Math.round(rss));
      w.gauge('container_memory_working_set_bytes', 'Current working set in bytes.', { id }, Math.round(rss + 6 * MiB));
    }
  }
}
