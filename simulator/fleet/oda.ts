// TM Forum ODA Canvas objects (reference/domain-models.md §6) rendered from one model of a deployed
// component: what the component operator (TMFOP001), the API operator (TMFOP002, Istio) and the dependent
// API operator (TMFOP005) would have written for it so far. The generator builds such models in their
// final state; the `oda-deploy` scenario changes the facts (an API became ready, a dependent API resolved)
// and re-renders, so status always follows the operators' rules, e.g. deployment_status is derived from
// the counts exactly as the operator's `summary` handler does, under the literal key `summary/status`.
//
// Two layouts: `v1` (metadata under spec.componentMetadata, specification [{url, version}],
// gatewayConfiguration, one ExposedAPI per API and spec version named `<component>-<api>-v<major>`) and
// `v1beta3` (metadata directly under spec, specification [url], gateway keys at the top of the API entry,
// securityFunction.controllerRole, one ExposedAPI per API named `<component>-<api>`), for a cluster whose
// CRDs serve only v1beta3.
import type { KubeObject, ObjectMeta, OwnerReference } from '../types.js';
import { ODA_COMPONENT_LABEL, ODA_SEGMENTS, type OdaApiDef, type OdaComponentDef, type OdaDependentDef, type OdaSegment } from './oda-catalogue.js';

export type OdaLayout = 'v1' | 'v1beta3';

export type OdaDeploymentStatus = 'In-Progress-CompCon' | 'In-Progress-IDConfOp' | 'In-Progress-SecretMan' | 'In-Progress-DepApi' | 'Complete';

export const ODA_GROUP = 'oda.tmforum.org';

/** What the identity config operator writes until it has registered the component (operator constant). */
export const IDENTITY_PROVIDER_NOT_SET = 'Not set';

export interface OdaEnvironment {
  /** Host name of the canvas ingress load balancer: the API operator builds API URLs from it. */
  gatewayHost: string;
}

/** One ExposedAPI of a deployment: an API entry of the component, in one specification version. */
export interface OdaApiInstance {
  api: OdaApiDef;
  /** The specification this instance serves (v1: one per entry of `specification[]`). */
  spec?: { url: string; version: string };
  /** Path below the component (the API's path; a later spec version may have its own, e.g. `…/v5`). */
  path: string;
  meta: ObjectMeta;
  /** uid of the Istio VirtualService the API operator created (status.apiStatus.uid). */
  routeUid: string;
  /** The ExposedAPI object exists (false: never created, or deleted by hand). */
  exists: boolean;
  /** The API operator has published it on the gateway (status.apiStatus with url). */
  published: boolean;
  /** The implementation's EndpointSlice is ready (status.implementation.ready). */
  ready: boolean;
}

export interface OdaDependentInstance {
  dep: OdaDependentDef;
  meta: ObjectMeta;
  exists: boolean;
  /** Set once the dependent API operator found a ready ExposedAPI with the same specification URL. */
  resolvedUrl?: string;
  /** Canvas info service id of the dependency (status.depapiStatus.svcInvID). */
  serviceInventoryId?: string;
}

export interface OdaDeployment {
  def: OdaComponentDef;
  release: string;
  layout: OdaLayout;
  /** spec version of the installed chart (an upgrade changes it). */
  version: string;
  env: OdaEnvironment;
  meta: ObjectMeta;
  apis: OdaApiInstance[];
  dependents: OdaDependentInstance[];
  /** The component operator has written status (false right after `helm install`). */
  operatorStarted: boolean;
  /** identityConfig.identityProvider once the identity operator registered the component. */
  identityProvider?: string;
  /** securitySecretsManagement, when the component declares secretsManagement. */
  secrets?: { uid: string; ready: boolean };
}

export function odaComponentName(release: string, def: OdaComponentDef): string {
  return `${release}-${def.name}`;
}

/** `4.0.0` / `v4.0.1` → `v4` (how the operator names per-version children). */
export function majorVersion(version: string): string {
  return `v${version.toLowerCase().replace(/^v/, '').split('.')[0]}`;
}

export function exposedApiName(layout: OdaLayout, component: string, api: OdaApiDef, spec?: { version: string }): string {
  const base = `${component}-${api.name}`.toLowerCase();
  return layout === 'v1' && spec ? `${base}-${majorVersion(spec.version)}` : base;
}

