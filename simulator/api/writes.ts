// POST / PUT / PATCH / DELETE with the real server's rules:
// - create: body kind/apiVersion/namespace must agree with the URL; generateName; the namespace must
//   exist; kinds with a status subresource drop status on create; 409 AlreadyExists; 422 Invalid.
// - update: metadata.resourceVersion is required (422) and must be current (409 Conflict); on kinds
//   with a status subresource the main resource ignores status and `/status` changes only status.
// - patch: merge, JSON patch, strategic merge (built-in kinds only, applied as merge); then as update.
// - delete: the deleted object, or a Success Status for the kinds that answer that way upstream (custom
//   resources among them); an object with finalizers is only marked (deletionTimestamp) and goes once
//   an update removes the last one.
// - dryRun=All: everything but the store write.
import { randomBytes, randomUUID } from 'node:crypto';
import { kindByKey, type KindInfo } from '../kinds.js';
import type { KubeObject } from '../types.js';
import type { ServedCluster } from './served-cluster.js';
import { listObjects, type ListResult } from './list.js';
import { applyJsonPatch, applyMergePatch, decodeJsonPatch } from './patch.js';
import { alreadyExists, ApiError, badRequest, conflict, fromStoreError, invalid, notFound, successStatus, type Status } from './status.js';
import { pruneObject, validateObject } from './validation.js';
import { applyOptions, serverSideApply } from './apply.js';
import { recordUpdate, type ManagedFieldsEntry } from './managed-fields.js';

/** Who writes (the field manager) and when: every write records it in metadata.managedFields. */
export interface WriteContext {
  query: URLSearchParams;
  manager: string;
  now: number;
}

/**
 * Built-in kinds whose DELETE answers with a Success Status instead of the object (generic registry
 * default). Custom resources always do when they go at once (apiextensions' registry; seen on v1.20).
 */
