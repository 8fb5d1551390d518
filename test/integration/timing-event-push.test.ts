// PTP events pushed by cloud-event-proxy wake the feed: with a poll interval of ten minutes, a GM loss
// still reaches a subscriber through the gateway, because the timing subgraph subscribed the node's
// publishers (REST API v2 through the pod proxy) and the proxy posted the event to it. The subscriptions
// live as long as the feed, and the receiver refuses what a proxy never got from us.
import { createClient, type Client } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';
import { SimClient, type ApiJson } from '../helpers/sim-client.js';
import { startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

let stack: TestStack;
let client: Client;
let sim: SimClient;

beforeAll(async () => {
  // The demo stack sets CALLBACK_BASE_URL=self: the simulated clusters post to the timing subgraph itself.
  stack = await startTestStack({ settings: { pollIntervalMs: 600_000 } });
  client = createClient({ url: stack.gatewayUrl.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  sim = new SimClient(stack.sim);
}, 60_000);
afterAll(async () => {
  await client?.dispose();
  await stack?.stop();
});

interface PushStats {
  eventPush?: { clusters: number; nodesRegistered: number; eventsReceived: number; unknownTokens: number };
  feeds: Record<string, { polls: number }>;
}
const timing = () => subgraphHealth<PushStats>(stack, 'timing');

/** An edge cluster whose operator publishes events on the v2 API, with a LOCKED node. */
async function publishingSite(): Promise<{ cluster: string; node: string }> {
  const res = await stack.query<{ clusters: { name: string; ptp: { operatorConfig: { eventPublisherEnabled: boolean; eventApiVersion: string | null } | null; nodes: ({ nodeName: string; syncState: string } | null)[] } | null }[] }>(
    '{ clusters { name ptp { operatorConfig { eventPublisherEnabled eventApiVersion } nodes { nodeName syncState } } } }',
  );
  for (const c of res.data?.clusters ?? []) {
    const config = c.ptp?.operatorConfig;
    const locked = c.ptp?.nodes.find((n) => n?.syncState === 'LOCKED');
    if (c.name.startsWith('du-') && config?.eventPublisherEnabled && config.eventApiVersion?.startsWith('2') && locked) return { cluster: c.name, node: locked.nodeName };
  }
  throw new Error(`no edge cluster publishing v2 events: ${JSON.stringify(res.data ?? res.errors).slice(0, 400)}`);
}

/** The subscriptions the node's cloud-event-proxy holds, read through the API server as kubectl would. */
async function proxySubscriptions(cluster: string, node: string): Promise<{ EndpointUri: string; ResourceAddress: string }[]> {
  const pods = await sim.request(cluster, `/api/v1/namespaces/openshift-ptp/pods?labelSelector=${encodeURIComponent('app=linuxptp-daemon')}`);
  const pod = (pods.body as ApiJson).items.find((p: ApiJson) => p.spec.nodeName === node);
  const res = await sim.request(cluster, `/api/v1/namespaces/openshift-ptp/pods/${pod.metadata.name}:9043/proxy/api/ocloudNotifications/v2/subscriptions`);
  expect(res.status).toBe(200);
  return res.body as { EndpointUri: string; ResourceAddress: string }[];
}

describe('PTP events pushed by cloud-event-proxy', () => {
  it('a GM loss reaches the subscriber within seconds although the feed polls every 10 minutes', async () => {
    const { cluster, node } = await publishingSite();
    const events: { currentState: string; eventType: string }[] = [];
    const errors: unknown[] = [];
    const stop = client.subscribe<{ ptpClockStateChanged: { currentState: string; eventType: string } }>(
      { query: `subscription { ptpClockStateChanged(cluster: "${cluster}", node: "${node}") { eventType currentState } }` },
      { next: (m) => (m.errors ? errors.push(...m.errors) : events.push(m.data!.ptpClockStateChanged)), error: (e) => errors.push(e), complete: () => undefined },
    );
    // The baseline poll registers the node's four publishers with the proxy.
    await waitUntil('the node registered with its cloud-event-proxy', async () => ((await timing()).eventPush?.nodesRegistered ?? 0) >= 1, 30_000);
    const registered = await proxySubscriptions(cluster, node);
    expect(registered.map((s) => s.ResourceAddress).sort()).toEqual(
      [`/cluster/node/${node}/sync/ptp-status/clock-class`, `/cluster/node/${node}/sync/ptp-status/lock-state`, `/cluster/node/${node}/sync/sync-status/os-clock-sync-state`, `/cluster/node/${node}/sync/sync-status/sync-state`],
    );
    const endpoint = new URL(registered[0].EndpointUri);
    expect(endpoint.pathname).toMatch(/^\/ptp-events\/[A-Za-z0-9_-]{32}$/);
    expect(new Set(registered.map((s) => s.EndpointUri)).size).toBe(1);
    const pollsBefore = (await timing()).feeds[cluster].polls;

    await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster, node, recoverAfterSeconds: 600 });
    // Only a push can deliver this: the next scheduled poll is ten minutes away.
    await waitUntil('the HOLDOVER event', () => events.some((e) => e.currentState === 'HOLDOVER'), 20_000);
    expect(errors).toEqual([]);
    expect(events.find((e) => e.eventType === 'event.sync.sync-status.synchronization-state-change')).toMatchObject({ currentState: 'HOLDOVER' });
    const after = await timing();
    expect(after.eventPush!.eventsReceived).toBeGreaterThan(0);
    const metrics = await (await request(new URL('/metrics', stack.subgraphUrls.timing))).body.text();
    expect(metrics).toMatch(/^fleetgraph_ptp_event_callbacks_total\{outcome="accepted"\} [1-9]/m);
    expect(metrics).toMatch(/^fleetgraph_ptp_event_push_nodes [1-9]/m);
    expect(after.feeds[cluster].polls).toBeGreaterThan(pollsBefore);

    // The empty POST with which a proxy checks an endpoint before subscribing it: 204 while the token lives.
    expect((await request(endpoint.href, { method: 'POST' })).statusCode).toBe(204);

    // The last subscriber leaves: the feed stops and its subscriptions are deleted from the proxy.
    stop();
    await waitUntil('the proxy subscriptions deleted', async () => (await proxySubscriptions(cluster, node)).length === 0, 20_000);
    expect((await timing()).eventPush!.clusters).toBe(0);

    // The token died with the feed: a late or replayed event is refused.
    const late = await request(endpoint.href, { method: 'POST', body: JSON.stringify({ type: 'event.sync.ptp-status.ptp-state-change', source: '/sync/ptp-status/lock-state' }) });
    expect(late.statusCode).toBe(404);
    expect(await late.body.json()).toMatchObject({ code: 'NOT_FOUND' });
  }, 90_000);

  it('the receiver answers bad input with a 4xx and a code', async () => {
    const base = new URL(stack.subgraphUrls.timing).origin;
    const post = async (path: string, body: string) => {
      const res = await request(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      return { status: res.statusCode, body: (await res.body.json()) as { code: string } };
    };
    expect(await post('/ptp-events/unknown-token', JSON.stringify({ type: 'event.sync.ptp-status.ptp-state-change', source: '/x' }))).toEqual({ status: 404, body: expect.objectContaining({ code: 'NOT_FOUND' }) });
    expect(await post('/ptp-events/unknown-token', 'not json')).toEqual({ status: 400, body: expect.objectContaining({ code: 'BAD_REQUEST' }) });
    expect(await post('/ptp-events/unknown-token', JSON.stringify({ hello: 'world' }))).toEqual({ status: 400, body: expect.objectContaining({ code: 'BAD_REQUEST' }) });
    expect(await post('/ptp-events/unknown-token', JSON.stringify({ type: 'x', source: 'y', pad: 'x'.repeat(70_000) }))).toEqual({ status: 413, body: expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }) });
    expect((await timing()).eventPush!.unknownTokens).toBeGreaterThanOrEqual(1);
  });
});
