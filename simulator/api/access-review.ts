// SelfSubjectAccessReview and SelfSubjectRulesReview (authorization.k8s.io/v1), answered from the
// requesting token's rules (auth.ts) exactly as they authorize its requests: `kubectl auth can-i list
// pods` and `kubectl auth can-i --list`. Reviews are never stored (create answers 201 with the status).
import type { KindInfo } from '../kinds.js';
import { allowsPath, allowsResource, type Principal } from './auth.js';
import { badRequest, invalid } from './status.js';

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function checkBody(kind: KindInfo, body: Json): void {
  if (body.kind !== kind.kind) throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${kind.kind})`);
}

export function selfSubjectAccessReview(kind: KindInfo, principal: Principal, body: Json): Json {
  checkBody(kind, body);
  const spec = rec(body.spec);
  const resource = spec.resourceAttributes === undefined ? undefined : rec(spec.resourceAttributes);
  const nonResource = spec.nonResourceAttributes === undefined ? undefined : rec(spec.nonResourceAttributes);
  if ((resource === undefined) === (nonResource === undefined)) {
    throw invalid(kind, '', [
      { reason: 'FieldValueInvalid', field: 'spec.resourceAttributes', message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified' },
    ]);
  }
  const allowed = resource
    ? allowsResource(principal, {
        verb: text(resource.verb),
        group: text(resource.group),
        resource: text(resource.resource),
        subresource: text(resource.subresource) || undefined,
        namespace: text(resource.namespace) || undefined,
        name: text(resource.name) || undefined,
      })
    : allowsPath(principal, text(nonResource!.path), text(nonResource!.verb));
  return { kind: kind.kind, apiVersion: kind.apiVersion, metadata: { creationTimestamp: null }, spec, status: { allowed } };
}

export function selfSubjectRulesReview(kind: KindInfo, principal: Principal, body: Json): Json {
  checkBody(kind, body);
  const spec = rec(body.spec);
  return {
    kind: kind.kind,
    apiVersion: kind.apiVersion,
    metadata: { creationTimestamp: null },
    spec,
    status: { resourceRules: principal.resourceRules, nonResourceRules: principal.nonResourceRules, incomplete: false },
  };
}
