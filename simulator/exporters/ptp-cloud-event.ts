// The PTP events cloud-event-proxy publishes for its node, in the REST API v2 shapes (domain-models §1.4):
// the four publishers a non-GNSS profile has, and the CloudEvent of each, read from PtpNodeTelemetry at
// one instant. The GNSS and SyncE publishers are not modelled.
import { randomUUID } from 'node:crypto';
import type { ClockState, PtpNodeTelemetry, PtpSnapshot } from './ptp.js';
import { ptpInterfaceAlias } from './ptp-config.js';

export const PTP_EVENT_RESOURCES = [
  { suffix: '/sync/sync-status/sync-state', type: 'event.sync.sync-status.synchronization-state-change' },
  { suffix: '/sync/ptp-status/lock-state', type: 'event.sync.ptp-status.ptp-state-change' },
  { suffix: '/sync/sync-status/os-clock-sync-state', type: 'event.sync.sync-status.os-clock-sync-state-change' },
  { suffix: '/sync/ptp-status/clock-class', type: 'event.sync.ptp-status.ptp-clock-class-change' },
] as const;

export type PtpEventResource = (typeof PTP_EVENT_RESOURCES)[number];

export interface PtpEventValue {
  ResourceAddress: string;
  data_type: 'notification' | 'metric';
  value_type: 'enumeration' | 'decimal64.3';
  value: string | number;
}

export interface PtpCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  data: { version: '1.0'; values: PtpEventValue[] };
}

const nodePrefix = (node: string): string => `/cluster/node/${node}`;

/** The publisher addresses of a node, e.g. `/cluster/node/<node>/sync/ptp-status/lock-state`. */
export function publisherAddresses(node: string): string[] {
  return PTP_EVENT_RESOURCES.map((r) => nodePrefix(node) + r.suffix);
}

/** The resource an address names on this node, or undefined when the node publishes no such thing. */
export function resourceAt(node: string, address: string): PtpEventResource | undefined {
  const prefix = nodePrefix(node);
  if (!address.startsWith(prefix)) return undefined;
  return PTP_EVENT_RESOURCES.find((r) => r.suffix === address.slice(prefix.length));
}

const SEVERITY: Record<ClockState, number> = { LOCKED: 0, HOLDOVER: 1, FREERUN: 2 };

/** The node's overall sync state: the worse of the PTP clock and the OS clock. */
function syncState(s: PtpSnapshot): ClockState {
  return SEVERITY[s.osClockState] > SEVERITY[s.state] ? s.osClockState : s.state;
}

/**
 * What makes an event when it changes: the state string, or the clock class number. The offsets that
 * ride along as metric values are noise and never make an event by themselves.
 */
export function eventKey(s: PtpSnapshot, resource: PtpEventResource): string | number {
  switch (resource.suffix) {
    case '/sync/sync-status/sync-state':
      return syncState(s);
    case '/sync/ptp-status/lock-state':
      return s.state;
    case '/sync/sync-status/os-clock-sync-state':
      return s.osClockState;
    case '/sync/ptp-status/clock-class':
      return s.clockClass;
  }
}

const notification = (ResourceAddress: string, value: string): PtpEventValue => ({ ResourceAddress, data_type: 'notification', value_type: 'enumeration', value });
const metric = (ResourceAddress: string, value: number): PtpEventValue => ({ ResourceAddress, data_type: 'metric', value_type: 'decimal64.3', value });

function values(ptp: PtpNodeTelemetry, s: PtpSnapshot, resource: PtpEventResource, address: string): PtpEventValue[] {
  const c = ptp.config!;
  // lock-state and clock-class name the port of the primary servo, as `/cluster/node/<node>/ens5fx/master`
  const port = `${nodePrefix(s.node)}/${ptpInterfaceAlias(c.timeReceiverPort ?? c.slavePort ?? 'ens5f0')}/master`;
  switch (resource.suffix) {
    case '/sync/sync-status/sync-state':
      return [notification(address, syncState(s))];
    case '/sync/ptp-status/lock-state':
      return [notification(port, s.state), metric(port, s.offsetNs)];
    case '/sync/sync-status/os-clock-sync-state': {
      const clock = `${nodePrefix(s.node)}/CLOCK_REALTIME`;
      return [notification(clock, s.osClockState), metric(clock, s.osClockOffsetNs)];
    }
    case '/sync/ptp-status/clock-class':
      return [metric(port, s.clockClass)];
  }
}

/** The CloudEvent of `address` at `t` (CurrentState and pushes alike); undefined for an unknown address. */
export function ptpCloudEvent(ptp: PtpNodeTelemetry, address: string, t: number): PtpCloudEvent | undefined {
  const s = ptp.snapshot(t);
  const resource = s && resourceAt(s.node, address);
  if (!s || !resource) return undefined;
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: address,
    type: resource.type,
    time: new Date(t).toISOString(),
    data: { version: '1.0', values: values(ptp, s, resource, address) },
  };
}
