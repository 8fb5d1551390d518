// metadata.managedFields as kube-apiserver keeps them: one entry per (manager, operation), each owning a
// set of field paths (field-paths.ts). Every write through the API records its manager: Apply entries
// own exactly what the manager applied (apply.ts); Update entries (create, PUT, PATCH) take the fields
// the write changed, which every other manager loses. The manager is the `fieldManager` query parameter,
// else the User-Agent up to its first "/" (kubectl-create, kubectl-edit …), as upstream.
import type { KindInfo } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { changedPaths, fromFieldsV1, isRecord, leafPaths, SEP, toFieldsV1 } from './field-paths.js';
import { ApiError } from './status.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
}

export interface Ownership {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  paths: Set<string>;
}

export const timestamp = (now: number): string => new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The field manager of a write: `fieldManager`, else the User-Agent's product token. */
export function managerOf(query: URLSearchParams, userAgent: string | undefined): string {
  const param = query.get('fieldManager');
  if (param !== null) {
    if (param.length > 128) {
      throw new ApiError(422, 'Invalid', `fieldManager: Too long: may not be longer than 128`, {});
    }
    return param;
  }
  const ua = (userAgent ?? '').trim();
  return (ua.split('/')[0] || 'unknown').slice(0, 128);
}

export function ownershipOf(obj: KubeObject | undefined): Ownership[] {
  const entries = obj?.metadata.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries.filter(isRecord).map((e) => ({
    manager: String(e.manager ?? ''),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: String(e.apiVersion ?? ''),
    time: String(e.time ?? ''),
    paths: fromFieldsV1(e.fieldsV1),
  }));
}

export function toEntries(owners: readonly Ownership[]): ManagedFieldsEntry[] | undefined {
  const kept = owners.filter((o) => o.paths.size > 0);
  if (kept.length === 0) return undefined;
  return kept.map((o) => ({ manager: o.manager, operation: o.operation, apiVersion: o.apiVersion, time: o.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(o.paths) }));
}

/** The object without server bookkeeping, as field sets are computed on it. */
export function trackedView(obj: KubeObject | undefined): Record<string, unknown> {
  if (!obj) return {};
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** Every path present in an object: its leaves, items, and the maps above them. */
export function presentPaths(obj: unknown, kind: KindInfo): Set<string> {
  const out = new Set<string>();
  for (const leaf of leafPaths(obj, kind.schema)) {
    const parts = leaf.split(SEP);
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join(SEP));
  }
  return out;
}

/** The managedFields of `after`, written by `manager` as an Update from `before` (undefined: a create). */
export function recordUpdate(kind: KindInfo, before: KubeObject | undefined, after: KubeObject, manager: string, now: number): ManagedFieldsEntry[] | undefined {
  const changed = changedPaths(trackedView(before), trackedView(after), kind.schema);
  const present = presentPaths(trackedView(after), kind);
  const owners = ownershipOf(before).map((o) => ({ ...o, paths: new Set([...o.paths].filter((p) => present.has(p) && !changed.has(p))) }));
  if (changed.size > 0) {
    let own = owners.find((o) => o.manager === manager && o.operation === 'Update');
    if (!own) owners.push((own = { manager, operation: 'Update', apiVersion: kind.apiVersion, time: '', paths: new Set() }));
    for (const p of changed) if (present.has(p)) own.paths.add(p);
    own.time = timestamp(now);
  }
  return toEntries(owners);
}
