// GET of a collection (list) and of one object, with the real server's query semantics:
// selectors, limit/continue (continue tokens expire with the watch history: 410), resourceVersion and
// resourceVersionMatch. Lists at an older resourceVersion (Exact, and pages after the first) are rebuilt
// from the watch history (store.listAt), so they show that snapshot as a real server does; older than
// the history is 410 Expired.
import type { KindInfo } from '../kinds.js';
import type { KubeObject } from '../types.js';
import type { ServedCluster } from './served-cluster.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { matchesFields, parseFieldSelector } from './field-selector.js';
import { matchesLabels, parseLabelSelector } from './label-selector.js';
import { ApiError, badRequest, expired, notFound } from './status.js';

export interface ListResult {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

export function objectKey(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

function parseResourceVersion(value: string | null, param = 'resourceVersion'): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`invalid ${param}: ${value}`);
  return Number(value);
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** 422 about a list option, as ListOptions validation words it. */
function listOptionsInvalid(reason: string, message: string): ApiError {
  return new ApiError(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: ${message}`, {
    group: 'meta.k8s.io',
    kind: 'ListOptions',
    causes: [{ reason, message, field: 'resourceVersionMatch' }],
  });
}

function tooLarge(requested: number, current: number): ApiError {
  return new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

export function listObjects(cluster: ServedCluster, kind: KindInfo, namespace: string | undefined, query: URLSearchParams): ListResult {
  const store = cluster.store;
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'), kind);
  const limitParam = query.get('limit');
  const limit = limitParam ? Number(limitParam) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit: ${limitParam}`);
  const rv = parseResourceVersion(query.get('resourceVersion'));
  const match = query.get('resourceVersionMatch') ?? '';
  const continueParam = query.get('continue');

  let listRv = store.resourceVersion;
  let start = '';
  if (continueParam) {
    if (rv !== undefined && rv !== 0) throw badRequest('specifying resource version is not allowed when using continue');
    const token = decodeContinue(continueParam);
    if (token.rv < store.oldestResourceVersion - 1) throw expired(CONTINUE_EXPIRED);
    listRv = token.rv;
    start = token.start;
  } else if (match) {
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      throw listOptionsInvalid('FieldValueNotSupported', `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan", ""`);
    }
    if (rv === undefined) throw listOptionsInvalid('FieldValueForbidden', 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (match === 'Exact' && rv === 0) throw listOptionsInvalid('FieldValueForbidden', 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    if (rv > store.resourceVersion) throw tooLarge(rv, store.resourceVersion);
    if (match === 'Exact') {
      if (rv < store.oldestResourceVersion - 1) throw expired('The resourceVersion for the provided list is too old.');
      listRv = rv;
    }
  } else if (rv !== undefined && rv > store.resourceVersion) {
    throw tooLarge(rv, store.resourceVersion);
  }

  // Exact and continued lists are served from the snapshot at their resourceVersion, as etcd serves them
  const objects = listRv === store.resourceVersion ? store.list(kind.key, namespace) : store.listAt(kind.key, namespace, listRv);
  const selected = objects.filter((obj) => (start === '' || objectKey(obj) >= start) && matchesLabels(labels, obj.metadata.labels) && matchesFields(fields, obj));
  const items = limit > 0 ? selected.slice(0, limit) : selected;
  const metadata: ListResult['metadata'] = { resourceVersion: String(listRv) };
  if (items.length < selected.length) {
    metadata.continue = encodeContinue({ rv: listRv, start: objectKey(items[items.length - 1]) + '\u0000' });
    // as upstream: only reported when no selector filtered the list
    if (labels.length === 0 && fields.length === 0) metadata.remainingItemCount = selected.length - items.length;
  }
  return { kind: `${kind.kind}List`, apiVersion: kind.apiVersion, metadata, items };
}

export function getObject(cluster: ServedCluster, kind: KindInfo, namespace: string | undefined, name: string): KubeObject {
  const obj = cluster.store.get(kind.key, namespace, name);
  if (!obj) throw notFound(kind, name);
  return obj;
}
