// Maps a path below `/clusters/<name>` to what it addresses, following the real API's URL layout.
import { DEFAULT_VERSIONS, kindByPlural, servedVersionOf, type KindInfo, type ServedVersions } from '../kinds.js';

export type Route =
  | { type: 'root' }
  | { type: 'health' }
  | { type: 'version' }
  | { type: 'core-versions' }
  | { type: 'group-list' }
  | { type: 'group'; group: string }
  | { type: 'resource-list'; group: string; version: string }
  | { type: 'openapi-v2' }
  | { type: 'openapi-root' }
  | { type: 'openapi-gv'; group: string; version: string }
  | { type: 'resource'; kind: KindInfo; namespace?: string; name?: string; subresource?: 'status' }
  | { type: 'proxy'; kind: KindInfo; namespace: string; name: string; port?: string; path: string }
  | { type: 'unknown' };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function resourceRoute(group: string, version: string, rest: string[], rawRest: string[], installed: ReadonlySet<string>, versions: ServedVersions): Route {
  if (!installed.has(group) || rest.length === 0 || servedVersionOf(group, versions) !== version) return { type: 'unknown' };
  let namespace: string | undefined;
  let segs = rest;
  let raw = rawRest;
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    const nsKind = kindByPlural(group, version, segs[2]);
    if (nsKind?.namespaced) {
      namespace = segs[1];
      segs = segs.slice(2);
      raw = raw.slice(2);
    }
  }
  const kind = kindByPlural(group, version, segs[0]);
  if (!kind) return { type: 'unknown' };
  if (namespace !== undefined && !kind.namespaced) return { type: 'unknown' };
  const [, name, sub, ...more] = segs;
  if (name === undefined) return { type: 'resource', kind, namespace };
  if (name === '') return { type: 'unknown' };
  if (sub === undefined) return { type: 'resource', kind, namespace, name };
  if (sub === 'status' && more.length === 0 && kind.statusSubresource) return { type: 'resource', kind, namespace, name, subresource: 'status' };
  if (sub === 'proxy' && namespace !== undefined && (kind.key === '/pods' || kind.key === '/services')) {
    const colon = name.indexOf(':');
    const target = colon >= 0 ? name.slice(0, colon) : name;
    const port = colon >= 0 ? name.slice(colon + 1) : undefined;
    // keep the client's path below /proxy as sent (trailing slash included)
    const path = '/' + raw.slice(3).join('/');
    return { type: 'proxy', kind, namespace, name: target, port: port || undefined, path };
  }
  return { type: 'unknown' };
}

/**
 * `path` is the request path below the cluster prefix, starting with `/` (or empty). `versions`: the
 * groups this cluster serves at a non-default version (a path with any other version is unknown).
 */
export function route(path: string, installed: ReadonlySet<string>, versions: ServedVersions = DEFAULT_VERSIONS): Route {
  const raw = path.split('/').filter((s, i) => i > 0 || s !== '');
  if (raw.length > 0 && raw[raw.length - 1] === '' && !raw.includes('proxy')) raw.pop();
  const segs = raw.map(decode);
  if (segs.length === 0) return { type: 'root' };
  const [first, second, third, fourth] = segs;
  switch (first) {
    case 'healthz':
    case 'livez':
    case 'readyz':
      return segs.length === 1 ? { type: 'health' } : { type: 'unknown' };
    case 'version':
      return segs.length === 1 ? { type: 'version' } : { type: 'unknown' };
    case 'openapi':
      if (second === 'v2' && segs.length === 2) return { type: 'openapi-v2' };
      if (second !== 'v3') return { type: 'unknown' };
      if (segs.length === 2) return { type: 'openapi-root' };
      if (third === 'api' && segs.length === 4) return { type: 'openapi-gv', group: '', version: fourth };
      if (third === 'apis' && segs.length === 5) return { type: 'openapi-gv', group: fourth, version: segs[4] };
      return { type: 'unknown' };
    case 'api':
      if (segs.length === 1) return { type: 'core-versions' };
      if (second !== 'v1') return { type: 'unknown' };
      if (segs.length === 2) return { type: 'resource-list', group: '', version: 'v1' };
      return resourceRoute('', 'v1', segs.slice(2), raw.slice(2), installed, versions);
    case 'apis':
      if (segs.length === 1) return { type: 'group-list' };
      if (segs.length === 2) return { type: 'group', group: second };
      if (segs.length === 3) return { type: 'resource-list', group: second, version: third };
      return resourceRoute(second, third, segs.slice(3), raw.slice(3), installed, versions);
    default:
      return { type: 'unknown' };
  }
}
