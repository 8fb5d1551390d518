// Short-TTL shared LIST results behind the per-request loaders (keyv: memory, or Redis when a Redis URL
// is configured), so back-to-back dashboards and several subgraph replicas share one LIST per cluster per
// kind per TTL. Off unless a TTL is configured (LIST_CACHE_TTL_MS, e.g. 2000): within the TTL a change on
// the cluster, or a cluster going down, is not seen, and callers that need read-your-writes must not use it.
//
// Credentials are never mixed: the key holds a hash of the cluster's identity as its kubeconfig context
// states it (server URL, CA, user and their credentials), so two callers that reach one cluster with
// different credentials (different RBAC views) never read each other's results; a rotated token
// starts a new key. Only successful lists are stored; errors are never cached.
import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { createSharedCache, type SharedCache } from '../../lib/cache.js';
import type { KubeObject } from './objects.js';
import { refId, type ResourceRef } from './resources.js';

/** The part of a LIST that selects its result (same shape as the loaders' ListKey). */
export interface ListCacheKey {
  cluster: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** What identifies a caller to a cluster (ClusterRegistry's entries have it). */
export interface ClusterIdentitySource {
  get(name: string): { server: string; kubeConfig: KubeConfig } | undefined;
}

export interface ListCacheOptions {
  /** Time to live of a list, ms; 0 = off. */
  ttlMs: number;
  /** Unset = in memory (this process only). */
  redisUrl?: string;
  /** Key namespace. Default `fleetgraph:list`. */
  namespace?: string;
  /** In memory: most lists kept. Default 2,000. */
  maxEntries?: number;
}

const identities = new WeakMap<object, string>();

/** sha256 of the context's server, cluster (CA, TLS settings) and user (credentials); memoised per entry. */
export function clusterIdentity(entry: { server: string; kubeConfig: KubeConfig }): string {
  const known = identities.get(entry);
  if (known) return known;
  const kc = entry.kubeConfig;
  const id = createHash('sha256')
    .update(JSON.stringify([entry.server, kc.getCurrentCluster(), kc.getCurrentUser()]))
    .digest('hex')
    .slice(0, 32);
  identities.set(entry, id);
  return id;
}

export class ListCache {
  readonly ttlMs: number;
  private readonly store: SharedCache<KubeObject[]>;

  constructor(options: ListCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.store = createSharedCache<KubeObject[]>({
      namespace: options.namespace ?? 'fleetgraph:list',
      redisUrl: options.redisUrl,
      ttlMs: this.ttlMs,
      maxEntries: options.maxEntries ?? 2_000,
    });
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get backend(): SharedCache<KubeObject[]>['backend'] {
    return this.store.backend;
  }

  /** `cluster:identity:kind:namespace:labelSelector:fieldSelector`. */
  static key(identity: string, ref: ResourceRef, key: ListCacheKey): string {
    return JSON.stringify([key.cluster, identity, refId(ref), key.namespace ?? '', key.labelSelector ?? '', key.fieldSelector ?? '']);
  }

  async get<T extends KubeObject>(identity: string, ref: ResourceRef, key: ListCacheKey): Promise<T[] | undefined> {
    if (!this.enabled) return undefined;
    return (await this.store.get(ListCache.key(identity, ref, key))) as T[] | undefined;
  }

  async set(identity: string, ref: ResourceRef, key: ListCacheKey, items: readonly KubeObject[]): Promise<void> {
    if (!this.enabled) return;
    await this.store.set(ListCache.key(identity, ref, key), items as KubeObject[], this.ttlMs);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** The caller's identity for `cluster` when `clients` can tell it (a ClusterRegistry can); else undefined (no caching). */
export function identityOf(clients: unknown, cluster: string): string | undefined {
  const source = clients as Partial<ClusterIdentitySource>;
  if (typeof source?.get !== 'function') return undefined;
  const entry = source.get(cluster);
  return entry?.kubeConfig && entry.server ? clusterIdentity(entry) : undefined;
}
