// Discovery documents rendered from the kinds catalogue: the legacy ones (APIVersions, APIGroupList,
// APIGroup, APIResourceList) and the aggregated v2 APIGroupDiscoveryList that kubectl ≥1.30 asks for
// first (`Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,...`).
// Documents depend only on the set of installed groups (and the few groups a cluster serves at an older
// version), so they are cached by that set and shared by every cluster with the same set (thousands of
// edge clusters share a handful of documents).
import { allGroups, DEFAULT_VERSIONS, kindsOfGroupVersion, servedVersionOf, type KindInfo, type ServedVersions } from '../kinds.js';

export const AGGREGATED_V2_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the Accept header asks for the aggregated v2 discovery document. */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('g=apidiscovery.k8s.io') && params.includes('v=v2') && params.includes('as=APIGroupDiscoveryList');
  });
}

function resourceEntries(kind: KindInfo): object[] {
  const main: Record<string, unknown> = {
    name: kind.plural,
    singularName: kind.singular,
    namespaced: kind.namespaced,
    kind: kind.kind,
    verbs: kind.verbs,
  };
  if (kind.shortNames.length) main.shortNames = kind.shortNames;
  if (kind.categories.length) main.categories = kind.categories;
  const entries: object[] = [main];
  if (kind.statusSubresource) {
    entries.push({ name: `${kind.plural}/status`, singularName: '', namespaced: kind.namespaced, kind: kind.kind, verbs: ['get', 'patch', 'update'] });
  }
  if (kind.key === '/pods' || kind.key === '/services') {
    entries.push({ name: `${kind.plural}/proxy`, singularName: '', namespaced: true, kind: `${kind.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  }
  return entries;
}

function aggregatedResource(kind: KindInfo): object {
  const entry: Record<string, unknown> = {
    resource: kind.plural,
    responseKind: { group: kind.group, version: kind.version, kind: kind.kind },
    scope: kind.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: kind.singular,
    verbs: kind.verbs,
  };
  if (kind.shortNames.length) entry.shortNames = kind.shortNames;
  if (kind.categories.length) entry.categories = kind.categories;
  const subresources: object[] = [];
  if (kind.statusSubresource) {
    subresources.push({
      subresource: 'status',
      responseKind: { group: kind.group, version: kind.version, kind: kind.kind },
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (kind.key === '/pods' || kind.key === '/services') {
    subresources.push({
      subresource: 'proxy',
      responseKind: { group: '', version: 'v1', kind: `${kind.kind}ProxyOptions` },
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    });
  }
  if (subresources.length) entry.subresources = subresources;
  return entry;
}

function groupDiscovery(group: string, version: string): object {
  return {
    metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
    versions: [{ version, resources: kindsOfGroupVersion(group, version).map(aggregatedResource), freshness: 'Current' }],
  };
}

function servedGroups(installed: ReadonlySet<string>, versions: ServedVersions): { group: string; version: string }[] {
  return allGroups(versions).filter((g) => g.group !== '' && installed.has(g.group));
}

const cache = new Map<string, string>();

function cached(key: string, render: () => object): string {
  let body = cache.get(key);
  if (body === undefined) {
    body = JSON.stringify(render());
    cache.set(key, body);
  }
  return body;
}

function groupsKey(installed: ReadonlySet<string>, versions: ServedVersions): string {
  return [...installed].sort().map((g) => (versions.has(g) ? `${g}@${versions.get(g)}` : g)).join(',');
}

/** `/api` */
export function coreVersions(aggregated: boolean): string {
  if (aggregated) {
    return cached('agg:/api', () => ({
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      metadata: {},
      items: [groupDiscovery('', 'v1')],
    }));
  }
  return cached('/api', () => ({
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  }));
}

/** `/apis` */
export function groupList(installed: ReadonlySet<string>, aggregated: boolean, versions: ServedVersions = DEFAULT_VERSIONS): string {
  const key = groupsKey(installed, versions);
  if (aggregated) {
    return cached(`agg:/apis:${key}`, () => ({
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      metadata: {},
      items: servedGroups(installed, versions).map((g) => groupDiscovery(g.group, g.version)),
    }));
  }
  return cached(`/apis:${key}`, () => ({
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups(installed, versions).map((g) => apiGroup(g.group, g.version)),
  }));
}

function apiGroup(group: string, version: string): object {
  const gv = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [gv], preferredVersion: gv };
}

/** `/apis/<group>`, or undefined when the group is not served. */
export function groupDocument(installed: ReadonlySet<string>, group: string, versions: ServedVersions = DEFAULT_VERSIONS): string | undefined {
  const served = servedGroups(installed, versions).find((g) => g.group === group);
  if (!served) return undefined;
  return cached(`/apis/${group}/${served.version}`, () => ({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, served.version) }));
}

/** `/api/v1` or `/apis/<group>/<version>`, or undefined when not served. */
export function resourceList(installed: ReadonlySet<string>, group: string, version: string, versions: ServedVersions = DEFAULT_VERSIONS): string | undefined {
  if (!installed.has(group) || servedVersionOf(group, versions) !== version) return undefined;
  const kinds = kindsOfGroupVersion(group, version);
  if (kinds.length === 0) return undefined;
  return cached(`rl:${group}/${version}`, () => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: kinds.flatMap(resourceEntries),
  }));
}

/** `/version` for a cluster's Kubernetes version string (e.g. `v1.31.6`). */
export function versionDocument(gitVersion: string): object {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '31',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
