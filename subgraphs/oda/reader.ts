// The oda subgraph's reads of one cluster, shared by the query loaders and the subscription feed.
//  - Which version the cluster serves `oda.tmforum.org` at: its CRDs may be an older release that serves
//    only v1beta3 (v1 is then unknown there). Asked once per cluster (`GET /apis/oda.tmforum.org`, its
//    preferredVersion) and remembered for the process; "not served" is re-asked after a minute so a
//    canvas installed later is found. A version that stops being served (CRDs upgraded) is re-discovered.
//  - Components, ExposedAPIs, DependentAPIs: the shared watch caches at that version (warm: 0 requests;
//    cold: the cache's first LIST is the only request). Null when the cluster has no ODA CRDs.
//  - When an API was seen turning not ready (status has no transition time): the caches' changes feed
//    a NotReadyClock for the registry check, without any watch of its own.
import type { ClusterHealth, ClusterReader } from '../kube/client.js';
import { ClusterError } from '../kube/errors.js';
import type { KubeObject } from '../kube/objects.js';
import type { ResourceRef } from '../kube/resources.js';
import type { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import { NotReadyClock } from './changes.js';
import { ODA_GROUP } from './upstream.js';

export type OdaKind = 'components' | 'exposedapis' | 'dependentapis';

const KINDS: Record<OdaKind, string> = { components: 'Component', exposedapis: 'ExposedAPI', dependentapis: 'DependentAPI' };

/** The kind at one served version (all ODA kinds are namespaced). */
export function odaRef(kind: OdaKind, version: string): ResourceRef {
  return Object.freeze({ group: ODA_GROUP, version, plural: kind, kind: KINDS[kind], namespaced: true });
}

/** How long "this cluster has no ODA CRDs" is believed before asking again, ms. */
export const NOT_SERVED_RECHECK_MS = 60_000;

/** What the reader needs of the cluster registry (ClusterRegistry has it). */
export interface OdaClusters {
  has(name: string): boolean;
  client(name: string): ClusterReader & { readonly health: ClusterHealth; getJson<T>(path: string, options?: { signal?: AbortSignal }): Promise<T> };
}

/** What the reader needs of the shared watch caches (WatchCacheRegistry has it). */
export type OdaCaches = Pick<WatchCacheRegistry, 'readThrough' | 'cache'>;

interface GroupDocument {
  preferredVersion?: { version?: string };
  versions?: { version?: string }[];
}

function notServed(err: unknown): boolean {
  return err instanceof ClusterError && err.httpStatus === 404;
}

const readyOf = (o: KubeObject) => (o.status as { implementation?: { ready?: unknown } } | undefined)?.implementation?.ready === true;

export class OdaReader {
  private readonly versions = new Map<string, { version: string | null; at: number }>();
  private readonly discovering = new Map<string, Promise<string | null>>();
  private readonly clocked = new WeakSet<object>();
  /** When each ExposedAPI / DependentAPI was seen turning not ready (by uid). */
  readonly clock = new NotReadyClock();

  constructor(
    private readonly clusters: OdaClusters,
    private readonly caches: OdaCaches,
    private readonly now: () => number = Date.now,
  ) {}

  /** The version the cluster serves oda.tmforum.org at; null without the ODA CRDs. Throws ClusterError. */
  async servedVersion(cluster: string): Promise<string | null> {
    const known = this.believedVersion(cluster);
    if (known) return known.version;
    let pending = this.discovering.get(cluster);
    if (!pending) {
      pending = this.discover(cluster).finally(() => this.discovering.delete(cluster));
      this.discovering.set(cluster, pending);
    }
    return pending;
  }

  /** The cached discovery while it is believed (servedVersion answers it without asking), else undefined. */
  believedVersion(cluster: string): { version: string | null } | undefined {
    const known = this.versions.get(cluster);
    return known && (known.version !== null || this.now() - known.at < NOT_SERVED_RECHECK_MS) ? known : undefined;
  }

  /** The version is no longer believed (e.g. the cache found it not served). */
  forget(cluster: string): void {
    this.versions.delete(cluster);
  }

  /** Objects of one kind in the cluster (every namespace); null without the ODA CRDs. Throws ClusterError. */
  async objects<T extends KubeObject>(cluster: string, kind: OdaKind, signal?: AbortSignal): Promise<readonly T[] | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const version = await this.servedVersion(cluster);
      if (version === null) return null;
      const ref = odaRef(kind, version);
      this.track(cluster, kind, ref);
      const items = await this.caches.readThrough<T>(cluster, ref, {}, { waitForSync: true, signal });
      if (items !== null) return items;
      // the discovered version is not served any more: the CRDs changed; ask once more
      this.forget(cluster);
    }
    return null;
  }

  /** Feeds the not-ready clock from the shared cache of a kind whose objects have readiness. */
  track(cluster: string, kind: OdaKind, ref: ResourceRef): void {
    if (kind === 'components') return;
    const cache = this.caches.cache(cluster, ref);
    if (this.clocked.has(cache)) return;
    this.clocked.add(cache);
    cache.on('change', (object, _old, change) => {
      if (change.type === 'delete') this.clock.forget(object.metadata.uid ?? null);
      else this.clock.observe(object.metadata.uid ?? null, readyOf(object), this.now());
    });
  }

  /** Shared by every request asking at once, so no single request's cancellation aborts it. */
  private async discover(cluster: string): Promise<string | null> {
    let version: string | null;
    try {
      const doc = await this.clusters.client(cluster).getJson<GroupDocument>(`/apis/${ODA_GROUP}`);
      version = doc.preferredVersion?.version ?? doc.versions?.[0]?.version ?? null;
    } catch (err) {
      if (!notServed(err)) throw err;
      version = null;
    }
    this.versions.set(cluster, { version, at: this.now() });
    return version;
  }
}
