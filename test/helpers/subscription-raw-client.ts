// A bare WebSocket client for protocol tests: sends exactly what the test writes (also invalid
// messages) and records every message and the close code/reason the gateway sends.
import WebSocket from 'ws';

export interface RawClient {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Waits for a message matching the predicate (already received ones count). */
  waitFor(match: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends connection_init and waits for connection_ack. */
  init(payload?: Record<string, unknown>): Promise<void>;
  subscribe(id: string, query: string, variables?: Record<string, unknown>): void;
}

export async function rawClient(url: string, protocol: string | null = 'graphql-transport-ws'): Promise<RawClient> {
  const ws = protocol ? new WebSocket(url, protocol) : new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const client: RawClient = {
    ws,
    messages,
    closed,
    send(message) {
      ws.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    waitFor(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`)),
          timeoutMs,
        );
        const check = () => {
          const found = messages.find(match);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else {
            waiters.push(check);
          }
        };
        check();
      });
    },
    async init(payload) {
      client.send(payload ? { type: 'connection_init', payload } : { type: 'connection_init' });
      await client.waitFor((m) => m.type === 'connection_ack');
    },
    subscribe(id, query, variables) {
      client.send({ id, type: 'subscribe', payload: { query, variables } });
    },
  };
  return client;
}

/** The `error` message for a subscription id, as [code, message] pairs. */
export async function errorOf(client: RawClient, id: string): Promise<[unknown, unknown][]> {
  const m = await client.waitFor((x) => x.id === id && x.type === 'error');
  return (m.payload as { message: string; extensions?: { code?: unknown } }[]).map((e) => [e.extensions?.code, e.message]);
}
