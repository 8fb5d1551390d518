// The linuxptp-daemon of one node as its metrics show it (domain-models §1.3). Steady state: LOCKED with
// offsets of a few ns that wander smoothly (seeded, a pure function of time). Scenarios add episodes
// (grandmaster loss, offset excursion, process restart); every value is derived from the episodes and
// the time of the read, so no per-node timer runs and HOLDOVER → FREERUN happens exactly when the
// PtpConfig's holdOverTimeout (as given to the episode) has passed.
import type { MetricWriter } from './prom-text.js';
import { smoothNoise, stepNoise } from './signals.js';
import { ptpInterfaceAlias, type PtpNodeConfig } from './ptp-config.js';

export type ClockState = 'LOCKED' | 'HOLDOVER' | 'FREERUN';
export type PortRole = 'PASSIVE' | 'SLAVE' | 'MASTER' | 'FAULTY' | 'UNKNOWN' | 'LISTENING';

export const PORT_ROLE_VALUE: Record<PortRole, number> = { PASSIVE: 0, SLAVE: 1, MASTER: 2, FAULTY: 3, UNKNOWN: 4, LISTENING: 5 };
/** The offset the daemon reports for a FAULTY slave port. */
export const FAULTY_OFFSET_NS = 999999;
const STATE_VALUE: Record<ClockState, number> = { FREERUN: 0, LOCKED: 1, HOLDOVER: 2 };

export interface GrandmasterLoss {
  start: number;
  /** HOLDOVER lasts this long (the profile's holdOverTimeout, scaled), then FREERUN. */
  holdoverMs: number;
  recoverAt?: number;
}

export interface ProcessSnapshot {
  process: string;
  config: string;
  up: boolean;
  restarts: number;
}

export interface PtpSnapshot {
  node: string;
  role: PtpNodeConfig['role'];
  eventsEnabled: boolean;
  state: ClockState;
  osClockState: ClockState;
  clockClass: number;
  /** Offset of the primary servo (ptp4l master offset; ts2phc on a T-GM), ns. */
  offsetNs: number;
  /** phc2sys offset of CLOCK_REALTIME from the PHC, ns. */
  osClockOffsetNs: number;
  ports: { name: string; role: PortRole }[];
  processes: ProcessSnapshot[];
}

const HELP = {
  offset: 'Metric to get the PTP/synchronization offset from the master clock in ns.',
  maxOffset: 'Metric to get the maximum offset from the master clock in ns in the summary interval.',
  freq: 'Metric to get the frequency adjustment applied to the clock (ppb as printed by linuxptp).',
  delay: 'Metric to get the mean path delay in ns.',
  clockState: '0 = FREERUN, 1 = LOCKED, 2 = HOLDOVER',
  clockClass: '6 = Locked, 7 = PRC unlocked in-spec, 52/187 = PRC unlocked out-of-spec, 135 = T-BC holdover in-spec, 165 = T-BC holdover out-of-spec, 248 = Default, 255 = Slave Only Clock',
  role: '0 = PASSIVE, 1 = SLAVE, 2 = MASTER, 3 = FAULTY, 4 = UNKNOWN, 5 = LISTENING',
  processStatus: '0 = DOWN, 1 = UP',
  restarts: 'Number of times the process has gone UP.',
  threshold: 'Thresholds configured in the PtpConfig profile (ns, seconds for HoldOverTimeout).',
  gnss: '0 = NOFIX, 1 = Dead Reckoning Only, 2 = 2D-FIX, 3 = 3D-FIX, 4 = GPS+dead reckoning fix, 5 = Time only fix',
  nmea: '0 = UNAVAILABLE, 1 = AVAILABLE',
  dpll: '-1 = UNKNOWN, 0 = INVALID, 1 = FREERUN, 2 = LOCKED, 3 = LOCKED_HO_ACQ, 4 = HOLDOVER',
};

export class PtpNodeTelemetry {
  private gmLoss?: GrandmasterLoss;
  private readonly excursions: { start: number; end: number; offsetNs: number }[] = [];
  private readonly outages: { process: string; start: number; end: number }[] = [];

