// Field paths of an object in the notation of server-side apply's managedFields (FieldsV1):
// `f:<field>` for a map key, `k:{"name":"main"}` for an item of a list merged by key(s), `v:<json>` for a
// member of a set list; an atomic list (or any list the schema does not describe) is one leaf. Lists are
// typed from the kind's schema (`x-kubernetes-list-type` / `-list-map-keys`, as upstream's OpenAPI
// says for containers, ports, conditions ...). Paths are joined with NUL into strings so sets of them are
// plain Set<string>. Pure functions shared by apply.ts and managed-fields.ts.
import type { JsonSchema } from '../kinds.js';

export const SEP = '\u0000';

type Json = Record<string, unknown>;
export const isRecord = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The metadata fields server-side apply tracks; the rest (name, uid, resourceVersion …) are the server's. */
const METADATA_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    ownerReferences: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['uid'] },
    generateName: { type: 'string' },
  },
};
const UNTRACKED_TOP = new Set(['apiVersion', 'kind']);

/** The schema of a child of `schema` (undefined: not described, treat maps as granular and lists as atomic). */
export function childSchema(schema: JsonSchema | undefined, field: string, depth: number): JsonSchema | undefined {
  if (depth === 0 && field === 'metadata') return METADATA_SCHEMA;
  if (!schema) return undefined;
  return schema.properties?.[field] ?? schema.additionalProperties;
}

export type ListKind = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

export function listKind(schema: JsonSchema | undefined): ListKind {
  if (schema?.['x-kubernetes-list-type'] === 'map' && schema['x-kubernetes-list-map-keys']?.length) return { type: 'map', keys: schema['x-kubernetes-list-map-keys'] };
  if (schema?.['x-kubernetes-list-type'] === 'set') return { type: 'set' };
  return { type: 'atomic' };
}

/** True when a map is replaced as a whole rather than merged per key. */
export function atomicMap(schema: JsonSchema | undefined): boolean {
  return schema?.['x-kubernetes-map-type'] === 'atomic';
}

function sortedJson(obj: Json): string {
  return JSON.stringify(Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]])));
}

export function itemKey(item: unknown, keys: string[]): string {
  const r = isRecord(item) ? item : {};
  return `k:${sortedJson(Object.fromEntries(keys.map((k) => [k, r[k]])))}`;
}

export const valueKey = (value: unknown): string => `v:${JSON.stringify(value)}`;

/** Which metadata keys are part of the tracked object. */
function tracked(path: string, depth: number, field: string, parentField: string | undefined): boolean {
  if (depth === 0 && UNTRACKED_TOP.has(field)) return false;
  if (depth === 1 && parentField === 'metadata') return field in (METADATA_SCHEMA.properties ?? {});
  return path !== undefined;
}

/**
 * Every path of `value` that a manager owning all of it would own: leaves (scalars, atomic lists, empty
 * maps) and the items of keyed and set lists (each also owns its fields).
 */
export function leafPaths(value: unknown, schema: JsonSchema | undefined, prefix = '', depth = 0, parentField?: string, out = new Set<string>()): Set<string> {
  if (isRecord(value) && !atomicMap(schema)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) out.add(prefix);
    for (const k of keys) {
      if (!tracked(prefix, depth, k, parentField)) continue;
      const path = prefix ? `${prefix}${SEP}f:${k}` : `f:${k}`;
      leafPaths(value[k], childSchema(schema, k, depth), path, depth + 1, k, out);
    }
    return out;
  }
  if (Array.isArray(value)) {
    const kind = listKind(schema);
    if (kind.type === 'map') {
      for (const item of value) {
        const path = `${prefix}${SEP}${itemKey(item, kind.keys)}`;
        out.add(path);
        if (isRecord(item)) for (const [k, v] of Object.entries(item)) leafPaths(v, childSchema(schema!.items, k, depth + 1), `${path}${SEP}f:${k}`, depth + 2, k, out);
      }
      return out;
    }
    if (kind.type === 'set') {
      for (const item of value) out.add(`${prefix}${SEP}${valueKey(item)}`);
      return out;
    }
  }
  if (prefix) out.add(prefix);
  return out;
}

