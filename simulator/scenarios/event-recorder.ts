// core/v1 Events written the way client-go's legacy EventRecorder writes them (kubelet, Multus and
// OVN-Kubernetes all use it; tools/record/events_cache.go): an occurrence identical to an earlier one
// (same source, object, type, reason and message) patches that Event's `count` and `lastTimestamp`;
// once 10 different messages with the same source, object, type and reason arrived within 10 minutes,
// further ones go to a single Event "(combined from similar events): <latest message>" whose count grows.
// Event names are `<object>.<UnixNano in hex>`, as the recorder makes them.
import type { SimCluster } from '../cluster.js';
import type { EventInput } from '../fleet/core.js';
import { K } from '../fleet/kind-keys.js';
import type { KubeObject } from '../types.js';

const MAX_SIMILAR = 10;
const AGGREGATE_WINDOW_MS = 600_000;
const COMBINED_PREFIX = '(combined from similar events): ';

/** One occurrence: what the generator's Events carry, minus the times and count the recorder owns. */
export type EventOccurrence = Pick<EventInput, 'involved' | 'type' | 'reason' | 'message' | 'component' | 'host'>;

interface Logged {
  name: string;
  namespace: string;
}

interface Similar {
  messages: Set<string>;
  last: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class EventRecorder {
  private readonly logged = new Map<string, Logged>();
  private readonly similar = new Map<string, Similar>();
  private sequence = 0n;

  constructor(
    private readonly cluster: SimCluster,
    private readonly now: () => number,
  ) {}

  /** Record one occurrence; returns the Event as stored (created or patched). */
  record(o: EventOccurrence): KubeObject {
    const now = this.now();
    const ref = o.involved;
    const namespace = ref.metadata.namespace ?? 'default';
    const objectKey = [o.component, o.host ?? '', ref.kind, namespace, ref.metadata.name, ref.metadata.uid ?? '', ref.apiVersion].join('\u0000');
    const aggregateKey = [objectKey, o.type, o.reason].join('\u0000');
    let similar = this.similar.get(aggregateKey);
    if (!similar || now - similar.last > AGGREGATE_WINDOW_MS) this.similar.set(aggregateKey, (similar = { messages: new Set(), last: now }));
    similar.last = now;
    similar.messages.add(o.message);
    const combined = similar.messages.size >= MAX_SIMILAR;
    const message = combined ? COMBINED_PREFIX + o.message : o.message;
    const key = combined ? aggregateKey : [aggregateKey, o.message].join('\u0000');

    const seen = this.logged.get(key);
    if (seen && this.cluster.store.get(K.events, seen.namespace, seen.name)) {
      return this.cluster.store.mutate(K.events, seen.namespace, seen.name, (e) => ({
        ...e,
        count: ((e.count as number | undefined) ?? 1) + 1,
        lastTimestamp: iso(now),
        message,
      }));
    }
    const name = `${ref.metadata.name}.${(BigInt(now) * 1_000_000n + this.sequence++).toString(16)}`;
    this.logged.set(key, { name, namespace });
    return this.cluster.store.create(K.events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.metadata.name, namespace, uid: ref.metadata.uid, resourceVersion: ref.metadata.resourceVersion },
      reason: o.reason,
      message,
      source: o.host ? { component: o.component, host: o.host } : { component: o.component },
      firstTimestamp: iso(now),
      lastTimestamp: iso(now),
      count: 1,
      type: o.type,
      eventTime: null,
      reportingComponent: o.component,
      reportingInstance: o.host ?? '',
    });
  }
}

const recorders = new WeakMap<SimCluster, EventRecorder>();

/** The recorder of a cluster (one per cluster, like one kubelet's correlator cache per node). */
export function eventRecorderFor(cluster: SimCluster, now: () => number): EventRecorder {
  let r = recorders.get(cluster);
  if (!r) recorders.set(cluster, (r = new EventRecorder(cluster, now)));
  return r;
}
