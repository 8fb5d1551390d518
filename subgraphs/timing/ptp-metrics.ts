// Decodes one node's `openshift_ptp_*` samples (domain-models §1.3) into the schema's NodePtp.
// Pure: the same function serves Prometheus answers and pod-proxy scrapes.
import { text } from '../kube/values.js';
import type { MetricRead, MetricSample } from '../metrics/types.js';
import type { ClockState, PtpClock, PtpPort, PtpPortRole, PtpProcess, PtpStateEncoding, PtpThresholds } from './generated/types.js';
import type { NodePtpModel } from './models.js';
import { aliasOf, isGrandmasterProfile, mapNodePtpDevice, profileInterfaces, profileThresholds } from './sources.js';
import type { NodePtpDeviceObject, PtpProfileSpec } from './upstream.js';

export const PTP_METRIC_PREFIX = 'openshift_ptp_';

export const PtpMetric = Object.freeze({
  offset: 'openshift_ptp_offset_ns',
  maxOffset: 'openshift_ptp_max_offset_ns',
  frequencyAdjustment: 'openshift_ptp_frequency_adjustment_ns',
  delay: 'openshift_ptp_delay_ns',
  clockState: 'openshift_ptp_clock_state',
  clockClass: 'openshift_ptp_clock_class',
  interfaceRole: 'openshift_ptp_interface_role',
  processStatus: 'openshift_ptp_process_status',
  restartCount: 'openshift_ptp_process_restart_count',
  threshold: 'openshift_ptp_threshold',
});

/** The daemon writes this offset (and max offset) when its slave port goes FAULTY. */
export const FAULT_SENTINEL_NS = 999999;

export const CLOCK_REALTIME = 'CLOCK_REALTIME';

/** O-RAN O-Cloud notification event types (sdk-go pkg/event/ptp). */
export const OranEventType = Object.freeze({
  ptpState: 'event.sync.ptp-status.ptp-state-change',
  syncState: 'event.sync.sync-status.synchronization-state-change',
  osClockState: 'event.sync.sync-status.os-clock-sync-state-change',
  clockClass: 'event.sync.ptp-status.ptp-clock-class-change',
});

/** Processes whose clock state the daemon (events off) writes as 1 = LOCKED, 0 = anything else. */
const BINARY_STATE_PROCESSES = new Set(['ptp4l', 'phc2sys']);

/**
 * `openshift_ptp_clock_state` → ClockState.
 * EVENTS (cloud-event-proxy): 0 FREERUN, 1 LOCKED, 2 HOLDOVER.
 * DAEMON (events off): ptp4l/phc2sys 1 LOCKED, 0 FREERUN (HOLDOVER is written as 0 too);
 * ts2phc/gnss/dpll and others 0 FREERUN, 1 LOCKED, 2 HOLDOVER, 3 unknown.
 * Anything else (absent, NaN, out of range) is UNKNOWN.
 */
export function decodeClockState(value: number | undefined, process: string, encoding: PtpStateEncoding): ClockState {
  if (value === undefined || !Number.isInteger(value)) return 'UNKNOWN';
  if (encoding === 'DAEMON' && BINARY_STATE_PROCESSES.has(process)) {
    if (value === 1) return 'LOCKED';
    if (value === 0) return 'FREERUN';
    return 'UNKNOWN';
  }
  switch (value) {
    case 0:
      return 'FREERUN';
    case 1:
      return 'LOCKED';
    case 2:
      return 'HOLDOVER';
    default:
      return 'UNKNOWN';
  }
}

const ROLES: PtpPortRole[] = ['PASSIVE', 'SLAVE', 'MASTER', 'FAULTY', 'UNKNOWN', 'LISTENING'];

export function decodePortRole(value: number | undefined): PtpPortRole {
  return value !== undefined && Number.isInteger(value) && value >= 0 && value < ROLES.length ? ROLES[value] : 'UNKNOWN';
}

/** Worst first: the order of `ptpNodes` and of the overall sync state. */
const SEVERITY: Record<ClockState, number> = { FREERUN: 3, HOLDOVER: 2, UNKNOWN: 1, LOCKED: 0 };

export function stateSeverity(state: ClockState): number {
  return SEVERITY[state];
}

