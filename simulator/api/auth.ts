// Bearer-token authentication and the scoped token's authorization, per cluster.
// Each cluster has two tokens: an admin one (all verbs on all kinds) and a scoped one for a read-only
// service account that may get/list/watch namespaced kinds only. Everything else that the scoped
// account tries (cluster-scoped kinds such as nodes, any write, pod/service proxy) is 403 Forbidden
// with the real server's message. A token of another cluster is 401, as on separate real clusters.
import type { KindInfo } from '../kinds.js';
import type { ServedCluster } from './served-cluster.js';
import { forbidden, unauthorized } from './status.js';

export const ADMIN_USER = 'system:serviceaccount:fleetgraph:admin';
export const SCOPED_USER = 'system:serviceaccount:fleetgraph:scoped';

export interface Principal {
  user: string;
  scoped: boolean;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

export function authenticate(cluster: ServedCluster, authorization: string | undefined): Principal {
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null;
  const token = match?.[1];
  if (token && token === cluster.token) return { user: ADMIN_USER, scoped: false };
  if (token && token === cluster.scopedToken) return { user: SCOPED_USER, scoped: true };
  throw unauthorized();
}

/** Throws 403 when the principal may not do `verb` on the kind (or its subresource). */
export function authorize(
  principal: Principal,
  verb: string,
  kind: KindInfo,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): void {
  if (!principal.scoped) return;
  if (kind.namespaced && READ_VERBS.has(verb) && subresource !== 'proxy') return;
  throw forbidden(principal.user, verb, kind, namespace, name, subresource);
}

/** What the control API shows about a cluster's tokens (tests use the scoped one). */
export function describeTokens(cluster: ServedCluster): {
  admin: { user: string; token: string };
  scoped: { user: string; token: string; rules: string };
} {
  return {
    admin: { user: ADMIN_USER, token: cluster.token },
    scoped: { user: SCOPED_USER, token: cluster.scopedToken, rules: 'get, list, watch on namespaced kinds only' },
  };
}
