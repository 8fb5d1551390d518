// Starts one subgraph: Apollo Server (HTTP POST /graphql) and graphql-ws (subscriptions) on the same
// port and path, plus /healthz (with the process's pre-warm progress), /readyz and /metrics (its own,
// and its fleet access's). Every domain subgraph's server.ts calls this with its schema and context.
// Each HTTP request continues the gateway's W3C trace context in a server span (named after the
// operation the query plan sent) when tracing is on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from './resolver-map.js';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { log } from '../../lib/log.js';
import { PRINCIPAL_HEADER, PrincipalHeaderError, type Principal, type PrincipalCodec } from '../../lib/principal.js';
import { processFleetMetrics, processSyncProgress } from './fleet-access.js';
import { filterSubscriptionEvents } from './visible-events.js';
import { filterNamespacedResults } from './visible-results.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SpanKind, activeSpan, extractTraceContext, startSpan, tracingEnabled, withContext } from '../../lib/tracing.js';
import { kubeMetrics } from '../kube/kube-metrics.js';
import { DATA_ONLY_HEADER } from '../../lib/data-only.js';

/** Node runtime metrics of the process, once (several subgraphs may share a process). */
let runtimeRegistry: Registry | undefined;
function runtimeMetrics(): Registry {
  if (!runtimeRegistry) {
    runtimeRegistry = new Registry();
    collectDefaultMetrics({ register: runtimeRegistry, prefix: 'fleetgraph_subgraph_' });
  }
  return runtimeRegistry;
}

export interface SubgraphOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  /**
   * Resolver map. Each subgraph types its resolvers with the codegen `Resolvers` type; the federation
   * helper takes the generic map, so the subgraph passes `resolvers as GraphQLResolverMap<Ctx>`.
   */
  resolvers: GraphQLResolverMap<TContext>;
  /** Builds the per-request (or per-subscription) context: fresh DataLoaders each time. */
  context: (request: SubgraphRequest) => TContext | Promise<TContext>;
  port?: number;
  host?: string;
  /** What /healthz adds about the subgraph's own machinery (e.g. its change feeds). */
  status?: () => Record<string, unknown>;
  /** The domain's own metrics, served on /metrics with the subgraph's. */
  metrics?: Registry;
  /** The domain's own HTTP routes beside /graphql (e.g. a webhook receiver); each authenticates its callers itself. */
  routes?: (app: express.Express) => void;
  /**
   * Reads the gateway's principal header: a domain passes `options.principals` of its start options (a
   * test starting a subgraph of its own, `principalCodec()`). With the stack's signing key, a request
   * without a valid signed principal is refused: 401 over HTTP, 4403 over graphql-ws, so a client that
   * reaches the subgraph directly cannot claim to be anybody.
   */
  principals: PrincipalCodec;
}

/** What a subgraph learns of the request it answers (the gateway forwards the caller's identity in a header). */
export interface SubgraphRequest {
  /** Lower-case header names (HTTP request headers, or the graphql-ws upgrade request's). */
  headers: Readonly<Record<string, string | undefined>>;
  /** Who the request is for, as the gateway says (lib/principal.ts); anonymous without the header. */
  principal: Principal;
}

function headersOf(raw: Readonly<Record<string, string | string[] | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  schema: GraphQLSchema;
  /** Open graphql-ws subscriptions (for tests and /metrics). */
  activeSubscriptions(): number;
  stop(): Promise<void>;
}

