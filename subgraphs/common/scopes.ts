// Scope checks where the data is produced: a resolver that writes (or reads something a scope guards)
// asks before any cluster is touched, and answers FORBIDDEN naming the scope it needed.
import { GraphQLError } from 'graphql';
import { scopesOf, type Principal } from '../../lib/principal.js';

export function hasScope(principal: Principal, scope: string): boolean {
  const granted = scopesOf(principal);
  return granted.includes(scope) || granted.includes('admin');
}

/** Throws FORBIDDEN (403) unless the principal holds `scope` (or `admin`). */
export function requireScope(principal: Principal, scope: string): void {
  if (hasScope(principal, scope)) return;
  throw new GraphQLError(`this operation needs the "${scope}" scope, which ${principal.subject ?? 'the caller'} does not have`, {
    extensions: { code: 'FORBIDDEN', scope, http: { status: 403 } },
  });
}
