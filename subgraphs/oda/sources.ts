// Pure mapping of ODA Canvas objects (upstream.ts, reference/domain-models.md §6) in any served layout to
// the schema's models, saying which version each was read in: Components (metadata, declared APIs,
// operator-written status, read apart so a malformed status fails only there), ExposedAPIs and
// DependentAPIs with the Component they belong to. Unit-tested on upstream-shaped objects of every
// version (test/unit/oda-sources.test.ts).
import type { KubeObject, OwnerReference } from '../kube/objects.js';
import { readComponentStatus } from './component-status.js';
import type {
  OdaApiFields,
  OdaComponentModel,
  OdaContact,
  OdaDeclaredApiModel,
  OdaDeclaredDependentApiModel,
  OdaDependentApiModel,
  OdaExposedApiModel,
  OdaGatewayConfig,
  OdaLayout,
  OdaOwnerModel,
} from './models.js';
import {
  COMPONENT_NAME_LABEL,
  ODA_GROUP,
  SEGMENTS,
  type ComponentMetadata,
  type ComponentObject,
  type ComponentSpec,
  type DependentApiObject,
  type ExposedApiObject,
} from './upstream.js';
import { bool, int, labelsOf, layoutOf, record, records, segmentModel, segmentOf, specificationsOf, str, strings } from './values.js';

const GATEWAY_KEYS = ['apiKeyVerification', 'rateLimit', 'quota', 'OASValidation', 'CORS', 'template'] as const;

const flag = (value: unknown): boolean => value === true;

/** Gateway settings from an object holding the keys (v1 gatewayConfiguration, or an older API entry / ExposedAPI spec itself); null when none is set. */
export function gatewayOf(source: Record<string, unknown> | null): OdaGatewayConfig | null {
  if (!source || !GATEWAY_KEYS.some((k) => source[k] !== undefined)) return null;
  const apiKey = record(source.apiKeyVerification);
  const rate = record(source.rateLimit);
  const quota = record(source.quota);
  const oas = record(source.OASValidation);
  const cors = record(source.CORS);
  const preflight = record(cors?.handlePreflightRequests);
  return {
    apiKeyVerification: apiKey ? { enabled: flag(apiKey.enabled), location: str(apiKey.location) } : null,
    rateLimit: rate ? { enabled: flag(rate.enabled), identifier: str(rate.identifier), limit: str(rate.limit), interval: str(rate.interval) } : null,
    quota: quota ? { identifier: str(quota.identifier), limit: str(quota.limit) } : null,
    oasValidation: oas
      ? {
          requestEnabled: flag(oas.requestEnabled),
          responseEnabled: flag(oas.responseEnabled),
          allowUnspecifiedHeaders: flag(oas.allowUnspecifiedHeaders),
          allowUnspecifiedQueryParams: flag(oas.allowUnspecifiedQueryParams),
          allowUnspecifiedCookies: flag(oas.allowUnspecifiedCookies),
        }
      : null,
    cors: cors
      ? {
          enabled: flag(cors.enabled),
          allowCredentials: flag(cors.allowCredentials),
          allowOrigins: str(cors.allowOrigins),
          preflight: preflight
            ? { enabled: preflight.enabled !== false, allowHeaders: str(preflight.allowHeaders), allowMethods: str(preflight.allowMethods), maxAgeSeconds: int(preflight.maxAge) }
            : null,
        }
      : null,
    template: str(source.template),
  };
}

/** Layouts with componentMetadata, gatewayConfiguration and `specification: [{url, version}]`. */
export function isV1Family(layout: OdaLayout): boolean {
  return layout === 'V1' || layout === 'V1BETA4';
}

/** The fields an API declaration and an ExposedAPI spec share; gateway keys are read from `gateway`. */
function apiFields(e: Record<string, unknown>, gateway: Record<string, unknown> | null): OdaApiFields {
  return {
    apiType: str(e.apiType) ?? str(e.apitype),
    apiSDO: str(e.apiSDO),
    specifications: specificationsOf(e.specification),
    implementation: str(e.implementation),
    path: str(e.path),
    port: int(e.port),
    developerUI: str(e.developerUI),
    required: bool(e.required),
    gateway: gatewayOf(gateway),
  };
}

function contacts(value: unknown): OdaContact[] {
  return records(value).map((c) => ({ name: str(c.name), email: str(c.email), url: str(c.url) }));
}

function declaredApis(spec: ComponentSpec, layout: OdaLayout): { exposed: OdaDeclaredApiModel[]; dependent: OdaDeclaredDependentApiModel[] } {
  const exposed: OdaDeclaredApiModel[] = [];
  const dependent: OdaDeclaredDependentApiModel[] = [];
  for (const segment of SEGMENTS) {
    const fn = record(spec[segment]);
    for (const e of records(fn?.exposedAPIs)) {
      const name = str(e.name);
      if (!name) continue; // required by every CRD version; an entry without it cannot be matched
      exposed.push({ segment: segmentModel(segment), name, id: str(e.id), ...apiFields(e, isV1Family(layout) ? record(e.gatewayConfiguration) : e) });
    }
    for (const e of records(fn?.dependentAPIs)) {
      const name = str(e.name);
      if (!name) continue;
      dependent.push({
        segment: segmentModel(segment),
        name,
        id: str(e.id),
        apiType: str(e.apiType) ?? str(e.apitype),
        specifications: specificationsOf(e.specification),
        required: bool(e.required),
      });
    }
  }
  return { exposed, dependent };
}

