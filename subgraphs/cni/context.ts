// Per-request (and per-subscription) context of the cni subgraph: fresh loaders each time, shared
// long-lived pieces (cluster registry, watch caches, reader, event feed) by reference.
import type { KubeRequestContext } from '../common/fleet-access.js';
import type { PodNetworkEventFeed } from './events.js';
import type { CniLoaders } from './loaders.js';
import type { CniReader } from './reader.js';

export interface CniContext extends KubeRequestContext {
  reader: CniReader;
  feed: PodNetworkEventFeed;
  loaders: CniLoaders;
  /** Fresh loaders: a subscription keeps one context for its life, each event reads current data. */
  renew(): void;
}
