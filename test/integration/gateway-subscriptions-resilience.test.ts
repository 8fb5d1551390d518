// What clients see when the owning subgraph restarts, disappears, ends a subscription or changes
// its schema, and when the gateway's supergraph is reloaded. Real WebSockets and subgraphs.
import type { Client } from 'graphql-ws';
import { startGateway } from '../../gateway/server.js';
import { eventually, FAST_UPSTREAM, startHarness, subscribe, wsClient, type Harness } from '../helpers/subscription-harness.js';
import {
  CLOCK_SDL,
  INVENTORY_SDL,
  SITES_SDL,
  composeTestSupergraph,
  startClockSubgraph,
  startInventorySubgraph,
  startSitesSubgraph,
} from '../helpers/subscription-subgraphs.js';

const clients: Client[] = [];
function client(url: string): Client {
  const c = wsClient(url);
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

/** Open TCP sockets of this process (client and server ends, upstream and downstream). */
const tcpSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

function codes(errors: unknown[]): unknown[] {
  return errors.flatMap((e) => (Array.isArray(e) ? e.map((x: { extensions?: { code?: unknown } }) => x.extensions?.code) : ['not a GraphQL error list']));
}

describe('a restarting subgraph', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('is invisible to subscribers: they resume on the restarted subgraph, and sockets return to baseline', async () => {
    // Warm the HTTP pools (entity fetches; this test's own queries) so that they are part of the baseline.
    expect(await h.query(`{ cluster(name: "warm") { platform } }`)).toEqual({ data: { cluster: { platform: 'SNO' } } });
    const warm = subscribe(client(h.wsUrl), `subscription { clockChanged(cluster: "warm") { node { role cluster { site { region } } } } }`);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'warm-up subscription');
    h.clock.publish({ seq: 0, cluster: 'warm', node: 'warm-n1', state: 'LOCKED' });
    await warm.next(1);
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await eventually(() => h.gateway.subscriptions.stats().upstreamConnections === 0, 5_000, 'idle upstream connection to close');
    const baseline = tcpSockets();
    const connectionsBefore = h.gateway.subscriptions.stats().connections;

    const query = `subscription { clockChanged(cluster: "du-3") { seq state node { role } } }`;
    const a = subscribe(client(h.wsUrl), query);
    const b = subscribe(client(h.wsUrl), query);
    const other = subscribe(client(h.wsUrl), `subscription { clockChanged(cluster: "du-4") { seq } }`);
    await eventually(() => h.clock.activeSubscriptions() === 2, 5_000, 'two upstream subscriptions');
    h.clock.publish({ seq: 1, cluster: 'du-3', node: 'du-3-n1', state: 'LOCKED' });
    await Promise.all([a.next(1), b.next(1)]);

    await h.restartClock(300);
    await eventually(() => h.clock.activeSubscriptions() === 2, 10_000, 'subscriptions re-established on the new instance');
    h.clock.publish({ seq: 2, cluster: 'du-3', node: 'du-3-n1', state: 'HOLDOVER' });
    h.clock.publish({ seq: 3, cluster: 'du-4', node: 'du-4-n1', state: 'HOLDOVER' });
    await Promise.all([a.next(2), b.next(2), other.next(1)]);

    for (const s of [a, b]) {
      expect(s.events.map((e) => e.data)).toEqual([
        { clockChanged: { seq: 1, state: 'LOCKED', node: { role: 'worker' } } },
        { clockChanged: { seq: 2, state: 'HOLDOVER', node: { role: 'worker' } } },
      ]);
      expect(s.errors).toEqual([]);
      expect(s.completed).toBe(false);
    }
    expect(h.gateway.subscriptions.stats().upstreamReconnects).toBeGreaterThanOrEqual(1);
    expect(await h.query(`{ cluster(name: "du-3") { platform } }`)).toEqual({ data: { cluster: { platform: 'SNO' } } });

    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await eventually(() => h.clock.activeSubscriptions() === 0, 5_000, 'upstream subscriptions to end');
    await eventually(
      () => {
        const s = h.gateway.subscriptions.stats();
        return s.connections === connectionsBefore && s.clientSubscriptions === 0 && s.upstreamSubscriptions === 0 && s.upstreamConnections === 0;
      },
      5_000,
      'gateway counters back to zero',
    );
    await eventually(() => tcpSockets() <= baseline, 5_000, `TCP sockets back to baseline (${baseline}, now ${tcpSockets()})`);
  }, 30_000);

  it('subscribers get UPSTREAM_ERROR when the restarted subgraph no longer accepts their operation', async () => {
    const s = subscribe(client(h.wsUrl), `subscription { clockChanged(cluster: "du-5") { seq offsetNs } }`);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'upstream subscription');
    await h.restartClock(0, CLOCK_SDL.replace('offsetNs: Float', ''));
    await s.ended(10_000);
    expect(codes(s.errors)).toEqual(['UPSTREAM_ERROR']);
    const [error] = s.errors[0] as { message: string; extensions: Record<string, unknown> }[];
    expect(error.message).toMatch(/offsetNs/);
    expect(error.extensions.serviceName).toBe('clock');
    await h.restartClock(0);
  }, 20_000);

  it('subscribers get SUBSCRIPTION_COMPLETED when the subgraph ends the stream', async () => {
    const s = subscribe(client(h.wsUrl), `subscription { clockChanged(cluster: "du-6") { seq } }`);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'upstream subscription');
    h.clock.completeAll();
    await s.ended();
    expect(codes(s.errors)).toEqual(['SUBSCRIPTION_COMPLETED']);
    await eventually(() => h.gateway.subscriptions.stats().clientSubscriptions === 0, 5_000, 'client subscription to end');
  });
});

