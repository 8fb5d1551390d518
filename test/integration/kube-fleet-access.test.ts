// Fleet access against the simulator over real HTTPS: TLS verified with the kubeconfig's CA, each
// cluster's own token, per-cluster deadline and unreachable faults mapped to error codes and health,
// loader batching measured with the simulator's request counters, and the write path.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { generateCertificates } from '../../simulator/certs.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import type { SimClusterSpec } from '../../simulator/fleet/model.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { createKubeLoaders } from '../../subgraphs/kube/loaders.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import { Resources, proxyPath } from '../../subgraphs/kube/resources.js';
import { WatchCacheRegistry } from '../../subgraphs/kube/watch-cache-registry.js';
import { edgeSpec, hubSpec, provisioningRequest, regionalSpec } from '../helpers/sim-specs.js';
import { waitUntil } from '../helpers/wait.js';

const REGIONAL_NODES = 6;

/** A regional cluster with six nodes, so batching has something to batch. */
function bigRegional(): SimClusterSpec {
  const spec = regionalSpec('regional-1');
  const template = spec.objects.find((o) => o.kind === 'Node' && 'node-role.kubernetes.io/worker' in (o.metadata.labels ?? {}))!;
  const nodes = spec.objects.filter((o) => o.kind === 'Node');
  for (let i = nodes.length; i < REGIONAL_NODES; i++) {
    spec.objects.push({ ...template, metadata: { ...template.metadata, name: `regional-1-n${i}` } });
  }
  return spec;
}

let sim: Simulator;
let dir: string;
let registry: ClusterRegistry;
const extraRegistries: ClusterRegistry[] = [];

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(sim.controlUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json().catch(() => undefined);
}

type Counters = Record<string, Record<string, number>>;
const counters = async (): Promise<Counters> => (await control('GET', '/counters')) as Counters;

async function caught(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ClusterError);
    return err as ClusterError;
  }
  throw new Error('expected a failure');
}

/** A registry over an edited copy of the simulator's kubeconfig. */
function registryFromEditedKubeconfig(edit: (doc: KubeconfigDoc) => void): ClusterRegistry {
  const doc = parse(readFileSync(sim.kubeconfigPath, 'utf8')) as KubeconfigDoc;
  edit(doc);
  const path = join(dir, `edited-${extraRegistries.length}`);
  writeFileSync(path, stringify(doc));
  const edited = new ClusterRegistry({ kubeconfigPaths: [path] });
  extraRegistries.push(edited);
  return edited;
}

interface KubeconfigDoc {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: { token: string } }[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-access-'));
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: [hubSpec(), edgeSpec(), bigRegional()] });
  writeFileSync(join(dir, 'fleet-deadlines.yaml'), stringify({ deadlineMs: 400, clusters: [{ name: 'hub-1', labels: { role: 'hub' } }] }));
  registry = new ClusterRegistry({
    kubeconfigPaths: [sim.kubeconfigPath],
    fleetFilePath: join(dir, 'fleet-deadlines.yaml'),
    client: { failuresToOpen: 100 },
  });
});

afterEach(async () => {
  for (const name of sim.clusters.keys()) await control('DELETE', `/clusters/${name}/faults`);
});