  constructor(
    private readonly configOf: () => PtpNodeConfig | undefined,
    private readonly seed: number,
  ) {}

  get config(): PtpNodeConfig | undefined {
    return this.configOf();
  }

  /** Lose the upstream time source at `now`: HOLDOVER for `holdoverMs`, then FREERUN until `recoverAt`. */
  loseGrandmaster(now: number, holdoverMs: number, recoverAt?: number): void {
    this.gmLoss = { start: now, holdoverMs, recoverAt };
  }

  /** The time source is back at `now` (LOCKED again). */
  recoverGrandmaster(now: number): void {
    if (this.gmLoss && (this.gmLoss.recoverAt === undefined || this.gmLoss.recoverAt > now)) this.gmLoss.recoverAt = now;
  }

  /** The primary offset jumps to `offsetNs` between `now` and `now + durationMs`. */
  offsetExcursion(now: number, durationMs: number, offsetNs: number): void {
    this.excursions.push({ start: now, end: now + durationMs, offsetNs });
    if (this.excursions.length > 32) this.excursions.shift();
  }

  endExcursions(now: number): void {
    for (const e of this.excursions) if (e.end > now) e.end = now;
  }

  /** A daemon-managed process is DOWN from `now` for `downMs`, then UP again (restart count + 1). */
  restartProcess(process: string, now: number, downMs: number): void {
    this.outages.push({ process, start: now, end: now + downMs });
  }

  /** Processes that are DOWN come back UP at `now`. */
  endOutages(now: number): void {
    for (const o of this.outages) if (o.start <= now && o.end > now) o.end = now;
  }

  /** Processes the profile runs, with their config file names. */
  processes(): { process: string; config: string }[] {
    const c = this.config;
    if (!c) return [];
    const list = [
      { process: 'ptp4l', config: 'ptp4l.0.config' },
      { process: 'phc2sys', config: 'phc2sys.0.config' },
    ];
    if (c.role === 'T-GM') list.unshift({ process: 'ts2phc', config: 'ts2phc.0.config' });
    return list;
  }

  private down(process: string, t: number): boolean {
    return this.outages.some((o) => o.process === process && o.start <= t && t < o.end);
  }

  private restarts(process: string, t: number): number {
    // The first start counts: the daemon increments the counter each time the process goes UP.
    return 1 + this.outages.filter((o) => o.process === process && o.end <= t).length;
  }

  /** Milliseconds into an active grandmaster loss at `t`, or undefined. */
  private lossElapsed(t: number): number | undefined {
    const g = this.gmLoss;
    if (!g || t < g.start || (g.recoverAt !== undefined && t >= g.recoverAt)) return undefined;
    return t - g.start;
  }

  private excursionAt(t: number): { offsetNs: number } | undefined {
    return this.excursions.find((e) => e.start <= t && t < e.end);
  }

  state(t: number): ClockState {
    const c = this.config;
    if (!c) return 'FREERUN';
    if (this.down(c.role === 'T-GM' ? 'ts2phc' : 'ptp4l', t)) return 'FREERUN';
    const elapsed = this.lossElapsed(t);
    if (elapsed !== undefined) return elapsed < this.gmLoss!.holdoverMs ? 'HOLDOVER' : 'FREERUN';
    // cloud-event-proxy derives the state from the offset thresholds; the daemon alone keeps the servo state.
    if (c.eventsEnabled && this.excursionAt(t)) return 'FREERUN';
    return 'LOCKED';
  }

  /** How far the clock has drifted during a loss, relative to maxOffsetThreshold (1 = at the threshold). */
  private driftRatio(t: number): number {
    const elapsed = this.lossElapsed(t);
    if (elapsed === undefined || !this.gmLoss) return 0;
    return (1.6 * elapsed) / Math.max(1, this.gmLoss.holdoverMs);
  }

  clockClass(t: number): number {
    const c = this.config;
    if (!c || c.role === 'OC') return 255;
    const state = this.state(t);
    if (state === 'LOCKED') return 6;
    if (state === 'FREERUN') return 248;
    if (c.role === 'T-GM') return 7;
    return this.driftRatio(t) <= 1 ? 135 : 165;
  }

