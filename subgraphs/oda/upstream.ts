// The TM Forum ODA Canvas objects (oda.tmforum.org, reference/domain-models.md §6) as the API server
// serializes them, in every layout a cluster may still serve (CRD chart oda-crds 1.3):
// - v1 / v1beta4: metadata under `spec.componentMetadata`; API `specification: [{url, version}]`;
//   `gatewayConfiguration {apiKeyVerification, rateLimit, quota, OASValidation, CORS, template}`;
//   `securityFunction.canvasSystemRole`. ExposedAPI/DependentAPI v1 `specification: {url, version}`
//   (v1beta4: a list of those) and `segment`.
// - v1beta3: metadata directly under `spec`; API `specification: [url]`; the gateway keys at the top of
//   the API entry; dependent API `specification: url`; `securityFunction.controllerRole`.
// - v1beta2 (deprecated): as v1beta3 but `apitype` (lower-case t) and `specification: url`.
// Component status is `x-kubernetes-preserve-unknown-fields`: its shape is whatever the operators wrote,
// with the summary under the literal key `summary/status` (kopf's `<handler>/<field>` naming). Every
// field is optional and typed loosely where older operators wrote other shapes; readers validate.
import type { KubeObject } from '../kube/objects.js';

export const ODA_GROUP = 'oda.tmforum.org';

/** Label on Components and their children: `<release>-<component name>`. */
export const COMPONENT_NAME_LABEL = 'oda.tmforum.org/componentName';

/** The status key the component operator's summary handler writes (a slash inside the key). */
export const SUMMARY_STATUS_KEY = 'summary/status';

/** identityConfig.identityProvider until the identity operator registered the component (operator constant). */
export const IDENTITY_PROVIDER_NOT_SET = 'Not set';

/** Values of `deployment_status` the component operator writes (no failed value exists in its code). */
export const DEPLOYMENT_STATUS_VALUES = ['In-Progress-CompCon', 'In-Progress-IDConfOp', 'In-Progress-SecretMan', 'In-Progress-DepApi', 'Complete'] as const;

export type Segment = 'coreFunction' | 'managementFunction' | 'securityFunction';
export const SEGMENTS: readonly Segment[] = ['coreFunction', 'managementFunction', 'securityFunction'];

export interface ContactData {
  name?: string;
  email?: string;
  url?: string;
}

export interface ComponentMetadata {
  id?: string;
  name?: string;
  version?: string;
  description?: string;
  functionalBlock?: string;
  publicationDate?: string;
  /** Status of the golden component, e.g. `specified`. */
  status?: string;
  eTom?: string[];
  SID?: string[];
  functionalFramework?: string[];
  maintainers?: ContactData[];
  owners?: ContactData[];
}

export interface GatewayConfiguration {
  apiKeyVerification?: { enabled?: boolean; location?: string };
  rateLimit?: { enabled?: boolean; identifier?: string; limit?: string; interval?: string };
  quota?: { identifier?: string; limit?: string };
  OASValidation?: {
    requestEnabled?: boolean;
    responseEnabled?: boolean;
    allowUnspecifiedHeaders?: boolean;
    allowUnspecifiedQueryParams?: boolean;
    allowUnspecifiedCookies?: boolean;
  };
  CORS?: {
    enabled?: boolean;
    allowCredentials?: boolean;
    allowOrigins?: string;
    handlePreflightRequests?: { enabled?: boolean; allowHeaders?: string; allowMethods?: string; maxAge?: number };
  };
  template?: string;
}

/** v1/v1beta4 `specification[]` entry; fields other than url/version override the API entry's. */
export interface SpecificationEntry {
  url?: string;
  /** e.g. `v4.0.0`. */
  version?: string;
  apiType?: string;
  apiSDO?: string;
  gatewayConfiguration?: GatewayConfiguration;
  implementation?: string;
  path?: string;
  developerUI?: string;
  port?: number;
  resources?: unknown[];
}

/** Keys an exposed API has in a Component entry and in an ExposedAPI spec alike (plus the gateway keys, top-level before v1beta4). */
interface ExposedApiFields extends GatewayConfiguration {
  name?: string;
  apiType?: string;
  /** v1beta2 spelling. */
  apitype?: string;
  apiSDO?: string;
  /** The Service behind the API. */
  implementation?: string;
  path?: string;
  developerUI?: string;
  port?: number;
  resources?: unknown[];
  required?: boolean;
}

/** An entry of `<segment>.exposedAPIs` in any layout (the union of their keys). */
export interface ComponentExposedApi extends ExposedApiFields {
  id?: string;
  /** v1/v1beta4: SpecificationEntry[]; v1beta3: string[]; v1beta2: string. */
  specification?: SpecificationEntry[] | string[] | string;
  gatewayConfiguration?: GatewayConfiguration;
}

/** An entry of `<segment>.dependentAPIs` (v1/v1beta4: specification[]; v1beta3/v1beta2: one url). */
export interface ComponentDependentApi {
  name?: string;
  id?: string;
  specification?: SpecificationEntry[] | string[] | string;
  apiType?: string;
  apitype?: string;
  apiSDO?: string;
  resources?: unknown[];
  required?: boolean;
}