const STATUS_ON_DELETE = new Set(['/configmaps', '/services', '/events', 'apps/daemonsets', 'apps/deployments']);
const answersStatusOnDelete = (kind: KindInfo): boolean => !kind.builtIn || STATUS_ON_DELETE.has(kind.key);

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function generateSuffix(): string {
  const bytes = randomBytes(5);
  return [...bytes].map((b) => GENERATE_ALPHABET[b % GENERATE_ALPHABET.length]).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function asObject(body: unknown, kind: KindInfo): KubeObject {
  if (!isRecord(body)) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
  if (typeof body.kind !== 'string' || body.kind === '') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`);
  if (body.apiVersion !== kind.apiVersion) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${kind.apiVersion})`);
  }
  if (body.kind !== kind.kind) throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${kind.kind})`);
  const metadata = isRecord(body.metadata) ? { ...body.metadata } : {};
  return { ...body, metadata } as unknown as KubeObject;
}

function checkNamespace(kind: KindInfo, obj: KubeObject, namespace: string | undefined): void {
  if (!kind.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = namespace;
}

function dryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}

export function createObject(cluster: ServedCluster, kind: KindInfo, namespace: string | undefined, body: unknown, ctx: WriteContext, applied?: ManagedFieldsEntry[]): KubeObject {
  const query = ctx.query;
  if (kind.namespaced && namespace === undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
  const obj = applyDefaults(kind, pruneObject(kind, structuredClone(asObject(body, kind))));
  checkNamespace(kind, obj, namespace);
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${generateSuffix()}`;
  if (!meta.name) {
    throw invalid(kind, '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  }
  delete meta.resourceVersion;
  delete meta.uid;
  delete meta.creationTimestamp;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.generation;
  if (kind.statusSubresource) delete obj.status;
  applyCreateDefaults(kind, obj);
  if (namespace !== undefined) {
    const namespaces = kindByKey('/namespaces')!;
    if (!cluster.store.get(namespaces.key, undefined, namespace)) throw notFound(namespaces, namespace);
  }
  const causes = validateObject(kind, obj);
  if (causes.length) throw invalid(kind, meta.name, causes);
  if (cluster.store.get(kind.key, meta.namespace, meta.name)) throw alreadyExists(kind, meta.name);
  const managedFields = applied ?? recordUpdate(kind, undefined, obj, ctx.manager, ctx.now);
  if (managedFields) meta.managedFields = managedFields;
  else delete meta.managedFields;
  if (dryRun(query)) {
    // as the real server answers a dry run: what it would store, with uid, creationTimestamp and
    // generation set but no resourceVersion (nothing was written)
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    meta.generation = 1;
    return obj;
  }
  try {
    return cluster.store.create(kind.key, obj);
  } catch (err) {
    throw fromStoreError(err, kind, meta.name);
  }
}

/** The stored result of writing `next` over `current` through the main resource or `/status`. */
function store(
  cluster: ServedCluster,
  kind: KindInfo,
  current: KubeObject,
  next: KubeObject,
  subresource: 'status' | undefined,
  ctx: WriteContext,
  applied?: ManagedFieldsEntry[],
): KubeObject {
  const query = ctx.query;
  const name = current.metadata.name;
  next = applyDefaults(kind, pruneObject(kind, structuredClone(next)));
  let result: KubeObject;
  if (subresource === 'status') {
    // only status changes; metadata and spec stay as stored
    result = { ...current, status: next.status, metadata: { ...current.metadata, resourceVersion: next.metadata.resourceVersion } };
    if (next.status === undefined) delete result.status;
  } else {
    result = { ...next, metadata: { ...next.metadata, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp } };
    if (kind.statusSubresource) {
      if (current.status === undefined) delete result.status;
      else result.status = current.status;
    }
    const causes = validateObject(kind, result);
    if (causes.length) throw invalid(kind, name, causes);
  }
  const rv = result.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw conflict(kind, name);
  const deleting = current.metadata.deletionTimestamp;
  if (deleting) {
    // clients cannot clear the mark, nor add finalizers to an object on its way out
    result.metadata = { ...result.metadata, deletionTimestamp: deleting, deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds ?? 0 };
    const added = (result.metadata.finalizers ?? []).filter((f) => !(current.metadata.finalizers ?? []).includes(f));
    if (added.length) {
      throw invalid(kind, name, [{ reason: 'FieldValueForbidden', message: 'Forbidden: no new finalizers can be added if the object is being deleted', field: 'metadata.finalizers' }]);
    }
  } else {
    delete result.metadata.deletionTimestamp;
  }
  const managedFields = applied ?? recordUpdate(kind, current, result, ctx.manager, ctx.now);
  result = { ...result, metadata: { ...result.metadata } };
  if (managedFields) result.metadata.managedFields = managedFields;
  else delete result.metadata.managedFields;
  if (dryRun(query)) return result;
  if (deleting && !(result.metadata.finalizers ?? []).length) {
    // the last finalizer is gone: the server completes the deletion
    return cluster.store.delete(kind.key, current.metadata.namespace, name);
  }
  const bumpGeneration = subresource !== 'status' && !jsonEqual(current.spec, result.spec);
  try {
    return cluster.store.update(kind.key, result, { bumpGeneration });
  } catch (err) {
    throw fromStoreError(err, kind, name);
  }
}

export function updateObject(
  cluster: ServedCluster,
  kind: KindInfo,
  namespace: string | undefined,
  name: string,
  subresource: 'status' | undefined,
  body: unknown,
  ctx: WriteContext,
): KubeObject {
  const obj = asObject(body, kind);
  if (obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${String(obj.metadata.name ?? '')}) does not match the name on the URL (${name})`);
  }
  checkNamespace(kind, obj, namespace);
  const current = cluster.store.get(kind.key, namespace, name);
  if (!current) throw notFound(kind, name);
  if (!obj.metadata.resourceVersion) {
    throw invalid(kind, name, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }]);
  }
  return store(cluster, kind, current, obj, subresource, ctx);
}

export type PatchType = 'merge' | 'json' | 'apply';

/** Built-in kinds take strategic merge patches; custom resources do not (415 upstream). */
function isBuiltIn(kind: KindInfo): boolean {
  return kind.builtIn;
}

type Json = Record<string, unknown>;

/**
 * The built-in defaults every write gets (a subset: README "what still differs"). Mutates `obj`. Port
 * protocols are not defaulted: server-side apply would then have to key list items by fields the
 * applied configuration does not hold, as structured-merge-diff does.
 */
export function applyDefaults(kind: KindInfo, obj: KubeObject): KubeObject {
  // status.podIPs follows status.podIP (the v1 conversion keeps both)
  const status = obj.status;
  if (kind.key === '/pods' && isRecord(status) && typeof status.podIP === 'string' && status.podIP !== '' && status.podIPs === undefined) status.podIPs = [{ ip: status.podIP }];
  return obj;
}

/** What the real server sets on create (registry PrepareForCreate and defaulting) for the kinds it matters to. */
function applyCreateDefaults(kind: KindInfo, obj: KubeObject): void {
  if (kind.key === '/namespaces') {
    const spec = isRecord(obj.spec) ? obj.spec : {};
    obj.spec = { ...spec, finalizers: Array.isArray(spec.finalizers) ? spec.finalizers : ['kubernetes'] };
    obj.status = { phase: 'Active' };
  } else if (kind.key === '/pods') {
    const containers = isRecord(obj.spec) && Array.isArray(obj.spec.containers) ? (obj.spec.containers as unknown[]).filter(isRecord) : [];
    obj.status = { phase: 'Pending', qosClass: qosClass(containers) };
  }
}

/** Pod QoS class from its containers' cpu/memory requests and limits. */
function qosClass(containers: Json[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const r = isRecord(c.resources) ? c.resources : {};
    const requests = isRecord(r.requests) ? r.requests : {};
    const limits = isRecord(r.limits) ? r.limits : {};
    for (const res of ['cpu', 'memory']) {
      if (requests[res] !== undefined || limits[res] !== undefined) any = true;
      if (limits[res] === undefined || (requests[res] !== undefined && requests[res] !== limits[res])) guaranteed = false;
    }
  }
  return guaranteed ? 'Guaranteed' : any ? 'Burstable' : 'BestEffort';
}

/**
 * The patch type of a PATCH Content-Type, or a 415 like the real server. Strategic merge patches are
 * applied as merge patches (no per-field patch strategies) on built-in kinds and refused on custom
 * resources, as a real server refuses them.
 */
export function patchTypeOf(contentType: string | undefined, kind: KindInfo): PatchType {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/merge-patch+json') return 'merge';
  if (type === 'application/strategic-merge-patch+json' && isBuiltIn(kind)) return 'merge';
  if (type === 'application/json-patch+json') return 'json';
  if (type === 'application/apply-patch+yaml') return 'apply';
  const accepted = isBuiltIn(kind)
    ? 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json'
    : 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';
  throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted}`);
}