export async function startSubgraph<TContext extends BaseContext>(
  options: SubgraphOptions<TContext>,
): Promise<RunningSubgraph> {
  const schema = buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> }]);
  // Every subscription's events pass its subscriber's view of the fleet (visible-events.ts).
  filterSubscriptionEvents(schema);
  // Query results drop objects of namespaces the caller may not see (visible-results.ts).
  filterNamespacedResults(schema);
  const codec = options.principals;
  type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;
  /** graphql-ws: the gateway sends the principal in connection_init (signed fresh on every reconnect), else the upgrade header. */
  const principalOf = (raw: RawHeaders, connectionParams?: Readonly<Record<string, unknown>>): Principal => {
    const fromInit = connectionParams?.[PRINCIPAL_HEADER];
    return typeof fromInit === 'string' ? codec.decode(fromInit) : codec.fromHeaders(raw);
  };
  const request = (raw: RawHeaders, connectionParams?: Readonly<Record<string, unknown>>): SubgraphRequest => ({
    headers: headersOf(raw),
    principal: principalOf(raw, connectionParams),
  });
  const app = express();
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;

  // This subgraph's own metrics; /metrics adds the process's fleet-access and runtime metrics.
  const registry = new Registry();
  const subgraph = options.name;
  const operations = new Counter({ name: 'fleetgraph_subgraph_operations_total', help: 'GraphQL operations over HTTP by subgraph, type and outcome', labelNames: ['subgraph', 'type', 'outcome'], registers: [registry] });
  const duration = new Histogram({
    name: 'fleetgraph_subgraph_operation_seconds',
    help: 'Time to answer one GraphQL operation over HTTP (one query-plan fetch of the gateway)',
    labelNames: ['subgraph', 'type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'fleetgraph_subgraph_subscriptions',
    help: 'Open graphql-ws subscriptions of this subgraph (the gateway holds one per distinct operation)',
    labelNames: ['subgraph'],
    registers: [registry],
    collect() {
      this.set({ subgraph }, subscriptions);
    },
  });

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  // Operations that passed validation and run, per connection (a rejected subscribe never completes,
  // so counting in onSubscribe would drift upward).
  const running = new WeakMap<object, Set<string>>();
  // The principal of a graphql-ws connection, verified once at connection_init. Its signature is short-lived
  // (it proves the gateway sent it just now); checking it again on each later subscribe would close a
  // connection the gateway keeps open for minutes (4500) and end every subscription it carries.
  const connectionPrincipals = new WeakMap<object, Principal>();
  let subscriptions = 0;
  const wsCleanup = useServer(
    {
      schema,
      // A malformed, missing (with a key), forged or expired principal refuses the connection (4403)
      // rather than answering it as someone else.
      onConnect: (ctx) => {
        try {
          connectionPrincipals.set(ctx, principalOf(ctx.extra.request.headers, ctx.connectionParams));
          return true;
        } catch (err) {
          if (!(err instanceof PrincipalHeaderError)) throw err;
          log.warn({ subgraph: options.name, err: err.message }, 'subscription connection refused: no principal this subgraph may trust');
          return false;
        }
      },
      context: (ctx) =>
        options.context({
          headers: headersOf(ctx.extra.request.headers),
          principal: connectionPrincipals.get(ctx) ?? principalOf(ctx.extra.request.headers, ctx.connectionParams),
        }),
      onOperation: (ctx, id) => {
        let ids = running.get(ctx);
        if (!ids) running.set(ctx, (ids = new Set()));
        if (!ids.has(id)) {
          ids.add(id);
          subscriptions++;
        }
      },
      onComplete: (ctx, id) => {
        if (running.get(ctx)?.delete(id)) subscriptions--;
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<TContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Traces are for Apollo Studio, which we do not use; they cost every response bytes and CPU.
      ApolloServerPluginInlineTraceDisabled(),
      // No response cache uses cache hints here; computing them cost ~7% of subgraph CPU (bench profile).
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          const end = duration.startTimer();
          const span = activeSpan();
          return {
            async didResolveOperation({ operation, operationName }) {
              span?.updateName(`${operation?.operation ?? 'operation'} ${operationName ?? options.name}`);
              if (operationName) span?.setAttribute('graphql.operation.name', operationName);
            },
            async willSendResponse({ operation, errors, response }) {
              const type = operation?.operation ?? 'unknown';
              const failed = Boolean(errors?.length) || (response.body.kind === 'single' && Boolean(response.body.singleResult.errors?.length));
              operations.inc({ subgraph, type, outcome: failed ? 'error' : 'ok' });
              end({ subgraph, type });
            },
          };
        },
      },
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
      // Last, so no later hook adds errors or extensions: an answer that is data only says so, and the
      // gateway's pass-through sends that data on as text (lib/data-only.ts).
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response }) {
              const body = response.body;
              if (body.kind === 'single' && body.singleResult.data !== undefined && body.singleResult.errors === undefined && body.singleResult.extensions === undefined) {
                response.http.headers.set(DATA_ONLY_HEADER, '1');
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    // Open subscriptions and pre-warm progress too: what a launcher, a probe or a test can see without a metrics scrape.
    const sync = processSyncProgress();
    res.json({ status: 'ok', subgraph: options.name, subscriptions, ...(sync ? { sync } : {}), ...options.status?.() });
  });
  // Serving once listening: the schema is built and every request gets its own loaders; clusters that
  // fail are answered per field, so they never make the subgraph unready.
  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ready', subgraph: options.name });
  });
  app.get('/metrics', async (_req, res) => {
    // Its own operation metrics, the process's kube metrics and runtime, and its fleet access's pre-warm, connections and budget.
    const merged = Registry.merge([registry, ...(options.metrics ? [options.metrics] : []), kubeMetrics.registry, runtimeMetrics(), ...processFleetMetrics()]);
    res.type(merged.contentType).send(await merged.metrics());
  });
  options.routes?.(app);
  // The gateway's trace context (traceparent) continues in a server span around the whole request.
  app.use('/graphql', (req, res, next) => {
    if (!tracingEnabled() || req.method !== 'POST') return next();
    const started = startSpan('POST /graphql', { 'http.request.method': 'POST', 'http.route': '/graphql', 'fleetgraph.subgraph': options.name }, SpanKind.SERVER, extractTraceContext(req.headers));
    if (!started) return next();
    res.once('close', () => {
      started.span.setAttribute('http.response.status_code', res.statusCode);
      started.span.end();
    });
    withContext(started.context, next);
  });
  // A malformed identity header is the caller's fault (400); one this subgraph may not trust — missing
  // while a key is configured, unsigned, forged, expired — is 401. Both before Apollo sees the request.
  app.use('/graphql', (req, res, next) => {
    try {
      res.locals.subgraphRequest = request(req.headers);
      next();
    } catch (err) {
      if (!(err instanceof PrincipalHeaderError)) return next(err);
      const code = err.status === 401 ? 'UNAUTHENTICATED' : 'BAD_REQUEST';
      if (err.status === 401) log.warn({ subgraph: options.name, err: err.message, remote: req.socket.remoteAddress }, 'request refused: no principal this subgraph may trust');
      res.status(err.status).json({ errors: [{ message: err.message, extensions: { code } }] });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '2mb' }),
    expressMiddleware(apollo, { context: async ({ res }) => options.context(res.locals.subgraphRequest as SubgraphRequest) }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/graphql`;
  log.info({ subgraph: options.name, url }, 'subgraph listening');

  return {
    name: options.name,
    url,
    schema,
    activeSubscriptions: () => subscriptions,
    async stop() {
      await apollo.stop();
      httpServer.closeAllConnections();
    },
  };
}
