// Operation limits through the gateway, with the attacks of issue 15: each refusal is a coded 4xx that
// arrives before any cluster is asked (the simulator's counters do not move), and the gateway keeps
// serving. Plus the production switches: introspection and GraphiQL off, origins, the per-identity
// rate limit, trusted documents, the query timeout and the gateway's own TLS.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/server.js';
import { SUPERGRAPH_PATH } from '../../lib/paths.js';
import { generateCertificates } from '../../simulator/certs.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  stack = await startTestStack({ limits: { queryTimeoutMs: 1500 }, deadlineMs: 5000 });
}, 120_000);
afterAll(async () => {
  for (const g of gateways) await g.stop();
  await stack?.stop();
});

/** Another gateway over the stack's subgraphs, with other switches. */
async function gateway(options: Partial<GatewayOptions>): Promise<RunningGateway> {
  const g = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: stack.subgraphUrls,
    port: 0,
    principalKey: stack.principalKey,
    ...options,
  });
  gateways.push(g);
  return g;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(text) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] } };
}

const totalRequests = async () => Object.values(await stack.counters()).reduce((sum, byKey) => sum + Object.values(byKey).reduce((a, b) => a + b, 0), 0);

describe('documents the gateway refuses before any work', () => {
  const pairs = (n: number) => `{ clusters { ${'nodes { cluster { '.repeat(n)}name${' } }'.repeat(n)} } }`;
  const cases: [string, string, string, string][] = [
    ['a 30 KB query nested 1,000 levels deep', `{${'a{'.repeat(1000)}b${'}'.repeat(1000)}}`, 'OPERATION_TOO_COMPLEX', 'depth'],
    ['30 nested nodes { cluster { … } } pairs', pairs(30), 'OPERATION_TOO_COMPLEX', 'depth'],
    ['6 nested pairs (shallow enough, but each level multiplies)', pairs(6), 'OPERATION_TOO_COMPLEX', 'cost'],
    ['10,000 aliases', `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`, 'OPERATION_TOO_COMPLEX', 'tokens'],
    ['200 aliased pods(namespace:)', `{ clusters { ${Array.from({ length: 200 }, (_, i) => `p${i}: pods(namespace: "ns${i}") { name }`).join(' ')} } }`, 'OPERATION_TOO_COMPLEX', 'aliases'],
    ['25 root fields', `{ ${Array.from({ length: 25 }, (_, i) => `c${i}: cluster(name: "du-001") { name }`).join(' ')} }`, 'OPERATION_TOO_COMPLEX', 'rootFields'],
    ['a fragment cycle', '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }', 'GRAPHQL_VALIDATION_FAILED', ''],
  ];

  it.each(cases)('refuses %s with 400, asking no cluster', async (_what, query, code, limit) => {
    const before = await totalRequests();
    const res = await post(stack.gatewayUrl, { query });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe(code);
    if (limit) expect(res.body.errors?.map((e) => e.extensions?.limit)).toContain(limit);
    expect(await totalRequests()).toBe(before);
  });

  it('answers the README-sized queries, and keeps serving after the refusals', async () => {
    const res = await post(stack.gatewayUrl, { query: '{ clusters { name platform version health { reachable latencyMs lastContact error } nodes { name ready roles kubeletVersion } } }' });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  it('refuses an oversized body with 413 and malformed JSON with 400', async () => {
    expect((await post(stack.gatewayUrl, JSON.stringify({ query: '{ clusters { name } }', pad: 'x'.repeat(300_000) }))).status).toBe(413);
    const bad = await post(stack.gatewayUrl, '{"query": ');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
  });

  it('applies the same limits to subscriptions', async () => {
    const client = createClient({ url: stack.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: `subscription { ptpClockStateChanged { node { ${'cluster { nodes { '.repeat(12)}name${' } }'.repeat(12)} } } }` },
          { next: () => resolve('event'), error: resolve, complete: () => resolve('complete') },
        );
      });
      expect(JSON.stringify(errors)).toContain('OPERATION_TOO_COMPLEX');
    } finally {
      await client.dispose();
    }
  });

  it('cuts off an operation that takes longer than QUERY_TIMEOUT_MS with 408', async () => {
    await stack.control('PUT', '/clusters/du-001/faults', { latencyMs: 4000 });
    try {
      const res = await post(stack.gatewayUrl, { query: '{ cluster(name: "du-001") { nodes { name pods { name } } } }' });
      expect(res.status).toBe(408);
      expect(res.body.errors?.[0].extensions?.code).toBe('QUERY_TIMEOUT');
    } finally {
      await stack.control('DELETE', '/clusters/du-001/faults');
    }
    expect((await post(stack.gatewayUrl, { query: '{ clusters { name } }' })).status).toBe(200);
  });
});