  private slaveFaulty(t: number): boolean {
    return this.lossElapsed(t) !== undefined && this.config?.role !== 'T-GM';
  }

  /** Primary servo offset at `t` (ns): ptp4l master offset on T-BC/OC, ts2phc offset on a T-GM. */
  offset(t: number): number {
    const c = this.config;
    if (!c) return 0;
    if (this.slaveFaulty(t)) return FAULTY_OFFSET_NS;
    const excursion = this.excursionAt(t);
    const noise = Math.round(5 * smoothNoise(this.seed, t / 4000) + 2 * stepNoise(this.seed, t / 1000));
    if (excursion) return excursion.offsetNs + noise;
    const drift = this.driftRatio(t);
    if (drift > 0) return Math.round(drift * c.thresholds.maxOffsetThreshold) + noise;
    return noise;
  }

  private phcOffset(t: number): number {
    return Math.round(2 * smoothNoise(this.seed + 1, t / 3000) + stepNoise(this.seed + 1, t / 1000));
  }

  private osClockState(t: number): ClockState {
    return this.down('phc2sys', t) ? 'FREERUN' : 'LOCKED';
  }

  ports(t: number): { name: string; role: PortRole }[] {
    const c = this.config;
    if (!c) return [];
    return c.ports.map((p) => {
      if (p.masterOnly) return { name: p.name, role: 'MASTER' as const };
      return { name: p.name, role: this.slaveFaulty(t) ? ('FAULTY' as const) : ('SLAVE' as const) };
    });
  }

  snapshot(t: number): PtpSnapshot | undefined {
    const c = this.config;
    if (!c) return undefined;
    return {
      node: c.node,
      role: c.role,
      eventsEnabled: c.eventsEnabled,
      state: this.state(t),
      osClockState: this.osClockState(t),
      clockClass: this.clockClass(t),
      offsetNs: this.offset(t),
      osClockOffsetNs: this.phcOffset(t),
      ports: this.ports(t),
      processes: this.processes().map((p) => ({ ...p, up: !this.down(p.process, t), restarts: this.restarts(p.process, t) })),
    };
  }

