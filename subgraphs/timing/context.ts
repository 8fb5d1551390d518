// Per-request (and per-subscription) context of the timing subgraph: fresh loaders each time, shared
// long-lived pieces (cluster registry, reader, change feeds) by reference.
import type { ClusterEntry, ClusterFilter } from '../kube/registry.js';
import type { PtpFeeds } from './events.js';
import type { TimingLoaders } from './loaders.js';

/** What resolvers need of the cluster registry (ClusterRegistry has it). */
export interface TimingFleet {
  list(filter?: ClusterFilter): ClusterEntry[];
  has(name: string): boolean;
}

export interface TimingContext {
  fleet: TimingFleet;
  loaders: TimingLoaders;
  feeds: PtpFeeds;
}
