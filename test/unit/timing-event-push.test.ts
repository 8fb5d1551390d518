// The cloud-event-proxy registrations of the PTP feed (timing/event-push.ts) against a fake pod proxy:
// which clusters and nodes are registered, when again, what is deleted, and what a callback wakes.
import type { Pod } from '../../subgraphs/kube/objects.js';
import { PtpEventPush } from '../../subgraphs/timing/event-push.js';
import type { PtpObjects } from '../../subgraphs/timing/models.js';
import { waitUntil } from '../helpers/wait.js';

interface Call {
  method: string;
  path: string;
  body?: { ResourceAddress: string; EndpointUri: string };
}

/** A pod proxy whose cloud-event-proxies keep subscriptions in memory; `failing` answers 503. */
function fakeProxy() {
  const calls: Call[] = [];
  const held = new Map<string, { SubscriptionId: string; ResourceAddress: string; EndpointUri: string }>();
  const state = { failing: false, next: 0 };
  const client = {
    async sendRaw(method: string, path: string, options: { body?: string } = {}) {
      const body = options.body ? JSON.parse(options.body) : undefined;
      calls.push({ method, path, body });
      if (state.failing) throw Object.assign(new Error('503 no endpoints'), { httpStatus: 503 });
      if (method === 'POST') {
        if ([...held.values()].some((s) => s.ResourceAddress === body.ResourceAddress && s.EndpointUri === body.EndpointUri)) throw Object.assign(new Error('409'), { httpStatus: 409 });
        const sub = { SubscriptionId: `s${++state.next}`, ...body };
        held.set(sub.SubscriptionId, sub);
        return JSON.stringify(sub);
      }
      if (method === 'DELETE') {
        held.delete(decodeURIComponent(path.split('/').pop()!));
        return '';
      }
      return JSON.stringify([...held.values()]);
    },
  };
  return { client, calls, held, state };
}

/** Replicas sharing one in-memory "Redis": claims and a wake channel. */
function fakeRelayNetwork() {
  const claims = new Set<string>();
  const handlers: ((token: string) => void)[] = [];
  return {
    claims,
    join: () => ({
      claim: async (token: string) => (claims.add(token), true),
      release: async (token: string) => void claims.delete(token),
      claimed: async (token: string) => claims.has(token),
      forward: async (token: string) => {
        if (!claims.has(token)) return false;
        for (const h of handlers) h(token);
        return true;
      },
      onForward: (h: (token: string) => void) => void handlers.push(h),
      close: async () => undefined,
    }),
  };
}

const objects = (enable: boolean, apiVersion = '2.0') =>
  ({ operatorConfig: { metadata: { name: 'default' }, spec: { ptpEventConfig: { enableEventPublisher: enable, apiVersion } } }, configs: [], devices: [] }) as unknown as PtpObjects;
const pod = (node: string, uid: string): Pod => ({ metadata: { name: `linuxptp-daemon-${uid}`, namespace: 'openshift-ptp', uid }, spec: { nodeName: node }, status: { phase: 'Running' } }) as Pod;

function setup(retryAfterMs = 30_000) {
  const proxy = fakeProxy();
  const woken: string[] = [];
  let now = 1_000_000;
  const push = new PtpEventPush({ client: () => proxy.client, callbackBaseUrl: () => 'https://fleetgraph.example', onEvent: (c) => woken.push(c), retryAfterMs, now: () => now });
  return { push, proxy, woken, advance: (ms: number) => (now += ms) };
}

