// Per-request (and per-subscription) context of the o2ims subgraph: fresh loaders each time, shared
// long-lived pieces (cluster registry, watch caches, reader) by reference; `principal` decides writes.
import type { KubeRequestContext } from '../common/fleet-access.js';
import type { O2imsLoaders } from './loaders.js';
import type { O2imsReader } from './reader.js';

export interface O2imsContext extends KubeRequestContext {
  reader: O2imsReader;
  loaders: O2imsLoaders;
  /** Fresh loaders: a subscription keeps its context for its whole life, each event reads current data. */
  renew(): void;
}
