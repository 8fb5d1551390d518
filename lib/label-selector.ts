// Kubernetes label selectors (`=`, `==`, `!=`, `in`, `notin`, `key`, `!key`): parsed into label
// filters, with the reason when a selector is not valid. Shared by the fleet-access layer (answering
// list requests from a watch cache) and the gateway (refusing a bad selector once, before any cluster
// is asked; gateway/argument-rules.ts).

export type LabelOperator = 'EQUALS' | 'NOT_EQUALS' | 'IN' | 'NOT_IN' | 'EXISTS' | 'DOES_NOT_EXIST';

/** One filter on labels; semantics as in a Kubernetes label selector (NOT_EQUALS / NOT_IN match an absent key). */
export interface LabelFilter {
  key: string;
  /** Default EQUALS. */
  op?: LabelOperator | null;
  value?: string | null;
  values?: readonly string[] | null;
}

export type LabelSelectorParse = { filters: LabelFilter[]; error?: undefined } | { filters?: undefined; error: string };

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitRequirements(selector: string): string[] | string {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) return 'a ")" without its "("';
    if (depth > 1) return 'nested parentheses';
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (depth !== 0) return 'a "(" without its ")"';
  parts.push(current.trim());
  return parts.filter((p) => p !== '');
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|!=|=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);
const WHOLE_VALUE = new RegExp(`^${VALUE}$`);

/** Parses a selector, or says why it is not one. The empty selector selects everything. */
export function parseLabelSelectorWithReason(selector: string | undefined): LabelSelectorParse {
  if (selector === undefined || selector.trim() === '') return { filters: [] };
  const parts = splitRequirements(selector);
  if (typeof parts === 'string') return { error: parts };
  const filters: LabelFilter[] = [];
  // Name the requirement only when there are several: `"a=b" is not …: "a=b" is not …` says nothing.
  const which = (part: string) => (parts.length > 1 ? `"${part}": ` : '');
  for (const part of parts) {
    let m = EQUALITY.exec(part);
    if (m) {
      filters.push({ key: m[1], op: m[3] === '!=' ? 'NOT_EQUALS' : 'EQUALS', value: m[4] ?? '' });
      continue;
    }
    m = SET.exec(part);
    if (m) {
      const values = m[4].split(',').map((v) => v.trim());
      if (values.length === 1 && values[0] === '') return { error: `${which(part)}the set of values is empty` };
      const bad = values.find((v) => !WHOLE_VALUE.test(v));
      if (bad !== undefined) return { error: `${which(part)}"${bad}" is not a label value` };
      filters.push({ key: m[1], op: m[3] === 'in' ? 'IN' : 'NOT_IN', values });
      continue;
    }
    m = EXISTS.exec(part);
    if (m) {
      filters.push({ key: m[2], op: m[1] === '!' ? 'DOES_NOT_EXIST' : 'EXISTS' });
      continue;
    }
    return { error: `${which(part)}not one of key, !key, key=value, key!=value, key in (a,b), key notin (a,b)` };
  }
  return { filters };
}

/** Parses a selector into filters; null when it is not valid (the API server is then the one to say why). */
export function parseLabelSelector(selector: string | undefined): LabelFilter[] | null {
  return parseLabelSelectorWithReason(selector).filters ?? null;
}
