// Per-request (and per-subscription) context of the timing subgraph: the shared fleet access plus this
// request's loaders; the change feeds are shared by the whole process.
import type { KubeRequestContext } from '../common/fleet-access.js';
import type { PtpFeeds } from './events.js';
import type { TimingLoaders } from './loaders.js';
import type { TimingSummary } from './summary.js';

export interface TimingContext extends KubeRequestContext {
  loaders: TimingLoaders;
  feeds: PtpFeeds;
  summary: TimingSummary;
}
