// One simulated cluster at run time, and the simulator as the scenarios and the control API see it.
import type { ClusterStore } from './store.js';
import type { SimClusterSpec } from './fleet/model.js';

export interface Faults {
  /** Added delay before every response, ms. */
  latencyMs?: number;
  /** Connections to this cluster's prefix are reset. */
  unreachable?: boolean;
  /** Share (0..1) of requests answered with 500 InternalError. */
  errorRate?: number;
  /** Each watch stream ends after this long, ms. */
  dropWatchesAfterMs?: number;
  /** Delay before each watch event is written, ms. */
  slowStreamMs?: number;
}

export interface SimCluster {
  readonly name: string;
  readonly spec: SimClusterSpec;
  /** Bearer token that authenticates to this cluster only. */
  readonly token: string;
  readonly store: ClusterStore;
  faults: Faults;
  /** API request counts by `"<verb> <kindKey>"`, for tests and benchmarks. */
  readonly counters: Map<string, number>;
}

export interface SimulatorRuntime {
  readonly clusters: ReadonlyMap<string, SimCluster>;
  /** Add a cluster while running (a fulfilled ProvisioningRequest does this); rewrites the kubeconfig. */
  addCluster(spec: SimClusterSpec): Promise<SimCluster>;
  /** Remove a cluster while running (its ProvisioningRequest was deleted); rewrites the kubeconfig. */
  removeCluster(name: string): Promise<void>;
  /** Wall clock the scenarios use (ms since epoch). */
  now(): number;
}
