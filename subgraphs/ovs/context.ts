// Per-request (and per-subscription) context of the ovs subgraph: the shared fleet access, this
// request's loaders, and the process-wide reader and alert loop.
import type { KubeRequestContext } from '../common/fleet-access.js';
import type { OvsAlertFeeds } from './events.js';
import type { OvsSummary } from './summary.js';
import type { OvsLoaders } from './loaders.js';
import type { OvsReader } from './reader.js';

export interface OvsContext extends KubeRequestContext {
  loaders: OvsLoaders;
  reader: OvsReader;
  feeds: OvsAlertFeeds;
  summary: OvsSummary;
}
