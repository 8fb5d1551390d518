// Error mapping: API answers and transport failures → GraphQL error codes with the cluster name,
// as a GraphQL client sees them; credentials never leak into messages.
import { graphql, buildSchema } from 'graphql';
import {
  ClusterError,
  errorFromResponse,
  errorFromStatus,
  errorFromTransport,
  redact,
  toClusterError,
  toGraphQLError,
} from '../../subgraphs/kube/errors.js';

const status = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

describe('API answers', () => {
  test.each([
    [401, 'Unauthorized', 'FORBIDDEN'],
    [403, 'Forbidden', 'FORBIDDEN'],
    [404, 'NotFound', 'NOT_FOUND'],
    [400, 'BadRequest', 'BAD_USER_INPUT'],
    [422, 'Invalid', 'BAD_USER_INPUT'],
    [409, 'AlreadyExists', 'BAD_USER_INPUT'],
    [410, 'Expired', 'UPSTREAM_ERROR'],
    [500, 'InternalError', 'UPSTREAM_ERROR'],
    [503, 'ServiceUnavailable', 'UPSTREAM_ERROR'],
  ])('HTTP %i %s → %s, upstream message kept', (code, reason, expected) => {
    const err = errorFromResponse('edge-1', code, status(code, reason, `the upstream says ${reason}`));
    expect(err.extensions).toEqual({ code: expected, cluster: 'edge-1', httpStatus: code, reason });
    expect(err.message).toContain(`the upstream says ${reason}`);
  });

  test('a bad label selector keeps the API server’s explanation', () => {
    const err = errorFromResponse('edge-1', 400, status(400, 'BadRequest', 'unable to parse requirement: found \'(\', expected: identifier'));
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.message).toMatch(/unable to parse requirement/);
  });

  test('a non-JSON answer (proxy, load balancer) keeps its text', () => {
    const err = errorFromResponse('edge-1', 502, '<html>Bad Gateway</html>');
    expect(err).toMatchObject({ code: 'UPSTREAM_ERROR', httpStatus: 502 });
    expect(err.message).toContain('Bad Gateway');
  });

  test('a watch ERROR event with 410 keeps the code so the cache relists', () => {
    const err = errorFromStatus('hub', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 5 (9)' });
    expect(err).toMatchObject({ httpStatus: 410, reason: 'Expired', code: 'UPSTREAM_ERROR' });
  });

  test('only cluster-level failures count for health and the breaker', () => {
    expect(errorFromResponse('c', 500, '').isClusterFault).toBe(true);
    expect(errorFromResponse('c', 404, '').isClusterFault).toBe(false);
    expect(errorFromResponse('c', 400, '').isClusterFault).toBe(false);
    expect(errorFromResponse('c', 403, '').isClusterFault).toBe(false);
  });
});

