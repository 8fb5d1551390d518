// The gateway's graphql-ws endpoint: a WebSocketServer on the gateway's own HTTP server and path,
// executing subscriptions against the supergraph (plan → primary on the owning subgraph → rest per
// event). HTTP queries and mutations are untouched: they keep going through Apollo Server.
import type http from 'node:http';
import { WebSocketServer } from 'ws';
import { handleProtocols } from 'graphql-ws';
import { log } from '../../lib/log.js';
import { audit } from '../audit.js';
import { principalCodec, type PrincipalCodec } from '../../lib/principal.js';
import type { DocumentLimits } from '../limits/document-limits.js';
import type { TrustedDocuments } from '../limits/trusted-documents.js';
import { allowAll, allowAnonymous, type Authenticate, type Authorize, type Principal } from './auth.js';
import { SubscriptionAdmission } from './admission.js';
import { ClientConnection } from './client-connection.js';
import { WsCloseCode } from './errors.js';
import { SubscriptionMetrics, type SubscriptionStats } from './metrics.js';
import { DEFAULT_LIMITS, DEFAULT_UPSTREAM, type SubscriptionLimits, type UpstreamOptions } from './options.js';
import { SubscriptionHub, type DataSourceFactory } from './subscription-hub.js';
import { SupergraphSnapshot } from './supergraph-snapshot.js';
import { UpstreamClients } from './upstream-clients.js';

/** What the gateway's configuration may set (all optional). */
export interface SubscriptionOptions {
  limits?: Partial<SubscriptionLimits>;
  upstream?: Partial<UpstreamOptions>;
  /** connection_init payload → principal; default: everyone, scope "public". */
  authenticate?: Authenticate;
  /** Per-subscription check; default: allow. */
  authorize?: Authorize;
  /** Whether an open connection's principal still holds (asked about once a second); default yes. */
  revalidate?: (principal: Principal) => boolean;
  /** Operation limits of subscription documents (gateway/limits; default: the gateway's defaults). */
  documentLimits?: DocumentLimits;
  /** Only these documents may be subscribed (trusted-documents mode). */
  trustedDocuments?: TrustedDocuments;
  /** Whether a WebSocket upgrade from this Origin may proceed (default: any). */
  allowOrigin?: (origin: string | undefined, request: http.IncomingMessage) => boolean;
}

export interface AttachSubscriptionsOptions extends SubscriptionOptions {
  httpServer: http.Server;
  /** Defaults to /graphql, the HTTP endpoint's path. */
  path?: string;
  supergraphSdl: string;
  /** Subgraph name → HTTP URL; the graphql-ws URL is the same with ws(s)://. */
  subgraphUrls: Record<string, string>;
  /** The data source for a subgraph's entity fetches (the gateway passes the one HTTP queries use). */
  dataSource: DataSourceFactory;
  /** Encodes the principal of upstream subscriptions (the gateway's codec: signed with the stack's key). */
  principals?: PrincipalCodec;
}

export interface SubscriptionServer {
  readonly metrics: SubscriptionMetrics;
  stats(): SubscriptionStats;
  /** Swaps the supergraph: running subscriptions are re-planned (see README "Supergraph reload"). */
  updateSupergraph(supergraphSdl: string): void;
  /** Closes every client with 1001 (clients reconnect and resubscribe) and every upstream connection. */
  close(): Promise<void>;
}

function refuseOrigin(origin: string, req: http.IncomingMessage, done: (ok: boolean, code?: number, message?: string) => void): void {
  audit({ entrance: 'ws', remote: req.socket.remoteAddress, code: 'ORIGIN_NOT_ALLOWED', reason: `origin ${origin} is not allowed` }, { status: 403, outcome: 'refused' });
  done(false, 403, 'Origin not allowed');
}

export function attachSubscriptionServer(options: AttachSubscriptionsOptions): SubscriptionServer {
  const limits: SubscriptionLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const upstream: UpstreamOptions = { ...DEFAULT_UPSTREAM, ...options.upstream };
  const metrics = new SubscriptionMetrics();
  const clients = new UpstreamClients(upstream, metrics, options.principals ?? principalCodec());
  let generation = 1;
  let snapshot = new SupergraphSnapshot(options.supergraphSdl, generation, options.subgraphUrls, limits.planCacheSize, options.documentLimits);
  const hub = new SubscriptionHub(snapshot, {
    clients,
    dataSource: options.dataSource,
    metrics,
    maxPendingEventsPerGroup: limits.maxPendingEventsPerGroup,
  });
  const connections = new Set<ClientConnection>();
  const admission = new SubscriptionAdmission({
    limits,
    metrics,
    authenticate: options.authenticate ?? allowAnonymous,
    authorize: options.authorize ?? allowAll,
    revalidate: options.revalidate,
    trusted: options.trustedDocuments,
    snapshot: () => hub.snapshot,
  });
  const deps = { hub, limits, metrics, admission, onClosed: (c: ClientConnection) => connections.delete(c) };

  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path ?? '/graphql',
    maxPayload: limits.maxPayloadBytes,
    handleProtocols,
    perMessageDeflate: false,
    clientTracking: false,
    // A page of another origin must not subscribe with an operator's browser (ALLOWED_ORIGINS): 403 at the upgrade.
    verifyClient: options.allowOrigin
      ? ({ origin, req }: { origin: string; req: http.IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) =>
          options.allowOrigin!(origin || undefined, req) ? done(true) : refuseOrigin(origin, req, done)
      : undefined,
  });
  wss.on('connection', (socket, request) => {
    if (connections.size >= limits.maxConnections) {
      socket.close(WsCloseCode.TryAgainLater, 'Too many connections; try again later');
      return;
    }
    const connection = new ClientConnection(socket, request, deps);
    // A connection refused at once (wrong subprotocol) has already cleaned up: do not track it.
    if (!connection.isClosed) connections.add(connection);
  });
  wss.on('error', (err) => log.error({ err: err.message }, 'subscription WebSocket server error'));

  // One timer for keep-alive, idle and lifetime checks of every connection (each pings at its own phase).
  const sweepMs = Math.max(50, Math.min(1_000, limits.keepAliveMs || 1_000, limits.idleTimeoutMs || 1_000));
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const connection of [...connections]) connection.sweep(now);
  }, sweepMs);
  sweep.unref();

  return {
    metrics,
    stats: () => metrics.snapshot(),
    updateSupergraph(supergraphSdl: string) {
      if (supergraphSdl === snapshot.sdl) return;
      generation++;
      snapshot = new SupergraphSnapshot(supergraphSdl, generation, options.subgraphUrls, limits.planCacheSize, options.documentLimits);
      hub.reload(snapshot);
    },
    async close() {
      // 1001 without per-subscription errors: graphql-ws clients reconnect (to another replica, or to
      // this one after a restart) and resubscribe on their own.
      clearInterval(sweep);
      for (const connection of [...connections]) connection.close(WsCloseCode.GoingAway, 'Gateway shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await clients.dispose();
    },
  };
}
