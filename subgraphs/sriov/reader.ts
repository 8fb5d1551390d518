// The sriov subgraph's reads of one cluster, shared by query loaders and the subscription feed.
//  - SriovNetworkNodeStates: from the shared watch cache (started here on first use; the subscription
//    uses the same one) when it is synced and the cluster answered its last call: 0 requests. Otherwise
//    one LIST, which also reports why a cluster fails.
//  - Policies, networks, NADs: one LIST per request (small, and nobody subscribes to them).
// A kind the cluster does not serve (404: the operator, or Multus, is not installed) reads as null.
import type { ClusterHealth, ClusterReader } from '../kube/client.js';
import { ClusterError } from '../kube/errors.js';
import type { KubeObject } from '../kube/objects.js';
import { Resources, type ResourceRef } from '../kube/resources.js';
import type { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import type { SriovNetworkNodeStateObject } from './upstream.js';

/** What the reader needs of the cluster registry (ClusterRegistry has it). */
export interface SriovClusters {
  client(name: string): ClusterReader & { readonly health: ClusterHealth };
}

function notServed(err: unknown): boolean {
  return err instanceof ClusterError && err.httpStatus === 404;
}

export class SriovReader {
  constructor(
    private readonly clusters: SriovClusters,
    private readonly caches: WatchCacheRegistry,
  ) {}

  /** Node states of a cluster (every namespace; `waitForSync`: a cold cache is waited for, so its LIST is the only request); null without the SR-IOV operator. Throws ClusterError. */
  async nodeStates(cluster: string, signal?: AbortSignal, waitForSync = false): Promise<readonly SriovNetworkNodeStateObject[] | null> {
    return this.caches.readThrough<SriovNetworkNodeStateObject>(cluster, Resources.sriovNetworkNodeStates, {}, { signal, waitForSync });
  }

  /** One LIST of a kind over every namespace; null when the cluster does not serve it. Throws ClusterError. */
  async list<T extends KubeObject>(cluster: string, ref: ResourceRef, signal?: AbortSignal): Promise<T[] | null> {
    try {
      const { items } = await this.clusters.client(cluster).list<T>(ref, { signal });
      return items;
    } catch (err) {
      if (notServed(err)) return null;
      throw err;
    }
  }
}
