// A TCP proxy in front of a subgraph, to break the gateway's upstream connection the way networks
// do: cut() resets every connection (no WebSocket close frame: the gateway sees 1006), freeze()
// keeps the current connections open but silently drops their traffic (only a missing pong shows it).
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** The proxied URL for a target URL (same path, the proxy's port). */
  url(target: string): string;
  cut(): void;
  freeze(): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [downstream, upstream];
    pairs.add(pair);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    const close = () => {
      pairs.delete(pair);
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url(target) {
      const u = new URL(target);
      u.port = String(port);
      return u.toString();
    },
    cut() {
      for (const [downstream, upstream] of [...pairs]) {
        downstream.resetAndDestroy();
        upstream.resetAndDestroy();
      }
    },
    freeze() {
      for (const [downstream, upstream] of pairs) {
        downstream.unpipe(upstream);
        upstream.unpipe(downstream);
        // Keep reading so that nothing backs up, and drop what arrives.
        downstream.on('data', () => {});
        upstream.on('data', () => {});
      }
    },
    async stop() {
      for (const [downstream, upstream] of [...pairs]) {
        downstream.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
