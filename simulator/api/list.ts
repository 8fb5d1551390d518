// GET of a collection (list) and of one object, with the real server's query semantics:
// selectors, limit/continue (continue tokens expire with the watch history: 410), resourceVersion and
// resourceVersionMatch. Simplification: pages after the first show the current state of the remaining
// objects (a real server serves them from the first page's snapshot); every page reports the first
// page's resourceVersion, so a client that watches from it afterwards still sees every later change.
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

function tooLarge(requested: number, current: number): ApiError {
  return new ApiError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
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
    if (match !== 'Exact' && match !== 'NotOlderThan') throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
    if (rv === undefined) throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (rv > store.resourceVersion) throw tooLarge(rv, store.resourceVersion);
    if (match === 'Exact') {
      if (rv === 0) throw badRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
      if (rv < store.oldestResourceVersion - 1) throw expired(`too old resource version: ${rv} (${store.oldestResourceVersion - 1})`);
      listRv = rv;
    }
  } else if (rv !== undefined && rv > store.resourceVersion) {
    throw tooLarge(rv, store.resourceVersion);
  }

  const selected = store
    .list(kind.key, namespace)
    .filter((obj) => (start === '' || objectKey(obj) >= start) && matchesLabels(labels, obj.metadata.labels) && matchesFields(fields, obj));
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
