// Field selectors as k8s.io/apimachinery/pkg/fields parses them, restricted per kind to the fields the
// real server indexes (others → 400 `field label not supported: <field>`).
import type { KindInfo } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { badRequest } from './status.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export type FieldSelector = FieldRequirement[];

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];

/** Supported fields beyond metadata.name/namespace, keyed by `<group>/<plural>`. */
const KIND_FIELDS: Record<string, string[]> = {
  '/pods': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  '/events': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  '/nodes': ['spec.unschedulable'],
  '/namespaces': ['status.phase'],
};

/** Splits on unescaped separators; `\,` and `\=` are escapes as in fields.ParseSelector. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\\' && i + 1 < input.length) {
      current += c + input[i + 1];
      i++;
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  terms.push(current);
  return terms;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

export function parseFieldSelector(input: string | null | undefined, kind: KindInfo): FieldSelector {
  if (!input || !input.trim()) return [];
  const supported = new Set([...COMMON_FIELDS, ...(KIND_FIELDS[kind.key] ?? [])]);
  const selector: FieldSelector = [];
  for (const term of splitTerms(input)) {
    if (term.trim() === '') continue;
    const match = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (!match) throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    const field = match[1].trim();
    if (!supported.has(field)) throw badRequest(`field label not supported: ${field}`);
    selector.push({ field, operator: match[2] === '!=' ? '!=' : '=', value: unescape(match[3]) });
  }
  return selector;
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (path === 'source' && cur && typeof cur === 'object') {
    return String((cur as { component?: string }).component ?? '');
  }
  if (cur === undefined || cur === null) return path === 'spec.hostNetwork' || path === 'spec.unschedulable' ? 'false' : '';
  return String(cur);
}

export function matchesFields(selector: FieldSelector, obj: KubeObject): boolean {
  for (const req of selector) {
    const value = fieldValue(obj, req.field);
    if (req.operator === '=' ? value !== req.value : value === req.value) return false;
  }
  return true;
}
