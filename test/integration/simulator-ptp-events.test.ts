// The PTP events REST API v2 of the simulated cloud-event-proxies over real HTTPS through the API
// server's pod proxy: subscriptions, publishers, CurrentState, the 404/503 of proxies that do not serve
// v2, the 405 of GET-only exporters, and events pushed to a subscriber when a scenario changes the state.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { generateFleet } from '../../simulator/fleet/generate.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import type { KubeObject } from '../../simulator/types.js';
import { watchedSubscriptions } from '../../simulator/exporters/ptp-event-push.js';
import { control, SimClient, type ApiJson } from '../helpers/sim-client.js';
import { waitUntil } from '../helpers/wait.js';

const V2 = '/api/ocloudNotifications/v2';

let sim: Simulator;
let client: SimClient;
let dir: string;

interface Site {
  cluster: string;
  node: string;
  pod: string;
}

/** The first edge site whose PtpOperatorConfig matches, with its linuxptp-daemon pod. */
function site(match: (eventConfig: { enableEventPublisher?: boolean; apiVersion?: string }) => boolean, ptpConfig?: string, except?: string): Site {
  for (const c of sim.clusters.values()) {
    if (c.name === except) continue;
    if (ptpConfig && !c.store.get(K.ptpConfigs, 'openshift-ptp', ptpConfig)) continue;
    const config = c.store.get(K.ptpOperatorConfigs, 'openshift-ptp', 'default');
    const eventConfig = (config?.spec as { ptpEventConfig?: { enableEventPublisher?: boolean; apiVersion?: string } } | undefined)?.ptpEventConfig;
    if (!eventConfig || !match(eventConfig)) continue;
    const pod = c.store.list(K.pods, 'openshift-ptp').find((p: KubeObject) => p.metadata.labels?.app === 'linuxptp-daemon');
    if (pod) return { cluster: c.name, node: (pod.spec as { nodeName: string }).nodeName, pod: pod.metadata.name };
  }
  throw new Error('no such site in the generated fleet');
}

const podPath = (s: Site, port: number | string, path: string): string => `/api/v1/namespaces/openshift-ptp/pods/${s.pod}:${port}/proxy${path}`;
const events = (s: Site, path: string, opts: { method?: string; body?: unknown } = {}) => client.request(s.cluster, podPath(s, 9043, `${V2}${path}`), opts);

let v2: Site;
/** A subscriber endpoint that passes the proxy's endpoint check (204) and records what it gets. */
let sinkForCrud: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  sinkForCrud = await receiver();
  dir = mkdtempSync(join(tmpdir(), 'sim-ptp-events-'));
  // nine edges: OCP 4.18/4.20 (apiVersion 2.0) and 4.16 (1.0) sites, events on and off
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: generateFleet({ seed: 1, hubs: 0, regionals: 0, edges: 9 }) });
  client = new SimClient(sim);
  // a T-BC (HOLDOVER on grandmaster loss) whose proxy serves v2
  v2 = site((e) => e.enableEventPublisher === true && e.apiVersion === '2.0', 'boundary-clock');
});

afterAll(async () => {
  await sinkForCrud?.close();
  client.close();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
  expect(watchedSubscriptions()).toBe(0);
});

