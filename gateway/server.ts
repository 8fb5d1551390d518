// The gateway: Apollo Server + @apollo/gateway over the supergraph composed from schema/.
// Queries and mutations go through the stock query planner/executor; subgraph URLs come from the
// caller (npm start, tests, compose.yaml), not from the URLs written in the supergraph file.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { graphqlHandler } from './inflight-dedup.js';
import { ApolloGateway } from '@apollo/gateway';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { requestErrorHandler } from './request-errors.js';
import { authenticationMiddleware, gatewayContext, type GatewayContext } from './request-context.js';
import { principalCodec } from '../lib/principal.js';
import { Agent } from 'undici';
import { createSubgraphFetcher } from './subgraph-fetcher.js';
import { log } from '../lib/log.js';
import { checkSubgraphs } from './readiness.js';
import { graphiqlAssets, graphiqlPage } from './graphiql.js';
import { argumentChecksPlugin, composePlugins, metricsPlugin, operationChecksPlugin, tracingPlugin, type GatewayPlugin } from './plugins/index.js';
import { Registry } from 'prom-client';
import type { Fetcher } from '@apollo/utils.fetcher';
import { attachSubscriptionServer, type SubscriptionOptions, type SubscriptionServer } from './subscriptions/index.js';
// Shared caches (issue 7): the APQ store is keyv (memory, or Redis when REDIS_URL is set).
import { createApqCache, type KeyValueCacheLike } from '../lib/cache.js';

export interface GatewayOptions {
  /** Composed supergraph SDL (schema/supergraph.graphql). */
  supergraphSdl: string;
  /** Subgraph name → its GraphQL URL. */
  subgraphUrls: Record<string, string>;
  port?: number;
  host?: string;
  /** Demo mode: introspection on (and only ever bound to 127.0.0.1 by the launcher). */
  introspection?: boolean;
  /** Deadline for one subgraph fetch, ms. */
  subgraphTimeoutMs?: number;
  /** Subscriptions over graphql-ws on /graphql: limits, upstream settings, auth hooks (gateway/subscriptions). */
  subscriptions?: SubscriptionOptions;
  /** Persisted-query (APQ) store; default: keyv in memory, or in Redis at `redisUrl` (shared by replicas). */
  apqCache?: KeyValueCacheLike;
  /** Shared caches (APQ) in this Redis; unset = in memory. */
  redisUrl?: string;
  /** Identical read-only queries in flight share one execution (default true). */
  inflightDedup?: boolean;
  /** Extensions (auth, limits, tracing …), after the built-in ones (metrics, operation and argument checks); see gateway/README.md. */
  plugins?: GatewayPlugin[];
}

export interface RunningGateway {
  url: string;
  /** The graphql-ws subscription server (metrics, supergraph reload). */
  subscriptions: SubscriptionServer;
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  // One keep-alive pool per gateway for all subgraph fetches (Apollo's default fetcher does not pool).
  const dispatcher = new Agent({ keepAliveTimeout: 60_000, connections: 64, pipelining: 1 });
  const timeoutMs = options.subgraphTimeoutMs ?? 30_000;
  // Issue 7: undici `request` instead of undici `fetch` (no web streams, no per-call AbortSignal.timeout).
  const fetcher = createSubgraphFetcher({ timeoutMs, dispatcher }) as unknown as Fetcher;

  // Shared by HTTP queries and by subscription entity fetches (same pool, same deadline, and the
  // caller's principal in one header: lib/principal.ts).
  const codec = principalCodec();
  const buildService = ({ name, url }: { name: string; url?: string }) => {
    const target = options.subgraphUrls[name] ?? url;
    return new SubgraphDataSource(name, target!, fetcher, codec);
  };
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService,
  });

  const app = express();
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  // Built in: tracing (first, so every later step is inside the request's span), metrics, and the checks
  // that make bad operations and arguments a client error (400).
  const plugins = composePlugins([tracingPlugin(), metricsPlugin(), operationChecksPlugin(), argumentChecksPlugin(), ...(options.plugins ?? [])]);

  // Subscriptions: graphql-ws on the same server and path; @apollo/gateway cannot execute them.
  const subscriptions = attachSubscriptionServer({
    ...options.subscriptions,
    authenticate: plugins.authenticate(options.subscriptions?.authenticate),
    authorize: plugins.authorize(options.subscriptions?.authorize),
    httpServer,
    path: '/graphql',
    supergraphSdl: options.supergraphSdl,
    subgraphUrls: options.subgraphUrls,
    dataSource: (name, url) => buildService({ name, url }),
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => subscriptions.updateSupergraph(coreSupergraphSdl));

  // APQ store (issue 7): replicas behind one Redis accept each other's registered hashes.
  const ownApqCache = options.apqCache ? undefined : createApqCache({ redisUrl: options.redisUrl });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    persistedQueries: { cache: options.apqCache ?? ownApqCache! },
    csrfPrevention: true,
    introspection: options.introspection ?? false,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), ...plugins.apollo],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const subgraphs = await checkSubgraphs(options.subgraphUrls);
    const ready = subgraphs.every((s) => s.reachable);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', subgraphs });
  });
  app.get('/metrics', async (_req, res) => {
    const merged = Registry.merge([...plugins.registries, subscriptions.metrics.registry]);
    res.type(merged.contentType).send(await merged.metrics());
  });
  app.use('/graphiql', graphiqlAssets());
  app.get('/', (_req, res) => {
    res.type('html').send(graphiqlPage('/graphql'));
  });
  // Issue 7: expressMiddleware's job plus in-flight dedup of identical read-only queries (inflight-dedup.ts).
  // Authentication first (the principal is known to every later middleware), then the plugins' middleware.
  app.use(
    '/graphql',
    authenticationMiddleware(plugins.requestAuthenticators),
    ...plugins.middleware,
    express.json({ limit: '1mb' }),
    graphqlHandler(apollo, { enabled: options.inflightDedup ?? true, context: gatewayContext }),
    requestErrorHandler(),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/graphql`;
  log.info({ url }, 'gateway listening');

  return {
    url,
    subscriptions,
    async stop() {
      await subscriptions.close(); // before apollo.stop(): open WebSockets would keep the server open
      await apollo.stop();
      httpServer.closeAllConnections();
      await dispatcher.close();
      await ownApqCache?.close(); // issue 7: the APQ store's Redis connection
      await plugins.close();
    },
  };
}
