// Server-side apply (`PATCH` with `Content-Type: application/apply-patch+yaml`, `kubectl apply
// --server-side`), following structured-merge-diff's rules as kube-apiserver answers them:
//  - the manager owns exactly the fields of its last applied configuration; fields it applied before
//    and no longer applies are removed unless another manager still owns them;
//  - the configuration is merged into the live object: maps per key, keyed lists (containers by name,
//    conditions by type …) per item, set lists by value, everything else replaced;
//  - a field the apply would change that another manager owns is a conflict: 409 with one
//    FieldManagerConflict cause per field, unless `force=true`, which takes the field over;
//  - applying to an object that does not exist creates it.
import type { JsonSchema, KindInfo } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { atomicMap, changedPaths, childSchema, isRecord, itemKey, leafPaths, listKind, SEP, valueKey } from './field-paths.js';
import { ownershipOf, presentPaths, timestamp, toEntries, trackedView, type ManagedFieldsEntry, type Ownership } from './managed-fields.js';
import { ApiError, badRequest } from './status.js';

type Json = Record<string, unknown>;

function merge(live: unknown, config: unknown, schema: JsonSchema | undefined, depth: number): unknown {
  if (isRecord(live) && isRecord(config) && !atomicMap(schema)) {
    const out: Json = { ...live };
    for (const [k, v] of Object.entries(config)) out[k] = k in live ? merge(live[k], v, childSchema(schema, k, depth), depth + 1) : structuredClone(v);
    return out;
  }
  if (Array.isArray(live) && Array.isArray(config)) {
    const kind = listKind(schema);
    if (kind.type === 'map') {
      const out = [...live];
      for (const item of config) {
        const key = itemKey(item, kind.keys);
        const at = out.findIndex((i) => itemKey(i, kind.keys) === key);
        if (at >= 0) out[at] = merge(out[at], item, schema?.items, depth + 1);
        else out.push(structuredClone(item));
      }
      return out;
    }
    if (kind.type === 'set') {
      const seen = new Set(live.map(valueKey));
      return [...live, ...config.filter((v) => !seen.has(valueKey(v)))];
    }
  }
  return structuredClone(config);
}

/** Removes one path from `obj` (in place); maps emptied by the removal go too. */
function removePath(obj: unknown, parts: string[], schema: JsonSchema | undefined, depth: number): void {
  const [head, ...rest] = parts;
  if (isRecord(obj) && head.startsWith('f:')) {
    const field = head.slice(2);
    if (!(field in obj)) return;
    if (rest.length === 0) delete obj[field];
    else {
      removePath(obj[field], rest, childSchema(schema, field, depth), depth + 1);
      const child = obj[field];
      if ((isRecord(child) && Object.keys(child).length === 0) || (Array.isArray(child) && child.length === 0)) delete obj[field];
    }
    return;
  }
  if (Array.isArray(obj)) {
    const kind = listKind(schema);
    const at = obj.findIndex((item) => (kind.type === 'map' ? itemKey(item, kind.keys) === head : valueKey(item) === head));
    if (at < 0) return;
    if (rest.length === 0) obj.splice(at, 1);
    else removePath(obj[at], rest, schema?.items, depth + 1);
  }
}

function conflictError(conflicts: { manager: string; field: string }[]): ApiError {
  const list = conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`);
  const message =
    conflicts.length === 1 ? `Apply failed with 1 conflict: ${list[0]}` : `Apply failed with ${conflicts.length} conflicts: ${list.join('\n')}`;
  return new ApiError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}"`, field: c.field })),
  });
}

/** `.spec.containers[name="main"].image`: how a conflicting path is named in the Status. */
function fieldName(path: string): string {
  return path
    .split(SEP)
    .map((p) => {
      if (p.startsWith('f:')) return `.${p.slice(2)}`;
      if (p.startsWith('k:')) {
        const keys = JSON.parse(p.slice(2)) as Json;
        return `[${Object.entries(keys)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      return `[${p.slice(2)}]`;
    })
    .join('');
}

/** Query parameters of an apply patch, checked as the real server checks them. */
export function applyOptions(query: URLSearchParams): { manager: string; force: boolean } {
  const manager = query.get('fieldManager') ?? '';
  if (!manager) {
    throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
    });
  }
  const force = query.get('force');
  if (force !== null && force !== 'true' && force !== 'false') throw badRequest(`force: invalid value "${force}": must be true or false`);
  return { manager, force: force === 'true' };
}

export interface ApplyResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[] | undefined;
}

/**
 * The object after `manager` applies `config` to `live` (undefined: the object does not exist yet),
 * with its new managedFields. `config` is the body as sent (apiVersion/kind/name already checked).
 */
export function serverSideApply(kind: KindInfo, live: KubeObject | undefined, config: Json, manager: string, force: boolean, now: number): ApplyResult {
  const configView = trackedView({ ...(config as unknown as KubeObject), metadata: (isRecord(config.metadata) ? config.metadata : {}) as unknown as KubeObject['metadata'] });
  const applied = leafPaths(configView, kind.schema);
  const owners: Ownership[] = ownershipOf(live);
  const previous = owners.find((o) => o.manager === manager && o.operation === 'Apply')?.paths ?? new Set<string>();
  const others = owners.filter((o) => !(o.manager === manager && o.operation === 'Apply'));

  const base = structuredClone(trackedView(live)) as Json;
  // fields this manager stopped applying and nobody else owns are removed
  for (const path of previous) {
    if (applied.has(path) || others.some((o) => o.paths.has(path))) continue;
    if ([...applied].some((p) => p.startsWith(path + SEP))) continue;
    removePath(base, path.split(SEP), kind.schema, 0);
  }
  const merged = merge(base, configView, kind.schema, 0) as Json;

  const changed = changedPaths(trackedView(live), merged, kind.schema);
  const conflicts: { manager: string; field: string }[] = [];
  for (const o of others) for (const p of o.paths) if (changed.has(p) && applied.has(p)) conflicts.push({ manager: o.manager, field: fieldName(p) });
  if (conflicts.length && !force) throw conflictError(conflicts);

  const present = presentPaths(merged, kind);
  // entries keep their order; this manager's Apply entry is replaced where it was, or appended
  const mine: Ownership = { manager, operation: 'Apply', apiVersion: kind.apiVersion, time: timestamp(now), paths: applied };
  const next: Ownership[] = owners.map((o) =>
    o.manager === manager && o.operation === 'Apply' ? mine : { ...o, paths: new Set([...o.paths].filter((p) => present.has(p) && !(force && applied.has(p) && changed.has(p)))) },
  );
  if (!next.includes(mine)) next.push(mine);
  const object = { ...(merged as unknown as KubeObject), metadata: { ...(merged.metadata as KubeObject['metadata']) } };
  return { object, managedFields: toEntries(next) };
}
