// Per-request context of the fleet subgraph: the shared fleet access plus this request's loaders.
import type DataLoader from 'dataloader';
import type { KubeRequestContext } from '../common/fleet-access.js';
import type { ChangeClock } from '../common/summary.js';
import type { ApiDiscovery } from '../kube/discovery.js';
import type { ClusterProbe } from './probe.js';
import type { CapabilityModel } from './capabilities.js';
import type { FleetSummaryPart } from './summary.js';

export interface FleetContext extends KubeRequestContext {
  /** One /version probe per cluster per request (health, version), plus cached discovery (platform). */
  probe: DataLoader<string, ClusterProbe>;
  /** Served API groups, one cached discovery per cluster for the process. */
  discovery: ApiDiscovery;
  /** Capabilities per cluster, once per request. */
  capabilities: DataLoader<string, CapabilityModel[]>;
  /** The fleet part of FleetSummary per selector, once per request. */
  summary: DataLoader<string, FleetSummaryPart>;
  /** When each selector's fleet part last changed (process-wide). */
  summaryClock: ChangeClock;
}
