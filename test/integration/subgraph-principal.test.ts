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
