// What a Kubernetes API request is, from its method and path: the verb (as RBAC and the API server's
// audit log name it: get, list, watch, create, patch, update, delete, proxy (proxy_create … for writes
// through the proxy), discovery), the kind
// (`group/plural`, core kinds as `plural`, discovery paths as themselves) and the path template (`/api/v1/namespaces/{namespace}/pods/{name}`)
// — the low-cardinality names traces and metrics use, never an object's name or a namespace.

export interface RequestShape {
  verb: string;
  kind: string;
  template: string;
}

const WRITE_VERBS: Record<string, string> = { POST: 'create', PATCH: 'patch', PUT: 'update', DELETE: 'delete' };

export function requestShape(method: string, pathAndQuery: string): RequestShape {
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q < 0 ? '' : pathAndQuery.slice(q + 1);
  const parts = path.split('/').filter(Boolean);
  let prefix: string[];
  let group = '';
  if (parts[0] === 'api' && parts.length >= 3) prefix = parts.slice(0, 2);
  else if (parts[0] === 'apis' && parts.length >= 4) {
    prefix = parts.slice(0, 3);
    group = parts[1];
  } else {
    // Discovery (/version, /apis, /apis/<group>…): the path is its own kind, as RBAC's nonResourceURLs name it.
    const template = `/${parts.join('/')}`;
    return { verb: 'discovery', kind: template, template };
  }
  let rest = parts.slice(prefix.length);
  const template = [...prefix];
  if (rest[0] === 'namespaces' && rest.length > 2) {
    template.push('namespaces', '{namespace}');
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  template.push(plural);
  if (name !== undefined) template.push('{name}');
  if (subresource !== undefined) template.push(subresource);
  if (subresource === 'proxy' && rest.length > 3) template.push('{path}');
  const kind = group ? `${group}/${plural}` : plural;
  let verb = WRITE_VERBS[method] ?? 'get';
  // Through the proxy: `proxy` for reads, `proxy_create` / `proxy_delete` … for writes (RBAC: that verb on pods/proxy).
  if (subresource === 'proxy') verb = verb === 'get' ? 'proxy' : `proxy_${verb}`;
  else if (verb === 'get') {
    if (name === undefined) verb = /(^|&)watch=(true|1)(&|$)/.test(query) ? 'watch' : 'list';
  }
  return { verb, kind, template: `/${template.join('/')}` };
}