/** The worst of several states; UNKNOWN for none. */
export function worstState(states: Iterable<ClockState>): ClockState {
  let worst: ClockState | undefined;
  for (const s of states) if (worst === undefined || SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst ?? 'UNKNOWN';
}

/** EVENTS when the operator enables the event publisher or the samples carry `openshift_ptp_threshold` (only cloud-event-proxy exports it). */
export function encodingOf(eventPublisherEnabled: boolean, samples: readonly MetricSample[]): PtpStateEncoding {
  if (eventPublisherEnabled) return 'EVENTS';
  return samples.some((s) => s.name === PtpMetric.threshold) ? 'EVENTS' : 'DAEMON';
}

export function isOsClock(process: string, iface: string): boolean {
  return process === 'phc2sys' || iface === CLOCK_REALTIME;
}

export function clockEventType(process: string, iface: string): string {
  return isOsClock(process, iface) ? OranEventType.osClockState : OranEventType.ptpState;
}

export function clockResourceAddress(node: string, process: string, iface: string): string {
  return isOsClock(process, iface) ? `/cluster/node/${node}/${CLOCK_REALTIME}` : `/cluster/node/${node}/${iface}/master`;
}

export function syncStateResourceAddress(node: string): string {
  return `/cluster/node/${node}/sync/sync-status/sync-state`;
}

export function clockClassResourceAddress(node: string): string {
  return `/cluster/node/${node}/sync/ptp-status/clock-class`;
}

const PROCESS_ORDER = ['ts2phc', 'gnss', 'dpll', 'ptp4l', 'phc2sys', 'synce4l', 'chronyd'];

function processRank(process: string): number {
  const i = PROCESS_ORDER.indexOf(process);
  return i < 0 ? PROCESS_ORDER.length : i;
}

function finite(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

export interface NodePtpInput {
  clusterName: string;
  nodeName: string;
  /** This node's `openshift_ptp_*` samples (any other labels are ignored). */
  samples: readonly MetricSample[];
  /** Where the samples were read; null when there were none to read. */
  read: MetricRead | null;
  /** PtpOperatorConfig spec.ptpEventConfig.enableEventPublisher of the node's cluster. */
  eventPublisherEnabled: boolean;
  /** Profiles applied to the node, with their names. */
  profiles: readonly PtpProfileSpec[];
  device: NodePtpDeviceObject | null;
}

interface ClockAcc {
  process: string;
  iface: string;
  from?: string;
  state?: number;
  offset?: number;
  maxOffset?: number;
  delay?: number;
  freq?: number;
}

function thresholdsOf(samples: readonly MetricSample[], profiles: readonly PtpProfileSpec[]): PtpThresholds {
  const byProfile = new Map<string, Map<string, number>>();
  for (const s of samples) {
    if (s.name !== PtpMetric.threshold || !Number.isFinite(s.value)) continue;
    const profile = s.labels.profile ?? '';
    const map = byProfile.get(profile) ?? new Map<string, number>();
    map.set(s.labels.threshold ?? '', s.value);
    byProfile.set(profile, map);
  }
  if (byProfile.size > 0) {
    const applied = profiles.map((p) => p.name).find((name) => name !== undefined && byProfile.has(name));
    const profile = applied ?? [...byProfile.keys()].sort()[0];
    const values = byProfile.get(profile)!;
    const fallback = profileThresholds(profiles.find((p) => p.name === profile));
    return {
      profile: profile || null,
      holdOverTimeoutSeconds: Math.trunc(values.get('HoldOverTimeout') ?? fallback.holdOverTimeoutSeconds),
      maxOffsetNs: Math.trunc(values.get('MaxOffsetThreshold') ?? fallback.maxOffsetNs),
      minOffsetNs: Math.trunc(values.get('MinOffsetThreshold') ?? fallback.minOffsetNs),
      source: 'METRICS',
    };
  }
  return profileThresholds(profiles[0]);
}

function processKey(process: string, config: string | null): string {
  return `${process}\u0000${config ?? ''}`;
}

function processesOf(samples: readonly MetricSample[]): PtpProcess[] {
  const byKey = new Map<string, PtpProcess>();
  const entry = (process: string, config: string | null): PtpProcess => {
    const key = processKey(process, config);
    let p = byKey.get(key);
    if (!p) {
      p = { name: process, config, status: 'UNKNOWN', restartCount: null, clockClass: null };
      byKey.set(key, p);
    }
    return p;
  };
  const classWithoutConfig = new Map<string, number>();
  for (const s of samples) {
    const process = s.labels.process;
    if (!process) continue;
    const config = text(s.labels.config);
    switch (s.name) {
      case PtpMetric.processStatus:
        entry(process, config).status = s.value === 1 ? 'UP' : s.value === 0 ? 'DOWN' : 'UNKNOWN';
        break;
      case PtpMetric.restartCount:
        entry(process, config).restartCount = Number.isFinite(s.value) ? Math.trunc(s.value) : null;
        break;
      case PtpMetric.clockClass:
        if (!Number.isFinite(s.value)) break;
        // OCP ≥ 4.18 labels clock class with the config file; older ones with the process only.
        if (config === null) classWithoutConfig.set(process, Math.trunc(s.value));
        else entry(process, config).clockClass = Math.trunc(s.value);
        break;
    }
  }
  for (const [process, clockClass] of classWithoutConfig) {
    const same = [...byKey.values()].filter((p) => p.name === process);
    if (same.length === 0) entry(process, null).clockClass = clockClass;
    for (const p of same) p.clockClass ??= clockClass;
  }
  return [...byKey.values()].sort(
    (a, b) => processRank(a.name) - processRank(b.name) || a.name.localeCompare(b.name) || (a.config ?? '').localeCompare(b.config ?? ''),
  );
}

function portsOf(samples: readonly MetricSample[]): PtpPort[] {
  const ports = new Map<string, PtpPort>();
  for (const s of samples) {
    if (s.name !== PtpMetric.interfaceRole || !s.labels.iface) continue;
    const process = s.labels.process ?? '';
    ports.set(`${process}\u0000${s.labels.iface}`, {
      process,
      name: s.labels.iface,
      alias: aliasOf(s.labels.iface),
      role: decodePortRole(s.value),
      roleValue: finite(s.value),
    });
  }
  return [...ports.values()].sort((a, b) => processRank(a.process) - processRank(b.process) || a.name.localeCompare(b.name));
}

/** The node's main clock: ptp4l master offset (on its SLAVE port if several), else ts2phc, else any non-system clock, else phc2sys. */
function mainClock(clocks: readonly PtpClock[], ports: readonly PtpPort[]): PtpClock | undefined {
  const slaveAliases = new Set(ports.filter((p) => p.role === 'SLAVE').map((p) => p.alias));
  const ptp4l = clocks.filter((c) => c.process === 'ptp4l' && c.interface !== CLOCK_REALTIME);
  return (
    ptp4l.find((c) => slaveAliases.has(c.interface)) ??
    ptp4l[0] ??
    clocks.find((c) => c.process === 'ts2phc') ??
    clocks.find((c) => !isOsClock(c.process, c.interface)) ??
    clocks[0]
  );
}

export function decodeNodePtp(input: NodePtpInput): NodePtpModel {
  const { samples, nodeName } = input;
  const encoding = encodingOf(input.eventPublisherEnabled, samples);
  const thresholds = thresholdsOf(samples, input.profiles);
  const ports = portsOf(samples);
  const processes = processesOf(samples);
  const device = input.device ? mapNodePtpDevice(input.device) : null;

  // Real port names behind each alias: role metrics, the device list and the profiles' interfaces.
  const portsByAlias = new Map<string, Set<string>>();
  const addPort = (name: string) => {
    const alias = aliasOf(name);
    const set = portsByAlias.get(alias) ?? new Set<string>();
    set.add(name);
    portsByAlias.set(alias, set);
  };
  for (const p of ports) addPort(p.name);
  for (const d of device?.devices ?? []) addPort(d.name);
  for (const p of input.profiles) profileInterfaces(p).forEach(addPort);

  const clocksByKey = new Map<string, ClockAcc>();
  const clockStateSeen = new Set<string>();
  for (const s of samples) {
    const process = s.labels.process;
    const iface = s.labels.iface;
    if (!process || !iface) continue;
    let field: 'offset' | 'maxOffset' | 'delay' | 'freq' | 'state' | undefined;
    switch (s.name) {
      case PtpMetric.offset:
        field = 'offset';
        break;
      case PtpMetric.maxOffset:
        field = 'maxOffset';
        break;
      case PtpMetric.delay:
        field = 'delay';
        break;
      case PtpMetric.frequencyAdjustment:
        field = 'freq';
        break;
      case PtpMetric.clockState:
        field = 'state';
        break;
    }
    if (!field) continue;
    const key = `${process}\u0000${iface}`;
    const acc = clocksByKey.get(key) ?? { process, iface };
    if (field === 'state') {
      acc.state = s.value;
      clockStateSeen.add(key);
    } else {
      // Several `from` values for one process/interface: keep the master/phc reading.
      if (acc.from !== undefined && acc.from !== s.labels.from && s.labels.from === 'sys') continue;
      acc[field] = s.value;
      if (s.labels.from) acc.from = s.labels.from;
    }
    clocksByKey.set(key, acc);
  }

  const clocks: PtpClock[] = [...clocksByKey.values()]
    .map((c) => {
      const faulty = c.offset === FAULT_SENTINEL_NS || c.maxOffset === FAULT_SENTINEL_NS;
      const offsetNs = faulty ? null : finite(c.offset);
      const beyond = faulty || (offsetNs !== null && (offsetNs > thresholds.maxOffsetNs || offsetNs < thresholds.minOffsetNs));
      return {
        process: c.process,
        interface: c.iface,
        ports: c.iface === CLOCK_REALTIME ? [] : [...(portsByAlias.get(c.iface) ?? [])].sort(),
        from: text(c.from),
        state: decodeClockState(c.state, c.process, encoding),
        stateValue: finite(c.state),
        offsetNs,
        maxOffsetNs: c.maxOffset === FAULT_SENTINEL_NS ? null : finite(c.maxOffset),
        pathDelayNs: finite(c.delay),
        frequencyAdjustment: finite(c.freq),
        faulty,
        beyondThreshold: beyond,
        eventType: clockEventType(c.process, c.iface),
        resourceAddress: clockResourceAddress(nodeName, c.process, c.iface),
      };
    })
    .sort((a, b) => processRank(a.process) - processRank(b.process) || a.process.localeCompare(b.process) || a.interface.localeCompare(b.interface));

  const withState = clocks.filter((c) => clockStateSeen.has(`${c.process}\u0000${c.interface}`));
  const main = mainClock(clocks, ports);
  const offsets = clocks.map((c) => c.offsetNs).filter((o): o is number => o !== null);
  const ptp4lClass = processes.find((p) => p.name === 'ptp4l' && p.clockClass !== null)?.clockClass;
  const metricsGrandmaster = samples.some((s) => s.labels.process === 'ts2phc' || s.labels.process === 'gnss' || s.labels.process === 'dpll');

  return {
    clusterName: input.clusterName,
    nodeName,
    syncState: worstState(withState.map((c) => c.state)),
    clockClass: ptp4lClass ?? processes.find((p) => p.clockClass !== null)?.clockClass ?? null,
    offsetNs: main?.offsetNs ?? null,
    maxAbsOffsetNs: offsets.length ? Math.max(...offsets.map(Math.abs)) : null,
    beyondThreshold: clocks.some((c) => c.beyondThreshold),
    grandmasterCapable: metricsGrandmaster || input.profiles.some(isGrandmasterProfile),
    encoding,
    clocks,
    ports,
    processes,
    thresholds,
    profiles: input.profiles.map((p) => p.name ?? '').filter(Boolean),
    device,
    read: input.read,
  };
}

/** Samples by their `node` label. */
export function samplesByNode(samples: readonly MetricSample[]): Map<string, MetricSample[]> {
  const byNode = new Map<string, MetricSample[]>();
  for (const s of samples) {
    if (!s.name.startsWith(PTP_METRIC_PREFIX)) continue;
    const node = s.labels.node;
    if (!node) continue;
    const list = byNode.get(node) ?? [];
    list.push(s);
    byNode.set(node, list);
  }
  return byNode;
}
