// The gateway's HTTP GraphQL handler (what @as-integrations/express5's expressMiddleware does) with one
// addition (issue 7): identical read-only requests in flight at the same time share one execution.
// Fleet dashboards poll the same fleet queries; N identical concurrent requests then cost one query
// plan execution and one set of subgraph fetches instead of N (Hive Gateway calls this
// `inboundInflightRequestDeduplication`). Requests are identical when their query text, variables,
// operation name and the caller-identifying headers (authorization, cookie and every x-* header) are
// equal; anything that might be a mutation, a hash-only persisted query (whose operation type is not
// visible here) or a GET is executed on its own. Only completed (non-streamed) responses are shared.
// GATEWAY_INFLIGHT_DEDUP=0 turns it off.
import { parse as parseUrl } from 'node:url';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';

export interface InflightDedupOptions<TContext extends BaseContext> {
  /** Default on (GATEWAY_INFLIGHT_DEDUP=0 in lib/config.ts turns it off). */
  enabled?: boolean;
  /** Per-request context for Apollo Server (as expressMiddleware's `context`). */
  context: (args: { req: Request; res: Response }) => Promise<TContext>;
}

interface SharedResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/** A key when the request may share an execution, else undefined. */
function dedupKey(req: Request): string | undefined {
  if (req.method !== 'POST') return undefined;
  const body = req.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.query !== 'string') return undefined;
  // Conservative: any mention of these words (even in a field name or string) means "run it alone".
  if (/\b(mutation|subscription)\b/.test(body.query)) return undefined;
  const identity: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || name === 'cookie' || name.startsWith('x-')) identity.push(`${name}=${String(value)}`);
  }
  return JSON.stringify([body.query, body.variables ?? null, body.operationName ?? null, identity.sort()]);
}

export function graphqlHandler<TContext extends BaseContext>(server: ApolloServer<TContext>, options: InflightDedupOptions<TContext>): RequestHandler {
  server.assertStarted('graphqlHandler()');
  const enabled = options.enabled ?? true;
  const { context } = options;
  const inflight = new Map<string, Promise<SharedResponse | undefined>>();

  const execute = async (req: Request, res: Response): Promise<HTTPGraphQLResponse> => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    return server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: parseUrl(req.url).search ?? '', body: req.body },
      context: () => context({ req, res }),
    });
  };

  const send = (res: Response, shared: SharedResponse) => {
    for (const [key, value] of shared.headers) res.setHeader(key, value);
    res.statusCode = shared.status;
    res.send(shared.body);
  };

  const stream = async (res: Response, response: HTTPGraphQLResponse) => {
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status || 200;
    if (response.body.kind === 'complete') {
      res.send(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return async (req, res, next) => {
    try {
      if (!('body' in req)) {
        res.status(500).send('`req.body` is not set: the json middleware must run before the GraphQL handler.');
        return;
      }
      const key = enabled ? dedupKey(req) : undefined;
      if (!key) return await stream(res, await execute(req, res));
      const running = inflight.get(key);
      if (running) {
        const shared = await running;
        if (shared) return send(res, shared);
        return await stream(res, await execute(req, res)); // the leader's answer was streamed: run alone
      }
      let leaderResponse: HTTPGraphQLResponse | undefined;
      const work = execute(req, res).then((response): SharedResponse | undefined => {
        leaderResponse = response;
        if (response.body.kind !== 'complete') return undefined;
        return { status: response.status || 200, headers: [...response.headers], body: response.body.string };
      });
      inflight.set(key, work);
      try {
        await work;
      } finally {
        inflight.delete(key);
      }
      await stream(res, leaderResponse!);
    } catch (err) {
      next(err);
    }
  };
}
