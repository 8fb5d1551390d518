// The shapes the ODA resolvers will receive, mapped whole from upstream objects by pure functions
// (components.ts, apis.ts): one per Component / ExposedAPI / DependentAPI, plus the registry check's
// findings and the change events of the subscriptions. Enum-valued fields use the SDL's enum values
// (schema/oda.graphql).

/** Which layout's reading rules were applied (from the served apiVersion; by shape for unknown versions). */
export type OdaLayout = 'V1' | 'V1BETA4' | 'V1BETA3' | 'V1BETA2';

export type OdaDeploymentStatus = 'IN_PROGRESS_COMPCON' | 'IN_PROGRESS_IDCONFOP' | 'IN_PROGRESS_SECRETMAN' | 'IN_PROGRESS_DEPAPI' | 'COMPLETE' | 'UNKNOWN';

export type OdaSegment = 'CORE' | 'MANAGEMENT' | 'SECURITY';

/** How a child names its Component. */
export type OdaOwnerLink = 'OWNER_REFERENCE' | 'LABEL';

export interface OdaLabel {
  key: string;
  value: string;
}

export interface OdaContact {
  name: string | null;
  email: string | null;
  url: string | null;
}

/** One API specification (a TM Forum Open-API swagger/OAS document). */
export interface OdaSpecification {
  url: string | null;
  /** As written (`v4.0.0`, `v4`). */
  version: string | null;
  /** `v4` from the version, else from the URL (the operator's rule); null when neither says. */
  majorVersion: string | null;
  /** `TMF620` from the URL; null for non-TM Forum specs. */
  tmfApiId: string | null;
}

export interface OdaGatewayConfig {
  apiKeyVerification: { enabled: boolean; location: string | null } | null;
  rateLimit: { enabled: boolean; identifier: string | null; limit: string | null; interval: string | null } | null;
  quota: { identifier: string | null; limit: string | null } | null;
  oasValidation: {
    requestEnabled: boolean;
    responseEnabled: boolean;
    allowUnspecifiedHeaders: boolean;
    allowUnspecifiedQueryParams: boolean;
    allowUnspecifiedCookies: boolean;
  } | null;
  cors: {
    enabled: boolean;
    allowCredentials: boolean;
    allowOrigins: string | null;
    preflight: { enabled: boolean; allowHeaders: string | null; allowMethods: string | null; maxAgeSeconds: number | null } | null;
  } | null;
  template: string | null;
}

/** What describes an exposed API, in a Component's declaration as in an ExposedAPI's spec. */
export interface OdaApiFields {
  apiType: string | null;
  apiSDO: string | null;
  specifications: OdaSpecification[];
  /** The Service behind the API. */
  implementation: string | null;
  path: string | null;
  port: number | null;
  developerUI: string | null;
  required: boolean | null;
  gateway: OdaGatewayConfig | null;
}

/** An exposed API as the Component's spec declares it. */
export interface OdaDeclaredApiModel extends OdaApiFields {
  segment: OdaSegment;
  name: string;
  id: string | null;
}

/** A dependent API as the Component's spec declares it. */
export interface OdaDeclaredDependentApiModel {
  segment: OdaSegment;
  name: string;
  id: string | null;
  apiType: string | null;
  specifications: OdaSpecification[];
  required: boolean | null;
}

/** `status.coreAPIs[]` etc.: what the operator last reported for one ExposedAPI. */
export interface OdaApiStatusModel {
  segment: OdaSegment;
  /** The ExposedAPI's name. */
  name: string;
  /** The ExposedAPI's uid. */
  uid: string | null;
  url: string | null;
  developerUI: string | null;
  ip: string | null;
  path: string | null;
  port: number | null;
  implementation: string | null;
  ready: boolean;
}

export interface OdaDependentApiStatusModel {
  segment: OdaSegment;
  name: string;
  uid: string | null;
  url: string | null;
  ready: boolean;
}

export interface OdaComponentStatusModel {
  /** `summary/status.deployment_status`; null when the summary has not been written. */
  deploymentStatus: OdaDeploymentStatus | null;
  /** The raw value (kept for UNKNOWN). */
  deploymentStatusText: string | null;
  exposedApis: OdaApiStatusModel[];
  dependentApis: OdaDependentApiStatusModel[];
  /** null until the identity operator registered the component (`Not set`). */
  identityProvider: string | null;
  identityListenerRegistered: boolean | null;
  /** null when the component declares no secretsManagement (`{}`). */
  secretsManagement: { name: string | null; uid: string | null; ready: boolean } | null;
  /** `summary/status.developerUIsummary` split. */
  developerUiUrls: string[];
}

interface OdaObjectBase {
  clusterName: string;
  namespace: string;
  name: string;
  uid: string | null;
  creationTimestamp: string | null;
  /** As served, e.g. `oda.tmforum.org/v1beta3`. */
  apiVersion: string;
  /** The version part of apiVersion (`v1beta3`). */
  servedVersion: string;
  layout: OdaLayout;
  labels: OdaLabel[];
}

