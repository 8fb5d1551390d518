// A credential the gateway will not accept, and how each entrance says so: HTTP answers `status` with a
// coded GraphQL error (401 UNAUTHENTICATED with a WWW-Authenticate challenge, 403 FORBIDDEN), graphql-ws
// closes the connection with 4401 / 4403. The message is for the caller and never repeats a credential.
export class AuthenticationRefused extends Error {
  override readonly name = 'AuthenticationRefused';
  constructor(
    /** 401: no valid credential; 403: a valid one the policy grants nothing; 503: the identity provider could not be asked. */
    readonly status: 401 | 403 | 503,
    message: string,
  ) {
    super(message);
  }

  get code(): string {
    return this.status === 401 ? 'UNAUTHENTICATED' : this.status === 403 ? 'FORBIDDEN' : 'AUTHENTICATION_UNAVAILABLE';
  }

  /** The graphql-ws close code (4401 Unauthorized, 4403 Forbidden; an unavailable provider: 1013 try again later). */
  get closeCode(): number {
    return this.status === 401 ? 4401 : this.status === 403 ? 4403 : 1013;
  }
}
