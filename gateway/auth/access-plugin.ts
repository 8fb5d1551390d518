// Authentication and authorization at the gateway, for HTTP and graphql-ws alike (a GatewayPlugin):
// a bearer token (JWT or API key, credentials.ts) or none → an identity → the policy's grants → the
// principal every subgraph enforces (grants.ts). No credential: the grants marked `anonymous`, else
// 401. A valid credential the policy grants nothing: 403. Queries and subscriptions need the `read`
// scope; mutations need their own scope, checked where they run (requireScope in the subgraph). Open
// subscriptions end when their token expires (the principal's expiresAt) or when a policy reload
// changes what their identity is granted.
import { GraphQLError } from 'graphql';
import { hasScope, type Principal } from '../../lib/principal.js';
import type { GatewayPlugin } from '../plugins/plugin.js';
import { bearerToken } from '../subscriptions/auth.js';
import { bearerOf, CredentialVerifier, type JwtOptions } from './credentials.js';
import { principalFor, subjectOf, type Identity } from './grants.js';
import { PolicyStore } from './policy-store.js';
import { AuthenticationRefused } from './refused.js';

export interface AccessOptions {
  /** The policy file (YAML; README "Access"), reloaded when it changes. */
  policyFile: string;
  /** OIDC / JWT verification (a JWKS URL or file, issuer, audience); without it only API keys authenticate. */
  jwt?: JwtOptions;
  now?: () => number;
}

/** The scope every read (query, subscription) needs. */
export const READ_SCOPE = 'read';

export function accessPlugin(options: AccessOptions): GatewayPlugin & { readonly store: PolicyStore } {
  const store = new PolicyStore(options.policyFile);
  const verifier = new CredentialVerifier(options.jwt, options.now);
  /** Who each principal was made for, so a policy reload can re-evaluate open connections. */
  const identities = new WeakMap<Principal, { identity: Identity; generation: number }>();

  const principalOf = async (token: string | undefined): Promise<Principal> => {
    const policy = store.policy;
    const identity: Identity = token === undefined ? { kind: 'anonymous' } : await verifier.verify(token, policy);
    const principal = principalFor(policy, identity);
    if (!principal) {
      if (identity.kind === 'anonymous') throw new AuthenticationRefused(401, 'Authentication required: send "Authorization: Bearer <token or API key>".');
      throw new AuthenticationRefused(403, `The access policy grants ${subjectOf(identity)} nothing.`);
    }
    identities.set(principal, { identity, generation: store.generation });
    return principal;
  };

  return {
    name: 'access',
    store,
    authenticateRequest: ({ headers }) => principalOf(bearerOf(headers.authorization) ?? bearerOf(headers['x-api-key'])),
    apollo: {
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, contextValue }) {
            if (operation && operation.operation !== 'mutation' && !hasScope(contextValue.principal, READ_SCOPE)) {
              throw new GraphQLError(`Reading needs the "${READ_SCOPE}" scope, which ${contextValue.principal.subject ?? 'the caller'} does not have.`, {
                extensions: { code: 'FORBIDDEN', scope: READ_SCOPE, http: { status: 403 } },
              });
            }
          },
        };
      },
    },
    subscriptions: {
      // Browsers cannot set headers on a WebSocket: the token comes in connection_init; other clients may use the upgrade's header.
      authenticate: ({ connectionParams, request }) =>
        principalOf(bearerToken(connectionParams) ?? bearerOf(typeof request.headers.authorization === 'string' ? request.headers.authorization : undefined)),
      authorize: (principal) => hasScope(principal, READ_SCOPE),
      revalidate(principal) {
        const made = identities.get(principal);
        if (!made || made.generation === store.generation) return true;
        const again = principalFor(store.policy, made.identity);
        if (!again || again.scope !== principal.scope) return false;
        made.generation = store.generation;
        return true;
      },
    },
    close: () => store.close(),
  };
}
