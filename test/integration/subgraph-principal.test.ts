// The request seam on the subgraph side: the principal the gateway forwards (x-fleetgraph-principal)
// reaches every resolver's context, over HTTP and graphql-ws; a malformed header is refused (400 /
// close 4403), never answered as somebody else.
import { createClient } from 'graphql-ws';
import { parse } from 'graphql';
import { request } from 'undici';
import WebSocket from 'ws';
import { principalCodec, PRINCIPAL_HEADER, type Principal } from '../../lib/principal.js';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/common/serve.js';
import type { GraphQLResolverMap } from '../../subgraphs/common/resolver-map.js';

interface Ctx {
  principal: Principal;
}

let subgraph: RunningSubgraph;
const codec = principalCodec();

beforeAll(async () => {
  subgraph = await startSubgraph<Ctx>({
    name: 'probe',
    principals: codec,
    typeDefs: parse(`
      type Query { me: String }
      type Subscription { me: String }
    `),
    resolvers: {
      Query: { me: (_: unknown, __: unknown, ctx: Ctx) => `${ctx.principal.subject}@${ctx.principal.scope}` },
      Subscription: {
        me: {
          subscribe: async function* (_: unknown, __: unknown, ctx: Ctx) {
            yield { me: `${ctx.principal.subject}@${ctx.principal.scope}` };
          },
        },
      },
    } as unknown as GraphQLResolverMap<Ctx>,
    context: (req) => ({ principal: req.principal }),
  });
});
afterAll(async () => {
  await subgraph?.stop();
});

async function me(headers: Record<string, string>) {
  const res = await request(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ me }' }) });
  return { status: res.statusCode, body: (await res.body.json()) as { data?: { me: string }; errors?: { extensions?: { code?: string } }[] } };
}

it('gives resolvers the principal the gateway sent, anonymous without one', async () => {
  expect((await me({ [PRINCIPAL_HEADER]: codec.encode({ scope: 'noc-east', subject: 'alice' }) })).body.data?.me).toBe('alice@noc-east');
  expect((await me({})).body.data?.me).toBe('anonymous@public');
});

it('refuses a malformed or signed-but-unverifiable header with 400', async () => {
  for (const value of ['v1.!!!', 'v2.e30', `${codec.encode({ scope: 'x' })}.forged-signature`]) {
    const res = await me({ [PRINCIPAL_HEADER]: value });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
  }
});

it('carries the principal of the upgrade request into subscriptions, and closes on a malformed one', async () => {
  const url = subgraph.url.replace(/^http/, 'ws');
  const subscribe = (header: string) =>
    new Promise<unknown>((resolve) => {
      class WithHeader extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { [PRINCIPAL_HEADER]: header } });
        }
      }
      const client = createClient({ url, webSocketImpl: WithHeader, retryAttempts: 0 });
      client.subscribe(
        { query: 'subscription { me }' },
        { next: (v) => resolve(v), error: (e) => resolve({ closed: (e as { code?: number }).code }), complete: () => void client.dispose() },
      );
    });
  expect(await subscribe(codec.encode({ scope: 'noc-east', subject: 'bob' }))).toEqual({ data: { me: 'bob@noc-east' } });
  expect(await subscribe('v1.!!!')).toEqual({ closed: 4403 });
});

it('verifies the signed principal of a connection once: a subscription started minutes later on it still runs', async () => {
  // The gateway keeps one connection per subgraph open while it has subscriptions, and the signature in
  // its connection_init is valid for 60 s: a later subscribe on that connection must not re-check it.
  const key = 'k'.repeat(48);
  let clock = Date.now();
  const signed = await startSubgraph<Ctx>({
    name: 'probe-signed',
    principals: principalCodec({ key, now: () => clock }),
    typeDefs: parse('type Query { me: String } type Subscription { me: String, forever: String }'),
    resolvers: {
      Query: { me: () => 'x' },
      Subscription: {
        me: { subscribe: async function* (_: unknown, __: unknown, ctx: Ctx) { yield { me: `${ctx.principal.subject}@${ctx.principal.scope}` }; } },
        forever: { subscribe: async function* () { yield { forever: 'open' }; await new Promise(() => undefined); } },
      },
    } as unknown as GraphQLResolverMap<Ctx>,
    context: (req) => ({ principal: req.principal }),
  });
  const signer = principalCodec({ key });
  const url = signed.url.replace(/^http/, 'ws');
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: () => ({ [PRINCIPAL_HEADER]: signer.encode({ scope: 'noc', subject: 'carol' }) }) });
  const first = <T,>(query: string) =>
    new Promise<T>((resolve) => client.subscribe<T>({ query }, { next: (v) => resolve(v.data as T), error: (e) => resolve({ error: (e as { code?: number }).code ?? String(e) } as T), complete: () => undefined }));
  try {
    // Keeps the connection open, as the gateway's other subscriptions do.
    expect(await first('subscription { forever }')).toEqual({ forever: 'open' });
    clock += 10 * 60_000; // ten minutes on: the connection_init signature is long expired
    expect(await first('subscription { me }')).toEqual({ me: 'carol@noc' });
    // A new connection is checked afresh: its signature (from the signer's clock) is stale for the subgraph.
    const late = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: () => ({ [PRINCIPAL_HEADER]: signer.encode({ scope: 'noc', subject: 'carol' }) }) });
    const refused = await new Promise((resolve) => late.subscribe({ query: 'subscription { me }' }, { next: resolve, error: (e) => resolve({ closed: (e as { code?: number }).code }), complete: () => undefined }));
    expect(refused).toEqual({ closed: 4403 });
    await late.dispose();
  } finally {
    await client.dispose();
    await signed.stop();
  }
});
