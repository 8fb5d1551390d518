// Protocol errors, limits and authentication of the gateway's graphql-ws endpoint: every bad input
// gets the graphql-ws protocol's answer (an `error` message, or a close code and reason) and the
// gateway keeps serving everybody else.
import type { Client } from 'graphql-ws';
import { eventually, startHarness, subscribe, wsClient, type Harness } from '../helpers/subscription-harness.js';
import { errorOf, rawClient, type RawClient } from '../helpers/subscription-raw-client.js';

const SUB = `subscription { clockChanged(cluster: "lim") { seq } }`;
const open: RawClient[] = [];
const clients: Client[] = [];
async function raw(url: string, protocol?: string | null): Promise<RawClient> {
  const c = await rawClient(url, protocol);
  open.push(c);
  return c;
}
function client(url: string, retryAttempts = 0): Client {
  const c = wsClient(url, { retryAttempts });
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) c.ws.terminate();
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

describe('protocol errors, per-connection limits and auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      limits: { connectionInitTimeoutMs: 300, maxSubscriptionsPerConnection: 2, maxPayloadBytes: 4096, maxBufferedBytes: 64 * 1024 },
      authenticate: ({ connectionParams }) => (connectionParams.authorization === 'Bearer revoked' ? null : { scope: 'public' }),
      authorize: (_principal, op) => op.variables.cluster !== 'secret',
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it.each([
    ['a message that is not JSON', 'hello', 4400, 'Invalid message received'],
    ['a message without a type', { id: '1' }, 4400, 'Invalid message received'],
    ['a server-to-client message type', { id: '1', type: 'next', payload: {} }, 4400, 'Unexpected message of type next received'],
    ['subscribe before connection_init', { id: '1', type: 'subscribe', payload: { query: SUB } }, 4401, 'Unauthorized'],
  ])('closes the connection on %s', async (_what, message, code, reason) => {
    const c = await raw(h.wsUrl);
    c.send(message);
    expect(await c.closed).toEqual({ code, reason });
  });

  it('closes with 4406 when the client does not speak graphql-transport-ws', async () => {
    const c = await raw(h.wsUrl, null);
    expect(await c.closed).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
    await eventually(() => h.gateway.subscriptions.stats().connections === 0, 5_000, 'the refused connection not to be counted');
  });

  it('closes with 4408 when connection_init does not come in time, and 4429 on a second one', async () => {
    const late = await raw(h.wsUrl);
    expect(await late.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    const twice = await raw(h.wsUrl);
    await twice.init();
    twice.send({ type: 'connection_init' });
    expect(await twice.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('closes with 4409 when a subscription id is reused, and answers ping with pong', async () => {
    const c = await raw(h.wsUrl);
    await c.init();
    c.send({ type: 'ping', payload: { t: 1 } });
    expect(await c.waitFor((m) => m.type === 'pong')).toEqual({ type: 'pong', payload: { t: 1 } });
    c.subscribe('a', SUB);
    c.subscribe('a', SUB);
    expect(await c.closed).toEqual({ code: 4409, reason: 'Subscriber for a already exists' });
  });

  it('closes with 4403 when authentication refuses the connection_init credentials', async () => {
    const c = await raw(h.wsUrl);
    c.send({ type: 'connection_init', payload: { authorization: 'Bearer revoked' } });
    expect(await c.closed).toEqual({ code: 4403, reason: 'Forbidden' });
  });

  it('answers bad operations with an error message and keeps the connection usable', async () => {
    const c = await raw(h.wsUrl);
    await c.init();
    c.subscribe('parse', 'subscription { clockChanged { seq }');
    c.subscribe('unknown', 'subscription { clockChanged { seq nope } }');
    c.subscribe('query', '{ cluster(name: "x") { platform } }');
    c.subscribe('vars', 'subscription($s: [ClockState!]) { clockChanged(states: $s) { seq } }', { s: ['NOT_A_STATE'] });
    c.subscribe('forbidden', 'subscription($cluster: ID) { clockChanged(cluster: $cluster) { seq } }', { cluster: 'secret' });

    expect(await errorOf(c, 'parse')).toEqual([['GRAPHQL_PARSE_FAILED', 'Syntax Error: Expected Name, found <EOF>.']]);
    const unknown = await errorOf(c, 'unknown');
    // The same message (suggestions included) an HTTP client gets for the same mistake.
    const http = await h.query('{ lastClockEvent { seq nope } }');
    expect(unknown).toEqual([['GRAPHQL_VALIDATION_FAILED', http.errors?.[0]?.message]]);
    expect(unknown[0][1]).toMatch(/^Cannot query field "nope" on type "ClockEvent"\./);
    expect(await errorOf(c, 'query')).toEqual([
      ['OPERATION_NOT_SUPPORTED', 'Only subscriptions are served over WebSocket; send query operations with HTTP POST to /graphql.'],
    ]);
    const [[varsCode, varsMessage]] = await errorOf(c, 'vars');
    expect(varsCode).toBe('BAD_USER_INPUT');
    expect(varsMessage).toMatch(/Variable "\$s" got invalid value "NOT_A_STATE"/);
    expect(await errorOf(c, 'forbidden')).toEqual([['FORBIDDEN', 'Not authorized to run this subscription.']]);

    c.subscribe('good', SUB);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'the valid subscription upstream');
    h.clock.publish({ seq: 1, cluster: 'lim', node: 'lim-n1', state: 'LOCKED' });
    expect(await c.waitFor((m) => m.id === 'good')).toEqual({ id: 'good', type: 'next', payload: { data: { clockChanged: { seq: 1 } } } });
  });

  it('refuses subscriptions over the per-connection limit with TOO_MANY_SUBSCRIPTIONS until one ends', async () => {
    const c = await raw(h.wsUrl);
    await c.init();
    c.subscribe('1', SUB);
    c.subscribe('2', SUB);
    c.subscribe('3', SUB);
    const [[code, message]] = await errorOf(c, '3');
    expect(code).toBe('TOO_MANY_SUBSCRIPTIONS');
    expect(message).toMatch(/already has 2 subscriptions/);
    c.send({ id: '1', type: 'complete' });
    await eventually(() => h.gateway.subscriptions.stats().clientSubscriptions === 1, 5_000, 'one subscription left');
    c.subscribe('4', SUB);
    await eventually(() => h.gateway.subscriptions.stats().clientSubscriptions === 2, 5_000, 'the fourth subscription');
    expect(c.messages.filter((m) => m.id === '4')).toEqual([]);
  });

  it('closes a connection that sends a message over maxPayloadBytes with 1009, and keeps serving others', async () => {
    const big = await raw(h.wsUrl);
    await big.init();
    big.subscribe('big', `subscription { clockChanged(cluster: "${'x'.repeat(5_000)}") { seq } }`);
    expect((await big.closed).code).toBe(1009);

    const ok = subscribe(client(h.wsUrl), SUB);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'another client subscribed');
    h.clock.publish({ seq: 2, cluster: 'lim', node: 'lim-n1', state: 'LOCKED' });
    await ok.next(1);
  });

  it('closes a client that stops reading (4413) instead of buffering for it; readers are unaffected', async () => {
    const query = `subscription { clockChanged(cluster: "slow") { seq blob } }`;
    const slow = await raw(h.wsUrl);
    await slow.init();
    slow.subscribe('s', query);
    const reader = subscribe(client(h.wsUrl), query);
    await eventually(() => h.gateway.subscriptions.stats().clientSubscriptions === 2, 5_000, 'both subscribed');
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'one upstream subscription');

    // Stop reading from the socket: the kernel buffers fill, then the gateway's outbound buffer.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const blob = 'x'.repeat(32 * 1024);
    const events = 200;
    for (let seq = 1; seq <= events; seq++) {
      h.clock.publish({ seq, cluster: 'slow', node: 'slow-n1', state: 'LOCKED', blob });
      if (seq % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await reader.next(events, 20_000);
    await eventually(() => h.gateway.subscriptions.stats().slowConsumerDisconnects === 1, 10_000, 'the slow consumer to be closed');
    expect(h.gateway.subscriptions.stats().clientSubscriptions).toBe(1);

    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const { code } = await slow.closed;
    // 4413 when the close frame got through the full buffers, 1006 when the gateway had to terminate.
    expect([4413, 1006]).toContain(code);
    expect(slow.messages.filter((m) => m.type === 'next').length).toBeLessThan(events);
  }, 30_000);
});

describe('gateway-wide limits and connection lifetime', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { maxSubscriptions: 3, maxConnections: 4, idleTimeoutMs: 300, maxLifetimeMs: 1_500 } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('refuses subscriptions over the gateway limit, and connections over the connection limit (1013)', async () => {
    const a = await raw(h.wsUrl);
    const b = await raw(h.wsUrl);
    await a.init();
    await b.init();
    a.subscribe('1', SUB);
    a.subscribe('2', SUB);
    b.subscribe('3', SUB);
    await eventually(() => h.gateway.subscriptions.stats().clientSubscriptions === 3, 5_000, 'three subscriptions');
    b.subscribe('4', SUB);
    const [[code, message]] = await errorOf(b, '4');
    expect(code).toBe('TOO_MANY_SUBSCRIPTIONS');
    expect(message).toMatch(/gateway has reached its subscription limit/);

    await raw(h.wsUrl);
    await raw(h.wsUrl);
    const fifth = await raw(h.wsUrl);
    expect(await fifth.closed).toEqual({ code: 1013, reason: 'Too many connections; try again later' });
  });

  it('closes idle connections (1000) and ends connections at their maximum lifetime (1001) with transparent reconnects', async () => {
    const idle = await raw(h.wsUrl);
    await idle.init();
    expect(await idle.closed).toEqual({ code: 1000, reason: 'Idle timeout' });

    // A graphql-ws client with retries reconnects after 1001 and resubscribes on its own.
    const s = subscribe(client(h.wsUrl, 5), SUB);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'subscribed');
    const opened = h.clock.subscriptionsOpened();
    await eventually(() => h.clock.subscriptionsOpened() > opened && h.clock.activeSubscriptions() === 1, 10_000, 'resubscribed after 1001');
    h.clock.publish({ seq: 5, cluster: 'lim', node: 'lim-n1', state: 'LOCKED' });
    expect(await s.next(1)).toEqual([{ data: { clockChanged: { seq: 5 } } }]);
    expect(s.errors).toEqual([]);
  }, 20_000);
});