export function dependentApiName(layout: OdaLayout, component: string, dep: OdaDependentDef): string {
  const base = `${component}-${dep.name}`.toLowerCase();
  return layout === 'v1' ? `${base}-${majorVersion(dep.spec.version)}` : base;
}

const apiVersionOf = (d: OdaDeployment) => `${ODA_GROUP}/${d.layout}`;
const apiPath = (d: OdaDeployment, path: string) => `/${d.meta.name}/${path}`;
const apiUrl = (d: OdaDeployment, path: string) => `https://${d.env.gatewayHost}${apiPath(d, path)}`;
const serviceOf = (d: OdaDeployment, api: OdaApiDef) => `${d.release}-${api.service}`;

function ownerReference(d: OdaDeployment): OwnerReference & { blockOwnerDeletion: boolean } {
  return { apiVersion: apiVersionOf(d), kind: 'Component', name: d.meta.name, uid: d.meta.uid ?? '', controller: true, blockOwnerDeletion: true };
}

function childMeta(d: OdaDeployment, meta: ObjectMeta): ObjectMeta {
  return { ...meta, labels: { [ODA_COMPONENT_LABEL]: d.meta.name }, ownerReferences: [ownerReference(d)] };
}

/** The API entry of the component spec (one per API; v1 lists every spec version of it). */
function componentApiEntry(d: OdaDeployment, api: OdaApiDef): Record<string, unknown> {
  const instances = d.apis.filter((i) => i.api.name === api.name && i.api.segment === api.segment && i.spec);
  const entry: Record<string, unknown> = { name: api.name };
  if (d.layout === 'v1') {
    // a spec version served on its own path says so in its specification entry (overrides the API's)
    const specEntry = (i: OdaApiInstance) => ({
      url: i.spec!.url,
      version: `v${i.spec!.version}`,
      ...(i.path === api.path ? {} : { path: apiPath(d, i.path), developerUI: `${apiPath(d, i.path)}/docs` }),
    });
    if (instances.length) entry.specification = instances.map(specEntry);
    entry.apiType = api.apiType;
    if (api.spec) entry.apiSDO = 'TMForum';
    if (api.gateway) entry.gatewayConfiguration = api.gateway;
  } else {
    if (instances.length) entry.specification = instances.map((i) => i.spec!.url);
    entry.apiType = api.apiType;
    if (api.gateway) Object.assign(entry, api.gateway);
  }
  entry.implementation = serviceOf(d, api);
  entry.path = apiPath(d, api.path);
  if (api.apiType === 'openapi') entry.developerUI = `${apiPath(d, api.path)}/docs`;
  entry.port = api.port;
  return entry;
}

function dependentEntry(d: OdaDeployment, dep: OdaDependentDef): Record<string, unknown> {
  if (d.layout === 'v1') return { name: dep.name, apiType: 'openapi', specification: [{ url: dep.spec.url, version: `v${dep.spec.version}` }] };
  return { name: dep.name, apiType: 'openapi', specification: dep.spec.url };
}

function uniqueApis(d: OdaDeployment, segment: OdaSegment): OdaApiDef[] {
  const seen = new Set<string>();
  return d.apis.map((i) => i.api).filter((a) => a.segment === segment && !seen.has(a.name) && seen.add(a.name));
}

function componentSpec(d: OdaDeployment): Record<string, unknown> {
  const { def } = d;
  const metadata = {
    id: def.id,
    name: def.name,
    version: d.version,
    description: def.description,
    functionalBlock: def.functionalBlock,
    publicationDate: '2024-06-03T00:00:00.000Z',
    status: 'specified',
    maintainers: [{ name: 'ODA Canvas team', email: 'oda-canvas@example.org' }],
    owners: [{ name: 'Fleet operations', email: 'fleet-ops@example.org', url: 'https://ops.example.org' }],
  };
  const segment = (s: OdaSegment) => ({
    exposedAPIs: uniqueApis(d, s).map((a) => componentApiEntry(d, a)),
    dependentAPIs: s === 'coreFunction' ? d.def.dependentApis.map((dep) => dependentEntry(d, dep)) : [],
  });
  const security: Record<string, unknown> = { ...segment('securityFunction') };
  security[d.layout === 'v1' ? 'canvasSystemRole' : 'controllerRole'] = 'Admin';
  if (def.secretsManagement) {
    security.secretsManagement = {
      type: 'sideCar',
      sideCar: { port: 5000 },
      podSelector: { namespace: d.meta.namespace, name: `${d.meta.name}-*`, serviceaccount: `${d.meta.name}-sa` },
    };
  }
  const functions = {
    coreFunction: segment('coreFunction'),
    eventNotification: { publishedEvents: [], subscribedEvents: [] },
    managementFunction: segment('managementFunction'),
    securityFunction: security,
  };
  return d.layout === 'v1' ? { componentMetadata: metadata, ...functions } : { ...metadata, ...functions };
}

