// Two timing replicas behind one callback URL, sharing a REAL Redis (REDIS_URL; .ci/run starts
// redis-server on 127.0.0.1): an event posted to the replica that did not register its token reaches
// the one that did, through the relay; unclaimed and released tokens are refused by both.
// Skipped, saying why, only when REDIS_URL is unset.
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import type { Pod } from '../../subgraphs/kube/objects.js';
import { PtpEventPush } from '../../subgraphs/timing/event-push.js';
import { redisEventPushRelay, type EventPushRelay } from '../../subgraphs/timing/event-push-relay.js';
import type { PtpObjects } from '../../subgraphs/timing/models.js';
import { waitUntil } from '../helpers/wait.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('ptp-event-relay-redis.test.ts: SKIPPED, REDIS_URL is not set (.ci/run starts redis-server on 127.0.0.1:6379 and sets it)');
const describeWithRedis = REDIS_URL ? describe : describe.skip;

const objects = { operatorConfig: { metadata: { name: 'default' }, spec: { ptpEventConfig: { enableEventPublisher: true, apiVersion: '2.0' } } }, configs: [], devices: [] } as unknown as PtpObjects;
const pod = { metadata: { name: 'linuxptp-daemon-x', namespace: 'openshift-ptp', uid: randomBytes(4).toString('hex') }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } } as Pod;
/** A cloud-event-proxy that accepts every subscription. */
const proxy = { sendRaw: async (method: string) => (method === 'POST' ? JSON.stringify({ SubscriptionId: randomBytes(4).toString('hex') }) : method === 'GET' ? '[]' : '') };

describeWithRedis('PTP event relay over Redis', () => {
  const relays: EventPushRelay[] = [];
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.close()));
  });

  it('passes an event to the replica holding its token, and refuses tokens nobody holds', async () => {
    const woken: string[] = [];
    const replica = (name: string) => {
      const relay = redisEventPushRelay(REDIS_URL!);
      relays.push(relay);
      return new PtpEventPush({ client: () => proxy, callbackBaseUrl: () => 'https://timing.example', onEvent: (c) => woken.push(`${name}:${c}`), relay });
    };
    const a = replica('a');
    const b = replica('b');
    a.reconcile('du-1', objects, new Map([['n1', pod]]));
    const token = a.endpointOf('du-1')!.split('/').pop()!;
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      await waitUntil('the claim in Redis', async () => (await redis.exists(`fleetgraph:ptp-event-token:${token}`)) === 1 || undefined);
      // b's subscriber connection may still be subscribing: the first forward can be published before it listens.
      await waitUntil('b passes the event on and a wakes', async () => (await b.receive(token)) === 'relayed' && woken.includes('a:du-1') ? true : undefined);
      expect(await b.knows(token)).toBe(true);
      expect(await b.receive(randomBytes(24).toString('base64url'))).toBeUndefined();
      await a.release('du-1');
      expect(await redis.exists(`fleetgraph:ptp-event-token:${token}`)).toBe(0);
      expect(await b.receive(token)).toBeUndefined();
      expect(await b.knows(token)).toBe(false);
      expect(woken.every((w) => w === 'a:du-1')).toBe(true);
    } finally {
      await redis.close();
    }
  });
});
