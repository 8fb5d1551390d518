// One plugin shape for the gateway: a plugin's HTTP middleware, Apollo Server hooks, graphql-ws hooks,
// metrics registry and close() all take effect through a real gateway, in list order.
import { Counter, Registry } from 'prom-client';
import type { GatewayPlugin } from '../../gateway/plugins/index.js';
import { eventually, startHarness, subscribe, wsClient, type Harness } from '../helpers/subscription-harness.js';

const SUB = 'subscription($c: ID) { clockChanged(cluster: $c) { seq } }';

function recordingPlugin(name: string, calls: string[]): GatewayPlugin {
  const registry = new Registry();
  const seen = new Counter({ name: `test_${name}_operations_total`, help: 'operations seen by the test plugin', registers: [registry] });
  return {
    name,
    middleware: (req, res, next) => {
      calls.push(`${name}:middleware`);
      if (req.headers['x-block'] === name) {
        res.status(429).json({ errors: [{ message: `blocked by ${name}`, extensions: { code: 'RATE_LIMITED' } }] });
        return;
      }
      next();
    },
    apollo: {
      async requestDidStart() {
        return {
          async willSendResponse({ response }) {
            seen.inc();
            response.http.headers.set(`x-${name}`, 'seen');
          },
        };
      },
    },
    registry,
    subscriptions: {
      authenticate: ({ connectionParams }) => (connectionParams.authorization === `Bearer ${name}` ? { scope: name, subject: name } : undefined),
      authorize: (_principal, op) => op.variables.c !== `forbidden-by-${name}`,
    },
    close: () => {
      calls.push(`${name}:close`);
    },
  };
}

describe('gateway plugins', () => {
  let h: Harness;
  const calls: string[] = [];
  beforeAll(async () => {
    h = await startHarness(
      { authenticate: ({ connectionParams }) => (connectionParams.authorization === 'Bearer nobody' ? null : { scope: 'public' }) },
      { plugins: [recordingPlugin('first', calls), recordingPlugin('second', calls)] },
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  const post = (headers: Record<string, string> = {}) =>
    fetch(h.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ siteCount }' }) });

  it('runs every middleware in order before /graphql, and the Apollo hooks of each', async () => {
    calls.length = 0;
    const res = await post();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { siteCount: 1 } });
    expect(res.headers.get('x-first')).toBe('seen');
    expect(res.headers.get('x-second')).toBe('seen');
    expect(calls).toEqual(['first:middleware', 'second:middleware']);
  });

  it('lets a middleware answer the request itself', async () => {
    calls.length = 0;
    const res = await post({ 'x-block': 'first' });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ errors: [{ message: 'blocked by first', extensions: { code: 'RATE_LIMITED' } }] });
    expect(calls).toEqual(['first:middleware']);
  });

  it('merges every plugin registry into /metrics beside the built-in metrics plugin', async () => {
    await post();
    const text = await (await fetch(h.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(text).toMatch(/^test_first_operations_total [1-9]/m);
    expect(text).toMatch(/^test_second_operations_total [1-9]/m);
    expect(text).toMatch(/^fleetgraph_gateway_operations_total\{type="query",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^fleetgraph_ws_connections /m);
  });

  it('authenticates subscriptions with the first plugin that has an opinion, then the gateway option', async () => {
    const asSecond = wsClient(h.wsUrl, { connectionParams: { authorization: 'Bearer second' } });
    const refused = wsClient(h.wsUrl, { connectionParams: { authorization: 'Bearer nobody' } });
    try {
      const ok = subscribe(asSecond, SUB, { c: 'plugins' });
      const no = subscribe(refused, SUB, { c: 'plugins' });
      await no.ended();
      expect(no.errors[0]).toMatchObject({ code: 4403 });
      await eventually(() => h.clock.activeSubscriptions() === 1, 10_000, 'the accepted subscription upstream');
      h.clock.publish({ seq: 1, cluster: 'plugins', node: 'n1', state: 'LOCKED' });
      expect(await ok.next(1, 10_000)).toEqual([{ data: { clockChanged: { seq: 1 } } }]);
    } finally {
      await Promise.all([asSecond.dispose(), refused.dispose()]);
    }
  });

  it('refuses a subscription that any plugin does not authorize', async () => {
    const c = wsClient(h.wsUrl);
    try {
      for (const by of ['first', 'second']) {
        const s = subscribe(c, SUB, { c: `forbidden-by-${by}` });
        await s.ended();
        expect(s.errors).toEqual([[expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]]);
      }
    } finally {
      await c.dispose();
    }
  });

  it('closes the plugins in reverse order when the gateway stops', async () => {
    calls.length = 0;
    await h.stop();
    expect(calls).toEqual(['second:close', 'first:close']);
    h = undefined as unknown as Harness;
  });
});