describe('PtpEventPush', () => {
  it('registers the four publishers of each node once, with one unguessable endpoint per cluster', async () => {
    const { push, proxy } = setup();
    const pods = new Map([['n1', pod('n1', 'u1')], ['n2', pod('n2', 'u2')]]);
    push.reconcile('du-1', objects(true), pods);
    await waitUntil('8 subscriptions', () => proxy.held.size === 8);
    push.reconcile('du-1', objects(true), pods); // the next poll: nothing new
    await new Promise((r) => setTimeout(r, 20));
    expect(proxy.calls.filter((c) => c.method === 'POST')).toHaveLength(8);
    expect(proxy.calls[0].path).toBe('/api/v1/namespaces/openshift-ptp/pods/linuxptp-daemon-u1:9043/proxy/api/ocloudNotifications/v2/subscriptions');
    expect([...proxy.held.values()].filter((s) => s.ResourceAddress.startsWith('/cluster/node/n1/')).map((s) => s.ResourceAddress).sort()).toEqual([
      '/cluster/node/n1/sync/ptp-status/clock-class',
      '/cluster/node/n1/sync/ptp-status/lock-state',
      '/cluster/node/n1/sync/sync-status/os-clock-sync-state',
      '/cluster/node/n1/sync/sync-status/sync-state',
    ]);
    const endpoints = new Set([...proxy.held.values()].map((s) => s.EndpointUri));
    expect(endpoints.size).toBe(1);
    expect([...endpoints][0]).toMatch(/^https:\/\/fleetgraph\.example\/ptp-events\/[A-Za-z0-9_-]{32}$/);
    expect(push.stats()).toMatchObject({ clusters: 1, nodesRegistered: 2 });
    push.reconcile('du-2', objects(true), new Map([['n1', pod('n1', 'u9')]]));
    await waitUntil('the second cluster', () => proxy.held.size === 12);
    expect(push.endpointOf('du-2')).not.toBe(push.endpointOf('du-1'));
  });

  it('a callback wakes its own cluster only; unknown tokens are counted and refused', async () => {
    const { push, woken } = setup();
    push.reconcile('du-1', objects(true), new Map([['n1', pod('n1', 'u1')]]));
    const token = push.endpointOf('du-1')!.split('/').pop()!;
    expect(await push.receive(token)).toBe('local');
    expect(await push.receive('guess')).toBeUndefined();
    expect(woken).toEqual(['du-1']);
    expect(push.stats()).toMatchObject({ eventsReceived: 1, unknownTokens: 1 });
    expect(await push.knows(token)).toBe(true);
    expect(await push.knows('guess')).toBe(false);
  });

  it('with a relay, a replica that did not register a token passes its event on to the one that did', async () => {
    const relay = fakeRelayNetwork();
    const proxy = fakeProxy();
    const woken: string[] = [];
    const make = (name: string) =>
      new PtpEventPush({ client: () => proxy.client, callbackBaseUrl: () => 'https://fleetgraph.example', onEvent: (c) => woken.push(`${name}:${c}`), relay: relay.join() });
    const a = make('a');
    const b = make('b');
    a.reconcile('du-1', objects(true), new Map([['n1', pod('n1', 'u1')]]));
    const token = a.endpointOf('du-1')!.split('/').pop()!;
    await waitUntil('the claim', () => relay.claims.has(token) || undefined);
    expect(await b.knows(token)).toBe(true);
    expect(await b.receive(token)).toBe('relayed');
    expect(woken).toEqual(['a:du-1']);
    expect(b.stats()).toMatchObject({ eventsRelayed: 1, eventsReceived: 0 });
    expect(a.stats()).toMatchObject({ eventsReceived: 1 });
    // Unclaimed tokens are refused everywhere; a released token is unclaimed.
    expect(await b.receive('guess')).toBeUndefined();
    await a.release('du-1');
    expect(await b.receive(token)).toBeUndefined();
    expect(woken).toEqual(['a:du-1']);
  });

  it('registers again when the daemon pod is replaced (subscriptions live with the pod)', async () => {
    const { push, proxy } = setup();
    push.reconcile('du-1', objects(true), new Map([['n1', pod('n1', 'u1')]]));
    await waitUntil('registered', () => push.stats().nodesRegistered === 1);
    proxy.held.clear(); // the new pod starts empty
    push.reconcile('du-1', objects(true), new Map([['n1', pod('n1', 'u2')]]));
    await waitUntil('registered with the new pod', () => proxy.held.size === 4);
    expect(proxy.calls.at(-1)!.path).toContain('linuxptp-daemon-u2:9043');
  });

  it('asks nothing of clusters without the v2 event publisher, and lets go of one that turns it off', async () => {
    const { push, proxy } = setup();
    const pods = new Map([['n1', pod('n1', 'u1')]]);
    push.reconcile('off', objects(false), pods);
    push.reconcile('v1', objects(true, '1.0'), pods);
    expect(proxy.calls).toEqual([]);
    push.reconcile('du-1', objects(true), pods);
    await waitUntil('registered', () => proxy.held.size === 4);
    push.reconcile('du-1', objects(false), pods);
    await waitUntil('deleted', () => proxy.held.size === 0);
    expect(push.stats().clusters).toBe(0);
  });

  it('a failed registration is all or nothing and is retried only after retryAfterMs', async () => {
    const { push, proxy, advance } = setup(30_000);
    const pods = new Map([['n1', pod('n1', 'u1')]]);
    proxy.state.failing = true;
    push.reconcile('du-1', objects(true), pods);
    await waitUntil('the failure', () => push.stats().registrationFailures === 1);
    const calls = proxy.calls.length;
    push.reconcile('du-1', objects(true), pods);
    await new Promise((r) => setTimeout(r, 20));
    expect(proxy.calls.length).toBe(calls); // too soon
    proxy.state.failing = false;
    advance(30_001);
    push.reconcile('du-1', objects(true), pods);
    await waitUntil('registered on the retry', () => push.stats().nodesRegistered === 1);
    expect(proxy.held.size).toBe(4);
  });

  it('an answer lost on the way (409 on the retry) is found by listing, so release still deletes it', async () => {
    const { push, proxy } = setup();
    const pods = new Map([['n1', pod('n1', 'u1')]]);
    push.reconcile('du-1', objects(true), pods);
    const endpoint = push.endpointOf('du-1')!;
    await waitUntil('registered', () => proxy.held.size === 4);
    // Same endpoint registered again from scratch (as after a lost answer): 409s, resolved by GET.
    proxy.held.clear();
    proxy.held.set('old', { SubscriptionId: 'old', ResourceAddress: '/cluster/node/n1/sync/sync-status/sync-state', EndpointUri: endpoint });
    push.reconcile('du-1', objects(true), new Map([['n1', pod('n1', 'u2')]]));
    await waitUntil('registered again', () => proxy.held.size === 4);
    await push.release('du-1');
    expect(proxy.held.size).toBe(0);
  });

  it('deletes what an earlier process left behind (same callback base, dead token), and no other consumer\'s', async () => {
    const { push, proxy } = setup();
    proxy.held.set('dead', { SubscriptionId: 'dead', ResourceAddress: '/cluster/node/n1/sync/sync-status/sync-state', EndpointUri: 'https://fleetgraph.example/ptp-events/old-token' });
    proxy.held.set('other', { SubscriptionId: 'other', ResourceAddress: '/cluster/node/n1/sync/sync-status/sync-state', EndpointUri: 'http://another-consumer/event' });
    push.reconcile('du-1', objects(true), new Map([['n1', pod('n1', 'u1')]]));
    await waitUntil('registered', () => push.stats().nodesRegistered === 1);
    expect(proxy.held.has('dead')).toBe(false);
    expect(proxy.held.has('other')).toBe(true);
    expect(proxy.held.size).toBe(5);
  });

  it('stop deletes every subscription it holds', async () => {
    const { push, proxy } = setup();
    push.reconcile('du-1', objects(true), new Map([['n1', pod('n1', 'u1')]]));
    push.reconcile('du-2', objects(true), new Map([['n1', pod('n1', 'u2')]]));
    await waitUntil('registered', () => proxy.held.size === 8);
    await push.stop();
    expect(proxy.held.size).toBe(0);
    expect(proxy.calls.filter((c) => c.method === 'DELETE')).toHaveLength(8);
  });
});
