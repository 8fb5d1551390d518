// Authentication and RBAC-style authorization, per cluster. Every principal is a set of rules, as RBAC
// grants them, so requests, SelfSubjectAccessReview and SelfSubjectRulesReview (`kubectl auth can-i`)
// answer from one place:
//  - admin: everything (the kubeconfig's token; like system:masters).
//  - scoped: a read-only service account: get/list/watch on namespaced kinds (and their /status).
//  - none: an authenticated user without any binding (like a real user nobody granted anything): only
//    what every authenticated user gets (discovery, /version, health, creating self reviews).
//  - anonymous (no Authorization header): system:anonymous, as with anonymous auth on: only health and
//    /version; everything else is 403. A token the cluster does not know is 401.
import { allGroups, kindsOfGroupVersion, type KindInfo } from '../kinds.js';
import type { ServedCluster } from './served-cluster.js';
import { forbidden, forbiddenPath, unauthorized } from './status.js';

export const ADMIN_USER = 'system:serviceaccount:fleetgraph:admin';
export const SCOPED_USER = 'system:serviceaccount:fleetgraph:scoped';
export const NONE_USER = 'system:serviceaccount:fleetgraph:none';
export const ANONYMOUS_USER = 'system:anonymous';

export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface Principal {
  user: string;
  groups: string[];
  resourceRules: readonly ResourceRule[];
  nonResourceRules: readonly NonResourceRule[];
}

/** What system:basic-user and system:discovery / system:public-info-viewer give every authenticated user. */
const SELF_REVIEWS: ResourceRule = { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] };
const PUBLIC_INFO: NonResourceRule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] };
const DISCOVERY: NonResourceRule = {
  verbs: ['get'],
  nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
};

/** get/list/watch on every namespaced kind of the catalogue, one rule per API group. */
function namespacedReadRules(): ResourceRule[] {
  return allGroups()
    .map(({ group, version }) => ({
      verbs: ['get', 'list', 'watch'],
      apiGroups: [group],
      resources: kindsOfGroupVersion(group, version)
        .filter((k) => k.namespaced)
        .flatMap((k) => (k.statusSubresource ? [k.plural, `${k.plural}/status`] : [k.plural])),
    }))
    .filter((r) => r.resources.length > 0);
}

const ADMIN: Principal = {
  user: ADMIN_USER,
  groups: ['system:serviceaccounts', 'system:authenticated'],
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, SELF_REVIEWS],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }, PUBLIC_INFO, DISCOVERY],
};
const SCOPED: Principal = {
  user: SCOPED_USER,
  groups: ['system:serviceaccounts', 'system:serviceaccounts:fleetgraph', 'system:authenticated'],
  resourceRules: [...namespacedReadRules(), SELF_REVIEWS],
  nonResourceRules: [PUBLIC_INFO, DISCOVERY],
};
const NONE: Principal = {
  user: NONE_USER,
  groups: ['system:serviceaccounts', 'system:serviceaccounts:fleetgraph', 'system:authenticated'],
  resourceRules: [SELF_REVIEWS],
  nonResourceRules: [PUBLIC_INFO, DISCOVERY],
};
export const ANONYMOUS: Principal = { user: ANONYMOUS_USER, groups: ['system:unauthenticated'], resourceRules: [], nonResourceRules: [PUBLIC_INFO] };

/** The principal of a request: by bearer token; anonymous without one; 401 for a token this cluster does not know. */
export function authenticate(cluster: ServedCluster, authorization: string | undefined): Principal {
  if (!authorization?.trim()) return ANONYMOUS;
  const token = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
  if (token && token === cluster.token) return ADMIN;
  if (token && token === cluster.scopedToken) return SCOPED;
  if (token && token === cluster.noGrantsToken) return NONE;
  throw unauthorized();
}

export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const matches = (list: readonly string[], value: string): boolean => list.includes('*') || list.includes(value);

export function allowsResource(principal: Principal, a: ResourceAttributes): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return principal.resourceRules.some((r) => matches(r.verbs, a.verb) && matches(r.apiGroups, a.group) && (matches(r.resources, resource) || (a.subresource !== undefined && r.resources.includes(`${a.resource}/*`))));
}

export function allowsPath(principal: Principal, path: string, verb: string): boolean {
  return principal.nonResourceRules.some(
    (r) =>
      matches(r.verbs, verb) &&
      r.nonResourceURLs.some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1)))),
  );
}

/** Throws 403 when the principal may not do `verb` on the kind (or its subresource). */
export function authorize(principal: Principal, verb: string, kind: KindInfo, namespace: string | undefined, name?: string, subresource?: string): void {
  if (allowsResource(principal, { verb, group: kind.group, resource: kind.plural, subresource, namespace, name })) return;
  throw forbidden(principal.user, verb, kind, namespace, name, subresource);
}

/** Throws 403 for a non-resource path (discovery, /version, /openapi) the principal may not get. */
export function authorizePath(principal: Principal, path: string): void {
  if (!allowsPath(principal, path || '/', 'get')) throw forbiddenPath(principal.user, path || '/');
}

/** What the control API shows about a cluster's tokens (tests use the scoped and no-grants ones). */
export function describeTokens(cluster: ServedCluster): {
  admin: { user: string; token: string };
  scoped: { user: string; token: string; rules: string };
  none: { user: string; token: string; rules: string };
} {
  return {
    admin: { user: ADMIN_USER, token: cluster.token },
    scoped: { user: SCOPED_USER, token: cluster.scopedToken, rules: 'get, list, watch on namespaced kinds only' },
    none: { user: NONE_USER, token: cluster.noGrantsToken, rules: 'no grants: discovery, /version and self reviews only' },
  };
}
