// From a verified identity to the principal every subgraph enforces: the grants of the policy that name
// the identity (its user, one of its groups, its API key, or anonymous), merged — scopes united, access
// rules united (unrestricted when one grant limits neither clusters nor namespaces). The principal's
// `scope` is a digest of exactly what decides visibility (scopes + rules), so identical subscriptions
// of callers with the same rights share one upstream stream, and callers with different rights never do.
import { createHash } from 'node:crypto';
import type { AccessRule } from '../../lib/access-rules.js';
import type { Principal } from '../../lib/principal.js';
import type { Grant, Policy } from './policy.js';

export type Identity =
  | { kind: 'user'; user: string; groups: readonly string[]; expiresAt?: number }
  | { kind: 'apiKey'; name: string; sha256: string }
  | { kind: 'anonymous' };

export function subjectOf(identity: Identity): string {
  switch (identity.kind) {
    case 'user':
      return `user:${identity.user}`;
    case 'apiKey':
      return `key:${identity.name}`;
    default:
      return 'anonymous';
  }
}

export function grantsFor(policy: Policy, identity: Identity): Grant[] {
  return policy.grants.filter((g) => {
    switch (identity.kind) {
      case 'user':
        return g.users.includes(identity.user) || identity.groups.some((group) => g.groups.includes(group));
      case 'apiKey':
        // The key must still be the one in the policy (a rotated key's old value grants nothing).
        return g.apiKeys.includes(identity.name) && policy.apiKeys.some((k) => k.name === identity.name && k.sha256 === identity.sha256);
      default:
        return g.anonymous;
    }
  });
}

const ruleOf = (g: Grant): AccessRule => ({ ...(g.clusters?.length ? { clusters: g.clusters } : {}), ...(g.namespaces ? { namespaces: g.namespaces } : {}) });

/** The identity's principal, or null when no grant names it (authenticated, but allowed nothing). */
export function principalFor(policy: Policy, identity: Identity): Principal | null {
  const grants = grantsFor(policy, identity);
  if (grants.length === 0) return null;
  const scopes = [...new Set(grants.flatMap((g) => g.scopes))].sort();
  const rules = grants.map(ruleOf);
  const unrestricted = rules.some((r) => !r.clusters && !r.namespaces);
  const claims: Record<string, unknown> = unrestricted ? { scopes } : { scopes, access: rules };
  const digest = createHash('sha256').update(JSON.stringify(claims)).digest('base64url').slice(0, 22);
  return {
    scope: `policy:${digest}`,
    subject: subjectOf(identity),
    claims: { ...claims, grants: grants.map((g) => g.name) },
    ...(identity.kind === 'user' && identity.expiresAt !== undefined ? { expiresAt: identity.expiresAt } : {}),
  };
}
