// Issue 5 acceptance over the whole stack: a dashboard subscribes through the gateway to a PTP clock
// state change and selects fields the fleet subgraph owns; a grandmaster loss in the simulator arrives
// with every selected field, resolved through entity fetches.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const SITE = 'du-003';
let stack: TestStack;
let client: Client;

beforeAll(async () => {
  process.env.PTP_POLL_INTERVAL_MS = '100';
  stack = await startTestStack();
  client = createClient({ url: stack.gatewayUrl.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
});
afterAll(async () => {
  await client?.dispose();
  await stack?.stop();
  delete process.env.PTP_POLL_INTERVAL_MS;
});

/** Pod-proxy reads of a cluster so far (the timing feed polls the linuxptp daemon's metrics through it). */
const proxyReads = async (cluster: string): Promise<number> => (await stack.counters())[cluster]?.['proxy /pods'] ?? 0;

/** A gauge of the gateway's /metrics (over HTTP, wherever the gateway runs). */
async function gatewayGauge(name: string): Promise<number> {
  const text = await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : NaN;
}

interface StateEvent {
  eventType: string;
  process: string | null;
  interface: string | null;
  previousState: string;
  currentState: string;
  offsetNs: number | null;
  time: string;
  node: { name: string; ready: boolean; cluster: { name: string; platform: string; label: string | null }; sriov: { syncStatus: string } | null };
}

describe('federated subscriptions through the gateway', () => {
  it('delivers a GM loss with timing, fleet and SR-IOV fields (LOCKED → HOLDOVER → FREERUN → LOCKED)', async () => {
    const events: StateEvent[] = [];
    const errors: unknown[] = [];
    const stop = client.subscribe<{ ptpClockStateChanged: StateEvent }>(
      {
        query: `subscription Site($cluster: ID) {
          ptpClockStateChanged(cluster: $cluster) {
            eventType process interface previousState currentState offsetNs time
            node { name ready cluster { name platform label(key: "region") } sriov { syncStatus } }
          }
        }`,
        variables: { cluster: SITE },
      },
      { next: (msg) => (msg.errors ? errors.push(...msg.errors) : events.push(msg.data!.ptpClockStateChanged)), error: (e) => errors.push(e), complete: () => undefined },
    );
    // Wait until the timing subgraph holds the upstream subscription and its feed has a baseline.
    const timing = stack.subgraphs.timing;
    await waitFor(() => timing.activeSubscriptions() === 1, 'the upstream subscription');
    // Two polls of the site: the first one, the baseline, is then complete.
    const before = await proxyReads(SITE);
    await waitFor(async () => (await proxyReads(SITE)) >= before + 2, 'two polls of the site');

    await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster: SITE, timeScale: 10, recoverAfterSeconds: 15 });
    const overall = () => events.filter((e) => e.eventType === 'event.sync.sync-status.synchronization-state-change');
    await waitFor(() => overall().some((e) => e.currentState === 'LOCKED'), 'the recovery to LOCKED', { timeoutMs: 25_000 }).finally(stop);

    expect(errors).toEqual([]);
    expect(overall().map((e) => `${e.previousState}->${e.currentState}`)).toEqual(['LOCKED->HOLDOVER', 'HOLDOVER->FREERUN', 'FREERUN->LOCKED']);
    const ptp4l = events.find((e) => e.process === 'ptp4l' && e.currentState === 'HOLDOVER')!;
    expect(ptp4l).toMatchObject({ eventType: 'event.sync.ptp-status.ptp-state-change', interface: 'ens5fx', previousState: 'LOCKED' });
    // Fleet- and SR-IOV-owned fields, resolved by the gateway from those subgraphs for each event.
    for (const e of events) {
      expect(e.node).toEqual({
        name: `${SITE}-sno`,
        ready: true,
        cluster: { name: SITE, platform: 'OPENSHIFT', label: expect.any(String) },
        sriov: { syncStatus: 'Succeeded' },
      });
    }
  }, 30_000);

  it('shares one upstream subscription between identical subscribers and releases it', async () => {
    const timing = stack.subgraphs.timing;
    // The previous test's subscription is released asynchronously.
    await waitFor(() => timing.activeSubscriptions() === 0, 'the previous upstream subscription to end');
    const query = `subscription { ptpClockStateChanged(cluster: "du-004") { currentState node { name } } }`;
    const stops = Array.from({ length: 50 }, () => client.subscribe({ query }, { next: () => undefined, error: () => undefined, complete: () => undefined }));
    // Once all 50 have joined their group and the subgraph has its subscription, no other can come.
    await waitFor(async () => (await gatewayGauge('fleetgraph_subscriptions_active')) === 50, '50 client subscriptions at the gateway');
    await waitFor(() => timing.activeSubscriptions() >= 1, 'the upstream subscription');
    expect(await gatewayGauge('fleetgraph_upstream_subscriptions_active')).toBe(1);
    expect(timing.activeSubscriptions()).toBe(1);
    for (const s of stops) s();
    await waitFor(() => timing.activeSubscriptions() === 0, 'the upstream subscription to be released');
  });

  it('answers an unknown field in a subscription with a validation error, and keeps serving', async () => {
    const result = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: 'subscription { ptpClockStateChanged { nope } }' }, { next: resolve, error: resolve, complete: () => resolve('complete') });
    });
    expect(JSON.stringify(result)).toMatch(/nope/);
    const ok = await stack.query('{ clusters { name } }');
    expect(ok.status).toBe(200);
  });
});
