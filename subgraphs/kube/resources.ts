// The resource kinds fleetgraph reads, and the API paths to reach them.
// Paths are relative to a cluster's `server` URL, which may itself carry a path prefix
// (e.g. the simulator's `https://127.0.0.1:6443/clusters/<name>`, or a proxy).

export interface ResourceRef {
  /** API group; '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

function ref(group: string, version: string, plural: string, kind: string, namespaced: boolean): ResourceRef {
  return Object.freeze({ group, version, plural, kind, namespaced });
}

/** Every kind we read (group/version/scope as in reference/domain-models.md). */
export const Resources = Object.freeze({
  nodes: ref('', 'v1', 'nodes', 'Node', false),
  pods: ref('', 'v1', 'pods', 'Pod', true),
  namespaces: ref('', 'v1', 'namespaces', 'Namespace', false),
  events: ref('', 'v1', 'events', 'Event', true),
  services: ref('', 'v1', 'services', 'Service', true),
  /** OpenShift cluster network config; one object named `cluster`. */
  clusterNetworks: ref('config.openshift.io', 'v1', 'networks', 'Network', false),
  ptpConfigs: ref('ptp.openshift.io', 'v1', 'ptpconfigs', 'PtpConfig', true),
  nodePtpDevices: ref('ptp.openshift.io', 'v1', 'nodeptpdevices', 'NodePtpDevice', true),
  ptpOperatorConfigs: ref('ptp.openshift.io', 'v1', 'ptpoperatorconfigs', 'PtpOperatorConfig', true),
  sriovNetworkNodeStates: ref('sriovnetwork.openshift.io', 'v1', 'sriovnetworknodestates', 'SriovNetworkNodeState', true),
  sriovNetworkNodePolicies: ref('sriovnetwork.openshift.io', 'v1', 'sriovnetworknodepolicies', 'SriovNetworkNodePolicy', true),
  sriovNetworks: ref('sriovnetwork.openshift.io', 'v1', 'sriovnetworks', 'SriovNetwork', true),
  networkAttachmentDefinitions: ref('k8s.cni.cncf.io', 'v1', 'network-attachment-definitions', 'NetworkAttachmentDefinition', true),
  odaComponents: ref('oda.tmforum.org', 'v1', 'components', 'Component', true),
  odaExposedApis: ref('oda.tmforum.org', 'v1', 'exposedapis', 'ExposedAPI', true),
  provisioningRequests: ref('o2ims.provisioning.oran.org', 'v1alpha1', 'provisioningrequests', 'ProvisioningRequest', false),
});

export type ResourceName = keyof typeof Resources;

/** `apiVersion` as written in objects: `v1` or `group/version`. */
export function apiVersionOf(r: ResourceRef): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Fills in `apiVersion`/`kind`, which the API server omits on the items of a list and on watch objects. */
export function withTypeMeta<T extends { apiVersion?: string; kind?: string }>(ref: ResourceRef, obj: T): T {
  if (obj && typeof obj === 'object' && obj.kind === undefined) {
    obj.apiVersion ??= apiVersionOf(ref);
    obj.kind = ref.kind;
  }
  return obj;
}

/** `group/plural` (`/nodes` for core): the same key the simulator's request counters use. */
export function kindKeyOf(r: ResourceRef): string {
  return `${r.group}/${r.plural}`;
}

/** Stable identity of a ref for map keys: group/version/plural. */
export function refId(r: ResourceRef): string {
  return `${r.group}/${r.version}/${r.plural}`;
}

function groupVersionPath(r: ResourceRef): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
}

const seg = encodeURIComponent;

/**
 * The collection path: `/api/v1/nodes`, `/api/v1/namespaces/NS/pods`, `/api/v1/pods` (all namespaces).
 * A namespace given for a cluster-scoped kind is ignored.
 */
export function collectionPath(r: ResourceRef, namespace?: string): string {
  const ns = r.namespaced && namespace ? `/namespaces/${seg(namespace)}` : '';
  return `${groupVersionPath(r)}${ns}/${r.plural}`;
}

/** One object: `/apis/G/V/namespaces/NS/PLURAL/NAME`. */
export function objectPath(r: ResourceRef, namespace: string | undefined, name: string): string {
  if (r.namespaced && !namespace) throw new Error(`${r.kind} is namespaced: a namespace is required to address ${name}`);
  return `${collectionPath(r, namespace)}/${seg(name)}`;
}

/** The `/status` subresource of one object. */
export function statusPath(r: ResourceRef, namespace: string | undefined, name: string): string {
  return `${objectPath(r, namespace, name)}/status`;
}

export interface ListParams {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchParams {
  labelSelector?: string;
  fieldSelector?: string;
  /** Resume after this resourceVersion. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** The server ends the stream after this long. */
  timeoutSeconds?: number;
}

/** Append query parameters, skipping undefined and empty values. */
export function withQuery(path: string, params: object): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export function listPath(r: ResourceRef, namespace?: string, params: ListParams = {}): string {
  return withQuery(collectionPath(r, namespace), params);
}

export function watchPath(r: ResourceRef, namespace?: string, params: WatchParams = {}): string {
  return withQuery(collectionPath(r, namespace), { watch: 'true', ...params });
}

export interface ProxyTarget {
  namespace: string;
  /** A pod name, or a service name when `service` is true. */
  name: string;
  service?: boolean;
  /** Port number or name; omitted means the default port. */
  port?: number | string;
  /** Path on the target, e.g. `/metrics`. */
  path: string;
  /** Scheme prefix the API server uses for the target (`https:NAME:PORT`), for TLS targets. */
  scheme?: 'http' | 'https';
}

/**
 * The API server's proxy path to a pod or service port:
 * `/api/v1/namespaces/NS/pods/NAME:PORT/proxy/metrics`.
 */
export function proxyPath(t: ProxyTarget): string {
  // Parts are encoded one by one: the ':' separators must stay literal.
  const target = [t.scheme === 'https' ? 'https' : undefined, t.name, t.port === undefined ? undefined : String(t.port)]
    .filter((part): part is string => part !== undefined)
    .map(seg)
    .join(':');
  const kind = t.service ? 'services' : 'pods';
  const rest = t.path.startsWith('/') ? t.path : `/${t.path}`;
  return `/api/v1/namespaces/${seg(t.namespace)}/${kind}/${target}/proxy${rest}`;
}
