// The access policy (POLICY_FILE, YAML; README "Access"): API keys (stored as SHA-256 digests), and
// grants that give subjects — users and groups named by JWT claims, API keys, or anonymous callers —
// scopes (`read`, `o2ims:write`, `admin` …) on the clusters whose fleet labels match (LabelFilter
// semantics, as the `labels` argument of `clusters`) and optionally only some namespaces there. Parsed
// strictly: an unknown key, a grant naming an unknown API key or a malformed filter refuses the file,
// naming the place, so a typo never silently widens or narrows access.
import { parse as parseYaml } from 'yaml';
import type { LabelFilter, LabelOperator } from '../../lib/label-selector.js';

export interface ApiKeyEntry {
  name: string;
  /** Lower-case hex SHA-256 of the key; the key itself is never stored. */
  sha256: string;
}

export interface Grant {
  name: string;
  users: readonly string[];
  groups: readonly string[];
  apiKeys: readonly string[];
  /** Callers without credentials get this grant. */
  anonymous: boolean;
  /** Clusters whose labels match every filter; absent: every cluster. */
  clusters?: readonly LabelFilter[];
  /** Namespaces of those clusters; absent: every namespace. */
  namespaces?: readonly string[];
  scopes: readonly string[];
}

export interface Policy {
  /** JWT claims that name the user and carry the groups. */
  claims: { user: string; groups: string };
  apiKeys: readonly ApiKeyEntry[];
  grants: readonly Grant[];
}

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

const OPERATORS: readonly LabelOperator[] = ['EQUALS', 'NOT_EQUALS', 'IN', 'NOT_IN', 'EXISTS', 'DOES_NOT_EXIST'];
const SCOPE = /^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)?$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

type Node = Record<string, unknown>;

function object(value: unknown, where: string, keys: readonly string[]): Node {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new PolicyError(`${where}: expected a mapping`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new PolicyError(`${where}: unknown key "${key}" (known: ${keys.join(', ')})`);
  }
  return value as Node;
}

function strings(value: unknown, where: string, pattern?: RegExp): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) throw new PolicyError(`${where}: expected a list of strings`);
  if (pattern) for (const v of value as string[]) if (!pattern.test(v)) throw new PolicyError(`${where}: "${v}" is not a valid name`);
  return value as string[];
}

function text(value: unknown, where: string, fallback?: string): string {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw new PolicyError(`${where}: expected a string`);
  return value;
}

function labelFilter(value: unknown, where: string): LabelFilter {
  const f = object(value, where, ['key', 'op', 'value', 'values']);
  const key = text(f.key, `${where}.key`);
  const op = (f.op ?? 'EQUALS') as LabelOperator;
  if (!OPERATORS.includes(op)) throw new PolicyError(`${where}.op: "${String(f.op)}" is not one of ${OPERATORS.join(', ')}`);
  const filter: LabelFilter = { key, op };
  if (op === 'EQUALS' || op === 'NOT_EQUALS') filter.value = text(f.value, `${where}.value (${op} needs a value)`);
  if (op === 'IN' || op === 'NOT_IN') {
    filter.values = strings(f.values, `${where}.values`);
    if (filter.values.length === 0) throw new PolicyError(`${where}.values: ${op} needs values`);
  }
  return filter;
}

function grant(value: unknown, where: string, apiKeys: ReadonlySet<string>): Grant {
  const named = (value as { name?: unknown } | null)?.name;
  const g = object(value, typeof named === 'string' ? `grant "${named}"` : where, ['name', 'users', 'groups', 'apiKeys', 'anonymous', 'clusters', 'namespaces', 'scopes']);
  const name = text(g.name, `${where}.name`);
  const at = `grant "${name}"`;
  const keys = strings(g.apiKeys, `${at}.apiKeys`);
  for (const k of keys) if (!apiKeys.has(k)) throw new PolicyError(`${at}.apiKeys: no API key named "${k}" in apiKeys`);
  if (g.anonymous !== undefined && typeof g.anonymous !== 'boolean') throw new PolicyError(`${at}.anonymous: expected true or false`);
  const scopes = strings(g.scopes, `${at}.scopes`, SCOPE);
  if (scopes.length === 0) throw new PolicyError(`${at}.scopes: a grant needs at least one scope (read, o2ims:write, admin …)`);
  let clusters: LabelFilter[] | undefined;
  if (g.clusters !== undefined && g.clusters !== null) {
    if (!Array.isArray(g.clusters)) throw new PolicyError(`${at}.clusters: expected a list of label filters`);
    clusters = g.clusters.map((f, i) => labelFilter(f, `${at}.clusters[${i}]`));
  }
  return {
    name,
    users: strings(g.users, `${at}.users`),
    groups: strings(g.groups, `${at}.groups`),
    apiKeys: keys,
    anonymous: g.anonymous === true,
    ...(clusters ? { clusters } : {}),
    ...(g.namespaces === undefined || g.namespaces === null ? {} : { namespaces: strings(g.namespaces, `${at}.namespaces`) }),
    scopes,
  };
}

/** The policy of a YAML document; throws PolicyError naming the first problem. */
export function parsePolicy(source: string): Policy {
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (err) {
    throw new PolicyError(`not YAML: ${(err as Error).message}`);
  }
  const root = object(doc ?? {}, 'policy', ['claims', 'apiKeys', 'grants']);
  const claims = object(root.claims ?? {}, 'claims', ['user', 'groups']);
  const apiKeys: ApiKeyEntry[] = [];
  if (root.apiKeys !== undefined && root.apiKeys !== null) {
    if (!Array.isArray(root.apiKeys)) throw new PolicyError('apiKeys: expected a list');
    for (const [i, entry] of root.apiKeys.entries()) {
      const k = object(entry, `apiKeys[${i}]`, ['name', 'sha256']);
      const name = text(k.name, `apiKeys[${i}].name`);
      if (!NAME.test(name)) throw new PolicyError(`apiKeys[${i}].name: "${name}" is not a valid name`);
      const sha256 = text(k.sha256, `apiKeys[${i}].sha256`).toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new PolicyError(`apiKeys[${i}].sha256: expected 64 hex digits (the SHA-256 of the key)`);
      if (apiKeys.some((a) => a.name === name)) throw new PolicyError(`apiKeys: "${name}" is listed twice`);
      apiKeys.push({ name, sha256 });
    }
  }
  const keyNames = new Set(apiKeys.map((k) => k.name));
  if (root.grants !== undefined && root.grants !== null && !Array.isArray(root.grants)) throw new PolicyError('grants: expected a list');
  const grants = ((root.grants as unknown[] | undefined) ?? []).map((g, i) => grant(g, `grants[${i}]`, keyNames));
  const seen = new Set<string>();
  for (const g of grants) {
    if (seen.has(g.name)) throw new PolicyError(`grants: "${g.name}" is listed twice`);
    seen.add(g.name);
  }
  return { claims: { user: text(claims.user, 'claims.user', 'sub'), groups: text(claims.groups, 'claims.groups', 'groups') }, apiKeys, grants };
}
