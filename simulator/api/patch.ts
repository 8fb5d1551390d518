// JSON merge patch (RFC 7386) and JSON patch (RFC 6902), with the error split of the real API server:
// a patch document that does not decode is 400 BadRequest; one that decodes but cannot be applied
// (missing path, failed test, unknown op) is 422 with the apply error as its cause.
import { ApiError, badRequest } from './status.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

class PatchApplyError extends Error {}

/** 422 as apiserver's patcher answers an apply failure (NewGenericServerResponse(422, ...)). */
function unprocessable(message: string): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message }],
  });
}

/** Validates the shape of a JSON patch document (the decode step): anything else is a 400. */
export function decodeJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) {
    throw badRequest(`json: cannot unmarshal ${body === null ? 'null' : typeof body === 'object' ? 'object' : typeof body} into Go value of type jsonpatch.Patch`);
  }
  return body.map((op) => {
    if (!isObject(op)) throw badRequest(`json: cannot unmarshal ${typeof op} into Go value of type jsonpatch.Operation`);
    return op as unknown as JsonPatchOperation;
  });
}

function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string') throw new PatchApplyError('missing path');
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchApplyError(`JSON pointer must be empty or start with a "/": "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function resolveParent(doc: unknown, parts: string[], pointer: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const idx = Number(part);
      if (!/^\d+$/.test(part) || idx >= cur.length) throw new PatchApplyError(`doc is missing path: "${pointer}": missing value`);
      cur = cur[idx];
    } else if (isObject(cur)) {
      if (!(part in cur)) throw new PatchApplyError(`doc is missing path: "${pointer}": missing value`);
      cur = cur[part];
    } else {
      throw new PatchApplyError(`doc is missing path: "${pointer}": missing value`);
    }
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw new PatchApplyError(`doc is missing path: "${pointer}": missing value`);
  return { parent: cur, key: parts[parts.length - 1] };
}

function getAt(doc: unknown, pointer: string): unknown {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return doc;
  const { parent, key } = resolveParent(doc, parts, pointer);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= parent.length) throw new PatchApplyError(`doc is missing path: "${pointer}": missing value`);
    return parent[idx];
  }
  if (!(key in parent)) throw new PatchApplyError(`doc is missing path: "${pointer}": missing value`);
  return parent[key];
}

function removeAt(doc: unknown, pointer: string): unknown {
  const parts = parsePointer(pointer);
  if (parts.length === 0) throw new PatchApplyError('unable to remove the whole document');
  const { parent, key } = resolveParent(doc, parts, pointer);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= parent.length) throw new PatchApplyError(`remove operation does not apply: doc is missing path: "${pointer}": missing value`);
    return parent.splice(idx, 1)[0];
  }
  if (!(key in parent)) throw new PatchApplyError(`remove operation does not apply: doc is missing path: "${pointer}": missing value`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function addAt(doc: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return value;
  const { parent, key } = resolveParent(doc, parts, pointer);
  if (Array.isArray(parent)) {
    if (key === '-' && !replace) {
      parent.push(value);
      return doc;
    }
    const idx = Number(key);
    const max = replace ? parent.length - 1 : parent.length;
    if (!/^\d+$/.test(key) || idx > max) throw new PatchApplyError(`${replace ? 'replace' : 'add'} operation does not apply: doc is missing path: "${pointer}": missing value`);
    if (replace) parent[idx] = value;
    else parent.splice(idx, 0, value);
    return doc;
  }
  if (replace && !(key in parent)) {
    throw new PatchApplyError(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
  }
  parent[key] = value;
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Applies a decoded JSON patch to a copy of `target`; failures are 422 as on a real server. */
export function applyJsonPatch(target: unknown, operations: JsonPatchOperation[]): unknown {
  let doc: unknown = structuredClone(target);
  try {
    for (const op of operations) {
      switch (op.op) {
        case 'add':
          if (!('value' in op)) throw new PatchApplyError('add operation does not apply: missing value');
          doc = addAt(doc, op.path, structuredClone(op.value), false);
          break;
        case 'replace':
          if (!('value' in op)) throw new PatchApplyError('replace operation does not apply: missing value');
          doc = addAt(doc, op.path, structuredClone(op.value), true);
          break;
        case 'remove':
          removeAt(doc, op.path);
          break;
        case 'move': {
          const value = getAt(doc, op.from ?? '');
          removeAt(doc, op.from ?? '');
          doc = addAt(doc, op.path, value, false);
          break;
        }
        case 'copy':
          doc = addAt(doc, op.path, structuredClone(getAt(doc, op.from ?? '')), false);
          break;
        case 'test': {
          let actual: unknown;
          try {
            actual = getAt(doc, op.path);
          } catch {
            actual = undefined;
          }
          if (!deepEqual(actual, op.value ?? null)) throw new PatchApplyError(`testing value ${op.path} failed: test failed`);
          break;
        }
        default:
          throw new PatchApplyError(`Unexpected kind: ${String(op.op)}`);
      }
    }
  } catch (err) {
    if (err instanceof PatchApplyError) throw unprocessable(err.message);
    throw err;
  }
  return doc;
}
