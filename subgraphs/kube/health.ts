// One cluster's health as its calls see it: every call through the resilience policy (and every watch
// opening) records whether the API server answered, how fast, and the last cluster-level failure.
// `Cluster.health`, the loaders (a cluster that looks down is asked rather than served from a possibly
// stale cache) and the breaker's message read it. Never holds credentials.
import type { ClusterError, ClusterErrorCode } from './errors.js';

export interface ClusterHealth {
  /** The last call got an answer from the API server (before any call: false, with lastContact null). */
  reachable: boolean;
  /** Time to the response headers of the last answered call, ms. */
  latencyMs: number | null;
  lastContact: Date | null;
  /** The last call's cluster-level failure (unreachable, timeout, forbidden, 5xx), without credentials; null after a success. */
  error: string | null;
  errorCode: ClusterErrorCode | null;
}

/** The last call to the cluster failed for a cluster-level reason: cached data may be stale, ask again. */
export function clusterLooksDown(health: ClusterHealth | undefined): boolean {
  return health !== undefined && !health.reachable && health.errorCode !== null;
}

export class HealthRecord {
  private readonly state: ClusterHealth = { reachable: false, latencyMs: null, lastContact: null, error: null, errorCode: null };
  /** The last failure that said the cluster is unwell (what an open circuit reports). */
  lastFault?: ClusterError;

  /** A copy, as the last call saw the cluster. */
  snapshot(): ClusterHealth {
    return { ...this.state };
  }

  /** Bytes arrived (e.g. on an open watch): the cluster is alive now. */
  contact(): void {
    this.state.lastContact = new Date();
  }

  /** The server answered (possibly with an error status). */
  answered(latencyMs: number, error: ClusterError | null): void {
    this.state.reachable = true;
    this.state.latencyMs = Math.round(latencyMs * 10) / 10;
    this.state.lastContact = new Date();
    const counts = error !== null && (error.isClusterFault || error.code === 'FORBIDDEN');
    this.state.error = counts ? error.message : null;
    this.state.errorCode = counts ? error.code : null;
    if (counts) this.lastFault = error;
  }

  /** No answer: unreachable, deadline, or circuit open (which is not a new fault of its own). */
  failed(error: ClusterError, circuitOpen = false): void {
    this.state.reachable = false;
    this.state.error = error.message;
    this.state.errorCode = error.code;
    if (!circuitOpen) this.lastFault = error;
  }
}