/** Identity, served version and labels of any ODA object (`spec` decides the layout of an unknown version). */
function objectBase(clusterName: string, obj: KubeObject, spec: unknown) {
  const { servedVersion, layout } = layoutOf(obj.apiVersion, spec);
  return {
    clusterName,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
    uid: obj.metadata.uid ?? null,
    creationTimestamp: obj.metadata.creationTimestamp ?? null,
    apiVersion: obj.apiVersion ?? `${ODA_GROUP}/${servedVersion}`,
    servedVersion,
    layout,
    labels: labelsOf(obj.metadata.labels),
  };
}

/** A Component in any layout; its status is read apart (statusError when malformed). */
export function mapComponent(clusterName: string, obj: ComponentObject): OdaComponentModel {
  const spec = (record(obj.spec) ?? {}) as ComponentSpec;
  const base = objectBase(clusterName, obj, spec);
  const layout = base.layout;
  const meta: ComponentMetadata = isV1Family(layout) ? ((record(spec.componentMetadata) ?? {}) as ComponentMetadata) : spec;
  const apis = declaredApis(spec, layout);
  const security = record(spec.securityFunction);
  const secrets = record(security?.secretsManagement);
  const { status, error } = readComponentStatus(obj.status);
  return {
    ...base,
    componentId: str(meta.id),
    componentName: str(meta.name),
    version: str(meta.version),
    description: str(meta.description),
    functionalBlock: str(meta.functionalBlock),
    publicationDate: str(meta.publicationDate),
    specificationStatus: str(meta.status),
    eTom: strings(meta.eTom),
    sid: strings(meta.SID),
    functionalFramework: strings(meta.functionalFramework),
    maintainers: contacts(meta.maintainers),
    owners: contacts(meta.owners),
    exposedApis: apis.exposed,
    dependentApis: apis.dependent,
    canvasSystemRole: str(security?.canvasSystemRole) ?? str(security?.controllerRole),
    secretsManagement: secrets ? { type: str(secrets.type), sideCarPort: int(record(secrets.sideCar)?.port) } : null,
    status,
    statusError: error,
  };
}

/** The Component a child belongs to: its controller ownerReference to an ODA Component, else its componentName label. */
export function ownerOf(obj: KubeObject): OdaOwnerModel | null {
  const refs: OwnerReference[] = Array.isArray(obj.metadata.ownerReferences) ? obj.metadata.ownerReferences : [];
  const isComponent = (r: OwnerReference) => r.kind === 'Component' && typeof r.apiVersion === 'string' && r.apiVersion.startsWith(`${ODA_GROUP}/`) && !!r.name;
  const ref = refs.find((r) => isComponent(r) && r.controller === true) ?? refs.find(isComponent);
  if (ref) return { componentName: ref.name, componentUid: str(ref.uid), via: 'OWNER_REFERENCE' };
  const label = str(obj.metadata.labels?.[COMPONENT_NAME_LABEL]);
  return label ? { componentName: label, componentUid: null, via: 'LABEL' } : null;
}

function childBase(clusterName: string, obj: KubeObject) {
  return { ...objectBase(clusterName, obj, undefined), owner: ownerOf(obj) };
}

export function mapExposedApi(clusterName: string, obj: ExposedApiObject): OdaExposedApiModel {
  const spec = record(obj.spec) ?? {};
  const status = record(obj.status);
  const apiStatus = record(status?.apiStatus);
  return {
    ...childBase(clusterName, obj),
    apiName: str(spec.name),
    segment: segmentOf(spec.segment),
    // the component operator flattens gatewayConfiguration into the ExposedAPI spec in every version
    ...apiFields(spec, spec),
    url: str(apiStatus?.url),
    developerUiUrl: str(apiStatus?.developerUI),
    ip: str(apiStatus?.ip),
    ready: record(status?.implementation)?.ready === true,
  };
}

export function mapDependentApi(clusterName: string, obj: DependentApiObject): OdaDependentApiModel {
  const spec = record(obj.spec) ?? {};
  const status = record(obj.status);
  const depapi = record(status?.depapiStatus);
  return {
    ...childBase(clusterName, obj),
    apiName: str(spec.name),
    segment: segmentOf(spec.segment),
    apiType: str(spec.apiType) ?? str(spec.apitype),
    specifications: specificationsOf(spec.specification),
    required: bool(spec.required),
    ready: record(status?.implementation)?.ready === true,
    url: str(depapi?.url),
    serviceInventoryId: str(depapi?.svcInvID),
  };
}
