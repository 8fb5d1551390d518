// The per-request loader every domain keys by cluster: one `load(cluster)` per distinct cluster in a
// request, however many fields ask for it, all clusters of a batch at once. A failure becomes a coded
// ClusterError for that cluster's key only (DataLoader rejects just that `load`), so one failing cluster
// never fails the others' fields.
import DataLoader from 'dataloader';
import { toClusterError } from './errors.js';

export function perCluster<V>(load: (cluster: string) => Promise<V>): DataLoader<string, V> {
  return new DataLoader<string, V>((clusters) => Promise.all(clusters.map((c) => load(c).catch((err: unknown) => toClusterError(c, err)))));
}