const equal = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Paths whose value differs between two versions of an object (added, changed or removed leaves and items). */
export function changedPaths(before: unknown, after: unknown, schema: JsonSchema | undefined, prefix = '', depth = 0, parentField?: string, out = new Set<string>()): Set<string> {
  if (isRecord(before) && isRecord(after) && !atomicMap(schema)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!tracked(prefix, depth, k, parentField)) continue;
      const path = prefix ? `${prefix}${SEP}f:${k}` : `f:${k}`;
      const child = childSchema(schema, k, depth);
      if (!(k in after)) leafPaths(before[k], child, path, depth + 1, k, out);
      else if (!(k in before)) leafPaths(after[k], child, path, depth + 1, k, out);
      else changedPaths(before[k], after[k], child, path, depth + 1, k, out);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const kind = listKind(schema);
    if (kind.type === 'map') {
      const old = new Map(before.map((i) => [itemKey(i, kind.keys), i]));
      const now = new Map(after.map((i) => [itemKey(i, kind.keys), i]));
      for (const key of new Set([...old.keys(), ...now.keys()])) {
        const path = `${prefix}${SEP}${key}`;
        if (!now.has(key) || !old.has(key)) {
          out.add(path);
          for (const p of leafPathsOfItem(now.get(key) ?? old.get(key), schema, path, depth)) out.add(p);
        } else changedPaths(old.get(key), now.get(key), schema?.items, path, depth + 1, undefined, out);
      }
      return out;
    }
    if (kind.type === 'set') {
      const old = new Set(before.map(valueKey));
      const now = new Set(after.map(valueKey));
      for (const v of new Set([...old, ...now])) if (old.has(v) !== now.has(v)) out.add(`${prefix}${SEP}${v}`);
      return out;
    }
  }
  if (!equal(before, after) && prefix) {
    out.add(prefix);
    // a map replaced by a scalar (or the reverse): its former leaves are gone too
    if (isRecord(before)) leafPaths(before, schema, prefix, depth, parentField, out);
    if (isRecord(after)) leafPaths(after, schema, prefix, depth, parentField, out);
  }
  return out;
}

function leafPathsOfItem(item: unknown, listSchema: JsonSchema | undefined, path: string, depth: number): Set<string> {
  const out = new Set<string>();
  if (isRecord(item)) for (const [k, v] of Object.entries(item)) leafPaths(v, childSchema(listSchema?.items, k, depth + 1), `${path}${SEP}f:${k}`, depth + 2, k, out);
  return out;
}

/** FieldsV1 JSON of a set of paths (`{"f:data": {"f:x": {}}}`; a list item that has fields also owns ".") */
export function toFieldsV1(paths: Iterable<string>): Json {
  const root: Json = {};
  const all = [...paths];
  const set = new Set(all);
  for (const path of all.sort()) {
    let node = root;
    for (const part of path.split(SEP)) {
      if (!isRecord(node[part])) node[part] = {};
      node = node[part] as Json;
    }
  }
  // a member that is also a parent is marked with "."
  for (const path of set) {
    let node: unknown = root;
    for (const part of path.split(SEP)) node = isRecord(node) ? node[part] : undefined;
    if (isRecord(node) && Object.keys(node).some((k) => k !== '.')) node['.'] = {};
  }
  return root;
}

/** The paths of a FieldsV1 tree (the inverse of toFieldsV1). */
export function fromFieldsV1(fields: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (!isRecord(fields)) return out;
  const keys = Object.keys(fields);
  if (keys.length === 0 && prefix) out.add(prefix);
  for (const k of keys) {
    if (k === '.') {
      if (prefix) out.add(prefix);
      continue;
    }
    fromFieldsV1(fields[k], prefix ? `${prefix}${SEP}${k}` : k, out);
  }
  return out;
}
