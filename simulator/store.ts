// The object store of one simulated cluster: what etcd + the API server's watch cache are to a real one.
// Every change (API writes, fleet generation, scenarios) goes through here, so watches see all of it.
// Stored objects are never mutated in place: a change replaces the object, so readers may hold references.
import { randomUUID } from 'node:crypto';
import type { KindKey, KubeObject, StoreEvent, WatchEventType } from './types.js';

export class StoreError extends Error {
  constructor(
    readonly code: 404 | 409 | 410 | 422,
    readonly reason: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired' | 'Invalid',
    message: string,
  ) {
    super(message);
  }
}

export type StoreListener = (event: StoreEvent) => void;

export interface StoreOptions {
  /** How many change events are retained for watch replay; older resourceVersions get 410 Gone. */
  historySize?: number;
}

function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class ClusterStore {
  private revision = 1;
  private readonly collections = new Map<KindKey, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  /** The oldest resourceVersion a watch may resume from (anything older is compacted: 410). */
  private oldestRetained = 1;
  private readonly listeners = new Map<KindKey, Set<StoreListener>>();
  private readonly historySize: number;

  constructor(options: StoreOptions = {}) {
    this.historySize = options.historySize ?? 1000;
  }

  /** Current revision of the whole cluster (the resourceVersion a LIST returns). */
  get resourceVersion(): number {
    return this.revision;
  }

  get oldestResourceVersion(): number {
    return this.oldestRetained;
  }

  get(kind: KindKey, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.collections.get(kind)?.get(objectKey(namespace, name));
  }

  /** Objects of a kind (optionally one namespace), sorted by namespace/name so `continue` tokens are stable. */
  list(kind: KindKey, namespace?: string): KubeObject[] {
    const collection = this.collections.get(kind);
    if (!collection) return [];
    const items = [...collection.entries()]
      .filter(([, obj]) => namespace === undefined || obj.metadata.namespace === namespace)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, obj]) => obj);
    return items;
  }

  count(kind: KindKey): number {
    return this.collections.get(kind)?.size ?? 0;
  }

  create(kind: KindKey, input: KubeObject): KubeObject {
    const key = objectKey(input.metadata.namespace, input.metadata.name);
    const collection = this.collection(kind);
    if (collection.has(key)) {
      throw new StoreError(409, 'AlreadyExists', `"${input.metadata.name}" already exists`);
    }
    const rv = ++this.revision;
    const obj: KubeObject = {
      ...input,
      metadata: {
        ...input.metadata,
        uid: input.metadata.uid ?? randomUUID(),
        resourceVersion: String(rv),
        generation: input.metadata.generation ?? 1,
        // RFC 3339 at second precision, as the API server serializes metav1.Time
        creationTimestamp: input.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
    collection.set(key, obj);
    this.record('ADDED', kind, obj, rv);
    return obj;
  }

  /**
   * Replace an object. When `input.metadata.resourceVersion` is set it must match (optimistic concurrency,
   * 409 Conflict otherwise), as on a real API server. `bumpGeneration` is true for spec changes.
   */
  update(kind: KindKey, input: KubeObject, options: { bumpGeneration?: boolean } = {}): KubeObject {
    const key = objectKey(input.metadata.namespace, input.metadata.name);
    const collection = this.collection(kind);
    const current = collection.get(key);
    if (!current) throw new StoreError(404, 'NotFound', `"${input.metadata.name}" not found`);
    const expected = input.metadata.resourceVersion;
    if (expected !== undefined && expected !== '' && expected !== current.metadata.resourceVersion) {
      throw new StoreError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on "${input.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const rv = ++this.revision;
    const obj: KubeObject = {
      ...input,
      metadata: {
        ...input.metadata,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        resourceVersion: String(rv),
        generation: (current.metadata.generation ?? 1) + (options.bumpGeneration ? 1 : 0),
      },
    };
    collection.set(key, obj);
    this.record('MODIFIED', kind, obj, rv, current);
    return obj;
  }

  /** Apply a change function to the current object and store the result (used by scenarios and patches). */
  mutate(
    kind: KindKey,
    namespace: string | undefined,
    name: string,
    change: (current: KubeObject) => KubeObject,
    options: { bumpGeneration?: boolean } = {},
  ): KubeObject {
    const current = this.get(kind, namespace, name);
    if (!current) throw new StoreError(404, 'NotFound', `"${name}" not found`);
    const next = change(structuredClone(current));
    return this.update(kind, { ...next, metadata: { ...next.metadata, resourceVersion: undefined } }, options);
  }

  /**
   * What DELETE does to an object a finalizer holds: marks it (deletionTimestamp, grace 0) and bumps its
   * generation, as kube-apiserver's markAsDeleting does; an object already marked stays as it is.
   */
  markDeleting(kind: KindKey, namespace: string | undefined, name: string, now: number): KubeObject {
    const current = this.get(kind, namespace, name);
    if (!current) throw new StoreError(404, 'NotFound', `"${name}" not found`);
    if (current.metadata.deletionTimestamp) return current;
    const deletionTimestamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return this.mutate(kind, namespace, name, (obj) => ({ ...obj, metadata: { ...obj.metadata, deletionTimestamp, deletionGracePeriodSeconds: 0 } }), { bumpGeneration: true });
  }

  delete(kind: KindKey, namespace: string | undefined, name: string): KubeObject {
    const key = objectKey(namespace, name);
    const collection = this.collection(kind);
    const current = collection.get(key);
    if (!current) throw new StoreError(404, 'NotFound', `"${name}" not found`);
    collection.delete(key);
    const rv = ++this.revision;
    const obj: KubeObject = { ...current, metadata: { ...current.metadata, resourceVersion: String(rv) } };
    this.record('DELETED', kind, obj, rv, current);
    return obj;
  }

  /**
   * Events of `kind` after resourceVersion `since`, for a watch that resumes there.
   * Throws 410 Expired when `since` is older than the retained history.
   */
  eventsSince(kind: KindKey, since: number): StoreEvent[] {
    if (since < this.oldestRetained - 1) {
      throw new StoreError(410, 'Expired', `too old resource version: ${since} (${this.oldestRetained - 1})`);
    }
    return this.history.filter((e) => e.kindKey === kind && e.resourceVersion > since);
  }

  /**
   * Objects of a kind as they were at resourceVersion `at` (sorted as list()), rebuilt from the current
   * state and the retained history; throws 410 Expired when `at` is older than that history.
   */
  listAt(kind: KindKey, namespace: string | undefined, at: number): KubeObject[] {
    if (at >= this.revision) return this.list(kind, namespace);
    const later = this.eventsSince(kind, at);
    const current = new Map(this.list(kind, namespace).map((o) => [objectKey(o.metadata.namespace, o.metadata.name), o]));
    const seen = new Set<string>();
    for (const event of later) {
      const key = objectKey(event.object.metadata.namespace, event.object.metadata.name);
      if (seen.has(key)) continue;
      seen.add(key);
      // the first change after `at` tells what the object was at `at`
      if (event.type === 'ADDED') current.delete(key);
      else if (event.previous && (namespace === undefined || event.previous.metadata.namespace === namespace)) current.set(key, event.previous);
    }
    return [...current.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }

  subscribe(kind: KindKey, listener: StoreListener): () => void {
    let set = this.listeners.get(kind);
    if (!set) this.listeners.set(kind, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  /** Drop all retained history (as etcd compaction does): every watch resuming from an older RV gets 410. */
  compact(): void {
    this.history.length = 0;
    this.oldestRetained = this.revision + 1;
  }

  private collection(kind: KindKey): Map<string, KubeObject> {
    let collection = this.collections.get(kind);
    if (!collection) this.collections.set(kind, (collection = new Map()));
    return collection;
  }

  private record(type: WatchEventType, kind: KindKey, object: KubeObject, resourceVersion: number, previous?: KubeObject): void {
    const event: StoreEvent = previous ? { type, kindKey: kind, object, previous, resourceVersion } : { type, kindKey: kind, object, resourceVersion };
    this.history.push(event);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.oldestRetained = dropped[dropped.length - 1].resourceVersion + 1;
    }
    for (const listener of this.listeners.get(kind) ?? []) listener(event);
  }
}
