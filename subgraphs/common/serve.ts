// Starts one subgraph: Apollo Server (HTTP POST /graphql) and graphql-ws (subscriptions) on the same
// port and path, plus /healthz (with the process's pre-warm progress) and /metrics (its fleet access). Every domain subgraph's server.ts calls this with its schema and context.
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
import { Registry } from 'prom-client';
import { log } from '../../lib/log.js';
import { processFleetMetrics, processSyncProgress } from './fleet-access.js';
import { principalCodec, PrincipalHeaderError, type Principal } from '../../lib/principal.js';

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
  const codec = principalCodec();
  const request = (raw: Readonly<Record<string, string | string[] | undefined>>): SubgraphRequest => ({ headers: headersOf(raw), principal: codec.fromHeaders(raw) });
  const app = express();
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  // Operations that passed validation and run, per connection (a rejected subscribe never completes,
  // so counting in onSubscribe would drift upward).
  const running = new WeakMap<object, Set<string>>();
  let subscriptions = 0;
  const wsCleanup = useServer(
    {
      schema,
      // A malformed identity header refuses the connection (4403) rather than answering it as someone else.
      onConnect: (ctx) => {
        try {
          codec.fromHeaders(ctx.extra.request.headers);
          return true;
        } catch (err) {
          if (err instanceof PrincipalHeaderError) return false;
          throw err;
        }
      },
      context: (ctx) => options.context(request(ctx.extra.request.headers)),
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
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
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
  app.get('/metrics', async (_req, res) => {
    const merged = Registry.merge(processFleetMetrics());
    res.type(merged.contentType).send(await merged.metrics());
  });
  // A malformed identity header is the caller's fault: 400, before Apollo sees the request.
  app.use('/graphql', (req, res, next) => {
    try {
      res.locals.subgraphRequest = request(req.headers);
      next();
    } catch (err) {
      if (!(err instanceof PrincipalHeaderError)) return next(err);
      res.status(400).json({ errors: [{ message: err.message, extensions: { code: 'BAD_REQUEST' } }] });
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
