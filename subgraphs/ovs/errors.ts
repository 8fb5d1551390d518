// The OVS domain's own error codes (beside the house's CLUSTER_* / UPSTREAM_ERROR / BAD_USER_INPUT):
//  - PROMETHEUS_REQUIRED: a windowed or ranking field on a cluster without a configured Prometheus
//    (a window is never made up from one pod-proxy sample);
//  - BAD_CONFIGURATION: the fleet file's `settings.ovs` of a cluster does not validate.
// Both are GraphQLErrors with `extensions.code` and `extensions.cluster`, passed through as they are
// by the house's error mapper (toGraphQLError keeps a coded GraphQLError).
import { GraphQLError } from 'graphql';
import { OvsSettingsError } from './thresholds.js';

export function prometheusRequired(clusters: readonly string[], what: string): GraphQLError {
  const sorted = [...clusters].sort();
  const named = sorted.length <= 5 ? sorted.join(', ') : `${sorted.slice(0, 5).join(', ')} and ${sorted.length - 5} more`;
  const message =
    sorted.length === 1
      ? `cluster ${sorted[0]}: ${what} needs a Prometheus (set prometheusUrl for it in the fleet file); without one only instant values are read, through the pod proxy`
      : `${sorted.length} clusters (${named}): ${what} needs a Prometheus (set prometheusUrl in the fleet file); without one only instant values are read, through the pod proxy`;
  return new GraphQLError(message, {
    extensions: { code: 'PROMETHEUS_REQUIRED', ...(sorted.length === 1 ? { cluster: sorted[0] } : { clusters: sorted }) },
  });
}

export function badConfiguration(cluster: string, err: OvsSettingsError): GraphQLError {
  return new GraphQLError(`cluster ${cluster}: fleet file ${err.message}`, { extensions: { code: 'BAD_CONFIGURATION', cluster, path: err.path } });
}

export function isCodedGraphQLError(err: unknown): err is GraphQLError {
  return err instanceof GraphQLError && typeof err.extensions?.code === 'string';
}
