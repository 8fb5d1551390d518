// Failures of one cluster, classified into the GraphQL error codes of the public API.
// A ClusterError carries `extensions`, so a resolver may throw it as is: graphql-js copies the
// original error's extensions into the located GraphQLError it reports.
import { GraphQLError } from 'graphql';
import { isStatus, type KubeStatus } from './objects.js';

export type ClusterErrorCode =
  | 'CLUSTER_UNREACHABLE'
  /** TLS to the API server failed: its certificate did not verify against the kubeconfig's CA, a wrong name, expired, or no TLS at all. */
  | 'CLUSTER_TLS_ERROR'
  | 'CLUSTER_TIMEOUT'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'UPSTREAM_ERROR';

export interface ClusterErrorExtensions {
  code: ClusterErrorCode;
  cluster: string;
  /** HTTP status of the API server's answer, when there was one. */
  httpStatus?: number;
  /** Kubernetes Status `reason` (NotFound, Forbidden, Expired, Invalid …), when there was one. */
  reason?: string;
  [key: string]: unknown;
}

export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  readonly code: ClusterErrorCode;
  readonly cluster: string;
  readonly httpStatus?: number;
  readonly reason?: string;
  private readonly clusterFault?: boolean;

  constructor(
    code: ClusterErrorCode,
    cluster: string,
    message: string,
    options: { httpStatus?: number; reason?: string; cause?: unknown; clusterFault?: boolean } = {},
  ) {
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.cluster = cluster;
    this.httpStatus = options.httpStatus;
    this.reason = options.reason;
    this.clusterFault = options.clusterFault;
  }

  get extensions(): ClusterErrorExtensions {
    const ext: ClusterErrorExtensions = { code: this.code, cluster: this.cluster };
    if (this.httpStatus !== undefined) ext.httpStatus = this.httpStatus;
    if (this.reason !== undefined) ext.reason = this.reason;
    return ext;
  }

  /** The failure says the cluster itself is unwell (counts for health and the circuit breaker). */
  get isClusterFault(): boolean {
    if (this.clusterFault !== undefined) return this.clusterFault;
    return (
      this.code === 'CLUSTER_UNREACHABLE' ||
      this.code === 'CLUSTER_TLS_ERROR' ||
      this.code === 'CLUSTER_TIMEOUT' ||
      (this.code === 'UPSTREAM_ERROR' && (this.httpStatus === undefined || this.httpStatus >= 500))
    );
  }
}

/** The same error, marked as not the cluster's fault (e.g. a pod behind the API server's proxy failed). */
export function notClusterFault(err: ClusterError, code: ClusterErrorCode = err.code): ClusterError {
  return new ClusterError(code, err.cluster, err.message, { httpStatus: err.httpStatus, reason: err.reason, cause: err.cause, clusterFault: false });
}

