// Per-request context of the dpdk subgraph: fresh loaders each time; the telemetry reader (with its
// concurrency limit) and the rate tracker (kept samples) are shared by the whole process.
import type { KubeRequestContext } from '../common/fleet-access.js';
import type { DpdkLoaders } from './loaders.js';
import type { RateTracker } from './rates.js';
import type { TelemetryReader } from './reader.js';
import type { DpdkSummary } from './summary.js';

export interface DpdkContext extends KubeRequestContext {
  loaders: DpdkLoaders;
  reader: TelemetryReader;
  rates: RateTracker;
  summary: DpdkSummary;
}
