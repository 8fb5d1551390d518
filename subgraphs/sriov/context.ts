// Per-request (and per-subscription) context of the sriov subgraph: fresh loaders each time, shared
// long-lived pieces (cluster registry, watch caches, reader) by reference.
import type { KubeRequestContext } from '../common/fleet-access.js';
import type { SriovLoaders } from './loaders.js';
import type { SriovReader } from './reader.js';
import type { SriovSummary } from './summary.js';

export interface SriovContext extends KubeRequestContext {
  reader: SriovReader;
  loaders: SriovLoaders;
  summary: SriovSummary;
  /**
   * Replaces the loaders (and kube loaders) with fresh ones. A graphql-ws subscription keeps one context
   * for its whole life; each event calls this so its fields read current data, not the first event's.
   */
  renew(): void;
}