/** status.apiStatus of a published ExposedAPI, as the Istio API operator builds it. */
function apiStatus(d: OdaDeployment, i: OdaApiInstance): Record<string, unknown> {
  const status: Record<string, unknown> = {
    name: i.meta.name,
    uid: i.routeUid,
    path: apiPath(d, i.path),
    port: i.api.port,
    implementation: serviceOf(d, i.api),
    url: apiUrl(d, i.path),
  };
  if (i.api.apiType === 'openapi') status.developerUI = `${apiUrl(d, i.path)}/docs`;
  // an ingress load balancer with a host name: the operator copies it into `ip`
  status.ip = d.env.gatewayHost;
  return status;
}

const SEGMENT_KEYS: Record<OdaSegment, { apis: string; dependents: string; summary: string; dependentSummary: string }> = {
  coreFunction: { apis: 'coreAPIs', dependents: 'coreDependentAPIs', summary: 'coreAPIsummary', dependentSummary: 'coreDependentAPIsummary' },
  managementFunction: { apis: 'managementAPIs', dependents: 'managementDependentAPIs', summary: 'managementAPIsummary', dependentSummary: 'managementDependentAPIsummary' },
  securityFunction: { apis: 'securityAPIs', dependents: 'securityDependentAPIs', summary: 'securityAPIsummary', dependentSummary: 'securityDependentAPIsummary' },
};

interface StatusEntry {
  url?: string;
  developerUI?: string;
  ready?: boolean;
}

/**
 * The operator's summary handler: URL lists, and deployment_status from the counts of ready APIs (only
 * entries with a url count), the identity provider, secrets management and ready dependent APIs.
 */
function summary(status: Record<string, unknown>): Record<string, string> {
  const list = (key: string) => (Array.isArray(status[key]) ? (status[key] as StatusEntry[]) : []);
  let desiredApis = 0;
  let readyApis = 0;
  let desiredDependents = 0;
  let readyDependents = 0;
  let developerUIs = '';
  const out: Record<string, string> = {};
  for (const segment of ODA_SEGMENTS) {
    const keys = SEGMENT_KEYS[segment];
    let urls = '';
    for (const api of list(keys.apis)) {
      desiredApis++;
      if (api.url === undefined) continue;
      urls += `${api.url} `;
      if (api.developerUI !== undefined) developerUIs += `${api.developerUI} `;
      if (api.ready === true) readyApis++;
    }
    let depUrls = '';
    for (const dep of list(keys.dependents)) {
      desiredDependents++;
      if (dep.url === undefined) continue;
      depUrls += `${dep.url} `;
      if (dep.ready === true) readyDependents++;
    }
    out[keys.summary] = urls;
    out[keys.dependentSummary] = depUrls;
  }
  const sman = status.securitySecretsManagement as { ready?: boolean } | undefined;
  const desiredSecrets = sman && Object.keys(sman).length ? 1 : 0;
  const readySecrets = desiredSecrets && sman?.ready === true ? 1 : 0;
  out.securitySecretsManagementSummary = desiredSecrets ? (readySecrets ? 'ready' : 'initializing') : '';
  out.developerUIsummary = developerUIs;
  const identity = status.identityConfig as { identityProvider?: string } | undefined;
  let state: OdaDeploymentStatus = 'In-Progress-CompCon';
  if (readyApis === desiredApis) {
    state = 'In-Progress-IDConfOp';
    if (identity && identity.identityProvider !== IDENTITY_PROVIDER_NOT_SET) {
      state = 'In-Progress-SecretMan';
      if (readySecrets === desiredSecrets) {
        state = 'In-Progress-DepApi';
        if (readyDependents === desiredDependents) state = 'Complete';
      }
    }
  }
  out.deployment_status = state;
  return out;
}

