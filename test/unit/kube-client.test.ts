// ClusterClient against a scripted local HTTP API server: paging, 404, error codes, the deadline,
// the concurrency limit, the circuit breaker, health, per-cluster credentials and watch streams.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient, type ClusterClientOptions } from '../../subgraphs/kube/client.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import type { KubeObject, WatchEvent } from '../../subgraphs/kube/objects.js';
import { Resources, proxyPath } from '../../subgraphs/kube/resources.js';
import { waitUntil } from '../helpers/wait.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

let server: Server;
let base: string;
let handler: Handler;
const seen: { path: string; authorization?: string }[] = [];
let inFlight = 0;
let maxInFlight = 0;
const clients: ClusterClient[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push({ path: url.pathname + url.search, authorization: req.headers.authorization });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clusters/c1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  maxInFlight = 0;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

// client-node refuses plain http unless the kubeconfig says insecure-skip-tls-verify (no credentials in clear by accident).
function client(options: Partial<ClusterClientOptions> = {}, token = 'tok-c1'): ClusterClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c1', server: base, skipTLSVerify: true }],
    users: [{ name: 'u1', token }],
    contexts: [{ name: 'c1', cluster: 'c1', user: 'u1' }],
    currentContext: 'c1',
  });
  const c = new ClusterClient({ name: 'c1', server: base, kubeConfig: kc, ...options });
  clients.push(c);
  return c;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const failure = (res: ServerResponse, code: number, reason: string, message: string) =>
  json(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

async function caught(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ClusterError);
    return err as ClusterError;
  }
  throw new Error('expected a failure');
}

describe('reads', () => {
  test('list follows continue pages under the server path prefix, with the cluster’s own token', async () => {
    handler = (_req, res, url) => {
      const token = url.searchParams.get('continue');
      if (!token) json(res, 200, { kind: 'NodeList', metadata: { resourceVersion: '7', continue: 'p2' }, items: [{ metadata: { name: 'n1' } }] });
      else json(res, 200, { kind: 'NodeList', metadata: { resourceVersion: '8' }, items: [{ metadata: { name: 'n2' } }] });
    };
    const result = await client({ pageSize: 1 }).list(Resources.nodes, { labelSelector: 'role=du' });
    expect(result.items.map((n) => [n.metadata.name, n.kind, n.apiVersion])).toEqual([
      ['n1', 'Node', 'v1'],
      ['n2', 'Node', 'v1'],
    ]);
    expect(result.resourceVersion).toBe('8');
    expect(seen.map((s) => s.path)).toEqual([
      '/clusters/c1/api/v1/nodes?labelSelector=role%3Ddu&limit=1',
      '/clusters/c1/api/v1/nodes?labelSelector=role%3Ddu&limit=1&continue=p2',
    ]);
    expect(seen.every((s) => s.authorization === 'Bearer tok-c1')).toBe(true);
  });

  test('an expired continue token restarts the list once', async () => {
    let calls = 0;
    handler = (_req, res, url) => {
      calls++;
      if (url.searchParams.get('continue') && calls === 2) return failure(res, 410, 'Expired', 'continue token expired');
      if (!url.searchParams.get('continue')) json(res, 200, { metadata: { resourceVersion: '9', continue: 'p2' }, items: [{ metadata: { name: 'n1' } }] });
      else json(res, 200, { metadata: { resourceVersion: '9' }, items: [{ metadata: { name: 'n2' } }] });
    };
    const result = await client({ pageSize: 1 }).list(Resources.nodes);
    expect(result.items.map((n) => n.metadata.name)).toEqual(['n1', 'n2']);
    expect(calls).toBe(4);
  });

  test('get: the object, null on 404 (cluster still healthy)', async () => {
    handler = (_req, res, url) =>
      url.pathname.endsWith('/there')
        ? json(res, 200, { metadata: { name: 'there', namespace: 'openshift-ptp' } })
        : failure(res, 404, 'NotFound', 'nodeptpdevices "gone" not found');
    const c = client();
    await expect(c.get(Resources.nodePtpDevices, 'openshift-ptp', 'there')).resolves.toMatchObject({ kind: 'NodePtpDevice', metadata: { name: 'there' } });
    await expect(c.get(Resources.nodePtpDevices, 'openshift-ptp', 'gone')).resolves.toBeNull();
    expect(seen[1].path).toBe('/clusters/c1/apis/ptp.openshift.io/v1/namespaces/openshift-ptp/nodeptpdevices/gone');
    expect(c.health).toMatchObject({ reachable: true, error: null, errorCode: null });
  });

  test('getRaw through the pod proxy returns the exporter text', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('openshift_ptp_clock_state{iface="ens5f0"} 1\n');
    };
    const text = await client().getRaw(proxyPath({ namespace: 'openshift-ptp', name: 'linuxptp-daemon-x', port: 9091, path: '/metrics' }));
    expect(text).toContain('openshift_ptp_clock_state');
    expect(seen[0].path).toBe('/clusters/c1/api/v1/namespaces/openshift-ptp/pods/linuxptp-daemon-x:9091/proxy/metrics');
  });

  test('an error behind the pod proxy is the pod’s (not the cluster’s, never the user’s input)', async () => {
    // what a real kube-apiserver answers when it will not proxy to the pod's address
    handler = (_req, res) => failure(res, 400, 'BadRequest', 'address not allowed');
    const c = client();
    const err = await caught(c.getRaw(proxyPath({ namespace: 'du-vdu', name: 'vdu-0', port: 9876, path: '/telemetry/info' })));
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', cluster: 'c1', httpStatus: 400 });
    expect(c.health).toMatchObject({ reachable: true, errorCode: null });
  });

  test('403 is FORBIDDEN with the upstream message, recorded in health', async () => {
    handler = (_req, res) => failure(res, 403, 'Forbidden', 'pods is forbidden: User "system:serviceaccount:x" cannot list resource "pods"');
    const c = client();
    const err = await caught(c.list(Resources.pods));
    expect(err.extensions).toMatchObject({ code: 'FORBIDDEN', cluster: 'c1', httpStatus: 403 });
    expect(err.message).toContain('cannot list resource "pods"');
    expect(err.message).not.toContain('tok-c1');
    expect(c.health).toMatchObject({ reachable: true, errorCode: 'FORBIDDEN' });
  });

  test('malformed JSON is UPSTREAM_ERROR', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": [');
    };
    expect((await caught(client().list(Resources.nodes))).code).toBe('UPSTREAM_ERROR');
  });
});