describe('transport failures', () => {
  const withCode = (code: string, message = `connect ${code} 127.0.0.1:6443`) => Object.assign(new Error(message), { code });

  test.each([
    ['ECONNREFUSED', 'CLUSTER_UNREACHABLE'],
    ['ECONNRESET', 'CLUSTER_UNREACHABLE'],
    ['ENOTFOUND', 'CLUSTER_UNREACHABLE'],
    ['UND_ERR_SOCKET', 'CLUSTER_UNREACHABLE'],
    ['UND_ERR_CONNECT_TIMEOUT', 'CLUSTER_UNREACHABLE'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CLUSTER_TLS_ERROR'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'CLUSTER_TLS_ERROR'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'CLUSTER_TLS_ERROR'],
    ['CERT_HAS_EXPIRED', 'CLUSTER_TLS_ERROR'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'CLUSTER_TLS_ERROR'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'CLUSTER_TLS_ERROR'],
    ['UND_ERR_HEADERS_TIMEOUT', 'CLUSTER_TIMEOUT'],
    ['UND_ERR_BODY_TIMEOUT', 'CLUSTER_TIMEOUT'],
    ['ERR_HTTP2_STREAM_ERROR', 'CLUSTER_UNREACHABLE'],
    ['ERR_HTTP2_GOAWAY_SESSION', 'CLUSTER_UNREACHABLE'],
    ['EWHATEVER', 'UPSTREAM_ERROR'],
  ])('%s → %s', (code, expected) => {
    expect(errorFromTransport('edge-7', withCode(code)).extensions).toEqual({ code: expected, cluster: 'edge-7' });
  });

  test('an HTTP/2 stream that ended before its answer is unreachable; other informational errors are not', () => {
    const lost = Object.assign(new Error('HTTP/2: stream closed before the response was complete'), { code: 'UND_ERR_INFO' });
    expect(errorFromTransport('edge-7', lost).code).toBe('CLUSTER_UNREACHABLE');
    const reset = Object.assign(new Error('HTTP/2: "stream error" received - code 2'), { code: 'UND_ERR_INFO' });
    expect(errorFromTransport('edge-7', reset).code).toBe('CLUSTER_UNREACHABLE');
    const other = Object.assign(new Error('HTTP/2: Extended CONNECT protocol not supported by server'), { code: 'UND_ERR_INFO' });
    expect(errorFromTransport('edge-7', other).code).toBe('UPSTREAM_ERROR');
  });

  test('the cause chain is followed (fetch wraps the socket error)', () => {
    const wrapped = new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') });
    expect(errorFromTransport('edge-7', wrapped).code).toBe('CLUSTER_UNREACHABLE');
  });
});

describe('toClusterError: the one mapper', () => {
  test('a ClusterError is kept as is (its cluster and code win over the caller’s)', () => {
    const original = errorFromResponse('hub', 403, status(403, 'Forbidden', 'nodes is forbidden'));
    expect(toClusterError('edge-1', original)).toBe(original);
  });

  test('anything else is classified for the given cluster', () => {
    const refused = toClusterError('edge-2', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(refused).toBeInstanceOf(ClusterError);
    expect(refused.extensions).toEqual({ code: 'CLUSTER_UNREACHABLE', cluster: 'edge-2' });
    expect(toClusterError('edge-2', 'a thrown string').extensions).toEqual({ code: 'UPSTREAM_ERROR', cluster: 'edge-2' });
  });
});

describe('credentials never reach a message', () => {
  test('bearer tokens, basic auth, token parameters and URL userinfo are redacted', () => {
    const text = redact('GET https://admin:pw@host/api?token=abc123 with Authorization: Bearer eyJhbGciOi.xyz and Basic YWRtaW46cHc=');
    expect(text).not.toMatch(/abc123|eyJhbGciOi|YWRtaW46cHc|admin:pw/);
    expect(text).toContain('Bearer [redacted]');
  });

  test('a ClusterError built from a message with a token does not carry it', () => {
    const err = new ClusterError('UPSTREAM_ERROR', 'c', 'failed with header Bearer sekrit-token');
    expect(err.message).not.toContain('sekrit-token');
  });
});

describe('as a GraphQL client sees it', () => {
  const schema = buildSchema(`type Cluster { name: String!  nodes: [String!] }  type Query { clusters: [Cluster!]! }`);
  const rootValue = {
    clusters: () => [
      { name: 'ok', nodes: () => ['n1'] },
      {
        name: 'down',
        nodes: () => {
          throw errorFromTransport('down', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
        },
      },
      { name: 'denied', nodes: () => Promise.reject(toGraphQLError(errorFromResponse('denied', 403, status(403, 'Forbidden', 'nodes is forbidden')), 'denied')) },
    ],
  };

  test('one failing cluster yields a null and an error with code and cluster; the others answer', async () => {
    const result = await graphql({ schema, rootValue, source: '{ clusters { name nodes } }' });
    expect(result.data).toEqual({
      clusters: [
        { name: 'ok', nodes: ['n1'] },
        { name: 'down', nodes: null },
        { name: 'denied', nodes: null },
      ],
    });
    const errors = result.errors!.map((e) => ({ path: e.path, ...e.extensions }));
    expect(errors).toEqual([
      { path: ['clusters', 1, 'nodes'], code: 'CLUSTER_UNREACHABLE', cluster: 'down' },
      { path: ['clusters', 2, 'nodes'], code: 'FORBIDDEN', cluster: 'denied', httpStatus: 403, reason: 'Forbidden' },
    ]);
    expect(result.errors![1].message).toContain('nodes is forbidden');
  });

  test('toGraphQLError classifies unknown errors for the given cluster', () => {
    const gqlError = toGraphQLError(new Error('socket hang up'), 'edge-3');
    expect(gqlError.extensions).toEqual({ code: 'UPSTREAM_ERROR', cluster: 'edge-3' });
  });
});
