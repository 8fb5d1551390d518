// The gateway: Apollo Server + @apollo/gateway over the supergraph composed from schema/.
// Queries and mutations go through the stock query planner/executor; subgraph URLs come from the
// caller (npm start, tests, compose.yaml), not from the URLs written in the supergraph file.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { graphqlHandler } from './inflight-dedup.js';
import { ApolloGateway } from '@apollo/gateway';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { withPassThrough } from './pass-through.js';
import { stringifyResult } from './raw-json.js';
import { requestErrorHandler } from './request-errors.js';
import { authenticationMiddleware, gatewayContext, type GatewayContext } from './request-context.js';
import { principalCodec } from '../lib/principal.js';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import { auditRecordOf, auditRequests } from './audit.js';
import { accessPlugin, type AccessOptions } from './auth/access-plugin.js';
import { limitsStage } from './limits/limits-stage.js';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './limits/options.js';
import { RateLimiter } from './limits/rate-limit.js';
import { TrustedDocuments } from './limits/trusted-documents.js';
import { OriginPolicy, originMiddleware } from './origins.js';
import { auditPlugin } from './plugins/audit.js';
import { boundedDocumentStore, QUERY_PLAN_STORE_MIB } from './operation-caches.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
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
  /** Schema introspection (default off; the demo turns it on). */
  introspection?: boolean;
  /**
   * GraphiQL at `/` (default off; the demo turns it on). `headers`: preset request headers and
   * connection_init payload (the demo token, so GraphiQL works out of the box there).
   */
  graphiql?: boolean | { headers?: Record<string, string> };
  /** Authentication and authorization (gateway/auth): without it every caller is the anonymous principal and sees everything. */
  access?: AccessOptions;
  /** Operation limits (gateway/limits/options.ts); unset ones keep their safe defaults. */
  limits?: Partial<OperationLimits>;
  /** Trusted-documents mode: only these documents run (a manifest file path or the loaded list). */
  trustedDocuments?: string | TrustedDocuments;
  /** Origins whose pages may call the gateway cross-origin (none by default; `*` any). */
  allowedOrigins?: string[];
  /** Serve HTTPS (and wss://) with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The stack's principal signing key (lib/principal.ts): every subgraph fetch carries a signed principal. */
  principalKey?: string;
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
  /** Single-fetch queries answered with the subgraph's data as it comes, skipping result shaping (default true; gateway/pass-through.ts). */
  passThrough?: boolean;
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
  const codec = principalCodec({ key: options.principalKey });
  const limits: OperationLimits = { ...DEFAULT_OPERATION_LIMITS, ...options.limits };
  const trusted = typeof options.trustedDocuments === 'string' ? TrustedDocuments.fromFile(options.trustedDocuments) : options.trustedDocuments;
  const origins = new OriginPolicy(options.allowedOrigins);
  // The API schema the cost estimate reads list types from; follows supergraph reloads.
  let apiSchema: GraphQLSchema | undefined = Supergraph.build(options.supergraphSdl).apiSchema().toGraphQLJSSchema();
  const buildService = ({ name, url }: { name: string; url?: string }) => {
    const target = options.subgraphUrls[name] ?? url;
    return new SubgraphDataSource(name, target!, fetcher, codec);
  };
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService,
    // Plans of distinct documents are kept up to this size, then evicted (operation-caches.ts).
    experimental_approximateQueryPlanStoreMiB: QUERY_PLAN_STORE_MIB,
  });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, app) : http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  // Built in: tracing (first, so every later step is inside the request's span), metrics, the audit
  // trail, the checks that make bad operations and arguments a client error (400), the access policy
  // when configured, and the per-identity rate limit.
  const access = options.access ? accessPlugin(options.access) : undefined;
  const builtIn = [tracingPlugin(), metricsPlugin(), auditPlugin(), operationChecksPlugin(), argumentChecksPlugin(), ...(access ? [access] : [])];
  const limiter = new RateLimiter(limits.rateLimitPerSecond, limits.rateLimitBurst);
  if (limiter.enabled) builtIn.push(rateLimitPlugin(limiter));
  let plugins;
  try {
    plugins = composePlugins([...builtIn, ...(options.plugins ?? [])]);
  } catch (err) {
    await access?.close?.();
    throw err;
  }

  // Subscriptions: graphql-ws on the same server and path; @apollo/gateway cannot execute them.
  const subscriptions = attachSubscriptionServer({
    ...options.subscriptions,
    authenticate: plugins.authenticate(options.subscriptions?.authenticate),
    authorize: plugins.authorize(options.subscriptions?.authorize),
    revalidate: plugins.revalidate,
    documentLimits: limits,
    trustedDocuments: trusted,
    allowOrigin: (origin, request) => origins.allows(origin, request),
    principals: codec,
    httpServer,
    path: '/graphql',
    supergraphSdl: options.supergraphSdl,
    subgraphUrls: options.subgraphUrls,
    dataSource: (name, url) => buildService({ name, url }),
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema, coreSupergraphSdl }) => {
    apiSchema = schema;
    subscriptions.updateSupergraph(coreSupergraphSdl);
  });

  const passThrough = withPassThrough(gateway, { dataSource: (name) => buildService({ name }), enabled: options.passThrough });
  // APQ store (issue 7): replicas behind one Redis accept each other's registered hashes.
  const ownApqCache = options.apqCache ? undefined : createApqCache({ redisUrl: options.redisUrl });
  const apollo = new ApolloServer<GatewayContext>({
    persistedQueries: { cache: options.apqCache ?? ownApqCache! },
    documentStore: boundedDocumentStore(),
    // Issue 17: a query one subgraph answers alone skips @apollo/gateway's result shaping.
    gateway: passThrough,
    // Apollo Server's JSON + newline, with the pass-through's data written as the subgraph sent it (raw-json.ts).
    stringifyResult,
    csrfPrevention: true,
    introspection: options.introspection ?? false,
    includeStacktraceInErrorResponses: false,
    // A second line behind the limits stage (gateway/limits): the parser's own token limit.
    parseOptions: { maxTokens: limits.maxTokens },
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
    const merged = Registry.merge([...plugins.registries, subscriptions.metrics.registry, passThrough.registry]);
    res.type(merged.contentType).send(await merged.metrics());
  });
  if (options.graphiql) {
    const headers = typeof options.graphiql === 'object' ? options.graphiql.headers : undefined;
    app.use('/graphiql', graphiqlAssets());
    app.get('/', (_req, res) => {
      res.setHeader('cache-control', 'no-store');
      res.type('html').send(graphiqlPage('/graphql', headers));
    });
  } else {
    app.get('/', (_req, res) => {
      res.status(404).json({ message: 'GraphiQL is off on this gateway (GRAPHIQL=true turns it on); GraphQL is at /graphql.' });
    });
  }
  // Issue 7: expressMiddleware's job plus in-flight dedup of identical read-only queries (inflight-dedup.ts).
  // In order: the audit line of the request (written when it finishes), origins (CORS), authentication
  // (the principal is known to every later middleware), the plugins' middleware (rate limit …), the body
  // within its size limit, the operation limits and trusted documents, then Apollo Server.
  app.use(
    '/graphql',
    auditRequests(),
    originMiddleware(origins),
    authenticationMiddleware(plugins.requestAuthenticators),
    ...plugins.middleware,
    express.json({ limit: limits.maxBodyBytes }),
    limitsStage({ limits, schema: () => apiSchema, trusted }),
    graphqlHandler(apollo, {
      enabled: options.inflightDedup ?? true,
      context: gatewayContext,
      timeoutMs: limits.queryTimeoutMs,
      onTimeout: (res) => {
        auditRecordOf(res).code = 'QUERY_TIMEOUT';
      },
    }),
    requestErrorHandler(),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/graphql`;
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