describe('a broken upstream connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ upstream: { keepAliveMs: 200, pongTimeoutMs: 300 } }, { proxyClock: true });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('is detected when cut (no close frame) or silent (no pong), and subscriptions resume on a new one', async () => {
    const s = subscribe(client(h.wsUrl), `subscription { clockChanged(cluster: "p") { seq } }`);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'upstream subscription');
    h.clock.publish({ seq: 1, cluster: 'p', node: 'p-n1', state: 'LOCKED' });
    await s.next(1);

    h.proxy?.cut();
    await eventually(() => h.clock.subscriptionsOpened() === 2 && h.clock.activeSubscriptions() === 1, 5_000, 'resubscribe after a cut');
    h.clock.publish({ seq: 2, cluster: 'p', node: 'p-n1', state: 'HOLDOVER' });
    await s.next(2);

    h.proxy?.freeze();
    await eventually(() => h.clock.subscriptionsOpened() === 3, 5_000, 'resubscribe after a missing pong');
    h.clock.publish({ seq: 3, cluster: 'p', node: 'p-n1', state: 'FREERUN' });
    await s.next(3);

    expect(s.events.map((e) => e.data)).toEqual([1, 2, 3].map((seq) => ({ clockChanged: { seq } })));
    expect(s.errors).toEqual([]);
    expect(h.gateway.subscriptions.stats().upstreamReconnects).toBe(2);
  }, 20_000);
});

describe('a subgraph that stays down', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ upstream: { retryAttempts: 2, retryBaseMs: 20, retryMaxMs: 40 } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('ends subscriptions with SUBGRAPH_UNAVAILABLE after the retry budget; the gateway keeps serving', async () => {
    const s = subscribe(client(h.wsUrl), `subscription { clockChanged(cluster: "du-7") { seq } }`);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'upstream subscription');
    await h.stopClock();
    await s.ended(10_000);
    expect(codes(s.errors)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect((s.errors[0] as { message: string }[])[0].message).toMatch(/Subgraph "clock" is unavailable/);

    // New subscriptions fail the same way while it is down; HTTP queries to other subgraphs work.
    const refused = subscribe(client(h.wsUrl), `subscription { clockChanged(cluster: "du-7") { seq } }`);
    await refused.ended(10_000);
    expect(codes(refused.errors)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(await h.query(`{ cluster(name: "du-7") { platform } }`)).toEqual({ data: { cluster: { platform: 'SNO' } } });

    await h.startClock();
    const again = subscribe(client(h.wsUrl), `subscription { clockChanged(cluster: "du-7") { seq } }`);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'upstream subscription after the subgraph is back');
    h.clock.publish({ seq: 9, cluster: 'du-7', node: 'du-7-n1', state: 'LOCKED' });
    expect(await again.next(1)).toEqual([{ data: { clockChanged: { seq: 9 } } }]);
    expect(h.gateway.subscriptions.stats().errorsByCode.SUBGRAPH_UNAVAILABLE).toBe(2);
  }, 30_000);
});