export interface ComponentFunction {
  exposedAPIs?: ComponentExposedApi[];
  dependentAPIs?: ComponentDependentApi[];
}

export interface SecurityFunction extends ComponentFunction {
  /** v1/v1beta4. */
  canvasSystemRole?: string;
  /** v1beta3/v1beta2. */
  controllerRole?: string;
  componentRole?: { name?: string; description?: string }[];
  secretsManagement?: {
    type?: string;
    sideCar?: { port?: number };
    podSelector?: { namespace?: string; name?: string; serviceaccount?: string };
  };
}

/** Component `spec` in any layout: v1/v1beta4 keep the metadata in componentMetadata, older ones at the top. */
export interface ComponentSpec extends ComponentMetadata {
  componentMetadata?: ComponentMetadata;
  coreFunction?: ComponentFunction;
  managementFunction?: ComponentFunction;
  securityFunction?: SecurityFunction;
  eventNotification?: { publishedEvents?: unknown[]; subscribedEvents?: unknown[] };
}

/** `summary/status` as the summary handler writes it (URL lists are space-separated, with a trailing space). */
export interface StatusSummary {
  deployment_status?: string;
  coreAPIsummary?: string;
  managementAPIsummary?: string;
  securityAPIsummary?: string;
  developerUIsummary?: string;
  coreDependentAPIsummary?: string;
  managementDependentAPIsummary?: string;
  securityDependentAPIsummary?: string;
  securitySecretsManagementSummary?: string;
}

/** `status.coreAPIs[]` etc.: the ExposedAPI's apiStatus plus its uid and readiness. */
export interface ApiStatusEntry {
  /** The ExposedAPI's name. */
  name?: string;
  /** The ExposedAPI's uid. */
  uid?: string;
  url?: string;
  developerUI?: string;
  ip?: string;
  path?: string;
  port?: number;
  implementation?: string;
  ready?: boolean;
}

/** `status.coreDependentAPIs[]` etc. */
export interface DependentApiStatusEntry {
  name?: string;
  uid?: string;
  ready?: boolean;
  url?: string;
}

export interface ComponentStatus {
  [SUMMARY_STATUS_KEY]?: StatusSummary;
  coreAPIs?: ApiStatusEntry[];
  managementAPIs?: ApiStatusEntry[];
  securityAPIs?: ApiStatusEntry[];
  coreDependentAPIs?: DependentApiStatusEntry[];
  managementDependentAPIs?: DependentApiStatusEntry[];
  securityDependentAPIs?: DependentApiStatusEntry[];
  /** `{}` when the component declares no secretsManagement. */
  securitySecretsManagement?: { name?: string; uid?: string; ready?: boolean };
  identityConfig?: { identityProvider?: string; listenerRegistered?: boolean };
  publishedEvents?: unknown[];
  subscribedEvents?: unknown[];
  /** Operator bookkeeping. */
  kopf?: unknown;
}

/** The status keys of each segment. */
export const SEGMENT_STATUS_KEYS: Readonly<Record<Segment, { apis: 'coreAPIs' | 'managementAPIs' | 'securityAPIs'; dependents: 'coreDependentAPIs' | 'managementDependentAPIs' | 'securityDependentAPIs' }>> = {
  coreFunction: { apis: 'coreAPIs', dependents: 'coreDependentAPIs' },
  managementFunction: { apis: 'managementAPIs', dependents: 'managementDependentAPIs' },
  securityFunction: { apis: 'securityAPIs', dependents: 'securityDependentAPIs' },
};

/** Status is unknown-shaped: readers validate it (components.ts) before trusting ComponentStatus. */
export interface ComponentObject extends KubeObject {
  spec?: ComponentSpec;
  status?: unknown;
}

/** ExposedAPI spec: the operator copies the API entry, gatewayConfiguration flattened to the top. */
export interface ExposedApiSpec extends ExposedApiFields {
  /** v1: {url, version} (version as the operator normalizes it, e.g. `v4`); v1beta4: a list of those; v1beta3: [url]. */
  specification?: SpecificationEntry | SpecificationEntry[] | string[] | string;
  /** v1 only. */
  segment?: string;
}

export interface ExposedApiObject extends KubeObject {
  spec?: ExposedApiSpec;
  status?: {
    apiStatus?: { name?: string; uid?: string; path?: string; port?: number; implementation?: string; url?: string; developerUI?: string; ip?: string };
    /** Written by the API operator from EndpointSlice readiness; the Istio operator only ever writes `ready: true`. */
    implementation?: { ready?: boolean };
  };
}

export interface DependentApiSpec {
  name?: string;
  specification?: SpecificationEntry | SpecificationEntry[] | string[] | string;
  apiType?: string;
  apitype?: string;
  selector?: unknown;
  resources?: unknown[];
  required?: boolean;
  segment?: string;
}

export interface DependentApiObject extends KubeObject {
  spec?: DependentApiSpec;
  status?: {
    implementation?: { ready?: boolean };
    depapiStatus?: { url?: string; svcInvID?: string };
  };
}
