// Network readiness of one pod: from PodScheduled to the moment Multus reported the last expected
// interface (its Normal AddedInterface Events; identical reports of a retried sandbox are one Event whose
// lastTimestamp moves, so the latest occurrence counts), else to PodReadyToStartContainers (the
// sandbox, networks included, is up: clusters without Multus), and to Ready. Slow sandbox creation on a
// site shows up here.
import type { PodNetworkReadinessModel } from './models.js';
import type { EventObject, TimedPod } from './upstream.js';

function ms(value: string | null | undefined): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

function conditionTime(pod: TimedPod, type: string): number | null {
  const c = pod.status?.conditions?.find((x) => x.type === type);
  return c?.status === 'True' ? ms(c.lastTransitionTime) : null;
}

function lastOccurrence(e: EventObject): number | null {
  return ms(e.series?.lastObservedTime) ?? ms(e.lastTimestamp) ?? ms(e.eventTime) ?? ms(e.firstTimestamp);
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const seconds = (from: number | null, to: number | null) => (from === null || to === null ? null : Math.max(0, (to - from) / 1000));

/**
 * `events` may be any Events of the namespace: only this pod's (same uid; same name when the Event has
 * no uid) AddedInterface ones count. `interfacesExpected` is 1 + the pod's requested networks when
 * Multus runs (null when unknown: then every reported interface counts).
 */
export function networkReadiness(pod: TimedPod, events: readonly EventObject[], interfacesExpected: number | null): PodNetworkReadinessModel {
  const scheduled = conditionTime(pod, 'PodScheduled') ?? ms(pod.status?.startTime) ?? ms(pod.metadata.creationTimestamp);
  const uid = pod.metadata.uid;
  const latest = new Map<string, number>();
  for (const e of events) {
    if (e.reason !== 'AddedInterface' || e.involvedObject?.kind !== 'Pod') continue;
    const mine = e.involvedObject.uid ? e.involvedObject.uid === uid : e.involvedObject.name === pod.metadata.name;
    if (!mine) continue;
    const ifName = /^Add (\S+) /.exec(e.message ?? '')?.[1];
    const t = lastOccurrence(e);
    if (!ifName || t === null || (scheduled !== null && t < scheduled)) continue;
    latest.set(ifName, Math.max(t, latest.get(ifName) ?? 0));
  }
  const added = latest.size;
  const allThere = interfacesExpected === null ? added > 0 : added >= interfacesExpected;
  const sandboxReady = conditionTime(pod, 'PodReadyToStartContainers');
  const readyAt = conditionTime(pod, 'Ready');
  let networksReadyAt: number | null = null;
  let measuredBy: PodNetworkReadinessModel['measuredBy'] = 'NONE';
  if (allThere) {
    networksReadyAt = Math.max(...latest.values());
    measuredBy = 'ADDED_INTERFACE';
  } else if (added === 0 && sandboxReady !== null && (interfacesExpected === null || interfacesExpected <= 1)) {
    networksReadyAt = sandboxReady;
    measuredBy = 'SANDBOX_READY';
  }
  return {
    scheduledAt: iso(scheduled),
    networksReadyAt: iso(networksReadyAt),
    readyAt: iso(readyAt),
    secondsToNetworks: seconds(scheduled, networksReadyAt),
    secondsToReady: seconds(scheduled, readyAt),
    measuredBy,
    interfacesAdded: added,
    interfacesExpected,
    pending: scheduled !== null && networksReadyAt === null,
  };
}
