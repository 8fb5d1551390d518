// The keyv-backed shared cache as its callers see it: values round-trip and expire in memory, and a
// Redis that is down or does not answer is a miss within the op timeout, never an error.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createApqCache, createSharedCache } from '../../lib/cache.js';
import { waitUntil } from '../helpers/wait.js';


/** A TCP server that accepts connections and never answers (a hung Redis). */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A port nobody listens on (connection refused). */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `redis://127.0.0.1:${port}`;
}

describe('in memory (no REDIS_URL)', () => {
  test('values round-trip per namespace and expire after their TTL', async () => {
    const a = createSharedCache<{ n: number }>({ namespace: 'a', redisUrl: '' });
    const b = createSharedCache<{ n: number }>({ namespace: 'b', redisUrl: '' });
    expect(a.backend).toBe('memory');
    await a.set('k', { n: 1 }, 50);
    expect(await a.get('k')).toEqual({ n: 1 });
    expect(await b.get('k')).toBeUndefined();
    await waitUntil('the entry to expire', async () => (await a.get('k')) === undefined, 5_000);
    expect(await b.get('k')).toBeUndefined();
  });

  test('keeps at most maxEntries (least recently used go first)', async () => {
    const c = createSharedCache<string>({ namespace: 'lru', redisUrl: '', maxEntries: 2 });
    await c.set('1', 'one');
    await c.set('2', 'two');
    await c.get('1');
    await c.set('3', 'three');
    expect(await c.get('1')).toBe('one');
    expect(await c.get('2')).toBeUndefined();
    expect(await c.get('3')).toBe('three');
  });

  test('the APQ store keeps a registered query', async () => {
    const apq = createApqCache({ redisUrl: '' });
    await apq.set('apq:abc', '{ clusters { name } }', { ttl: 300 });
    expect(await apq.get('apq:abc')).toBe('{ clusters { name } }');
    expect(await apq.get('apq:other')).toBeUndefined();
  });
});

describe('a Redis that fails degrades to no cache', () => {
  test('connection refused: get is a miss and set resolves, quickly', async () => {
    const url = await closedPort();
    const cache = createSharedCache<string>({ namespace: 'down', redisUrl: url, opTimeoutMs: 300 });
    const apq = createApqCache({ redisUrl: url, opTimeoutMs: 300 });
    expect(cache.backend).toBe('redis');
    const started = Date.now();
    await expect(cache.set('k', 'v')).resolves.toBeUndefined();
    await expect(cache.get('k')).resolves.toBeUndefined();
    await expect(apq.get('apq:abc')).resolves.toBeUndefined();
    await expect(apq.set('apq:abc', 'q')).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
    await cache.close();
    await apq.close();
  });

  test('a server that never answers: each operation is a miss after opTimeoutMs', async () => {
    const hung = await silentServer();
    const cache = createSharedCache<string>({ namespace: 'hung', redisUrl: hung.url, opTimeoutMs: 200 });
    try {
      const started = Date.now();
      await expect(cache.get('k')).resolves.toBeUndefined();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(1500);
      await expect(cache.set('k', 'v')).resolves.toBeUndefined();
    } finally {
      void cache.close();
      await hung.close();
    }
  });
});
