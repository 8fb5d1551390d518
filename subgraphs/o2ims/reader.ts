// The o2ims subgraph's reads and writes of one management cluster.
//  - ProvisioningRequests, PackageVariants, Cluster API Clusters: from the shared watch caches (started
//    here on first use; the subscription feed uses the same ProvisioningRequest cache): 0 requests once
//    synced; a cold cache is waited for, so its first LIST is the only request. A kind the cluster does
//    not serve (404) reads as null.
//  - The ProvisioningRequest CRD (which schema the cluster serves): one watch cache narrowed to that one
//    object by name; it is only read to create a request, or to map requests that have no status yet.
//  - Writes (create / delete) go straight to the cluster's client; nothing is cached for them.
import { log } from '../../lib/log.js';
import type { ClusterClient } from '../kube/client.js';
import { Resources, type ResourceRef } from '../kube/resources.js';
import type { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import type { SchemaVariant } from './models.js';
import { crdSchemaVariant } from './sources.js';
import {
  CAPI_GROUP,
  PR_CRD_NAME,
  PV_GROUP,
  type CapiClusterObject,
  type CustomResourceDefinitionObject,
  type PackageVariantObject,
  type ProvisioningRequestObject,
} from './upstream.js';

export const O2imsResources = Object.freeze({
  provisioningRequests: Resources.provisioningRequests,
  packageVariants: Object.freeze<ResourceRef>({ group: PV_GROUP, version: 'v1alpha1', plural: 'packagevariants', kind: 'PackageVariant', namespaced: true }),
  capiClusters: Object.freeze<ResourceRef>({ group: CAPI_GROUP, version: 'v1beta1', plural: 'clusters', kind: 'Cluster', namespaced: true }),
  crds: Object.freeze<ResourceRef>({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false }),
});

/** What the reader needs of the cluster registry (ClusterRegistry has it). */
export interface O2imsClusters {
  client(name: string): ClusterClient;
  has(name: string): boolean;
}

export class O2imsReader {
  constructor(
    readonly clusters: O2imsClusters,
    private readonly caches: WatchCacheRegistry,
  ) {}

  /** The cluster's ProvisioningRequests; null when it does not serve them. Throws ClusterError. */
  requests(cluster: string, signal?: AbortSignal): Promise<readonly ProvisioningRequestObject[] | null> {
    return this.caches.readThrough<ProvisioningRequestObject>(cluster, O2imsResources.provisioningRequests, {}, { signal, waitForSync: true });
  }

  packageVariants(cluster: string, signal?: AbortSignal): Promise<readonly PackageVariantObject[] | null> {
    return this.caches.readThrough<PackageVariantObject>(cluster, O2imsResources.packageVariants, {}, { signal, waitForSync: true });
  }

  capiClusters(cluster: string, signal?: AbortSignal): Promise<readonly CapiClusterObject[] | null> {
    return this.caches.readThrough<CapiClusterObject>(cluster, O2imsResources.capiClusters, {}, { signal, waitForSync: true });
  }

  /**
   * The schema the cluster's ProvisioningRequest CRD declares; null when it has none, or when CRDs
   * cannot be read (a token without cluster-scoped read): the schema then stays unknown, nothing fails.
   */
  async crdVariant(cluster: string, signal?: AbortSignal): Promise<SchemaVariant | null> {
    try {
      const crds = await this.caches.readThrough<CustomResourceDefinitionObject>(cluster, O2imsResources.crds, { fieldSelector: `metadata.name=${PR_CRD_NAME}` }, { signal, waitForSync: true });
      return crdSchemaVariant(crds?.[0]);
    } catch (err) {
      log.debug({ cluster, err: (err as Error).message }, 'o2ims: the ProvisioningRequest CRD cannot be read; schema unknown');
      return null;
    }
  }
}