/** Removes anything shaped like a credential from a message (a second line of defence). */
export function redact(message: string): string {
  return message
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(/\b(token|password|access_token|id_token)=([^&\s"']+)/gi, '$1=[redacted]')
    .replace(/(https?:\/\/)[^/@\s]+@/gi, '$1');
}

export function codeForHttpStatus(status: number): ClusterErrorCode {
  if (status === 401 || status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  // 400 (bad selector, bad patch), 409 (already exists, stale resourceVersion), 422 (invalid object):
  // the request as the user phrased it was refused.
  if (status === 400 || status === 409 || status === 422) return 'BAD_USER_INPUT';
  return 'UPSTREAM_ERROR';
}

/** An error from an API server answer (non-2xx), keeping the upstream Status message. */
export function errorFromResponse(cluster: string, httpStatus: number, body: string): ClusterError {
  let status: KubeStatus | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (isStatus(parsed)) status = parsed;
  } catch {
    // not JSON: a proxy or a load balancer answered
  }
  const detail = status?.message ?? (body.trim().slice(0, 300) || `HTTP ${httpStatus}`);
  return new ClusterError(codeForHttpStatus(httpStatus), cluster, `cluster ${cluster}: ${detail}`, {
    httpStatus,
    reason: status?.reason,
  });
}

/** An error from a watch stream's ERROR event. */
export function errorFromStatus(cluster: string, status: KubeStatus): ClusterError {
  const code = status.code ?? 500;
  return new ClusterError(codeForHttpStatus(code), cluster, `cluster ${cluster}: ${status.message ?? status.reason ?? 'watch error'}`, {
    httpStatus: code,
    reason: status.reason,
  });
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  // HTTP/2: the session or the stream died before an answer (GOAWAY, RST_STREAM, socket gone)
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
]);

/** undici's h2 client reports a stream that ended without a complete answer as an informational error. */
const isH2StreamLoss = (code: string | undefined, message: string) => code === 'UND_ERR_INFO' && /^HTTP\/2: (stream|"stream error"|"frameError"|"GOAWAY")/.test(message);

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isTlsFailure(code: string | undefined, message: string): boolean {
  if (!code) return /certificate|self.signed|TLS|SSL/i.test(message);
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN'
  );
}

const tlsError = (cluster: string, message: string, code: string | undefined, cause: unknown) =>
  new ClusterError(
    'CLUSTER_TLS_ERROR',
    cluster,
    `cluster ${cluster}: TLS with the API server failed: ${message}${code && !message.includes(code) ? ` (${code})` : ''}; check the cluster's certificate-authority in the kubeconfig`,
    { cause },
  );

/**
 * Classifies a transport failure (no HTTP answer): a certificate that does not verify (or no TLS) →
 * CLUSTER_TLS_ERROR, so a CA problem is told apart from an outage; connection refused/reset, DNS →
 * unreachable; header/body timeouts → timeout; anything else → upstream error. Walks `cause` chains
 * (fetch wraps).
 */
export function errorFromTransport(cluster: string, err: unknown): ClusterError {
  if (err instanceof ClusterError) return err;
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = errorCode(current);
    const message = current instanceof Error ? current.message : String(current);
    if (code && TIMEOUT_CODES.has(code)) {
      return new ClusterError('CLUSTER_TIMEOUT', cluster, `cluster ${cluster}: no answer in time (${message})`, { cause: err });
    }
    if (code && isTlsFailure(code, message)) return tlsError(cluster, message, code, err);
    if (code && (UNREACHABLE_CODES.has(code) || isH2StreamLoss(code, message))) {
      return new ClusterError('CLUSTER_UNREACHABLE', cluster, `cluster ${cluster} unreachable: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`, {
        cause: err,
      });
    }
    current = (current as { cause?: unknown }).cause;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (isTlsFailure(undefined, message)) return tlsError(cluster, message, undefined, err);
  return new ClusterError('UPSTREAM_ERROR', cluster, `cluster ${cluster}: ${message}`, { cause: err });
}

/**
 * The one mapper from any failure of a read of `cluster` to a ClusterError: a ClusterError as is,
 * anything else (a transport error, a bug) classified by errorFromTransport.
 */
export function toClusterError(cluster: string, err: unknown): ClusterError {
  return err instanceof ClusterError ? err : errorFromTransport(cluster, err);
}

/** The GraphQL error a client sees for a failure of `cluster`. */
export function toGraphQLError(err: unknown, cluster: string): GraphQLError {
  if (err instanceof GraphQLError && err.extensions?.code) return err;
  const clusterError = toClusterError(cluster, err);
  return new GraphQLError(clusterError.message, {
    originalError: clusterError,
    extensions: { ...clusterError.extensions },
  });
}

/** Runs a read of one cluster; its failure becomes a coded GraphQL error naming the cluster. */
export async function fromCluster<T>(cluster: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw toGraphQLError(err, cluster);
  }
}

/** The error for a cluster name the registry does not know. */
export function unknownCluster(cluster: string): ClusterError {
  return new ClusterError('NOT_FOUND', cluster, `unknown cluster "${cluster}"`);
}
