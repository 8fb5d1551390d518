// Where a principal may look: the access rules the gateway's policy grants (gateway/auth) and the
// subgraphs enforce (subgraphs/kube/visibility.ts). They travel in the signed principal as
// `claims.access`: absent = every cluster and namespace (no policy configured); a list = the union of
// its rules, each rule = the clusters whose fleet labels match all its filters (LabelFilter semantics,
// as the `labels` argument of `clusters`), optionally only some namespaces there.
import type { LabelFilter } from './label-selector.js';
import type { Principal } from './principal.js';

export interface AccessRule {
  /** Clusters whose fleet labels match every filter; absent or empty: every cluster. */
  clusters?: readonly LabelFilter[];
  /** Namespaces of those clusters; absent: every namespace. */
  namespaces?: readonly string[];
}

const OPERATORS = new Set(['EQUALS', 'NOT_EQUALS', 'IN', 'NOT_IN', 'EXISTS', 'DOES_NOT_EXIST']);

function isLabelFilter(value: unknown): value is LabelFilter {
  if (!value || typeof value !== 'object') return false;
  const f = value as Record<string, unknown>;
  if (typeof f.key !== 'string') return false;
  if (f.op !== undefined && f.op !== null && !OPERATORS.has(String(f.op))) return false;
  if (f.value !== undefined && f.value !== null && typeof f.value !== 'string') return false;
  return f.values === undefined || f.values === null || (Array.isArray(f.values) && f.values.every((v) => typeof v === 'string'));
}

function isRule(value: unknown): value is AccessRule {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  if (r.clusters !== undefined && !(Array.isArray(r.clusters) && r.clusters.every(isLabelFilter))) return false;
  return r.namespaces === undefined || (Array.isArray(r.namespaces) && r.namespaces.every((n) => typeof n === 'string'));
}

/**
 * The principal's access rules; null = unrestricted (no `access` claim). A claim that is not a list of
 * well-formed rules grants nothing (fail closed: it can only come from a gateway bug).
 */
export function accessRulesOf(principal: Principal): readonly AccessRule[] | null {
  const access = principal.claims?.access;
  if (access === undefined || access === null) return null;
  if (!Array.isArray(access) || !access.every(isRule)) return [];
  return access;
}