describe('writes', () => {
  test('dryRun=All on create and delete; delete answers what the server answered', async () => {
    handler = (req, res) => {
      if (req.method === 'POST') return json(res, 201, { kind: 'ProvisioningRequest', metadata: { name: 'pr-1' } });
      if (req.url!.includes('held')) return json(res, 200, { kind: 'ProvisioningRequest', metadata: { name: 'held', deletionTimestamp: '2025-06-02T08:00:00Z' } });
      json(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name: 'gone' } });
    };
    const c = client();
    await c.create(Resources.provisioningRequests, { metadata: { name: 'pr-1' } }, { dryRun: true });
    await expect(c.delete(Resources.provisioningRequests, undefined, 'held')).resolves.toMatchObject({ metadata: { deletionTimestamp: '2025-06-02T08:00:00Z' } });
    await expect(c.delete(Resources.provisioningRequests, undefined, 'gone', { dryRun: true })).resolves.toMatchObject({ kind: 'Status', status: 'Success' });
    expect(seen.map((s) => s.path)).toEqual([
      '/clusters/c1/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests?dryRun=All',
      '/clusters/c1/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests/held',
      '/clusters/c1/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests/gone?dryRun=All',
    ]);
  });
});

describe('deadline, concurrency, circuit breaker, health', () => {
  test('a slow cluster is cut at its deadline: CLUSTER_TIMEOUT, unreachable in health', async () => {
    // The server would answer long after the deadline (the timer must not keep jest waiting).
    handler = (_req, res) => void setTimeout(() => json(res, 200, { gitVersion: 'v1.31.0' }), 10_000).unref();
    const c = client({ deadlineMs: 150 });
    const started = Date.now();
    const err = await caught(c.version());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.extensions).toEqual({ code: 'CLUSTER_TIMEOUT', cluster: 'c1' });
    expect(c.health).toMatchObject({ reachable: false, errorCode: 'CLUSTER_TIMEOUT', lastContact: null });
  });

  test('no more than `concurrency` requests in flight; the rest wait their turn', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, { metadata: {}, items: [] }), 60);
    const c = client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => c.list(Resources.nodes)));
    expect(seen).toHaveLength(6);
    expect(maxInFlight).toBe(2);
  });

  test('consecutive 5xx open the circuit: calls fail fast as CLUSTER_UNREACHABLE, then a trial call closes it', async () => {
    let healthy = false;
    handler = (_req, res) => (healthy ? json(res, 200, { gitVersion: 'v1.31.0' }) : failure(res, 500, 'InternalError', 'etcd is sad'));
    const c = client({ failuresToOpen: 3, halfOpenAfterMs: 150 });
    for (let i = 0; i < 3; i++) expect((await caught(c.version())).code).toBe('UPSTREAM_ERROR');
    expect(c.circuitOpen).toBe(true);
    const err = await caught(c.version());
    expect(err.code).toBe('CLUSTER_UNREACHABLE');
    expect(err.message).toMatch(/circuit open.*etcd is sad/);
    expect(seen).toHaveLength(3); // the fourth call never reached the server
    expect(c.health).toMatchObject({ reachable: false, errorCode: 'CLUSTER_UNREACHABLE' });
    healthy = true;
    // Calls fail fast until the circuit lets a trial call through (halfOpenAfterMs), which succeeds.
    const version = await waitUntil('a trial call to close the circuit', () => c.version().catch(() => undefined), undefined, 20);
    expect(version).toMatchObject({ gitVersion: 'v1.31.0' });
    expect(c.circuitOpen).toBe(false);
    expect(c.health).toMatchObject({ reachable: true, error: null });
    expect(c.health.latencyMs).toBeGreaterThan(0);
    expect(c.health.lastContact).toBeInstanceOf(Date);
  });

  test('404s and bad selectors do not open the circuit', async () => {
    handler = (_req, res) => failure(res, 400, 'BadRequest', 'unable to parse requirement');
    const c = client({ failuresToOpen: 2 });
    for (let i = 0; i < 4; i++) expect((await caught(c.list(Resources.pods, { labelSelector: 'a in (' }))).code).toBe('BAD_USER_INPUT');
    expect(c.circuitOpen).toBe(false);
    expect(seen).toHaveLength(4);
  });

  test('a refused connection is CLUSTER_UNREACHABLE', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'x', server: 'http://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'x', user: 'u' }],
      currentContext: 'x',
    });
    const c = new ClusterClient({ name: 'x', server: 'http://127.0.0.1:1', kubeConfig: kc });
    clients.push(c);
    const err = await caught(c.version());
    expect(err.extensions).toEqual({ code: 'CLUSTER_UNREACHABLE', cluster: 'x' });
    expect(c.health).toMatchObject({ reachable: false, errorCode: 'CLUSTER_UNREACHABLE' });
  });
});

