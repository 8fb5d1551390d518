// Issue 10 acceptance, processes as deployed: during a PTP grandmaster loss the timing subgraph's process
// is killed. The launcher restarts it; a subscriber through the gateway keeps its subscription and
// receives the later transitions; a query meanwhile gets the timing part as a coded error while the rest
// of the answer (fleet, SR-IOV) is there.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

// du-001: T-GM, holdOverTimeout 60 s; at timeScale 4: HOLDOVER 15 s, FREERUN until 150 / 4 = 37.5 s.
const SITE = 'du-001';
const TIME_SCALE = 4;

let stack: TestStack;
let client: Client;

beforeAll(async () => {
  stack = await startTestStack({ layout: 'processes', settings: { pollIntervalMs: 200 } });
  client = createClient({ url: stack.gatewayUrl.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}, 120_000);
afterAll(async () => {
  await client?.dispose();
  await stack?.stop();
});

interface StateEvent {
  eventType: string;
  previousState: string;
  currentState: string;
  node: { name: string; cluster: { name: string } };
}

const SYNC_STATE = 'event.sync.sync-status.synchronization-state-change';

test('a killed subgraph is restarted; its subscribers keep their subscription and get the later transitions', async () => {
  const events: StateEvent[] = [];
  const ended: unknown[] = [];
  const unsubscribe = client.subscribe<{ ptpClockStateChanged: StateEvent }>(
    {
      query: `subscription { ptpClockStateChanged(cluster: "${SITE}") { eventType previousState currentState node { name cluster { name } } } }`,
    },
    {
      next: (msg) => (msg.errors ? ended.push(msg.errors) : events.push(msg.data!.ptpClockStateChanged)),
      error: (err) => ended.push(err),
      complete: () => ended.push('complete'),
    },
  );
  const timing = () => subgraphHealth<{ feeds: Record<string, { polls: number }> }>(stack, 'timing');
  await waitUntil('the feed baseline of the site', async () => ((await timing()).feeds[SITE]?.polls ?? 0) >= 1, 30_000);

  await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster: SITE, timeScale: TIME_SCALE, recoverAfterSeconds: 150 });
  const overall = () => events.filter((e) => e.eventType === SYNC_STATE).map((e) => `${e.previousState}->${e.currentState}`);
  await waitUntil('LOCKED -> HOLDOVER', () => overall().includes('LOCKED->HOLDOVER'), 20_000);

  const restarted = new Promise<void>((resolve) => stack.processes.timing.once('ready', () => resolve()));
  const down = new Promise<void>((resolve) => stack.processes.timing.once('down', () => resolve()));
  stack.processes.timing.kill('SIGKILL');
  await down;

  // While timing is down: fleet and SR-IOV answer, the timing part is null with one coded error.
  const partial = await stack.query(`{ cluster(name: "${SITE}") { name nodes { name ready sriov { syncStatus } ptp { syncState } } } }`);
  expect(partial.status).toBe(200);
  expect(partial.data?.cluster.name).toBe(SITE);
  expect(partial.data?.cluster.nodes[0]).toMatchObject({ name: `${SITE}-sno`, ready: true, sriov: { syncStatus: 'Succeeded' }, ptp: null });
  expect(partial.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
  expect(partial.errors?.[0].extensions?.serviceName).toBe('timing');

  await restarted;
  expect(stack.processes.timing.restarts).toBe(1);
  // The gateway resubscribes on the restarted subgraph; its new feed takes a baseline (HOLDOVER or
  // FREERUN by then) and the subscriber sees what follows, ending with the recovery.
  await waitUntil('FREERUN -> LOCKED after the restart', () => overall().includes('FREERUN->LOCKED'), 60_000);
  unsubscribe();

  expect(ended).toEqual([]);
  const transitions = overall();
  expect(transitions[0]).toBe('LOCKED->HOLDOVER');
  expect(transitions.at(-1)).toBe('FREERUN->LOCKED');
  for (const e of events) expect(e.node).toEqual({ name: `${SITE}-sno`, cluster: { name: SITE } });

  // And queries answer in full again.
  const whole = await stack.query(`{ cluster(name: "${SITE}") { nodes { ptp { syncState } } } }`);
  expect(whole.errors).toBeUndefined();
  expect(whole.data?.cluster.nodes[0].ptp.syncState).toBe('LOCKED');
}, 150_000);
