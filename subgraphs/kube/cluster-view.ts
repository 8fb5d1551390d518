// One request's view of the cluster registry: the same reads (names, list, get, has, require, client,
// change events), hiding every cluster the caller's principal may not see. A hidden cluster answers
// exactly as an unknown one — undefined, false, a NOT_FOUND ClusterError — so `clusters`, every fan-out,
// entity references, loaders and subscription targets see only permitted clusters and a forbidden name
// leaks nothing about its existence. The registry (clients, connections, caches) stays shared.
import type { ClusterClient } from './client.js';
import { unknownCluster } from './errors.js';
import type { ClusterEntry, ClusterFilter, ClusterRegistry, RegistryChange } from './registry.js';
import { Visibility, type NamespaceSet } from './visibility.js';

/** What a request reads of the fleet (ClusterRegistry and ClusterView have it). */
export type ClusterSource = Pick<ClusterRegistry, 'size' | 'names' | 'list' | 'get' | 'has' | 'require' | 'client' | 'on'>;

export class ClusterView implements ClusterSource {
  /** Per registry entry (a new object when the cluster's labels change): a subscription's view lives long. */
  private readonly seen = new WeakMap<ClusterEntry, boolean>();
  /** Names found visible: a removed cluster is reported only if the caller could see it. */
  private readonly shown = new Set<string>();

  constructor(
    private readonly registry: ClusterRegistry,
    readonly visibility: Visibility,
  ) {}

  get unrestricted(): boolean {
    return this.visibility.unrestricted;
  }

  get size(): number {
    return this.names().length;
  }

  names(): string[] {
    return this.unrestricted ? this.registry.names() : this.registry.names().filter((n) => this.has(n));
  }

  list(filter: ClusterFilter = {}): ClusterEntry[] {
    const all = this.registry.list(filter);
    return this.unrestricted ? all : all.filter((e) => this.visible(e));
  }

  get(name: string): ClusterEntry | undefined {
    const entry = this.registry.get(name);
    return entry && this.visible(entry) ? entry : undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  require(name: string): ClusterEntry {
    const entry = this.get(name);
    if (!entry) throw unknownCluster(name);
    return entry;
  }

  client(name: string): ClusterClient {
    this.require(name);
    return this.registry.client(name);
  }

  on(event: 'change', listener: (change: RegistryChange) => void): () => void {
    return this.registry.on(event, (change) => {
      const keep = (names: string[]) => names.filter((n) => this.unrestricted || this.has(n));
      const removed = change.removed.filter((n) => this.unrestricted || this.shown.delete(n));
      const visible = { added: keep(change.added), removed, updated: keep(change.updated) };
      if (visible.added.length || visible.removed.length || visible.updated.length) listener(visible);
    });
  }

  /** Namespaces the caller may see in a (visible) cluster: null = all; an empty set for a hidden cluster. */
  namespaces(cluster: string): NamespaceSet {
    if (this.unrestricted) return null;
    const entry = this.get(cluster);
    return entry ? this.visibility.namespaces(entry.labels) : new Set();
  }

  /** Whether something of `cluster` (in `namespace`, for namespaced things) may be seen. */
  sees(cluster: string, namespace?: string | null): boolean {
    if (this.unrestricted) return true;
    if (!this.has(cluster)) return false;
    if (namespace === undefined || namespace === null) return true;
    const namespaces = this.namespaces(cluster);
    return namespaces === null || namespaces.has(namespace);
  }

  private visible(entry: ClusterEntry): boolean {
    if (this.unrestricted) return true;
    let seen = this.seen.get(entry);
    if (seen === undefined) {
      seen = this.visibility.cluster(entry.labels);
      this.seen.set(entry, seen);
    }
    if (seen) this.shown.add(entry.name);
    return seen;
  }
}