describe('production switches', () => {
  it('introspection and GraphiQL are off unless enabled', async () => {
    const g = await gateway({});
    const res = await post(g.url, { query: '{ __schema { types { name } } }' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await request(new URL('/', g.url));
    expect(page.statusCode).toBe(404);
    await page.body.dump();
    // The demo stack has both.
    expect((await post(stack.gatewayUrl, { query: '{ __schema { queryType { name } } }' })).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const demoPage = await request(new URL('/', stack.gatewayUrl));
    expect(demoPage.statusCode).toBe(200);
    expect(await demoPage.body.text()).toContain('GraphiQL');
  });

  it('refuses pages of other origins over HTTP and WebSocket unless listed', async () => {
    const g = await gateway({ allowedOrigins: ['https://noc.example.net'] });
    const evil = await post(g.url, { query: '{ clusters { name } }' }, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body.errors?.[0].extensions?.code).toBe('ORIGIN_NOT_ALLOWED');
    const same = await post(g.url, { query: '{ clusters { name } }' }, { origin: new URL(g.url).origin });
    expect(same.status).toBe(200);
    const listed = await post(g.url, { query: '{ clusters { name } }' }, { origin: 'https://noc.example.net' });
    expect(listed.status).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe('https://noc.example.net');
    const preflight = await request(g.url, { method: 'OPTIONS', headers: { origin: 'https://noc.example.net', 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    await preflight.body.dump();

    const upgrade = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(g.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { origin });
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => undefined);
      });
    expect(await upgrade('https://evil.example')).toBe(403);
    expect(await upgrade('https://noc.example.net')).toBe(101);
  });

  it('limits each identity to its rate: 429 RATE_LIMITED with Retry-After', async () => {
    const g = await gateway({ limits: { rateLimitPerSecond: 0.5, rateLimitBurst: 3 } });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await post(g.url, { query: '{ clusters { name } }' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('runs trusted documents only when switched on', async () => {
    const query = '{ clusters { name } }';
    const id = createHash('sha256').update(query).digest('hex');
    const g = await gateway({ trustedDocuments: new (await import('../../gateway/limits/trusted-documents.js')).TrustedDocuments({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id, name: 'Names', type: 'query', body: query }] }) });
    expect((await post(g.url, { documentId: id })).status).toBe(200);
    expect((await post(g.url, { extensions: { persistedQuery: { version: 1, sha256Hash: id } } })).body.data?.clusters.length).toBeGreaterThan(0);
    expect((await post(g.url, { query })).status).toBe(200);
    const other = await post(g.url, { query: '{ clusters { name platform } }' });
    expect(other.status).toBe(400);
    expect(other.body.errors?.[0].extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    const unknownId = await post(g.url, { documentId: 'f'.repeat(64) });
    expect(unknownId.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('serves HTTPS itself with a configured certificate', async () => {
    const certs = await generateCertificates();
    const g = await gateway({ tls: { cert: certs.certPem, key: certs.keyPem } });
    expect(g.url).toMatch(/^https:/);
    const agent = new Agent({ connect: { ca: certs.caPem } });
    try {
      const res = await request(g.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ clusters { name } }' }) });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { data: { clusters: unknown[] } }).data.clusters.length).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });
});
