// Limits and upstream settings of the subscription server, with the defaults documented in README.md.
// Every limit exists so that one client (or many) cannot grow gateway memory without bound.

export interface SubscriptionLimits {
  /** Active subscriptions one WebSocket connection may hold; more get a TOO_MANY_SUBSCRIPTIONS error. */
  maxSubscriptionsPerConnection: number;
  /** Active client subscriptions across the gateway. */
  maxSubscriptions: number;
  /** Open client WebSocket connections across the gateway; more are closed with 1013 at once. */
  maxConnections: number;
  /** A connection must send `connection_init` within this time, else it is closed with 4408. */
  connectionInitTimeoutMs: number;
  /** A connection without active subscriptions for this long is closed with 1000 (0 = never). */
  idleTimeoutMs: number;
  /** Any connection is closed with 1001 after this long; graphql-ws clients reconnect (0 = never). */
  maxLifetimeMs: number;
  /** Largest inbound WebSocket message in bytes (ws `maxPayload`); larger ones close the socket with 1009. */
  maxPayloadBytes: number;
  /**
   * Bytes a client may leave unread in the gateway's outbound buffer (socket.bufferedAmount) before
   * the gateway stops writing and closes it with 4413 "slow consumer".
   */
  maxBufferedBytes: number;
  /** WebSocket ping interval towards clients; a client that misses a pong is terminated (0 = off). */
  keepAliveMs: number;
  /** Upstream events waiting for entity resolution per subscription group before the group is failed. */
  maxPendingEventsPerGroup: number;
  /** Prepared (parsed, validated, planned) operations kept per supergraph. */
  planCacheSize: number;
}

export interface UpstreamOptions {
  /** graphql-ws `ping` to each subgraph connection this often (ms); a missing pong terminates it. */
  keepAliveMs: number;
  /** How long to wait for a pong before the upstream socket is terminated and reconnected. */
  pongTimeoutMs: number;
  /** Reconnect attempts after an upstream connection drops; then clients get SUBGRAPH_UNAVAILABLE. */
  retryAttempts: number;
  /** Backoff: min(retryMaxMs, retryBaseMs * 2^attempt) with full jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Keep an upstream connection open this long after its last subscription ended (ms). */
  lazyCloseTimeoutMs: number;
  /** Wait this long for `connection_ack` from a subgraph (ms). */
  connectionAckTimeoutMs: number;
  /** Largest message accepted from a subgraph (bytes). */
  maxPayloadBytes: number;
  /** The gateway's own `connection_init` payload towards subgraphs (its service credentials). */
  connectionParams?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
}

export const DEFAULT_LIMITS: SubscriptionLimits = {
  maxSubscriptionsPerConnection: 100,
  maxSubscriptions: 50_000,
  maxConnections: 20_000,
  connectionInitTimeoutMs: 3_000,
  idleTimeoutMs: 5 * 60_000,
  maxLifetimeMs: 24 * 60 * 60_000,
  maxPayloadBytes: 64 * 1024,
  maxBufferedBytes: 1024 * 1024,
  keepAliveMs: 12_000,
  maxPendingEventsPerGroup: 1_000,
  planCacheSize: 1_000,
};

export const DEFAULT_UPSTREAM: UpstreamOptions = {
  keepAliveMs: 10_000,
  pongTimeoutMs: 5_000,
  retryAttempts: 10,
  retryBaseMs: 250,
  retryMaxMs: 5_000,
  lazyCloseTimeoutMs: 2_000,
  connectionAckTimeoutMs: 5_000,
  maxPayloadBytes: 16 * 1024 * 1024,
};
