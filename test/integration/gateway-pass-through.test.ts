// The gateway's single-fetch pass-through (gateway/pass-through.ts) answers exactly what @apollo/gateway's
// executor answers: the same queries through two gateways in front of the same subgraphs, one with the
// pass-through and one without, give byte-for-byte the same JSON (data, errors with their codes, paths
// and serviceName), including failing clusters, bad variables, an unreachable subgraph and queries it
// must hand to the executor; /metrics says which path each took.
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { SUPERGRAPH_PATH } from '../../lib/paths.js';
import { DATA_ONLY_HEADER } from '../../lib/data-only.js';
import { ANONYMOUS_PRINCIPAL, PRINCIPAL_HEADER, principalCodec } from '../../lib/principal.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

let stack: TestStack;
const gateways: RunningGateway[] = [];
let withPassThrough: RunningGateway;
let withoutPassThrough: RunningGateway;

async function start(passThrough: boolean, subgraphUrls: Record<string, string>): Promise<RunningGateway> {
  const gw = await startGateway({ supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'), subgraphUrls, port: 0, passThrough, principalKey: stack.principalKey });
  gateways.push(gw);
  return gw;
}

async function post(gw: RunningGateway, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const res = await request(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.statusCode, body: await res.body.text() };
}

async function passThroughCount(gw: RunningGateway, path: 'direct' | 'executor'): Promise<number> {
  const text = await (await request(new URL('/metrics', gw.url))).body.text();
  const line = text.split('\n').find((l) => l.startsWith(`fleetgraph_gateway_pass_through_total{path="${path}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Both gateways answer alike; returns the parsed answer and which path the pass-through gateway took. */
async function same(query: string, variables?: Record<string, unknown>, pair: [RunningGateway, RunningGateway] = [withPassThrough, withoutPassThrough]) {
  const directBefore = await passThroughCount(pair[0], 'direct');
  const [a, b] = [await post(pair[0], query, variables), await post(pair[1], query, variables)];
  expect(a.status).toBe(b.status);
  expect(JSON.parse(a.body)).toEqual(JSON.parse(b.body));
  expect(a.body).toBe(b.body); // key order too
  return { answer: JSON.parse(a.body), direct: (await passThroughCount(pair[0], 'direct')) > directBefore };
}

beforeAll(async () => {
  stack = await startTestStack();
  withPassThrough = await start(true, stack.subgraphUrls);
  withoutPassThrough = await start(false, stack.subgraphUrls);
});
afterAll(async () => {
  for (const gw of gateways) await gw.stop();
  await stack?.stop();
});
afterEach(async () => {
  for (const name of await stack.clusterNames()) await stack.control('DELETE', `/clusters/${name}/faults`);
});

describe('single-fetch pass-through', () => {
  it('passes a one-subgraph query through, with aliases, fragments and variables, answering as the executor does', async () => {
    const plain = await same('{ clusters { name labels { key value } } }');
    expect(plain.direct).toBe(true);
    expect(plain.answer.data.clusters.length).toBeGreaterThan(10);

    const shaped = await same(
      'query Q($role: String!) { edge: clusters(labels: [{ key: "role", value: $role }]) { ...C n: name } } fragment C on Cluster { name labels { key } ... on Cluster { server } }',
      { role: 'edge' },
    );
    expect(shaped.direct).toBe(true);
    expect(shaped.answer.data.edge[0]).toEqual({ name: 'du-001', labels: expect.any(Array), server: expect.stringContaining('du-001'), n: 'du-001' });

    // The subgraph marks a data-only answer (lib/data-only.ts), which the pass-through sends on as text.
    const headers = { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principalCodec({ key: stack.principalKey }).encode(ANONYMOUS_PRINCIPAL) };
    const ask = (query: string) => request(stack.subgraphUrls.fleet, { method: 'POST', headers, body: JSON.stringify({ query }) });
    const dataOnly = await ask('{ clusters { name } }');
    await dataOnly.body.text();
    expect(dataOnly.headers[DATA_ONLY_HEADER]).toBe('1');
    const withErrors = await ask('{ cluster(name: "nope") { name } }');
    await withErrors.body.text();
    expect(withErrors.headers[DATA_ONLY_HEADER]).toBeUndefined();

    const conditional = await same('query($with: Boolean!) { clusters { name server @include(if: $with) } }', { with: false });
    expect(conditional.direct).toBe(true);
    expect(conditional.answer.data.clusters[0]).toEqual({ name: expect.any(String) });
  });

  it('reports cluster errors (code, cluster, path, serviceName) and NOT_FOUND exactly as the executor', async () => {
    await stack.control('PUT', '/clusters/du-003/faults', { unreachable: true });
    const failing = await waitUntil('du-003 failing', async () => {
      const r = await same('{ clusters { name nodes { name } } }');
      return r.answer.errors?.length ? r : undefined;
    });
    expect(failing.direct).toBe(true);
    expect(failing.answer.errors[0]).toMatchObject({ path: ['clusters', expect.any(Number), 'nodes'], extensions: { code: 'CLUSTER_UNREACHABLE', cluster: 'du-003', serviceName: 'fleet' } });

    const missing = await same('{ cluster(name: "nope") { name } }');
    expect(missing.direct).toBe(true);
    expect(missing.answer.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', serviceName: 'fleet' });
  });

  it('refuses bad variables as the executor does', async () => {
    const bad = await same('query($n: String!) { cluster(name: $n) { name } }', {});
    expect(bad.answer.errors[0].message).toMatch(/Variable "\$n"/);
  });

  it('hands queries with several fetches, introspection or a root __typename to the executor', async () => {
    const joined = await same('{ clusters { name nodes { name ptp { syncState } } } }');
    expect(joined.direct).toBe(false);
    expect(joined.answer.data.clusters.length).toBeGreaterThan(10);
    expect((await same('{ __typename clusters { name } }')).direct).toBe(false);
    expect((await same('{ __schema { queryType { name } } }')).direct).toBe(false);
  });

  it('answers an unreachable subgraph as the executor does (SUBGRAPH_UNAVAILABLE, null root)', async () => {
    const dead = { ...stack.subgraphUrls, fleet: 'http://127.0.0.1:9/graphql' };
    const pair: [RunningGateway, RunningGateway] = [await start(true, dead), await start(false, dead)];
    const down = await same('{ clusters { name } }', undefined, pair);
    expect(down.direct).toBe(true);
    expect(down.answer.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'fleet' });
  });
});
