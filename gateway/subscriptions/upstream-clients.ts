// One graphql-ws client per subgraph URL: a single WebSocket that multiplexes every upstream
// subscription to that subgraph, opened on first use and closed shortly after the last one ends.
// It pings, terminates a connection whose pong does not come back, and reconnects with jittered
// exponential backoff; graphql-ws then re-sends every active subscription on the new connection.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { backoffMs } from '../../lib/backoff.js';
import { log } from '../../lib/log.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { UpstreamOptions } from './options.js';

/** `ws` with our options; graphql-ws constructs it with (url, protocol) only. */
function webSocketClass(maxPayload: number): unknown {
  return class UpstreamWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { maxPayload, perMessageDeflate: false });
    }
  };
}

function backoff(options: UpstreamOptions) {
  return (retries: number) => {
    const delay = backoffMs(retries, options.retryBaseMs, options.retryMaxMs);
    return new Promise<void>((resolve) => setTimeout(resolve, delay));
  };
}

export class UpstreamClients {
  private readonly clients = new Map<string, Client>();
  private readonly WebSocketImpl: unknown;

  constructor(
    private readonly options: UpstreamOptions,
    private readonly metrics: SubscriptionMetrics,
  ) {
    this.WebSocketImpl = webSocketClass(options.maxPayloadBytes);
  }

  /** The shared client of one subgraph (by its graphql-ws URL). */
  get(serviceName: string, url: string): Client {
    let client = this.clients.get(url);
    if (!client) {
      client = this.create(serviceName, url);
      this.clients.set(url, client);
    }
    return client;
  }

  private create(serviceName: string, url: string): Client {
    const { options, metrics } = this;
    let socket: WebSocket | null = null;
    let connected = false;
    let pongTimer: NodeJS.Timeout | undefined;
    return createClient({
      url,
      webSocketImpl: this.WebSocketImpl,
      lazy: true,
      lazyCloseTimeout: options.lazyCloseTimeoutMs,
      keepAlive: options.keepAliveMs,
      connectionAckWaitTimeout: options.connectionAckTimeoutMs,
      retryAttempts: options.retryAttempts,
      retryWait: backoff(options),
      // Retry on everything graphql-ws does not consider fatal, including a refused connection
      // (graphql-ws's default retries only close events, and a restarting subgraph refuses first).
      shouldRetry: () => true,
      connectionParams: options.connectionParams,
      on: {
        opened: (s) => {
          socket = s as WebSocket;
        },
        connected: (_s, _payload, wasRetry) => {
          if (!connected) {
            connected = true;
            metrics.add('upstreamConnections', 1);
          }
          if (wasRetry) {
            metrics.count('upstreamReconnects');
            log.info({ subgraph: serviceName }, 'subscription upstream reconnected');
          }
        },
        ping: (received) => {
          if (received) return;
          clearTimeout(pongTimer);
          const pinged = socket;
          pongTimer = setTimeout(() => {
            log.warn({ subgraph: serviceName }, 'subscription upstream missed a pong; reconnecting');
            pinged?.terminate();
          }, options.pongTimeoutMs);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
        closed: (event) => {
          clearTimeout(pongTimer);
          socket = null;
          if (connected) {
            connected = false;
            metrics.add('upstreamConnections', -1);
            const { code, reason } = event as { code?: number; reason?: string };
            if (code !== 1000) log.warn({ subgraph: serviceName, code, reason }, 'subscription upstream connection closed');
          }
        },
      },
    });
  }

  async dispose(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((c) => c.dispose()));
  }
}
