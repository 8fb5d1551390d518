// Issue 3 acceptance, as a user sees it: the whole stack (simulated fleet → subgraphs → gateway) over
// real HTTPS and HTTP, queried through the gateway — each part in its own process, as `npm start` runs it.
import { request } from 'undici';
import { countRequests, startTestStack, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const FLEET_QUERY = '{ clusters { name platform health { reachable } nodes { name ready } } }';

let stack: TestStack;
beforeAll(async () => {
  // A 3 s per-cluster deadline: short enough to test cutting a slow cluster, long enough for a loaded CI box.
  stack = await startTestStack({ layout: 'processes', deadlineMs: 3000 });
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(async () => {
  for (const name of await stack.clusterNames()) await stack.control('DELETE', `/clusters/${name}/faults`);
});

describe('the fleet through the gateway', () => {
  it('returns every cluster of the demo fleet with its nodes', async () => {
    const res = await stack.query(FLEET_QUERY);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const clusters = res.data.clusters as { name: string; platform: string; health: { reachable: boolean }; nodes: { name: string; ready: boolean }[] }[];
    expect(clusters.map((c) => c.name)).toEqual(await stack.clusterNames());
    expect(clusters.filter((c) => c.name.startsWith('du-'))).toHaveLength(12);
    for (const c of clusters) {
      expect(c.health.reachable).toBe(true);
      expect(c.nodes.length).toBeGreaterThan(0);
      expect(['OPENSHIFT', 'KUBERNETES']).toContain(c.platform);
    }
    // Edge sites are single-node; the plain-Kubernetes regional cluster is told apart by discovery.
    expect(clusters.find((c) => c.name === 'du-001')!.nodes).toHaveLength(1);
    expect(clusters.some((c) => c.platform === 'KUBERNETES')).toBe(true);
  });

  it('filters clusters by fleet labels', async () => {
    const res = await stack.query('{ clusters(labels: [{ key: "role", value: "edge" }]) { name label(key: "role") } }');
    expect(res.data.clusters).toHaveLength(12);
    expect(res.data.clusters.every((c: { label: string }) => c.label === 'edge')).toBe(true);
    const bad = await stack.query('{ clusters(labels: [{ key: "role", op: IN }]) { name } }');
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // The same filter input on the timing subgraph's fleet-level query is checked the same way.
    const badPtp = await stack.query('{ ptpNodes(clusterLabels: [{ key: "role", op: IN }]) { nodeName } }');
    expect(badPtp.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pre-warms one node LIST (and watch) per cluster at start; the nodes of every cluster then cost no request', async () => {
    // Since the start: the fleet subgraph's pre-warm LISTed every cluster's nodes once, nothing more.
    const sinceStart = await stack.counters();
    const lists = countRequests(sinceStart, 'list /nodes');
    expect(Object.keys(lists).sort()).toEqual(await stack.clusterNames());
    expect(Object.values(lists).every((n) => n === 1)).toBe(true);
    await stack.control('POST', '/counters/reset');
    const res = await stack.query('{ clusters { name nodes { name roles kubeletVersion } } }');
    expect(res.errors).toBeUndefined();
    const counters = await stack.counters();
    expect(countRequests(counters, 'list /nodes')).toEqual({});
    expect(countRequests(counters, 'get /nodes')).toEqual({});
  });

  it('degrades one unreachable cluster to a null and one coded error', async () => {
    await stack.control('PUT', '/clusters/du-004/faults', { unreachable: true });
    // Its nodes are cached; once the fleet access sees the cluster fail (the query's health probe, or
    // the cache's watch failing to reopen), the cache is no longer trusted and the cluster's part fails.
    const res = await waitUntil('du-004 failing', async () => {
      const r = await stack.query(FLEET_QUERY);
      return r.errors?.length ? r : undefined;
    });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code: 'CLUSTER_UNREACHABLE', cluster: 'du-004' });
    const clusters = res.data.clusters as { name: string; health: { reachable: boolean }; nodes: unknown[] | null }[];
    const bad = clusters.find((c) => c.name === 'du-004')!;
    expect(bad.health.reachable).toBe(false);
    expect(bad.nodes).toBeNull();
    expect(clusters.filter((c) => c.name !== 'du-004').every((c) => c.health.reachable && c.nodes!.length > 0)).toBe(true);
  });

  it('cuts a slow cluster at its deadline with CLUSTER_TIMEOUT', async () => {
    await stack.control('PUT', '/clusters/du-005/faults', { latencyMs: 30_000 });
    const started = Date.now();
    // Pods are not pre-warmed: the first read of them asks every cluster (nodes, cached and watched, would still answer).
    const res = await stack.query('{ clusters { name pods(namespace: "openshift-ptp") { name } } }');
    // Cut at the deadline, long before the cluster's 30 s answer (a loose bound: CI machines are loaded).
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code: 'CLUSTER_TIMEOUT', cluster: 'du-005' });
    expect(res.data.clusters.find((c: { name: string }) => c.name === 'du-006').pods.length).toBeGreaterThan(0);
  });

  it('answers an unknown cluster with NOT_FOUND', async () => {
    const res = await stack.query('{ cluster(name: "nope") { name nodes { name } } }');
    expect(res.data.cluster).toBeNull();
    expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', cluster: 'nope' });
  });

  it('rejects a malformed query with HTTP 400 and a GraphQL error', async () => {
    const res = await stack.query('{ clusters { name ');
    expect(res.status).toBe(400);
    expect(res.errors![0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await stack.query('{ clusters { nope } }');
    expect(unknown.status).toBe(400);
    expect(unknown.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // The stack is still up.
    expect((await stack.query('{ clusters { name } }')).status).toBe(200);
  });

  it('blocks cross-site simple requests (CSRF prevention)', async () => {
    const res = await request(`${stack.gatewayUrl}?query=${encodeURIComponent('{ clusters { name } }')}`, { method: 'GET' });
    const body = await res.body.text();
    expect(res.statusCode).toBe(400);
    expect(body).toMatch(/CSRF/i);
  });

  it('reads pods with a label selector, and rejects a bad selector as user input', async () => {
    const res = await stack.query('{ cluster(name: "du-002") { pods(labelSelector: "app=linuxptp-daemon") { name namespace phase node { name } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.cluster.pods).toEqual([
      expect.objectContaining({ namespace: 'openshift-ptp', phase: 'Running', node: { name: 'du-002-sno' } }),
    ]);
    // Refused by the gateway before any cluster is asked (gateway/argument-rules.ts; stack-argument-checks.test.ts).
    const bad = await stack.query('{ cluster(name: "du-002") { pods(labelSelector: "app in (") { name } } }');
    expect(bad.status).toBe(400);
    expect(bad.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'labelSelector', field: 'pods' });
  });

  it('classifies CNF workloads and says which rule did', async () => {
    const res = await stack.query('{ clusters { name workloads { kind rule pod { namespace name } } } }');
    expect(res.errors).toBeUndefined();
    const kinds = new Set<string>();
    for (const c of res.data.clusters) for (const w of c.workloads) kinds.add(w.kind);
    expect([...kinds]).toEqual(expect.arrayContaining(['VDU', 'UPF']));
    const du = res.data.clusters.find((c: { name: string }) => c.name === 'du-001');
    expect(du.workloads.length).toBeGreaterThan(0);
    expect(du.workloads[0].rule).toMatch(/^(label|owner token|name token|namespace) /);
    const onlyUpf = await stack.query('{ clusters { workloads(kind: UPF) { kind } } }');
    for (const c of onlyUpf.data.clusters) for (const w of c.workloads) expect(w.kind).toBe('UPF');
  });

  it('serves health and readiness endpoints and GraphiQL', async () => {
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');
    const ready = await request(`${base}/readyz`);
    expect(ready.statusCode).toBe(200);
    expect(((await ready.body.json()) as { subgraphs: { reachable: boolean }[] }).subgraphs.every((s) => s.reachable)).toBe(true);
    const health = await request(`${base}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const page = await request(`${base}/`);
    expect(await page.body.text()).toContain('/graphiql/graphiql.js');
    const asset = await request(`${base}/graphiql/graphiql.js`);
    expect(asset.statusCode).toBe(200);
    await asset.body.dump();
  });
});