export function patchObject(
  cluster: ServedCluster,
  kind: KindInfo,
  namespace: string | undefined,
  name: string,
  subresource: 'status' | undefined,
  patchType: PatchType,
  body: unknown,
  ctx: WriteContext,
): KubeObject {
  if (patchType === 'apply') return applyObject(cluster, kind, namespace, name, subresource, body, ctx);
  if (ctx.query.has('force')) {
    throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }],
    });
  }
  // decode errors are 400 before the object is even looked up, as upstream
  const operations = patchType === 'json' ? decodeJsonPatch(body) : undefined;
  if (patchType === 'merge' && !isRecord(body)) throw badRequest('invalid JSON document: a merge patch must be a JSON object');
  const current = cluster.store.get(kind.key, namespace, name);
  if (!current) throw notFound(kind, name);
  const patched = operations ? applyJsonPatch(current, operations) : applyMergePatch(current, body);
  if (!isRecord(patched) || !isRecord(patched.metadata)) {
    throw invalid(kind, name, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'metadata' }]);
  }
  const next = patched as unknown as KubeObject;
  // name, namespace, kind are not patchable
  next.metadata = { ...next.metadata, name, namespace: current.metadata.namespace };
  if (next.metadata.namespace === undefined) delete next.metadata.namespace;
  next.apiVersion = current.apiVersion;
  next.kind = current.kind;
  return store(cluster, kind, current, next, subresource, ctx);
}

/** Server-side apply: merge the configuration as its manager owns it (apply.ts), or create the object. */
function applyObject(
  cluster: ServedCluster,
  kind: KindInfo,
  namespace: string | undefined,
  name: string,
  subresource: 'status' | undefined,
  body: unknown,
  ctx: WriteContext,
): KubeObject {
  const { manager, force } = applyOptions(ctx.query);
  const config = pruneObject(kind, asObject(body, kind));
  if (config.metadata.name !== undefined && config.metadata.name !== name) {
    throw badRequest(`the name of the object (${String(config.metadata.name)}) does not match the name on the URL (${name})`);
  }
  checkNamespace(kind, config, namespace);
  config.metadata.name = name;
  // the main resource ignores status and /status everything else, so neither is owned by the apply
  if (kind.statusSubresource && subresource !== 'status') delete config.status;
  if (subresource === 'status') for (const key of Object.keys(config)) if (!['apiVersion', 'kind', 'metadata', 'status'].includes(key)) delete config[key];
  const current = cluster.store.get(kind.key, namespace, name);
  const result = serverSideApply(kind, current, config as unknown as Record<string, unknown>, manager, force, ctx.now);
  if (!current) {
    if (subresource) throw notFound(kind, name);
    return createObject(cluster, kind, namespace, result.object, ctx, result.managedFields);
  }
  return store(cluster, kind, current, result.object, subresource, ctx, result.managedFields);
}

export function deleteObject(
  cluster: ServedCluster,
  kind: KindInfo,
  namespace: string | undefined,
  name: string,
  query: URLSearchParams,
): KubeObject | Status {
  const current = cluster.store.get(kind.key, namespace, name);
  if (!current) throw notFound(kind, name);
  if ((current.metadata.finalizers ?? []).length) {
    // graceful: mark it and let the finalizers' controllers clean up (a repeated DELETE changes nothing)
    return dryRun(query) ? current : cluster.store.markDeleting(kind.key, namespace, name, Date.now());
  }
  const deleted = dryRun(query) ? current : cluster.store.delete(kind.key, namespace, name);
  return answersStatusOnDelete(kind) ? successStatus(kind, name, current.metadata.uid) : deleted;
}

/** DELETE of a collection (deletecollection): every object the selectors match, answered as the list of them. */
export function deleteCollection(cluster: ServedCluster, kind: KindInfo, namespace: string | undefined, query: URLSearchParams): ListResult {
  const selectQuery = new URLSearchParams();
  for (const key of ['labelSelector', 'fieldSelector']) {
    const value = query.get(key);
    if (value !== null) selectQuery.set(key, value);
  }
  const matched = listObjects(cluster, kind, namespace, selectQuery);
  const items = dryRun(query) ? matched.items : matched.items.map((obj) => cluster.store.delete(kind.key, obj.metadata.namespace, obj.metadata.name));
  return { ...matched, metadata: { resourceVersion: String(cluster.store.resourceVersion) }, items };
}