describe('subscriptions', () => {
  let endpoint: string;
  beforeAll(() => {
    endpoint = sinkForCrud.url;
  });

  it('checks the endpoint first, as the proxy does: an empty POST that must answer 204, else 400 and no subscription', async () => {
    const address = `/cluster/node/${v2.node}/sync/ptp-status/clock-class`;
    const checksBefore = sinkForCrud.checks();
    const created = await events(v2, '/subscriptions', { method: 'POST', body: { ResourceAddress: address, EndpointUri: endpoint } });
    expect(created.status).toBe(201);
    expect(sinkForCrud.checks()).toBe(checksBefore + 1);
    expect((await events(v2, `/subscriptions/${created.body.SubscriptionId}`, { method: 'DELETE' })).status).toBe(204);

    const wrongAnswer = await receiver(0, 200);
    try {
      const refused = await events(v2, '/subscriptions', { method: 'POST', body: { ResourceAddress: address, EndpointUri: wrongAnswer.url } });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toContain('validation check failed');
    } finally {
      await wrongAnswer.close();
    }
    const unreachable = await events(v2, '/subscriptions', { method: 'POST', body: { ResourceAddress: address, EndpointUri: 'http://127.0.0.1:9/event' } });
    expect(unreachable.status).toBe(400);
    expect((await events(v2, '/subscriptions')).body).toEqual([]);
  });

  it('creates, lists, gets and deletes a subscription', async () => {
    const address = `/cluster/node/${v2.node}/sync/ptp-status/lock-state`;
    const created = await events(v2, '/subscriptions', { method: 'POST', body: { ResourceAddress: address, EndpointUri: endpoint } });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/json');
    const sub = created.body;
    expect(sub).toEqual({
      SubscriptionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      EndpointUri: endpoint,
      UriLocation: `http://localhost:9043${V2}/subscriptions/${sub.SubscriptionId}`,
      ResourceAddress: address,
    });

    const list = await events(v2, '/subscriptions');
    expect([list.status, list.body]).toEqual([200, [sub]]);
    const one = await events(v2, `/subscriptions/${sub.SubscriptionId}`);
    expect([one.status, one.body]).toEqual([200, sub]);

    const again = await events(v2, '/subscriptions', { method: 'POST', body: { ResourceAddress: address, EndpointUri: endpoint } });
    expect(again.status).toBe(409);

    const removed = await events(v2, `/subscriptions/${sub.SubscriptionId}`, { method: 'DELETE' });
    expect([removed.status, removed.text]).toEqual([204, '']);
    expect((await events(v2, `/subscriptions/${sub.SubscriptionId}`)).status).toBe(404);
    expect((await events(v2, `/subscriptions/${sub.SubscriptionId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await events(v2, '/subscriptions')).body).toEqual([]);
  });

  it('asks RBAC for the verb of the method through the proxy: create for a POST, get for a GET', async () => {
    const scoped = sim.tokens(v2.cluster).scoped.token; // reads namespaced kinds, no subresources
    const address = `/cluster/node/${v2.node}/sync/ptp-status/lock-state`;
    const read = await client.request(v2.cluster, podPath(v2, 9043, `${V2}/subscriptions`), { token: scoped });
    expect(read.status).toBe(403);
    expect((read.body as ApiJson).message).toContain('cannot get resource "pods/proxy"');
    const refused = await client.request(v2.cluster, podPath(v2, 9043, `${V2}/subscriptions`), { token: scoped, method: 'POST', body: { ResourceAddress: address, EndpointUri: endpoint } });
    expect(refused.status).toBe(403);
    expect((refused.body as ApiJson).message).toContain('cannot create resource "pods/proxy"');
  });

  it('deletes every subscription at once', async () => {
    for (const suffix of ['sync/sync-status/sync-state', 'sync/ptp-status/clock-class']) {
      const res = await events(v2, '/subscriptions', { method: 'POST', body: { ResourceAddress: `/cluster/node/${v2.node}/${suffix}`, EndpointUri: endpoint } });
      expect(res.status).toBe(201);
    }
    expect((await events(v2, '/subscriptions')).body).toHaveLength(2);
    expect((await events(v2, '/subscriptions', { method: 'DELETE' })).status).toBe(204);
    expect((await events(v2, '/subscriptions')).body).toEqual([]);
  });

  it('refuses bad bodies (400) and resources the node does not publish (404)', async () => {
    const address = `/cluster/node/${v2.node}/sync/ptp-status/lock-state`;
    for (const body of ['{not json', {}, { ResourceAddress: address }, { EndpointUri: endpoint }, { ResourceAddress: address, EndpointUri: 'ftp://x/y' }, { ResourceAddress: address, EndpointUri: 'nope' }]) {
      const res = await events(v2, '/subscriptions', { method: 'POST', body });
      expect([res.status, typeof res.body?.error]).toEqual([400, 'string']);
    }
    for (const ResourceAddress of ['/cluster/node/other-node/sync/ptp-status/lock-state', `/cluster/node/${v2.node}/sync/gnss-status/gnss-sync-status`]) {
      const res = await events(v2, '/subscriptions', { method: 'POST', body: { ResourceAddress, EndpointUri: endpoint } });
      expect(res.status).toBe(404);
    }
  });

  it('refuses a proxied body over the API server\'s 3 MiB write limit (413)', async () => {
    const res = await events(v2, '/subscriptions', { method: 'POST', body: 'x'.repeat(3 * 1024 * 1024 + 1) });
    expect([res.status, res.body.reason]).toEqual([413, 'RequestEntityTooLarge']);
  });

  it('drops the subscriptions with the pod (emptyDir storage)', async () => {
    const address = `/cluster/node/${v2.node}/sync/sync-status/os-clock-sync-state`;
    expect((await events(v2, '/subscriptions', { method: 'POST', body: { ResourceAddress: address, EndpointUri: endpoint } })).status).toBe(201);
    const path = `/api/v1/namespaces/openshift-ptp/pods/${v2.pod}`;
    const pod = (await client.request(v2.cluster, path)).body;
    expect((await client.request(v2.cluster, path, { method: 'DELETE' })).status).toBe(200);
    const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, managedFields: _mf, ...metadata } = pod.metadata;
    const recreated = await client.request(v2.cluster, '/api/v1/namespaces/openshift-ptp/pods', { method: 'POST', body: { ...pod, metadata } });
    expect(recreated.status).toBe(201);
    const running = await client.request(v2.cluster, `${path}/status`, { method: 'PUT', body: { ...recreated.body, status: pod.status } });
    expect([running.status, running.body.status.phase]).toEqual([200, 'Running']);
    expect((await events(v2, '/subscriptions')).body).toEqual([]);
    expect(watchedSubscriptions()).toBe(0);
  });
});

describe('publishers, health and CurrentState', () => {
  it('lists the four publishers of the node', async () => {
    const res = await events(v2, '/publishers');
    expect(res.status).toBe(200);
    expect(res.body.map((p: ApiJson) => p.ResourceAddress)).toEqual([
      `/cluster/node/${v2.node}/sync/sync-status/sync-state`,
      `/cluster/node/${v2.node}/sync/ptp-status/lock-state`,
      `/cluster/node/${v2.node}/sync/sync-status/os-clock-sync-state`,
      `/cluster/node/${v2.node}/sync/ptp-status/clock-class`,
    ]);
    for (const p of res.body) expect(Object.keys(p).sort()).toEqual(['EndpointUri', 'ResourceAddress', 'SubscriptionId', 'UriLocation']);
  });

  it('answers health', async () => {
    const res = await events(v2, '/health');
    expect([res.status, res.text]).toEqual([200, 'OK']);
  });

  it('gives the current state of each resource as one CloudEvent', async () => {
    const lock = await events(v2, `/cluster/node/${v2.node}/sync/ptp-status/lock-state/CurrentState`);
    expect(lock.status).toBe(200);
    expect(lock.body).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: `/cluster/node/${v2.node}/sync/ptp-status/lock-state`,
      type: 'event.sync.ptp-status.ptp-state-change',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: {
        version: '1.0',
        values: [
          { ResourceAddress: expect.stringMatching(new RegExp(`^/cluster/node/${v2.node.replace(/\./g, '\\.')}/ens\\d+fx/master$`)), data_type: 'notification', value_type: 'enumeration', value: 'LOCKED' },
          { ResourceAddress: lock.body.data.values[0].ResourceAddress, data_type: 'metric', value_type: 'decimal64.3', value: expect.any(Number) },
        ],
      },
    });
    const types: Record<string, string> = {
      'sync/sync-status/sync-state': 'event.sync.sync-status.synchronization-state-change',
      'sync/sync-status/os-clock-sync-state': 'event.sync.sync-status.os-clock-sync-state-change',
      'sync/ptp-status/clock-class': 'event.sync.ptp-status.ptp-clock-class-change',
    };
    for (const [suffix, type] of Object.entries(types)) {
      const res = await events(v2, `/cluster/node/${v2.node}/${suffix}/CurrentState`);
      expect([res.status, res.body.type]).toEqual([200, type]);
    }
    const os = await events(v2, `/cluster/node/${v2.node}/sync/sync-status/os-clock-sync-state/CurrentState`);
    expect(os.body.data.values[0]).toEqual({ ResourceAddress: `/cluster/node/${v2.node}/CLOCK_REALTIME`, data_type: 'notification', value_type: 'enumeration', value: 'LOCKED' });
    const unknown = await events(v2, `/cluster/node/${v2.node}/sync/nothing/CurrentState`);
    expect(unknown.status).toBe(404);
  });
});

describe('proxies that do not serve v2, and GET-only exporters', () => {
  it('answers 404 on an apiVersion 1.0 (OCP 4.16) proxy and 503 where events are off', async () => {
    const v1 = site((e) => e.enableEventPublisher === true && e.apiVersion === '1.0');
    const res = await events(v1, '/health');
    expect([res.status, res.text]).toEqual([404, '404 page not found\n']);
    const off = site((e) => e.enableEventPublisher !== true);
    const refused = await events(off, '/health');
    expect(refused.status).toBe(503);
    expect(refused.body.reason).toBe('ServiceUnavailable');
  });

  it('answers 405 to a POST on a metrics page, through the pod and the service proxy, while GET serves it', async () => {
    const post = await client.request(v2.cluster, podPath(v2, 9091, '/metrics'), { method: 'POST', body: '{}' });
    expect([post.status, post.text, post.headers.allow]).toEqual([405, 'Method Not Allowed\n', 'GET, HEAD']);
    const viaService = await client.request(v2.cluster, '/api/v1/namespaces/openshift-ptp/services/ptp-monitor-service:metrics/proxy/metrics', { method: 'POST', body: '{}' });
    expect(viaService.status).toBe(405);
    const get = await client.request(v2.cluster, podPath(v2, 9091, '/metrics'));
    expect(get.status).toBe(200);
    expect(get.text).toContain('openshift_ptp_clock_state');
  });
});

/**
 * A subscriber endpoint that records each event; `delayMs` holds every answer back. The proxy's endpoint
 * check (an empty POST) is counted and answered `checkStatus`.
 */
async function receiver(delayMs = 0, checkStatus = 204) {
  const received: { type?: string; body: ApiJson }[] = [];
  let checks = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text === '') {
        checks++;
        inFlight--;
        return void res.writeHead(checkStatus).end();
      }
      received.push({ type: req.headers['content-type'], body: JSON.parse(text) });
      setTimeout(() => {
        inFlight--;
        res.writeHead(204).end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    received,
    checks: () => checks,
    maxInFlight: () => maxInFlight,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/event`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('push', () => {
  it('never has two POSTs of one subscription in flight: changes meanwhile become one POST of the latest state', async () => {
    const other = site((e) => e.enableEventPublisher === true && e.apiVersion === '2.0', 'boundary-clock', v2.cluster);
    const sink = await receiver(1000);
    try {
      const address = `/cluster/node/${other.node}/sync/ptp-status/lock-state`;
      expect((await events(other, '/subscriptions', { method: 'POST', body: { ResourceAddress: address, EndpointUri: sink.url } })).status).toBe(201);
      // LOCKED → HOLDOVER → FREERUN → LOCKED well within the first POST's second at the receiver
      const ptpConfig: ApiJson = sim.clusters.get(other.cluster)!.store.list(K.ptpConfigs, 'openshift-ptp')[0];
      const holdOverTimeout = ptpConfig.spec.profile[0].ptpClockThreshold.holdOverTimeout as number;
      const timeScale = (holdOverTimeout * 1000) / 200;
      const recoverAfterSeconds = (400 * timeScale) / 1000;
      expect((await control(sim, 'POST', '/scenarios/ptp-gm-loss', { cluster: other.cluster, timeScale, recoverAfterSeconds })).status).toBe(200);
      await waitUntil('LOCKED again at the receiver', () => sink.received.at(-1)?.body.data.values[0].value === 'LOCKED', 10_000);
      expect(sink.maxInFlight()).toBe(1);
      // three changes, at most two POSTs: the later ones coalesced
      expect(sink.received.length).toBeLessThanOrEqual(2);
    } finally {
      await events(other, '/subscriptions', { method: 'DELETE' });
      await sink.close();
    }
  });

  it('POSTs the lock-state event to the subscriber when a grandmaster loss makes it HOLDOVER', async () => {
    const sink = await receiver();
    const received = sink.received;
    try {
      const EndpointUri = sink.url;
      const address = `/cluster/node/${v2.node}/sync/ptp-status/lock-state`;
      const before = await events(v2, `${address}/CurrentState`);
      expect(before.body.data.values[0].value).toBe('LOCKED');
      expect((await events(v2, '/subscriptions', { method: 'POST', body: { ResourceAddress: address, EndpointUri } })).status).toBe(201);

      const started = await control(sim, 'POST', '/scenarios/ptp-gm-loss', { cluster: v2.cluster });
      expect(started.status).toBe(200);
      const event = await waitUntil('a HOLDOVER event at the receiver', () => received.find((r) => r.body.data.values[0].value === 'HOLDOVER'), 10_000);
      expect(event.type).toBe('application/json');
      expect(event.body).toMatchObject({ type: 'event.sync.ptp-status.ptp-state-change', source: address, data: { version: '1.0' } });
      expect(event.body.data.values[1]).toMatchObject({ data_type: 'metric', value_type: 'decimal64.3' });
      // one event per change, not per sample
      expect(received.filter((r) => r.body.data.values[0].value === 'HOLDOVER')).toHaveLength(1);
      await waitUntil('the push counted', () => (sim.clusters.get(v2.cluster)!.counters.get('ptp-event posted') ?? 0) >= 1);
    } finally {
      await events(v2, '/subscriptions', { method: 'DELETE' });
      await sink.close();
    }
  });
});
