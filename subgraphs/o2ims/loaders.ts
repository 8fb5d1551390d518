// Per-request DataLoaders of the o2ims subgraph, keyed by cluster: whatever number of requests, traces
// or entity references a query touches, each kind costs at most one read per cluster (0 once the watch
// caches are warm).
import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import { fanOut, type FanOutFleet } from '../kube/fan-out.js';
import { perCluster } from '../kube/per-cluster.js';
import type { CapiClusterModel, PackageVariantModel, ProvisioningRequestModel, SchemaVariant } from './models.js';
import type { O2imsReader } from './reader.js';
import { mapCapiCluster, mapPackageVariant, mapProvisioningRequest, schemaVariantOf } from './sources.js';

export interface ClusterRequests {
  /** Newest first. */
  requests: ProvisioningRequestModel[];
  /** The schema the cluster serves: its CRD's, or the one its requests were written in. */
  variant: SchemaVariant | null;
}

export interface O2imsLoaders {
  /** Null when the cluster does not serve ProvisioningRequests. */
  requests: DataLoader<string, ClusterRequests | null>;
  packageVariants: DataLoader<string, PackageVariantModel[] | null>;
  capiClusters: DataLoader<string, CapiClusterModel[] | null>;
  /** Every management cluster's requests at once (key 'fleet'), with one coded error per cluster that failed. */
  fleetRequests: DataLoader<'fleet', { requests: ProvisioningRequestModel[]; errors: GraphQLError[] }>;
}

/** Newest first, then by name (cluster-name order is the caller's). */
export function compareRequests(a: ProvisioningRequestModel, b: ProvisioningRequestModel): number {
  return (b.creationTime ?? '').localeCompare(a.creationTime ?? '') || a.clusterName.localeCompare(b.clusterName) || a.name.localeCompare(b.name);
}

export function createO2imsLoaders(reader: O2imsReader, fleet: FanOutFleet, signal?: AbortSignal): O2imsLoaders {
  const loaders: O2imsLoaders = {
    requests: perCluster(async (cluster) => {
      const objects = await reader.requests(cluster, signal);
      if (!objects) return null;
      // The CRD is read only when some request's status does not say which schema it is in.
      const written = objects.map((o) => schemaVariantOf(o)).find((v) => v !== null) ?? null;
      const variant = written ?? (objects.length ? await reader.crdVariant(cluster, signal) : null);
      const requests = objects.map((o) => mapProvisioningRequest(cluster, o, variant)).sort(compareRequests);
      return { requests, variant };
    }),
    packageVariants: perCluster(async (cluster) => (await reader.packageVariants(cluster, signal))?.map((o) => mapPackageVariant(cluster, o)) ?? null),
    capiClusters: perCluster(async (cluster) => (await reader.capiClusters(cluster, signal))?.map((o) => mapCapiCluster(cluster, o)) ?? null),
    fleetRequests: new DataLoader(async (keys) => {
      const { results, errors } = await fanOut(fleet, {}, async (cluster) => (await loaders.requests.load(cluster))?.requests ?? [], { signal });
      const value = { requests: results.flatMap((r) => r.value), errors };
      return keys.map(() => value);
    }),
  };
  return loaders;
}
