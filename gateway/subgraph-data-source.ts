// The gateway's data source for one subgraph: Apollo's RemoteGraphQLDataSource, with
//  - the caller's principal in one header on every fetch (lib/principal.ts), for queries and mutations
//    (Apollo Server's context) and for subscription entity fetches (the group's context), so a subgraph
//    knows who it answers without seeing any credential. Client headers are not forwarded: a client
//    cannot set the principal header itself;
//  - the W3C trace context (traceparent) of the fetch's span, when tracing is on;
//  - a subgraph that cannot be reached (down, restarting, refusing connections, timing out) reported as
//    a coded error naming it — SUBGRAPH_UNAVAILABLE, `extensions.serviceName` — instead of an uncoded
//    internal error. The other subgraphs' parts of the answer are unaffected.
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { Fetcher } from '@apollo/utils.fetcher';
import { injectTraceContext } from '../lib/tracing.js';
import { ANONYMOUS_PRINCIPAL, PRINCIPAL_HEADER, type Principal, type PrincipalCodec } from '../lib/principal.js';

export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

type ProcessOptions = Parameters<RemoteGraphQLDataSource['process']>[0];

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

  override didEncounterError(error: Error, _fetchRequest: unknown, fetchResponse?: { status: number }): void {
    if (error instanceof GraphQLError || fetchResponse) throw error; // the subgraph answered: its own error
    throw new GraphQLError(`subgraph "${this.name}" is unavailable: ${error.message}`, {
      originalError: error,
      extensions: { code: SUBGRAPH_UNAVAILABLE, serviceName: this.name },
    });
  }
}
