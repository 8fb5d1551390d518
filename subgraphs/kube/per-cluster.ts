// The per-request loader every domain keys by cluster: one `load(cluster)` per distinct cluster in a
// request, however many fields ask for it, all clusters of a batch at once. A failure becomes a coded
// ClusterError for that cluster's key only (DataLoader rejects just that `load`), so one failing cluster
// never fails the others' fields.
// Each batch is one span (`name`, with its clusters) when tracing is on; the cluster requests nest under it.
import DataLoader from 'dataloader';
import { inSpan } from '../../lib/tracing.js';
import { toClusterError } from './errors.js';

export function perCluster<V>(load: (cluster: string) => Promise<V>, name = 'perCluster'): DataLoader<string, V> {
  return new DataLoader<string, V>((clusters) =>
    inSpan(`batch ${name}`, { 'fleetgraph.batch.size': clusters.length, 'fleetgraph.clusters': [...clusters] }, () =>
      Promise.all(clusters.map((c) => load(c).catch((err: unknown) => toClusterError(c, err)))),
    ),
  );
}
