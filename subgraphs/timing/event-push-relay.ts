// Several timing replicas behind one callback URL: a cloud-event-proxy's event can land on a replica
// that did not register it. The relay lets it reach the one that did: each replica claims its tokens in
// Redis (`fleetgraph:ptp-event-token:<token>`), a replica that receives a token it does not hold checks
// the claim and publishes the token on `fleetgraph:ptp-event-wake`, and the holder wakes its feed. An
// unclaimed token is still refused (404). Redis being down only costs the forwarding: the receiving
// replica answers 404 and the cluster is polled as before.
import { createClient, type RedisClientType } from '@redis/client';
import { log } from '../../lib/log.js';

/** What PtpEventPush needs to share its tokens with the other replicas. */
export interface EventPushRelay {
  /** This replica holds `token` (renewed by calling again); false when Redis could not be told. */
  claim(token: string): Promise<boolean>;
  release(token: string): Promise<void>;
  /** A token this replica does not hold: true when another replica claimed it (and was told). */
  forward(token: string): Promise<boolean>;
  /** Whether some replica holds `token` (the proxy's endpoint check). */
  claimed(token: string): Promise<boolean>;
  /** Called with every token another replica forwards. */
  onForward(handler: (token: string) => void): void;
  close(): Promise<void>;
}

const KEY = 'fleetgraph:ptp-event-token:';
const CHANNEL = 'fleetgraph:ptp-event-wake';
/** A claim outlives a replica that died without releasing it by this long at most. */
const CLAIM_TTL_SECONDS = 6 * 3600;
const LOG_EVERY_MS = 30_000;

/** Connects in the background: a Redis that is down at start only delays the forwarding. */
export function redisEventPushRelay(url: string): EventPushRelay {
  const options = { url, disableOfflineQueue: true, socket: { connectTimeout: 1000, reconnectStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 5000) } };
  const commands = createClient(options) as RedisClientType;
  const subscriber = commands.duplicate() as RedisClientType;
  let loggedAt = 0;
  const warn = (err: unknown) => {
    if (Date.now() - loggedAt < LOG_EVERY_MS) return;
    loggedAt = Date.now();
    log.warn({ err: (err as Error).message }, 'ptp events: Redis relay unavailable; events for other replicas are refused meanwhile');
  };
  commands.on('error', warn);
  subscriber.on('error', warn);
  const handlers: ((token: string) => void)[] = [];
  const connected = commands.connect().then(
    () => true,
    (err) => (warn(err), false),
  );
  // node-redis subscribes again on every reconnect.
  subscriber
    .connect()
    .then(() =>
      subscriber.subscribe(CHANNEL, (token) => {
        for (const h of handlers) h(token);
      }),
    )
    .catch(warn);
  // Commands fail fast while Redis is away (no offline queue); right after start they wait up to a second for the first connection.
  const safely = async <T>(run: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      if (!commands.isReady) await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      return await run();
    } catch (err) {
      warn(err);
      return fallback;
    }
  };
  return {
    claim: (token) => safely(async () => (await commands.set(KEY + token, '1', { EX: CLAIM_TTL_SECONDS })) === 'OK', false),
    release: (token) => safely(async () => void (await commands.del(KEY + token)), undefined),
    claimed: (token) => safely(async () => (await commands.exists(KEY + token)) === 1, false),
    forward: (token) =>
      safely(async () => {
        if ((await commands.exists(KEY + token)) !== 1) return false;
        await commands.publish(CHANNEL, token);
        return true;
      }, false),
    onForward: (handler) => void handlers.push(handler),
    async close() {
      await Promise.allSettled([subscriber.close(), commands.close()]);
    },
  };
}
