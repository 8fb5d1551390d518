// Pushes PTP events to the subscribers of the simulated cloud-event-proxies. PTP state is a function of
// time (ptp.ts), so nothing announces a change: one sampler for the whole process reads the subscribed
// resources every SAMPLE_MS and POSTs a resource's CloudEvent to each of its subscriptions when its
// state (or clock class) differs from the last one seen. The timer exists only while a subscription
// does, and is unref'd. At most one POST per subscription is in flight; changes meanwhile coalesce into
// one POST of the state at the time it is sent. Failed POSTs are counted and otherwise ignored.
import type { SimCluster } from '../cluster.js';
import { telemetryFor } from './telemetry.js';
import { eventKey, ptpCloudEvent, resourceAt, type PtpEventResource } from './ptp-cloud-event.js';
import type { PtpSnapshot } from './ptp.js';
import type { PtpSubscription } from './ptp-events.js';

/** How often the subscribed resources are read (real time), so an event leaves within ~this of its change. */
export const SAMPLE_MS = 10;
/** A subscriber that does not answer within this is given up on for that event. */
export const POST_TIMEOUT_MS = 2000;

export interface PushTarget {
  cluster: SimCluster;
  node: string;
  subscription: PtpSubscription;
}

interface Watched extends PushTarget {
  resource: PtpEventResource;
  last: string | number | undefined;
  inFlight: boolean;
  /** A change came while a POST was in flight: send the state again once it is done. */
  again: boolean;
}

const watched = new Map<string, Watched>();
/** Aborts the cluster's in-flight POSTs when its subscriptions are dropped (simulator stop). */
const aborts = new Map<SimCluster, AbortController>();
let timer: ReturnType<typeof setInterval> | undefined;

function snapshotOf(target: PushTarget): PtpSnapshot | undefined {
  const tel = telemetryFor(target.cluster);
  return tel.ptp(target.node)?.snapshot(tel.now());
}

function count(cluster: SimCluster, key: string): void {
  cluster.counters.set(key, (cluster.counters.get(key) ?? 0) + 1);
}

function post(w: Watched): void {
  const tel = telemetryFor(w.cluster);
  const ptp = tel.ptp(w.node);
  const event = ptp && ptpCloudEvent(ptp, w.subscription.ResourceAddress, tel.now());
  if (!event) return;
  w.inFlight = true;
  let abort = aborts.get(w.cluster);
  if (!abort) aborts.set(w.cluster, (abort = new AbortController()));
  fetch(w.subscription.EndpointUri, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(event),
    signal: AbortSignal.any([AbortSignal.timeout(POST_TIMEOUT_MS), abort.signal]),
  })
    .then(async (res) => {
      await res.arrayBuffer();
      count(w.cluster, res.ok ? 'ptp-event posted' : 'ptp-event failed');
    })
    .catch(() => count(w.cluster, 'ptp-event failed'))
    .finally(() => {
      w.inFlight = false;
      if (w.again && watched.get(w.subscription.SubscriptionId) === w) {
        w.again = false;
        post(w);
      }
    });
}

function deliver(w: Watched): void {
  if (w.inFlight) w.again = true;
  else post(w);
}

function sample(): void {
  // one snapshot per node and tick, however many subscriptions it has
  const snapshots = new Map<string, PtpSnapshot | undefined>();
  for (const w of watched.values()) {
    const key = `${w.cluster.name}\u0000${w.node}`;
    if (!snapshots.has(key)) snapshots.set(key, snapshotOf(w));
    const s = snapshots.get(key);
    if (!s) continue;
    const now = eventKey(s, w.resource);
    if (now === w.last) continue;
    w.last = now;
    deliver(w);
  }
}

/** Start watching a new subscription; its current value is the baseline (no event at subscribe time). */
export function watchSubscription(target: PushTarget): void {
  const resource = resourceAt(target.node, target.subscription.ResourceAddress);
  if (!resource) return;
  const s = snapshotOf(target);
  watched.set(target.subscription.SubscriptionId, { ...target, resource, last: s && eventKey(s, resource), inFlight: false, again: false });
  if (!timer) {
    timer = setInterval(sample, SAMPLE_MS);
    timer.unref();
  }
}

export function unwatchSubscription(id: string): void {
  const w = watched.get(id);
  if (!w) return;
  watched.delete(id);
  if (![...watched.values()].some((o) => o.cluster === w.cluster)) {
    aborts.get(w.cluster)?.abort();
    aborts.delete(w.cluster);
  }
  if (watched.size === 0 && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** Subscriptions being watched, for tests. */
export function watchedSubscriptions(): number {
  return watched.size;
}
