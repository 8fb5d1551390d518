// Per-request context of the fleet subgraph: the shared fleet access plus this request's loaders.
import type DataLoader from 'dataloader';
import type { KubeRequestContext } from '../common/fleet-access.js';
import type { ClusterProbe } from './probe.js';

export interface FleetContext extends KubeRequestContext {
  /** One /version probe per cluster per request (health, version), plus cached discovery (platform). */
  probe: DataLoader<string, ClusterProbe>;
}
