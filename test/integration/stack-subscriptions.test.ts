// Issue 5 acceptance over the whole stack: a dashboard subscribes through the gateway to a PTP clock
// state change and selects fields the fleet subgraph owns; a grandmaster loss in the simulator arrives
// with every selected field, resolved through entity fetches.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { gatewayMetric, startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const SITE = 'du-003';
let stack: TestStack;
let client: Client;

beforeAll(async () => {
  stack = await startTestStack({ settings: { pollIntervalMs: 100 } });
  client = createClient({ url: stack.gatewayUrl.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
});
afterAll(async () => {
  await client?.dispose();
  await stack?.stop();
});

const timing = () => subgraphHealth<{ feeds: Record<string, { polls: number }> }>(stack, 'timing');

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
    // Wait until the timing subgraph holds the upstream subscription and its feed has a baseline (first poll).
    await waitUntil('the upstream subscription and the feed baseline', async () => {
      const h = await timing();
      return h.subscriptions === 1 && (h.feeds[SITE]?.polls ?? 0) >= 1;
    });

    await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster: SITE, timeScale: 10, recoverAfterSeconds: 15 });
    const overall = () => events.filter((e) => e.eventType === 'event.sync.sync-status.synchronization-state-change');
    await waitUntil('the recovery to LOCKED', () => overall().some((e) => e.currentState === 'LOCKED'), 25_000);
    stop();

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
    // The previous test's subscription is released asynchronously.
    await waitUntil('no upstream subscription left', async () => (await timing()).subscriptions === 0);
    const query = `subscription { ptpClockStateChanged(cluster: "du-004") { currentState node { name } } }`;
    const stops = Array.from({ length: 50 }, () => client.subscribe({ query }, { next: () => undefined, error: () => undefined, complete: () => undefined }));
    await waitUntil('50 client subscriptions on the gateway', async () => ((await gatewayMetric(stack, 'fleetgraph_subscriptions_active')) ?? 0) >= 50);
    await waitUntil('the shared upstream subscription', async () => (await timing()).subscriptions >= 1);
    expect(await gatewayMetric(stack, 'fleetgraph_upstream_subscriptions_active')).toBe(1);
    expect((await timing()).subscriptions).toBe(1);
    for (const s of stops) s();
    await waitUntil('the upstream subscription released', async () => (await timing()).subscriptions === 0);
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