/** Component status as the operators leave it; undefined before the component operator ran. */
export function odaComponentStatus(d: OdaDeployment): Record<string, unknown> | undefined {
  if (!d.operatorStarted) return undefined;
  const status: Record<string, unknown> = {};
  for (const segment of ODA_SEGMENTS) {
    status[SEGMENT_KEYS[segment].apis] = d.apis
      .filter((i) => i.api.segment === segment)
      .map((i) => {
        // the entry keeps the uid of the ExposedAPI even after someone deleted that object by hand
        const uid = i.meta.uid ?? '';
        if (!i.published) return { name: i.meta.name, uid, ready: false };
        return { ...apiStatus(d, i), uid, ready: i.ready };
      });
    status[SEGMENT_KEYS[segment].dependents] = d.dependents
      .filter(() => segment === 'coreFunction')
      .map((dep) => ({ name: dep.meta.name, uid: dep.meta.uid ?? '', ready: dep.resolvedUrl !== undefined, ...(dep.resolvedUrl ? { url: dep.resolvedUrl } : {}) }));
  }
  status.securitySecretsManagement = d.secrets ? { name: d.meta.name, uid: d.secrets.uid, ready: d.secrets.ready } : {};
  status.identityConfig = { identityProvider: d.identityProvider ?? IDENTITY_PROVIDER_NOT_SET, listenerRegistered: d.identityProvider !== undefined };
  status.publishedEvents = [];
  status.subscribedEvents = [];
  status['summary/status'] = summary(status);
  return status;
}

export function odaComponentObject(d: OdaDeployment): KubeObject {
  const status = odaComponentStatus(d);
  return {
    apiVersion: apiVersionOf(d),
    kind: 'Component',
    metadata: {
      ...d.meta,
      labels: { [ODA_COMPONENT_LABEL]: d.meta.name, 'app.kubernetes.io/instance': d.release, 'app.kubernetes.io/name': d.def.name, 'app.kubernetes.io/managed-by': 'Helm' },
    },
    spec: componentSpec(d),
    ...(status ? { status } : {}),
  };
}

export function odaExposedApiObject(d: OdaDeployment, i: OdaApiInstance): KubeObject {
  const api = i.api;
  const spec: Record<string, unknown> = { name: api.name, apiType: api.apiType, implementation: serviceOf(d, api), path: apiPath(d, i.path), port: api.port };
  if (api.apiType === 'openapi') spec.developerUI = `${apiPath(d, i.path)}/docs`;
  if (d.layout === 'v1' && api.spec) spec.apiSDO = 'TMForum';
  if (api.gateway) Object.assign(spec, api.gateway);
  if (i.spec) spec.specification = d.layout === 'v1' ? { url: i.spec.url, version: majorVersion(i.spec.version) } : [i.spec.url];
  if (d.layout === 'v1') spec.segment = api.segment;
  const status: Record<string, unknown> = {};
  if (i.published) status.apiStatus = apiStatus(d, i);
  // the API operator only ever writes ready: true (from the EndpointSlice); until then the key is absent
  if (i.published && i.ready) status.implementation = { ready: true };
  return {
    apiVersion: apiVersionOf(d),
    kind: 'ExposedAPI',
    metadata: childMeta(d, i.meta),
    spec,
    ...(Object.keys(status).length ? { status } : {}),
  };
}

export function odaDependentApiObject(d: OdaDeployment, dep: OdaDependentInstance): KubeObject {
  const spec: Record<string, unknown> =
    d.layout === 'v1'
      ? { name: dep.dep.name, apiType: 'openapi', specification: { url: dep.dep.spec.url, version: majorVersion(dep.dep.spec.version) }, segment: 'coreFunction' }
      : { name: dep.dep.name, apiType: 'openapi', specification: [dep.dep.spec.url] };
  const resolved = dep.resolvedUrl !== undefined;
  return {
    apiVersion: apiVersionOf(d),
    kind: 'DependentAPI',
    metadata: childMeta(d, dep.meta),
    spec,
    ...(resolved
      ? { status: { depapiStatus: { url: dep.resolvedUrl, ...(dep.serviceInventoryId ? { svcInvID: dep.serviceInventoryId } : {}) }, implementation: { ready: true } } }
      : {}),
  };
}

