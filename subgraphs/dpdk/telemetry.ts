// The DPDK v2 telemetry protocol as the pod's exporter relays it (reference/domain-models.md §3), and
// which pods carry such an exporter. Pure functions, unit-tested on socket-shaped replies
// (test/unit/dpdk-telemetry.test.ts).
//  - A reply is one JSON object whose single key is the command without parameters:
//    `{"/ethdev/stats": {...}}`; an unknown command or a failed handler answers `{"<cmd>": null}`.
//  - `/ethdev/stats` fields are uint64: JSON numbers here, exact up to 2^53.
import type { Pod } from '../kube/objects.js';
import type { DpdkLinkStatus, DpdkMarker, DpdkPortInfo, DpdkXstat } from './generated/types.js';

/** Our documented marker (simulator/fleet/cnf.ts): the annotation (value: port) or a container port name. */
export const DPDK_TELEMETRY_ANNOTATION = 'fleetgraph.io/dpdk-telemetry';
export const DPDK_TELEMETRY_PORT_NAME = 'dpdk-telemetry';
/** Default port of DPDK's usertools/dpdk-telemetry-exporter.py. */
export const DPDK_TELEMETRY_DEFAULT_PORT = 9876;

export const STAT_FIELDS = ['ipackets', 'opackets', 'ibytes', 'obytes', 'imissed', 'ierrors', 'oerrors', 'rx_nombuf'] as const;
export type StatField = (typeof STAT_FIELDS)[number];
export type StatValues = Record<StatField, number>;

export interface TelemetryEndpoint {
  marker: DpdkMarker;
  port: number;
}

/** Where a pod's DPDK telemetry exporter listens; null when the pod carries none. */
export function telemetryEndpoint(pod: Pod): TelemetryEndpoint | null {
  const ports = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  const named = ports.find((p) => p.name === DPDK_TELEMETRY_PORT_NAME);
  const annotation = pod.metadata.annotations?.[DPDK_TELEMETRY_ANNOTATION]?.trim();
  if (annotation) {
    if (/^\d+$/.test(annotation)) return { marker: 'ANNOTATION', port: Number(annotation) };
    // A port name: the pod proxy wants a number on real API servers, so resolve it here.
    const byName = ports.find((p) => p.name === annotation);
    if (byName) return { marker: 'ANNOTATION', port: byName.containerPort };
    return { marker: 'ANNOTATION', port: named?.containerPort ?? DPDK_TELEMETRY_DEFAULT_PORT };
  }
  return named ? { marker: 'PORT_NAME', port: named.containerPort } : null;
}

/** `/ethdev/stats,0` → `/ethdev/stats`. */
export function commandName(command: string): string {
  const comma = command.indexOf(',');
  return comma < 0 ? command : command.slice(0, comma);
}

export class TelemetryReplyError extends Error {
  override readonly name = 'TelemetryReplyError';
  constructor(
    message: string,
    readonly reason: 'MalformedTelemetry' | 'TelemetryCommandFailed',
  ) {
    super(message);
  }
}

/** The value of a socket reply; throws TelemetryReplyError when it is not JSON or the command failed (null). */
export function parseReply(command: string, text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TelemetryReplyError(`telemetry reply to ${command} is not JSON`, 'MalformedTelemetry');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TelemetryReplyError(`telemetry reply to ${command} is not a JSON object`, 'MalformedTelemetry');
  }
  const reply = parsed as Record<string, unknown>;
  const name = commandName(command);
  const keys = Object.keys(reply);
  const value = name in reply ? reply[name] : keys.length === 1 ? reply[keys[0]] : undefined;
  if (value === undefined) throw new TelemetryReplyError(`telemetry reply to ${command} has no "${name}" key`, 'MalformedTelemetry');
  if (value === null) throw new TelemetryReplyError(`DPDK telemetry refused ${command} (null reply: unknown command or port)`, 'TelemetryCommandFailed');
  return value;
}

function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}

/** `/ethdev/list` → port ids. */
export function mapPortList(value: unknown): number[] {
  if (!Array.isArray(value)) throw new TelemetryReplyError('/ethdev/list reply is not an array', 'MalformedTelemetry');
  return value.map(num).filter((n): n is number => n !== null && Number.isInteger(n)).sort((a, b) => a - b);
}

/** `/ethdev/stats` → the eight rte_eth_stats counters (absent ones read 0; q_* arrays ignored). */
export function mapStats(value: unknown): StatValues {
  if (!value || typeof value !== 'object') throw new TelemetryReplyError('/ethdev/stats reply is not an object', 'MalformedTelemetry');
  const raw = value as Record<string, unknown>;
  const out = {} as StatValues;
  for (const field of STAT_FIELDS) out[field] = num(raw[field]) ?? 0;
  return out;
}

/** Everything lost on receive and transmit: imissed + rx_nombuf + ierrors + oerrors. */
export function drops(s: StatValues): number {
  return s.imissed + s.rx_nombuf + s.ierrors + s.oerrors;
}

export function mapLinkStatus(value: unknown): DpdkLinkStatus {
  const raw = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const status = typeof raw.status === 'string' ? raw.status.toUpperCase() : 'DOWN';
  const speed = num(raw.speed);
  return {
    status,
    up: status === 'UP',
    speedMbps: speed === null ? null : Math.trunc(speed),
    duplex: typeof raw.duplex === 'string' ? raw.duplex : null,
  };
}

function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}

export function mapPortInfo(value: unknown): DpdkPortInfo {
  const raw = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const int = (v: unknown) => {
    const n = num(v);
    return n === null ? null : Math.trunc(n);
  };
  return {
    name: typeof raw.name === 'string' ? raw.name : null,
    driver: typeof raw.driver_name === 'string' ? raw.driver_name : null,
    numaNode: int(raw.numa_node),
    rxQueues: int(raw.nb_rx_queues),
    txQueues: int(raw.nb_tx_queues),
    mtu: int(raw.mtu),
    macAddress: typeof raw.mac_addr === 'string' ? raw.mac_addr : null,
    started: flag(raw.dev_started),
    configured: flag(raw.dev_configured),
    promiscuous: flag(raw.promiscuous),
    rxOffloads: strings(raw.rx_offloads),
    txOffloads: strings(raw.tx_offloads),
  };
}

export function mapXstats(value: unknown, options: { hideZero?: boolean | null; prefix?: string | null } = {}): DpdkXstat[] {
  if (!value || typeof value !== 'object') throw new TelemetryReplyError('/ethdev/xstats reply is not an object', 'MalformedTelemetry');
  const out: DpdkXstat[] = [];
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    const n = num(v);
    if (n === null) continue;
    if (options.hideZero && n === 0) continue;
    if (options.prefix && !name.startsWith(options.prefix)) continue;
    out.push({ name, value: n });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const PCI_ADDRESS = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;

/** A DPDK port of a PCI device is named by its PCI address (`0000:51:01.0`). */
export function pciAddressOf(portName: string | null): string | null {
  return portName && PCI_ADDRESS.test(portName) ? portName.toLowerCase() : null;
}
