// Label matching: the fleet's label filters (GraphQL `LabelFilter`) and Kubernetes label selector
// strings, so list requests can be answered from a watch cache without asking the API server.
import { GraphQLError } from 'graphql';

export type LabelOperator = 'EQUALS' | 'NOT_EQUALS' | 'IN' | 'NOT_IN' | 'EXISTS' | 'DOES_NOT_EXIST';

/** One filter on labels; semantics as in a Kubernetes label selector (NOT_EQUALS / NOT_IN match an absent key). */
export interface LabelFilter {
  key: string;
  /** Default EQUALS. */
  op?: LabelOperator | null;
  value?: string | null;
  values?: readonly string[] | null;
}

export function matchesFilter(labels: Readonly<Record<string, string>> | undefined, f: LabelFilter): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, f.key);
  const actual = has ? labels![f.key] : undefined;
  const values = f.values ?? (f.value !== undefined && f.value !== null ? [f.value] : []);
  switch (f.op ?? 'EQUALS') {
    case 'EQUALS':
      return has && actual === (f.value ?? values[0]);
    case 'NOT_EQUALS':
      return !has || actual !== (f.value ?? values[0]);
    case 'IN':
      return has && values.includes(actual!);
    case 'NOT_IN':
      return !has || !values.includes(actual!);
    case 'EXISTS':
      return has;
    case 'DOES_NOT_EXIST':
      return !has;
  }
}

/** A filter missing its value(s) would silently match nothing (or everything): refuse it as BAD_USER_INPUT. */
export function validateLabelFilters(filters: readonly LabelFilter[]): void {
  for (const f of filters) {
    const op = f.op ?? 'EQUALS';
    if ((op === 'EQUALS' || op === 'NOT_EQUALS') && (f.value === undefined || f.value === null)) {
      throw new GraphQLError(`label filter on "${f.key}": ${op} needs a value`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    if ((op === 'IN' || op === 'NOT_IN') && !f.values?.length) {
      throw new GraphQLError(`label filter on "${f.key}": ${op} needs values`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
  }
}

/** All filters must match (an empty list matches everything). */
export function matchesFilters(labels: Readonly<Record<string, string>> | undefined, filters: readonly LabelFilter[] = []): boolean {
  return filters.every((f) => matchesFilter(labels, f));
}

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitRequirements(selector: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0 || depth > 1) return null;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (depth !== 0) return null;
  parts.push(current.trim());
  return parts.filter((p) => p !== '');
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|!=|=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);

/**
 * Parses a Kubernetes label selector (`=`, `==`, `!=`, `in`, `notin`, `key`, `!key`) into filters.
 * Returns null when the selector is not valid; the API server is then the one to say why.
 */
export function parseLabelSelector(selector: string | undefined): LabelFilter[] | null {
  if (selector === undefined || selector.trim() === '') return [];
  const parts = splitRequirements(selector);
  if (!parts) return null;
  const filters: LabelFilter[] = [];
  for (const part of parts) {
    let m = EQUALITY.exec(part);
    if (m) {
      filters.push({ key: m[1], op: m[3] === '!=' ? 'NOT_EQUALS' : 'EQUALS', value: m[4] ?? '' });
      continue;
    }
    m = SET.exec(part);
    if (m) {
      const values = m[4].split(',').map((v) => v.trim());
      if (values.some((v) => !new RegExp(`^${VALUE}$`).test(v))) return null;
      filters.push({ key: m[1], op: m[3] === 'in' ? 'IN' : 'NOT_IN', values });
      continue;
    }
    m = EXISTS.exec(part);
    if (m) {
      filters.push({ key: m[2], op: m[1] === '!' ? 'DOES_NOT_EXIST' : 'EXISTS' });
      continue;
    }
    return null;
  }
  return filters;
}
