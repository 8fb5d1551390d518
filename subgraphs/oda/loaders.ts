// Per-request DataLoaders of the oda subgraph, keyed by cluster: however many components, APIs and joins
// a query touches, each kind costs at most one read per cluster — none once its shared watch cache is
// warm. Objects are mapped once per request and sorted by namespace and name.
import type DataLoader from 'dataloader';
import { perCluster } from '../kube/per-cluster.js';
import type { OdaComponentModel, OdaDependentApiModel, OdaExposedApiModel } from './models.js';
import type { OdaKind, OdaReader } from './reader.js';
import { mapComponent, mapDependentApi, mapExposedApi } from './sources.js';
import type { ComponentObject, DependentApiObject, ExposedApiObject } from './upstream.js';

export interface OdaLoaders {
  /** Null: the cluster has no ODA CRDs. */
  components: DataLoader<string, OdaComponentModel[] | null>;
  exposedApis: DataLoader<string, OdaExposedApiModel[] | null>;
  dependentApis: DataLoader<string, OdaDependentApiModel[] | null>;
}

const byNamespaceAndName = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) =>
  a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

function mapped<O, M extends { namespace: string; name: string }>(reader: OdaReader, kind: OdaKind, map: (cluster: string, o: O) => M, signal?: AbortSignal) {
  return perCluster(async (cluster) => {
    const objects = await reader.objects(cluster, kind, signal);
    return objects ? objects.map((o) => map(cluster, o as O)).sort(byNamespaceAndName) : null;
  });
}

export function createOdaLoaders(reader: OdaReader, signal?: AbortSignal): OdaLoaders {
  return {
    components: mapped<ComponentObject, OdaComponentModel>(reader, 'components', mapComponent, signal),
    exposedApis: mapped<ExposedApiObject, OdaExposedApiModel>(reader, 'exposedapis', mapExposedApi, signal),
    dependentApis: mapped<DependentApiObject, OdaDependentApiModel>(reader, 'dependentapis', mapDependentApi, signal),
  };
}
