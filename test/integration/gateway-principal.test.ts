// The request seam: who asks reaches the subgraphs. The gateway resolves a principal per HTTP request
// (a plugin's authenticateRequest, else anonymous) and per graphql-ws connection, and every subgraph
// fetch — queries and subscription entity fetches alike — carries it in one header that the subgraph
// side decodes with lib/principal.ts.
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import type { GatewayPlugin } from '../../gateway/plugins/index.js';
import { ANONYMOUS_PRINCIPAL, PRINCIPAL_HEADER, principalCodec } from '../../lib/principal.js';
import { composeTestSupergraph } from '../helpers/subscription-subgraphs.js';
import { FAST_UPSTREAM, eventually, startHarness, subscribe, wsClient, type Harness } from '../helpers/subscription-harness.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.js';

const codec = principalCodec();
const USERS: Record<string, { scope: string; subject: string; claims?: Record<string, unknown> }> = {
  'alice-token': { scope: 'noc', subject: 'alice', claims: { roles: ['noc'] } },
  'bob-token': { scope: 'east', subject: 'bob' },
};

/** Bearer tokens → principals, over HTTP and graphql-ws; an unknown token is refused, none is anonymous. */
const bearerPlugin: GatewayPlugin = {
  name: 'test-bearer',
  authenticateRequest: ({ headers }) => {
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    return token === undefined ? undefined : (USERS[token] ?? null);
  },
  subscriptions: {
    authenticate: ({ connectionParams }) => {
      const token = /^Bearer (.+)$/.exec(String(connectionParams.authorization ?? ''))?.[1];
      return token === undefined ? undefined : (USERS[token] ?? null);
    },
  },
};

let h: Harness;
let inventory: RecordingProxy;
let gateway: RunningGateway;
beforeAll(async () => {
  h = await startHarness();
  inventory = await startRecordingProxy(h.inventory.url);
  gateway = await startGateway({
    supergraphSdl: composeTestSupergraph(),
    subgraphUrls: { ...h.subgraphUrls, inventory: inventory.url },
    port: 0,
    subscriptions: { upstream: FAST_UPSTREAM },
    plugins: [bearerPlugin],
  });
});
afterAll(async () => {
  await gateway?.stop();
  await inventory?.stop();
  await h?.stop();
});

async function post(query: string, headers: Record<string, string> = {}) {
  const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

/** The principals the inventory subgraph was sent since `from`, decoded as a subgraph would. */
const principalsSince = (from: number) => inventory.requests.slice(from).map((r) => codec.fromHeaders(r.headers));

describe('the principal of a request reaches the subgraphs', () => {
  it('forwards the principal a plugin authenticated to every subgraph fetch of a query', async () => {
    const from = inventory.requests.length;
    const { status, body } = await post('{ cluster(name: "du-1") { platform } }', { authorization: 'Bearer alice-token' });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { cluster: { platform: 'SNO' } } });
    expect(principalsSince(from)).toEqual([{ scope: 'noc', subject: 'alice', claims: { roles: ['noc'] } }]);
  });

  it('forwards the anonymous principal when no plugin has an opinion', async () => {
    const from = inventory.requests.length;
    expect((await post('{ cluster(name: "du-1") { platform } }')).status).toBe(200);
    expect(principalsSince(from)).toEqual([ANONYMOUS_PRINCIPAL]);
  });

  it('never forwards a principal header the client sent itself', async () => {
    const from = inventory.requests.length;
    const forged = codec.encode({ scope: 'admin', subject: 'mallory' });
    expect((await post('{ cluster(name: "du-1") { platform } }', { [PRINCIPAL_HEADER]: forged, authorization: 'Bearer bob-token' })).status).toBe(200);
    expect(principalsSince(from)).toEqual([{ scope: 'east', subject: 'bob' }]);
  });

  it('answers 401 UNAUTHENTICATED, before any subgraph work, when a plugin refuses the request', async () => {
    const from = inventory.requests.length;
    const { status, body } = await post('{ cluster(name: "du-1") { platform } }', { authorization: 'Bearer stolen' });
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message: 'Not authenticated.', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(inventory.requests.length).toBe(from);
  });

  it("sends a subscription's entity fetches with the subscriber's principal", async () => {
    const client = wsClient(gateway.url.replace(/^http/, 'ws'), { connectionParams: { authorization: 'Bearer bob-token' } });
    try {
      const s = subscribe(client, 'subscription { clockChanged(cluster: "p1") { seq node { role } } }');
      await eventually(() => h.clock.activeSubscriptions() === 1, 10_000, 'the upstream subscription');
      const from = inventory.requests.length;
      h.clock.publish({ seq: 1, cluster: 'p1', node: 'p1-n1', state: 'HOLDOVER' });
      expect(await s.next(1, 10_000)).toEqual([{ data: { clockChanged: { seq: 1, node: { role: 'worker' } } } }]);
      expect(principalsSince(from)).toEqual([{ scope: 'east', subject: 'bob' }]);
    } finally {
      await client.dispose();
    }
  });
});