describe('a supergraph reload', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('keeps subscriptions whose plan still holds on their upstream stream, and ends invalid ones with SUBSCRIPTION_SCHEMA_RELOAD', async () => {
    const c = client(h.wsUrl);
    const kept = subscribe(c, `subscription { clockChanged(cluster: "r") { seq node { role } } }`);
    const dropped = subscribe(c, `subscription { clockChanged(cluster: "r") { seq node { cluster { site { region } } } } }`);
    await eventually(() => h.clock.activeSubscriptions() === 1, 5_000, 'one shared upstream subscription');
    const opened = h.clock.subscriptionsOpened();

    // The sites subgraph leaves the supergraph; the clock subgraph gains a field.
    const clockV2 = CLOCK_SDL.replace('blob: String', 'blob: String\n  source: String');
    h.gateway.subscriptions.updateSupergraph(composeTestSupergraph({ clock: clockV2, inventory: INVENTORY_SDL }));

    await dropped.ended();
    expect(codes(dropped.errors)).toEqual(['SUBSCRIPTION_SCHEMA_RELOAD']);
    expect((dropped.errors[0] as { message: string }[])[0].message).toMatch(/Cannot query field "site"/);

    h.clock.publish({ seq: 1, cluster: 'r', node: 'r-n1', state: 'LOCKED' });
    expect(await kept.next(1)).toEqual([{ data: { clockChanged: { seq: 1, node: { role: 'worker' } } } }]);
    expect(h.clock.subscriptionsOpened()).toBe(opened);
    expect(h.clock.activeSubscriptions()).toBe(1);

    // New subscriptions are validated against the new supergraph.
    const invalid = subscribe(c, `subscription { clockChanged { node { cluster { site { region } } } } }`);
    await invalid.ended();
    expect(codes(invalid.errors)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    h.gateway.subscriptions.updateSupergraph(composeTestSupergraph());
  });

  it('moves subscriptions to a subgraph that changed address, without an error', async () => {
    const [clockA, clockB, inventory, sites] = await Promise.all([
      startClockSubgraph(),
      startClockSubgraph(),
      startInventorySubgraph(),
      startSitesSubgraph(),
    ]);
    const sdls = { clock: CLOCK_SDL, inventory: INVENTORY_SDL, sites: SITES_SDL };
    // No URL override for clock: its address comes from the supergraph, as with a schema registry.
    const gateway = await startGateway({
      supergraphSdl: composeTestSupergraph(sdls, { clock: clockA.url }),
      subgraphUrls: { inventory: inventory.url, sites: sites.url },
      port: 0,
      subscriptions: { upstream: FAST_UPSTREAM },
    });
    try {
      const s = subscribe(client(gateway.url.replace(/^http/, 'ws')), `subscription { clockChanged { seq node { role } } }`);
      await eventually(() => clockA.activeSubscriptions() === 1, 5_000, 'subscription on the first address');
      clockA.publish({ seq: 1, cluster: 'm', node: 'm-n1', state: 'LOCKED' });
      await s.next(1);

      gateway.subscriptions.updateSupergraph(composeTestSupergraph(sdls, { clock: clockB.url }));
      await eventually(() => clockB.activeSubscriptions() === 1, 5_000, 'subscription on the new address');
      await eventually(() => clockA.activeSubscriptions() === 0, 5_000, 'subscription on the old address to end');
      clockB.publish({ seq: 2, cluster: 'm', node: 'm-n1', state: 'HOLDOVER' });
      expect((await s.next(2)).map((e) => e.data)).toEqual([
        { clockChanged: { seq: 1, node: { role: 'worker' } } },
        { clockChanged: { seq: 2, node: { role: 'worker' } } },
      ]);
      expect(s.errors).toEqual([]);
      expect(gateway.subscriptions.stats().upstreamSubscriptions).toBe(1);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
      await gateway.stop();
      await Promise.all([clockA.stop(), clockB.stop(), inventory.stop(), sites.stop()]);
    }
  }, 20_000);
});