describe('watch streams', () => {
  const events = [
    { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '11' } } },
    { type: 'BOOKMARK', object: { kind: 'Node', metadata: { resourceVersion: '12' } } },
    { type: 'MODIFIED', object: { metadata: { name: 'a', resourceVersion: '13' } } },
  ];

  test('newline-delimited events split across chunks; bookmarks asked for; the stream ends with the server', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = events.map((e) => JSON.stringify(e) + '\n').join('');
      res.write(text.slice(0, 25));
      setTimeout(() => res.write(text.slice(25, 90)), 10);
      setTimeout(() => res.end(text.slice(90)), 20);
    };
    const stream = await client().watch(Resources.nodes, { resourceVersion: '10', timeoutSeconds: 30 });
    const got: WatchEvent[] = [];
    for await (const event of stream) got.push(event);
    expect(got.map((e) => [e.type, (e.object as KubeObject).metadata?.resourceVersion])).toEqual([
      ['ADDED', '11'],
      ['BOOKMARK', '12'],
      ['MODIFIED', '13'],
    ]);
    expect(got[0].object).toMatchObject({ kind: 'Node', apiVersion: 'v1' });
    expect(seen[0].path).toBe('/clusters/c1/api/v1/nodes?watch=true&resourceVersion=10&allowWatchBookmarks=true&timeoutSeconds=30');
  });

  test('close() ends iteration quietly; a 410 on open keeps its status', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify(events[0]) + '\n');
    };
    const c = client();
    const stream = await c.watch(Resources.nodes, { resourceVersion: '10' });
    const got: string[] = [];
    for await (const event of stream) {
      got.push(event.type);
      stream.close();
    }
    expect(got).toEqual(['ADDED']);
    handler = (_req, res) => failure(res, 410, 'Expired', 'too old resource version: 1 (5)');
    const err = await caught(c.watch(Resources.nodes, { resourceVersion: '1' }));
    expect(err).toMatchObject({ httpStatus: 410, reason: 'Expired' });
  });

  test('a connection reset mid-stream fails the iteration with a ClusterError', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify(events[0]) + '\n');
      setTimeout(() => req.socket.destroy(), 20);
    };
    const stream = await client().watch(Resources.nodes);
    const got: string[] = [];
    const err = await caught(
      (async () => {
        for await (const event of stream) got.push(event.type);
      })(),
    );
    expect(got).toEqual(['ADDED']);
    expect(err.cluster).toBe('c1');
  });
});