afterAll(async () => {
  await Promise.all([registry, ...extraRegistries].map((r) => r.close()));
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS and credentials', () => {
  test('the API server certificate is verified with the kubeconfig CA', async () => {
    await expect(registry.client('edge-1').version()).resolves.toMatchObject({ gitVersion: 'v1.31.6' });
    const noCa = registryFromEditedKubeconfig((doc) => {
      for (const c of doc.clusters) delete c.cluster['certificate-authority-data'];
    });
    const err = await caught(noCa.client('edge-1').version());
    expect(err.extensions).toEqual({ code: 'CLUSTER_TLS_ERROR', cluster: 'edge-1' });
    expect(err.message).toMatch(/certificate/i);
  });

  test('a kubeconfig with the wrong CA is CLUSTER_TLS_ERROR, told apart from an outage, and in the health record', async () => {
    const other = await generateCertificates();
    const wrongCa = registryFromEditedKubeconfig((doc) => {
      for (const c of doc.clusters) c.cluster['certificate-authority-data'] = Buffer.from(other.caPem).toString('base64');
    });
    const err = await caught(wrongCa.client('edge-1').list(Resources.nodes));
    expect(err.extensions).toEqual({ code: 'CLUSTER_TLS_ERROR', cluster: 'edge-1' });
    expect(err.message).toMatch(/TLS with the API server failed: .*certificate.*certificate-authority in the kubeconfig/i);
    expect(wrongCa.client('edge-1').health).toMatchObject({ reachable: false, errorCode: 'CLUSTER_TLS_ERROR' });
    // The same cluster with its own CA answers: a CA problem, not an outage.
    await expect(registry.client('edge-1').list(Resources.nodes)).resolves.toMatchObject({ items: expect.any(Array) });
  });

  test("another cluster's token is refused: FORBIDDEN, and it is not in the message", async () => {
    let hubToken = '';
    const mixed = registryFromEditedKubeconfig((doc) => {
      const hub = doc.users.find((u) => u.name === 'hub-1')!;
      hubToken = hub.user.token;
      doc.users.find((u) => u.name === 'edge-1')!.user.token = hubToken;
    });
    const err = await caught(mixed.client('edge-1').list(Resources.nodes));
    expect(err.extensions).toMatchObject({ code: 'FORBIDDEN', cluster: 'edge-1', httpStatus: 401 });
    expect(err.message).not.toContain(hubToken);
    expect(mixed.client('edge-1').health).toMatchObject({ reachable: true, errorCode: 'FORBIDDEN' });
  });
});

describe('faults', () => {
  test('a slow cluster is cut at its deadline (CLUSTER_TIMEOUT) while the others answer', async () => {
    const latencyMs = 1500;
    await control('PUT', '/clusters/regional-1/faults', { latencyMs });
    const started = Date.now();
    const [slow, fine] = await Promise.allSettled([
      registry.client('regional-1').list(Resources.nodes),
      registry.client('edge-1').list(Resources.nodes),
    ]);
    // Cut at the 400 ms deadline, well before the cluster would have answered.
    expect(Date.now() - started).toBeLessThan(latencyMs - 300);
    expect(slow).toMatchObject({ status: 'rejected', reason: { code: 'CLUSTER_TIMEOUT', cluster: 'regional-1' } });
    expect(fine).toMatchObject({ status: 'fulfilled' });
    expect(registry.client('regional-1').health).toMatchObject({ reachable: false, errorCode: 'CLUSTER_TIMEOUT' });
    expect(registry.client('edge-1').health).toMatchObject({ reachable: true, error: null });
    // Let the simulator's delayed answer go out, so no timer outlives the suite.
    await new Promise((r) => setTimeout(r, Math.max(0, latencyMs + 50 - (Date.now() - started))));
  });

  test('an unreachable cluster is CLUSTER_UNREACHABLE, and recovers when the fault clears', async () => {
    await control('PUT', '/clusters/edge-1/faults', { unreachable: true });
    const err = await caught(registry.client('edge-1').version());
    expect(err.extensions).toEqual({ code: 'CLUSTER_UNREACHABLE', cluster: 'edge-1' });
    expect(registry.client('edge-1').health).toMatchObject({ reachable: false, errorCode: 'CLUSTER_UNREACHABLE' });
    await control('DELETE', '/clusters/edge-1/faults');
    await expect(registry.client('edge-1').version()).resolves.toBeDefined();
    expect(registry.client('edge-1').health).toMatchObject({ reachable: true, error: null });
  });

  test('a failing pod behind the proxy is UPSTREAM_ERROR but leaves the cluster healthy', async () => {
    const client = registry.client('edge-1');
    const err = await caught(client.getRaw(proxyPath({ namespace: 'vdu', name: 'vdu-0', port: 9999, path: '/metrics' })));
    expect(err).toMatchObject({ code: 'UPSTREAM_ERROR', isClusterFault: false });
    expect(client.health).toMatchObject({ reachable: true, error: null });
  });

  test('a malformed label selector is BAD_USER_INPUT with the API server’s reason', async () => {
    const err = await caught(registry.client('edge-1').list(Resources.pods, { labelSelector: 'app in (' }));
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', cluster: 'edge-1', httpStatus: 400 });
    expect(err.message).toMatch(/unable to parse requirement/);
  });
});