  /** The daemon's (events off) or cloud-event-proxy's (events on) /metrics for this node. */
  collect(w: MetricWriter, t: number): void {
    const c = this.config;
    if (!c) return;
    const node = c.node;
    const encode = (state: ClockState, process: string) =>
      // Events off, ptp4l/phc2sys path: 1 if LOCKED else 0. T-GM handler and events mode: 0/1/2.
      !c.eventsEnabled && (process === 'ptp4l' || process === 'phc2sys') ? (state === 'LOCKED' ? 1 : 0) : STATE_VALUE[state];

    const state = this.state(t);
    const primary =
      c.role === 'T-GM'
        ? { process: 'ts2phc', from: 'master', iface: ptpInterfaceAlias(c.timeReceiverPort ?? 'ens5f0') }
        : { process: 'ptp4l', from: 'master', iface: ptpInterfaceAlias(c.slavePort ?? 'ens5f0') };
    const phc = { process: 'phc2sys', from: 'phc', iface: 'CLOCK_REALTIME' };

    const offset = this.offset(t);
    const sentinel = offset === FAULTY_OFFSET_NS;
    const jitter = Math.abs(Math.round(3 * stepNoise(this.seed + 7, t / 1000)));
    const phcOffset = this.phcOffset(t);
    const freqBase = Math.round(8000 * smoothNoise(this.seed + 3, 0.5));
    const freq = (k: number) => freqBase + Math.round(30 * smoothNoise(this.seed + k, t / 5000));
    const primaryDelay = c.role === 'T-GM' ? 0 : sentinel ? 0 : 480 + (this.seed % 60) + Math.round(3 * smoothNoise(this.seed + 4, t / 2000));
    const phcDelay = 505 + (this.seed % 20) + Math.round(4 * smoothNoise(this.seed + 5, t / 2000));

    const servo = [
      { labels: { ...primary, node }, offset, max: sentinel ? FAULTY_OFFSET_NS : Math.abs(offset) + jitter, freq: freq(11), delay: primaryDelay },
      { labels: { ...phc, node }, offset: phcOffset, max: Math.abs(phcOffset) + jitter, freq: freq(12), delay: phcDelay },
    ];
    for (const s of servo) {
      const labels = { from: s.labels.from, process: s.labels.process, node, iface: s.labels.iface };
      w.gauge('openshift_ptp_offset_ns', HELP.offset, labels, s.offset);
      w.gauge('openshift_ptp_max_offset_ns', HELP.maxOffset, labels, s.max);
      w.gauge('openshift_ptp_frequency_adjustment_ns', HELP.freq, labels, s.freq);
      w.gauge('openshift_ptp_delay_ns', HELP.delay, labels, s.delay);
    }

    w.gauge('openshift_ptp_clock_state', HELP.clockState, { process: primary.process, node, iface: primary.iface }, encode(state, primary.process));
    if (c.role === 'T-GM') w.gauge('openshift_ptp_clock_state', HELP.clockState, { process: 'dpll', node, iface: primary.iface }, STATE_VALUE[state]);
    w.gauge('openshift_ptp_clock_state', HELP.clockState, { process: 'phc2sys', node, iface: 'CLOCK_REALTIME' }, encode(this.osClockState(t), 'phc2sys'));

    const classLabels: Record<string, string> = c.clockClassConfigLabel
      ? { process: 'ptp4l', node, config: 'ptp4l.0.config' }
      : { process: 'ptp4l', node };
    w.gauge('openshift_ptp_clock_class', HELP.clockClass, classLabels, this.clockClass(t));

    for (const p of this.ports(t)) {
      w.gauge('openshift_ptp_interface_role', HELP.role, { process: 'ptp4l', node, iface: p.name }, PORT_ROLE_VALUE[p.role]);
    }
    for (const p of this.processes()) {
      const labels = { process: p.process, node, config: p.config };
      w.gauge('openshift_ptp_process_status', HELP.processStatus, labels, this.down(p.process, t) ? 0 : 1);
      w.counter('openshift_ptp_process_restart_count', HELP.restarts, labels, this.restarts(p.process, t));
    }
    if (c.eventsEnabled) {
      const th = c.thresholds;
      w.gauge('openshift_ptp_threshold', HELP.threshold, { threshold: 'HoldOverTimeout', node, profile: c.profile }, th.holdOverTimeout);
      w.gauge('openshift_ptp_threshold', HELP.threshold, { threshold: 'MaxOffsetThreshold', node, profile: c.profile }, th.maxOffsetThreshold);
      w.gauge('openshift_ptp_threshold', HELP.threshold, { threshold: 'MinOffsetThreshold', node, profile: c.profile }, th.minOffsetThreshold);
    }
    if (c.role === 'T-GM') {
      const lost = this.lossElapsed(t) !== undefined;
      const iface = primary.iface;
      w.gauge('openshift_ptp_gnss_status', HELP.gnss, { from: 'gnss', process: 'gnss', node, iface }, lost ? 0 : 3);
      w.gauge(
        'openshift_ptp_nmea_status',
        HELP.nmea,
        c.eventsEnabled ? { process: 'ts2phc', node, iface } : { from: 'ts2phc', node, process: 'ts2phc', iface },
        lost ? 0 : 1,
      );
      const dpll = state === 'LOCKED' ? 3 : state === 'HOLDOVER' ? 4 : 1;
      w.gauge('openshift_ptp_phase_status', HELP.dpll, { from: 'dpll', process: 'dpll', node, iface }, dpll);
      w.gauge('openshift_ptp_frequency_status', HELP.dpll, { from: 'dpll', process: 'dpll', node, iface }, dpll);
      w.gauge('openshift_ptp_pps_status', HELP.nmea, { from: 'dpll', process: 'dpll', node, iface }, lost ? 0 : 1);
    }
  }
}