describe('keep-alive', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { keepAliveMs: 300 } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('terminates a client that stops answering pings; one that answers stays', async () => {
    const answering = await raw(h.wsUrl);
    await answering.init();
    // ws answers pings itself unless told not to: this client never does.
    const { default: WebSocket } = await import('ws');
    const silent = new WebSocket(h.wsUrl, 'graphql-transport-ws', { autoPong: false });
    const pings: number[] = [];
    silent.on('ping', () => pings.push(Date.now()));
    const closed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    await new Promise((resolve) => silent.once('open', resolve));
    silent.send(JSON.stringify({ type: 'connection_init' }));
    // Terminated (no close frame: 1006) at the first ping after one it left unanswered.
    expect(await closed).toBe(1006);
    expect(pings.length).toBeGreaterThanOrEqual(1);
    expect(answering.ws.readyState).toBe(answering.ws.OPEN);
  }, 15_000);

  it('pings each connection at its own phase: clients that connect together are not pinged in one loop', async () => {
    const spread = await startHarness({ limits: { keepAliveMs: 2_000 } });
    try {
      const clientsNow = await Promise.all(Array.from({ length: 20 }, () => rawClient(spread.wsUrl)));
      const firstPing = await Promise.all(clientsNow.map((c) => new Promise<number>((resolve) => c.ws.once('ping', () => resolve(Date.now())))));
      for (const c of clientsNow) c.ws.terminate();
      // Random phases over the 2 s interval: the 20 first pings span far more than one 1 s sweep's instant.
      expect(Math.max(...firstPing) - Math.min(...firstPing)).toBeGreaterThan(500);
    } finally {
      await spread.stop();
    }
  }, 15_000);
});