describe('loaders, counted by the simulator', () => {
  const nodeNames = () => sim.clusters.get('regional-1')!.store.list('/nodes').map((n) => n.metadata.name);

  test('N node lookups in one cluster cost one LIST; one lookup elsewhere is one GET', async () => {
    expect(nodeNames()).toHaveLength(REGIONAL_NODES);
    await control('POST', '/counters/reset');
    const nodes = createKubeLoaders(registry).get(Resources.nodes);
    const found = await Promise.all([
      ...nodeNames().map((name) => nodes.load({ cluster: 'regional-1', name })),
      nodes.load({ cluster: 'edge-1', name: 'edge-1-node' }),
    ]);
    expect(found.every((n) => n !== null)).toBe(true);
    const c = await counters();
    expect(c['regional-1']).toEqual({ 'list /nodes': 1 });
    expect(c['edge-1']).toEqual({ 'get /nodes': 1 });
  });

  test('nodes of every cluster: one LIST per cluster', async () => {
    await control('POST', '/counters/reset');
    const loaders = createKubeLoaders(registry);
    const lists = await Promise.all(registry.names().map((cluster) => loaders.list(Resources.nodes).load({ cluster })));
    expect(lists.map((l) => l.length)).toEqual([1, 1, REGIONAL_NODES]);
    const c = await counters();
    for (const name of registry.names()) expect(c[name]).toEqual({ 'list /nodes': 1 });
  });

  test('a synced watch cache answers with no request at all', async () => {
    const caches = new WatchCacheRegistry(registry);
    try {
      const cache = caches.cache('regional-1', Resources.nodes);
      await cache.ready;
      // The cache's own watch is open (and counted) before the reads under test begin.
      await waitUntil('the node watch', () => cache.stats.watches > 0);
      await control('POST', '/counters/reset');
      const loaders = createKubeLoaders(registry, { watchCaches: caches });
      const found = await Promise.all(nodeNames().map((name) => loaders.get(Resources.nodes).load({ cluster: 'regional-1', name })));
      const workers = await loaders.list(Resources.nodes).load({ cluster: 'regional-1', labelSelector: 'node-role.kubernetes.io/worker' });
      expect(found.every((n) => n !== null)).toBe(true);
      expect(workers.length).toBe(REGIONAL_NODES - 1);
      expect((await counters())['regional-1'] ?? {}).toEqual({});
    } finally {
      await caches.stop();
    }
  });

  test('a failing cluster rejects only its keys', async () => {
    await control('PUT', '/clusters/regional-1/faults', { unreachable: true });
    const nodes = createKubeLoaders(registry).get(Resources.nodes);
    const [bad, good] = await Promise.allSettled([
      nodes.load({ cluster: 'regional-1', name: 'regional-1-a' }),
      nodes.load({ cluster: 'edge-1', name: 'edge-1-node' }),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'CLUSTER_UNREACHABLE', cluster: 'regional-1' } });
    expect(good).toMatchObject({ status: 'fulfilled', value: { metadata: { name: 'edge-1-node' } } });
  });
});

describe('writes (O2IMS ProvisioningRequests)', () => {
  test('create, get, an invalid one refused with the reasons, delete', async () => {
    const hub = registry.client('hub-1');
    const created = await hub.create(Resources.provisioningRequests, provisioningRequest('edge-200') as unknown as KubeObject);
    expect(created.metadata).toMatchObject({ name: 'edge-200' });
    expect(created.metadata.resourceVersion).toBeTruthy();
    await expect(hub.get(Resources.provisioningRequests, undefined, 'edge-200')).resolves.toMatchObject({ kind: 'ProvisioningRequest' });

    const invalid = await caught(hub.create(Resources.provisioningRequests, { metadata: { name: 'bad' }, spec: {} }));
    expect(invalid.extensions).toMatchObject({ code: 'BAD_USER_INPUT', httpStatus: 422, reason: 'Invalid' });
    expect(invalid.message).toMatch(/templateName/);

    await hub.delete(Resources.provisioningRequests, undefined, 'edge-200');
    await expect(hub.get(Resources.provisioningRequests, undefined, 'edge-200')).resolves.toBeNull();
    expect((await caught(hub.delete(Resources.provisioningRequests, undefined, 'edge-200'))).code).toBe('NOT_FOUND');
  });
});
