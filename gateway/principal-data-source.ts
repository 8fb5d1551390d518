// Subgraph fetches carry the caller's principal in one header (lib/principal.ts), for queries and
// mutations (Apollo Server's context) and for subscription entity fetches (the group's context), so
// a subgraph knows who it answers without seeing any credential. Client headers are not forwarded:
// a client cannot set the principal header itself.
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { ANONYMOUS_PRINCIPAL, PRINCIPAL_HEADER, type Principal, type PrincipalCodec } from '../lib/principal.js';

type Options = ConstructorParameters<typeof RemoteGraphQLDataSource>[0];
type ProcessOptions = Parameters<RemoteGraphQLDataSource['process']>[0];

export class PrincipalForwardingDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly codec: PrincipalCodec,
    options: Options,
  ) {
    super(options);
  }

  override willSendRequest({ request, context }: ProcessOptions): void {
    const principal = (context as { principal?: Principal }).principal ?? ANONYMOUS_PRINCIPAL;
    request.http?.headers.set(PRINCIPAL_HEADER, this.codec.encode(principal));
  }
}
