// The objects of one watch cache (client-go's Indexer, client-node's ListWatch cache): objects by
// `namespace/name` with their resourceVersion, plus indexes kept up to date on every change: `namespace`
// always, others as a consumer adds them (e.g. pods by node). Loaders read it in memory; the reflector
// (reflector.ts) is its only writer, and each write returns the change it made, for the listeners.
import { objectKey, type KubeObject } from './objects.js';

export type WatchChangeType = 'add' | 'update' | 'delete';

export interface WatchChange<T> {
  type: WatchChangeType;
  /** The object now (for delete: its last known state). */
  object: T;
  /** The cached object before an update or delete. */
  old?: T;
  /** Emitted by the first list (the cache filling up), not by a change. */
  initial?: boolean;
}

/** The index values of one object (an object may be under several, or none). */
export type IndexFunction<T> = (object: T) => readonly string[];

interface Entry<T> {
  resourceVersion: string;
  namespace: string;
  object: T;
}

/** An object as it arrives, before the store keeps it (the key and resourceVersion come from the raw object). */
export interface Incoming<T> {
  raw: KubeObject;
  object: T;
}

export const NAMESPACE_INDEX = 'namespace';

export class ObjectStore<T> {
  private entries = new Map<string, Entry<T>>();
  private readonly indexers = new Map<string, IndexFunction<Entry<T>>>();
  /** index name → index value → object keys. */
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  /** `list()` until the next change: every reader of an unchanged store gets the same (frozen) array. */
  private listed?: readonly T[];
  private changes = 0;

  constructor(private readonly namespaced: boolean) {
    this.indexers.set(NAMESPACE_INDEX, (e) => [e.namespace]);
    this.indexes.set(NAMESPACE_INDEX, new Map());
  }

  get size(): number {
    return this.entries.size;
  }

  /** Adds an index (built over the objects already stored); `byIndex(name, value)` then answers from it. */
  addIndex(name: string, index: IndexFunction<T>): void {
    if (this.indexers.has(name)) throw new Error(`index "${name}" exists`);
    this.indexers.set(name, (e) => index(e.object));
    const values = new Map<string, Set<string>>();
    this.indexes.set(name, values);
    for (const [key, entry] of this.entries) this.indexEntry(name, key, entry);
  }

  hasIndex(name: string): boolean {
    return this.indexers.has(name);
  }

  /** Every object: one shared array per version of the store, so models derived from it can be memoized. */
  list(): readonly T[] {
    return (this.listed ??= Object.freeze([...this.entries.values()].map((e) => e.object)));
  }

  /** Grows with every change and with the first fill: the same version, the same contents (summary memos compare it). */
  get version(): number {
    return this.changes;
  }

  private changed(): void {
    this.listed = undefined;
    this.changes++;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.entries.get(objectKey(this.namespaced ? namespace : undefined, name))?.object;
  }

  /** The objects under `value` in index `name` (an unknown index is an error: add it first). */
  byIndex(name: string, value: string): T[] {
    const values = this.indexes.get(name);
    if (!values) throw new Error(`no index "${name}"`);
    return [...(values.get(value) ?? [])].map((key) => this.entries.get(key)!.object);
  }

  /** The objects of one namespace (all of a cluster-scoped kind: they have no namespace). */
  inNamespace(namespace: string): readonly T[] {
    return this.namespaced ? this.byIndex(NAMESPACE_INDEX, namespace) : this.list();
  }

  /**
   * Replaces the contents with a full list, returning the changes it amounts to: adds (marked `initial`
   * when the store was never filled), updates where the resourceVersion moved, deletes for what vanished.
   * Unchanged objects keep their identity (consumers may hold them).
   */
  replace(items: readonly Incoming<T>[], initial: boolean): WatchChange<T>[] {
    const next = new Map<string, Entry<T>>();
    const changes: WatchChange<T>[] = [];
    for (const { raw, object } of items) {
      const key = objectKey(raw.metadata.namespace, raw.metadata.name);
      const entry = { resourceVersion: raw.metadata.resourceVersion ?? '', namespace: raw.metadata.namespace ?? '', object };
      const old = this.entries.get(key);
      if (!old) changes.push({ type: 'add', object, ...(initial ? { initial: true } : {}) });
      else if (old.resourceVersion !== entry.resourceVersion) changes.push({ type: 'update', object, old: old.object });
      next.set(key, old && old.resourceVersion === entry.resourceVersion ? old : entry);
    }
    for (const [key, old] of this.entries) {
      if (!next.has(key)) changes.push({ type: 'delete', object: old.object, old: old.object });
    }
    this.entries = next;
    if (changes.length || this.version === 0) this.changed();
    this.reindex();
    return changes;
  }

  /** Adds or updates one object; null when this resourceVersion is already stored (a replay after a reconnect). */
  upsert(raw: KubeObject, shape: () => T): WatchChange<T> | null {
    const key = objectKey(raw.metadata.namespace, raw.metadata.name);
    const old = this.entries.get(key);
    const resourceVersion = raw.metadata.resourceVersion ?? '';
    if (old && old.resourceVersion === resourceVersion) return null;
    const entry = { resourceVersion, namespace: raw.metadata.namespace ?? '', object: shape() };
    if (old) this.unindexEntry(key, old);
    this.entries.set(key, entry);
    this.changed();
    for (const name of this.indexers.keys()) this.indexEntry(name, key, entry);
    return old ? { type: 'update', object: entry.object, old: old.object } : { type: 'add', object: entry.object };
  }

  /** Removes one object; null when it was not stored. */
  remove(raw: KubeObject, shape: () => T): WatchChange<T> | null {
    const key = objectKey(raw.metadata.namespace, raw.metadata.name);
    const old = this.entries.get(key);
    if (!old) return null;
    this.unindexEntry(key, old);
    this.entries.delete(key);
    this.changed();
    return { type: 'delete', object: shape(), old: old.object };
  }

  /** Empties the store; a delete per object that was there. */
  clear(): WatchChange<T>[] {
    const vanished = [...this.entries.values()];
    this.entries = new Map();
    this.changed();
    this.reindex();
    return vanished.map((e) => ({ type: 'delete', object: e.object, old: e.object }));
  }

  private reindex(): void {
    for (const values of this.indexes.values()) values.clear();
    for (const [key, entry] of this.entries) for (const name of this.indexers.keys()) this.indexEntry(name, key, entry);
  }

  private indexEntry(name: string, key: string, entry: Entry<T>): void {
    const values = this.indexes.get(name)!;
    for (const value of this.indexers.get(name)!(entry)) {
      let keys = values.get(value);
      if (!keys) values.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindexEntry(key: string, entry: Entry<T>): void {
    for (const [name, indexer] of this.indexers) {
      const values = this.indexes.get(name)!;
      for (const value of indexer(entry)) {
        const keys = values.get(value);
        keys?.delete(key);
        if (keys?.size === 0) values.delete(value);
      }
    }
  }
}