export interface OdaComponentModel extends OdaObjectBase {
  /** TM Forum golden component id, e.g. TMFC001. */
  componentId: string | null;
  componentName: string | null;
  version: string | null;
  description: string | null;
  functionalBlock: string | null;
  publicationDate: string | null;
  /** The golden component's status (`specified` …), not the deployment's. */
  specificationStatus: string | null;
  eTom: string[];
  sid: string[];
  functionalFramework: string[];
  maintainers: OdaContact[];
  owners: OdaContact[];
  exposedApis: OdaDeclaredApiModel[];
  dependentApis: OdaDeclaredDependentApiModel[];
  /** v1 canvasSystemRole / v1beta3 controllerRole. */
  canvasSystemRole: string | null;
  secretsManagement: { type: string | null; sideCarPort: number | null } | null;
  /** null: the operator has not written status yet, or status is malformed (then statusError says why). */
  status: OdaComponentStatusModel | null;
  /** Why status could not be read; the rest of the component is still valid. */
  statusError: string | null;
}

export interface OdaOwnerModel {
  componentName: string;
  /** From the ownerReference; null when only the label names the component. */
  componentUid: string | null;
  via: OdaOwnerLink;
}

export interface OdaExposedApiModel extends OdaObjectBase, OdaApiFields {
  owner: OdaOwnerModel | null;
  apiName: string | null;
  /** `spec.segment` (v1); null on older layouts. */
  segment: OdaSegment | null;
  /** `status.apiStatus.url` (gateway ingress + path); null until the API operator published it. */
  url: string | null;
  developerUiUrl: string | null;
  ip: string | null;
  /** `status.implementation.ready === true`; an absent key (never ready yet) is false. */
  ready: boolean;
}

export interface OdaDependentApiModel extends OdaObjectBase {
  owner: OdaOwnerModel | null;
  apiName: string | null;
  segment: OdaSegment | null;
  apiType: string | null;
  specifications: OdaSpecification[];
  required: boolean | null;
  /** `status.implementation.ready === true`. */
  ready: boolean;
  /** `status.depapiStatus.url`: where the dependency was resolved to. */
  url: string | null;
  /** `status.depapiStatus.svcInvID` (canvas info service). */
  serviceInventoryId: string | null;
}

export type OdaFindingReason =
  | 'ORPHANED_EXPOSED_API'
  | 'ORPHANED_DEPENDENT_API'
  | 'MISSING_EXPOSED_API'
  | 'MISSING_DEPENDENT_API'
  | 'EXPOSED_API_NOT_READY'
  | 'DEPENDENT_API_NOT_READY';

export interface OdaFindingModel {
  clusterName: string;
  namespace: string;
  reason: OdaFindingReason;
  /** The component concerned (the one named by an orphan's ownerReference/label); null when none is named. */
  componentName: string | null;
  objectKind: 'Component' | 'ExposedAPI' | 'DependentAPI';
  objectName: string;
  apiName: string | null;
  /** Since when the condition holds, as far as known (object creation, or when it was seen turning not ready). */
  since: string | null;
  message: string;
}

export interface OdaRegistryCountsModel {
  clusterName: string;
  components: number;
  byDeploymentStatus: { status: OdaDeploymentStatus | null; count: number }[];
  exposedApis: number;
  readyExposedApis: number;
  dependentApis: number;
  readyDependentApis: number;
}

export type OdaChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type OdaComponentChange = 'DEPLOYMENT_STATUS' | 'VERSION' | 'API_STATUS' | 'DEPENDENT_API_STATUS' | 'DECLARED_APIS' | 'LABELS' | 'METADATA' | 'STATUS_ERROR';

export interface OdaComponentEventModel {
  type: OdaChangeType;
  changes: OdaComponentChange[];
  clusterName: string;
  namespace: string;
  name: string;
  previousDeploymentStatus: OdaDeploymentStatus | null;
  deploymentStatus: OdaDeploymentStatus | null;
  previousVersion: string | null;
  version: string | null;
  /** The component after the change (for DELETED: its last state). */
  component: OdaComponentModel;
}

export type OdaExposedApiChange = 'READINESS' | 'URL' | 'SPECIFICATION' | 'GATEWAY' | 'OWNER';

export interface OdaExposedApiEventModel {
  type: OdaChangeType;
  changes: OdaExposedApiChange[];
  clusterName: string;
  namespace: string;
  name: string;
  previousReady: boolean | null;
  ready: boolean;
  previousUrl: string | null;
  url: string | null;
  exposedApi: OdaExposedApiModel;
}

/** One ExposedAPI the operator creates for a declared API: per specification on v1/v1beta4, per entry before. */
export interface DeclaredApiInstance {
  declared: OdaDeclaredApiModel;
  /** The specification this instance serves (null for an API without one, e.g. metrics, and on older layouts). */
  specification: OdaSpecification | null;
  exposedApi: OdaExposedApiModel | null;
  /** What the component's status reports for it (matched by the ExposedAPI's uid, else by the operator's naming). */
  status: OdaApiStatusModel | null;
}

export interface DeclaredDependentInstance {
  declared: OdaDeclaredDependentApiModel;
  specification: OdaSpecification | null;
  dependentApi: OdaDependentApiModel | null;
}

/** OdaComponentApi: a declared API instance with the component it belongs to (its status may be malformed). */
export interface OdaComponentApiModel extends DeclaredApiInstance {
  component: OdaComponentModel;
}

export type OdaComponentDependentApiModel = DeclaredDependentInstance;

/** What a subscription delivers: the classified change and when it was seen. */
export interface OdaComponentEventMessage extends OdaComponentEventModel {
  time: string;
}

export interface OdaExposedApiEventMessage extends OdaExposedApiEventModel {
  time: string;
}

export type { ClusterRef } from '../common/entity-refs.js';
