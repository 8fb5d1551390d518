// The gateway's data source for one subgraph: Apollo's RemoteGraphQLDataSource, with
//  - the caller's principal in one header on every fetch (lib/principal.ts), for queries and mutations
//    (Apollo Server's context) and for subscription entity fetches (the group's context), so a subgraph
//    knows who it answers without seeing any credential. Client headers are not forwarded: a client
//    cannot set the principal header itself;
//  - the W3C trace context (traceparent) of the fetch's span, when tracing is on;
//  - a subgraph that cannot be reached (down, restarting, refusing connections, timing out) reported as
//    a coded error naming it — SUBGRAPH_UNAVAILABLE, `extensions.serviceName` — instead of an uncoded
//    internal error. The other subgraphs' parts of the answer are unaffected;
//  - `processDirect`, the single-fetch pass-through's fetch: the same request and error handling as
//    `process`, without node-fetch's Request and Headers, and a data-only answer (lib/data-only.ts)
//    kept as text (raw-json.ts) instead of parsed.
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { DATA_ONLY_HEADER } from '../lib/data-only.js';
import { dataText, RawJson } from './raw-json.js';
import type { SubgraphFetcher, SubgraphResponse } from './subgraph-fetcher.js';
import type { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import { parseCacheControlHeader } from '@apollo/gateway/dist/datasources/parseCacheControlHeader.js';
import type { Fetcher } from '@apollo/utils.fetcher';
import { injectTraceContext } from '../lib/tracing.js';
import { ANONYMOUS_PRINCIPAL, PRINCIPAL_HEADER, type Principal, type PrincipalCodec } from '../lib/principal.js';

export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

type ProcessOptions = Parameters<RemoteGraphQLDataSource['process']>[0];
type IncomingOperationOptions = Extract<ProcessOptions, { kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION }>;

export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    readonly name: string,
    url: string,
    fetcher: Fetcher,
    private readonly codec: PrincipalCodec,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: ProcessOptions): void {
    const principal = (context as { principal?: Principal }).principal ?? ANONYMOUS_PRINCIPAL;
    request.http?.headers.set(PRINCIPAL_HEADER, this.codec.encode(principal));
    // W3C trace context of the active span (the query plan's gateway.fetch) when tracing is on.
    if (request.http) injectTraceContext(request.http.headers);
  }

  /**
   * `process` for the pass-through (one fetch of a client's operation; the caller never walks `data`):
   * the same headers, body, errors and cache-policy hint; `data` is a RawJson when the subgraph
   * answered data only.
   */
  async processDirect(options: IncomingOperationOptions): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const principal = (context as { principal?: Principal }).principal ?? ANONYMOUS_PRINCIPAL;
    const headers: Record<string, string> = { 'content-type': 'application/json', [PRINCIPAL_HEADER]: this.codec.encode(principal) };
    injectTraceContext(headers);
    // As RemoteGraphQLDataSource serialises it: query first, then the rest of the request.
    const { query, http: _http, ...rest } = request as { query?: string; http?: unknown } & Record<string, unknown>;
    if (!query) throw new Error('Missing query');
    const body = JSON.stringify({ query, ...rest });
    let fetchResponse: SubgraphResponse | undefined;
    let response: GatewayGraphQLResponse;
    try {
      fetchResponse = await (this.fetcher as unknown as SubgraphFetcher)(this.url!, { method: 'POST', headers, body });
      if (!fetchResponse.ok) throw await this.errorFromResponse(fetchResponse as never);
      response = await this.directBody(fetchResponse);
    } catch (error) {
      this.didEncounterError(error as Error, undefined, fetchResponse);
      throw error;
    }
    // The subgraph's cache-control header restricts the operation's cache policy, as in `process`.
    const policy = options.incomingRequestContext.overallCachePolicy;
    if (this.honorSubgraphCacheControlHeader && policy && 'restrict' in policy) {
      const parsed = parseCacheControlHeader(fetchResponse.headers.get('cache-control'));
      const maxAge = parsed['max-age'];
      policy.restrict({
        maxAge: typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
        ...(parsed.public === true ? { scope: 'PUBLIC' as const } : parsed.private === true ? { scope: 'PRIVATE' as const } : {}),
      });
    }
    return response;
  }

  private async directBody(fetchResponse: SubgraphResponse): Promise<GatewayGraphQLResponse> {
    const contentType = fetchResponse.headers.get('content-type');
    const json = contentType !== null && (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json'));
    if (json && fetchResponse.headers.get(DATA_ONLY_HEADER) === '1') {
      const data = dataText(await fetchResponse.text());
      if (data !== undefined) return { data: new RawJson(data) as unknown as Record<string, unknown> };
    }
    const parsed: unknown = json ? await fetchResponse.json() : await fetchResponse.text();
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
    return parsed as GatewayGraphQLResponse;
  }

  override didEncounterError(error: Error, _fetchRequest: unknown, fetchResponse?: { status: number }): void {
    if (error instanceof GraphQLError || fetchResponse) throw error; // the subgraph answered: its own error
    throw new GraphQLError(`subgraph "${this.name}" is unavailable: ${error.message}`, {
      originalError: error,
      extensions: { code: SUBGRAPH_UNAVAILABLE, serviceName: this.name },
    });
  }
}
