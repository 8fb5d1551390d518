// Metric-source failures as the ClusterErrors the API reports (extensions.code + extensions.cluster).
// A Prometheus that fails is not the cluster failing: UPSTREAM_ERROR (or CLUSTER_TIMEOUT for a deadline),
// with `reason` saying which source it was.
import { ClusterError } from '../kube/errors.js';
import { MetricParseError } from './text-format.js';
import { PrometheusQueryError } from './promql.js';

export function metricSourceError(cluster: string, err: unknown): ClusterError {
  if (err instanceof ClusterError) return err;
  if (err instanceof PrometheusQueryError) {
    return new ClusterError(err.kind === 'timeout' ? 'CLUSTER_TIMEOUT' : 'UPSTREAM_ERROR', cluster, `cluster ${cluster}: ${err.message}`, {
      httpStatus: err.httpStatus,
      reason: err.kind === 'unreachable' ? 'PrometheusUnreachable' : err.kind === 'timeout' ? 'PrometheusTimeout' : 'PrometheusError',
      cause: err,
    });
  }
  if (err instanceof MetricParseError) {
    return new ClusterError('UPSTREAM_ERROR', cluster, `cluster ${cluster}: malformed metrics page (${err.message})`, { reason: 'MalformedMetrics', cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ClusterError('UPSTREAM_ERROR', cluster, `cluster ${cluster}: ${message}`, { cause: err });
}
