// The resilience policy of one cluster's calls (cockatiel), outermost first: a circuit breaker (after
// `failuresToOpen` consecutive cluster-level failures, calls are refused for `halfOpenAfterMs`, then one
// trial call), a deadline (which includes waiting for a slot), and a bulkhead (at most `concurrency`
// calls in flight, the rest queue). Each call's outcome is recorded in the cluster's HealthRecord, and
// every failure comes out as a coded ClusterError.
import { performance } from 'node:perf_hooks';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { ClusterError, errorFromTransport } from './errors.js';
import type { HealthRecord } from './health.js';

export interface ResilienceOptions {
  /** Deadline of one call (a list includes all its pages), ms. Default 5000. */
  deadlineMs?: number;
  /** Concurrent calls to this cluster; more wait in a queue (within the deadline). Default 8. */
  concurrency?: number;
  /** Consecutive cluster-level failures that open the circuit. Default 5. */
  failuresToOpen?: number;
  /** How long an open circuit refuses calls before one trial call, ms. Default 5000. */
  halfOpenAfterMs?: number;
}

/** One call: given the call's signal and `answered()` to say the server's headers arrived. */
export type Call<T> = (signal: AbortSignal, answered: () => void) => Promise<T>;

export class ClusterPolicy {
  readonly deadlineMs: number;
  readonly concurrency: number;
  private readonly failuresToOpen: number;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policy: IPolicy;

  constructor(
    private readonly cluster: string,
    private readonly health: HealthRecord,
    options: ResilienceOptions = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? 5000;
    this.concurrency = options.concurrency ?? 8;
    this.failuresToOpen = options.failuresToOpen ?? 5;
    // Only failures that say the cluster is unwell count; a 404 or a bad selector does not.
    const clusterFault = handleWhen((err) => (err instanceof ClusterError ? err.isClusterFault : err instanceof TaskCancelledError));
    this.breaker = circuitBreaker(clusterFault, {
      halfOpenAfter: options.halfOpenAfterMs ?? 5000,
      breaker: new ConsecutiveBreaker(this.failuresToOpen),
    });
    this.policy = wrap(this.breaker, timeout(this.deadlineMs, TimeoutStrategy.Aggressive), bulkhead(this.concurrency, 10_000));
  }

  get circuitOpen(): boolean {
    return this.breaker.state === CircuitState.Open || this.breaker.state === CircuitState.Isolated;
  }

  /** Runs one call under breaker → deadline → concurrency slot, and records health. Throws ClusterError. */
  async run<T>(call: Call<T>, callerSignal?: AbortSignal): Promise<T> {
    const started = performance.now();
    let answeredAt: number | undefined;
    const answered = () => {
      answeredAt ??= performance.now();
    };
    // A signal of this call's own: cockatiel listens on the signal it is given, and a signal shared by
    // many calls (cockatiel's default, or one request's signal across the fleet) would collect listeners.
    const callSignal = callerSignal ? AbortSignal.any([callerSignal]) : new AbortController().signal;
    try {
      const value = await this.policy.execute(({ signal }) => call(signal, answered), callSignal);
      this.health.answered((answeredAt ?? performance.now()) - started, null);
      return value;
    } catch (err) {
      const error = this.classify(err, callerSignal);
      if (callerSignal?.aborted) throw error;
      if (answeredAt !== undefined && error.httpStatus !== undefined) this.health.answered(answeredAt - started, error);
      else this.health.failed(error, err instanceof BrokenCircuitError);
      throw error;
    }
  }

  deadlineError(): ClusterError {
    return new ClusterError('CLUSTER_TIMEOUT', this.cluster, `cluster ${this.cluster}: no answer within the ${this.deadlineMs} ms deadline`);
  }

  private classify(err: unknown, callerSignal?: AbortSignal): ClusterError {
    if (err instanceof ClusterError) return err;
    if (err instanceof TaskCancelledError) {
      if (callerSignal?.aborted) return new ClusterError('UPSTREAM_ERROR', this.cluster, `cluster ${this.cluster}: request cancelled`);
      return this.deadlineError();
    }
    if (err instanceof BrokenCircuitError) {
      const last = this.health.lastFault ? `; last failure: ${this.health.lastFault.message}` : '';
      return new ClusterError(
        'CLUSTER_UNREACHABLE',
        this.cluster,
        `cluster ${this.cluster}: not tried, circuit open after ${this.failuresToOpen} consecutive failures${last}`,
      );
    }
    if (err instanceof BulkheadRejectedError) {
      return new ClusterError('UPSTREAM_ERROR', this.cluster, `cluster ${this.cluster}: too many queued requests`);
    }
    return errorFromTransport(this.cluster, err);
  }
}