/** Every object of a deployment that exists: the Component, its ExposedAPIs and DependentAPIs. */
export function odaObjects(d: OdaDeployment): KubeObject[] {
  return [
    odaComponentObject(d),
    ...d.apis.filter((i) => i.exists).map((i) => odaExposedApiObject(d, i)),
    ...d.dependents.filter((dep) => dep.exists).map((dep) => odaDependentApiObject(d, dep)),
  ];
}

export interface OdaDeploymentInput {
  def: OdaComponentDef;
  release: string;
  layout: OdaLayout;
  env: OdaEnvironment;
  /** Metadata (name, namespace, uid, creationTimestamp) by name: first the component's, then each child's. */
  meta: (name: string) => ObjectMeta;
  uid: () => string;
}

/** A freshly installed deployment: the Component exists, nothing else has happened yet. */
export function newOdaDeployment(input: OdaDeploymentInput): OdaDeployment {
  const name = odaComponentName(input.release, input.def);
  const meta = input.meta(name);
  const apis = input.def.apis.map((api) => ({
    api,
    spec: api.spec,
    path: api.path,
    meta: input.meta(exposedApiName(input.layout, name, api, api.spec)),
    routeUid: input.uid(),
    exists: false,
    published: false,
    ready: false,
  }));
  const dependents = input.def.dependentApis.map((dep) => ({ dep, meta: input.meta(dependentApiName(input.layout, name, dep)), exists: false }));
  return {
    def: input.def,
    release: input.release,
    layout: input.layout,
    version: input.def.version,
    env: input.env,
    meta,
    apis,
    dependents,
    operatorStarted: false,
    ...(input.def.secretsManagement ? { secrets: { uid: input.uid(), ready: false } } : {}),
  };
}

/** The component operator's first pass: status written, every ExposedAPI and DependentAPI created. */
export function startOperator(d: OdaDeployment): void {
  d.operatorStarted = true;
  for (const i of d.apis) i.exists = true;
  for (const dep of d.dependents) dep.exists = true;
}

/**
 * The dependent API operator: a dependency resolves to the URL of a ready ExposedAPI (of any component)
 * whose specification URL is the same, as TMFOP005 looks it up. Returns whether anything changed.
 */
export function resolveDependents(d: OdaDeployment, exposedApis: readonly KubeObject[], serviceInventoryId: () => string, only?: OdaDependentInstance): boolean {
  let changed = false;
  for (const dep of d.dependents) {
    if (!dep.exists || dep.resolvedUrl !== undefined || (only && dep !== only)) continue;
    const provider = exposedApis.find((api) => specificationUrls(api).includes(dep.dep.spec.url) && readyUrl(api) !== undefined);
    if (!provider) continue;
    dep.resolvedUrl = readyUrl(provider);
    dep.serviceInventoryId = serviceInventoryId();
    changed = true;
  }
  return changed;
}

function specificationUrls(api: KubeObject): string[] {
  const s = (api.spec as { specification?: unknown } | undefined)?.specification;
  if (Array.isArray(s)) return s.filter((u): u is string => typeof u === 'string');
  if (s && typeof s === 'object' && typeof (s as { url?: unknown }).url === 'string') return [(s as { url: string }).url];
  return [];
}

function readyUrl(api: KubeObject): string | undefined {
  const status = api.status as { apiStatus?: { url?: string }; implementation?: { ready?: boolean } } | undefined;
  return status?.implementation?.ready === true ? status.apiStatus?.url : undefined;
}

/** The deployment settled except for its dependencies (resolveDependents): published, ready, registered, secrets ready. */
export function settleOdaDeployment(d: OdaDeployment): void {
  startOperator(d);
  for (const i of d.apis) {
    i.published = true;
    i.ready = true;
  }
  d.identityProvider = 'Keycloak';
  if (d.secrets) d.secrets.ready = true;
}
