// The gateway's data source for one subgraph: Apollo's RemoteGraphQLDataSource, with a subgraph that
// cannot be reached (down, restarting, refusing connections, timing out) reported as a coded error
// naming it — SUBGRAPH_UNAVAILABLE, `extensions.serviceName` — instead of an uncoded internal error.
// The other subgraphs' parts of the answer are unaffected (their fetches succeed on their own).
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { Fetcher } from '@apollo/utils.fetcher';

export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    readonly name: string,
    url: string,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  override didEncounterError(error: Error, _fetchRequest: unknown, fetchResponse?: { status: number }): void {
    if (error instanceof GraphQLError || fetchResponse) throw error; // the subgraph answered: its own error
    throw new GraphQLError(`subgraph "${this.name}" is unavailable: ${error.message}`, {
      originalError: error,
      extensions: { code: SUBGRAPH_UNAVAILABLE, serviceName: this.name },
    });
  }
}

