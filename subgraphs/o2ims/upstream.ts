// The objects the o2ims subgraph reads, as the API server serializes them (reference/domain-models.md §7),
// upstream JSON names kept exactly:
// - ProvisioningRequest `o2ims.provisioning.oran.org/v1alpha1`, cluster-scoped, in two schemas with the
//   same CRD name: Nephio (`status.provisioningStatus.provisioningState`, `provisioningMessage`,
//   `provisioningUpdateTime`, `status.provisionedResourceSet`) and the OpenShift O-Cloud Manager
//   (`provisioningPhase` incl. `pending`, `provisioningDetails`, `updateTime`,
//   `provisioningStatus.provisionedResources`, `conditions[]`, `observedGeneration`, `extensions`).
// - Porch PackageVariant `config.porch.kpt.dev/v1alpha1` (porch controllers/packagevariants/api/v1alpha1).
// - Cluster API Cluster `cluster.x-k8s.io/v1beta1` (cluster-api api/v1beta1/cluster_types.go).
// Every field is optional: a reader must not crash on an object an older operator wrote.
import type { KubeObject } from '../kube/objects.js';

export const PR_GROUP = 'o2ims.provisioning.oran.org';
export const PR_VERSION = 'v1alpha1';
export const PR_PLURAL = 'provisioningrequests';
export const PR_CRD_NAME = `${PR_PLURAL}.${PR_GROUP}`;
export const PV_GROUP = 'config.porch.kpt.dev';
export const CAPI_GROUP = 'cluster.x-k8s.io';

/** metav1.Condition. */
export interface MetaCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface ProvisioningRequestSpec {
  /** Human-readable name (not metadata.name). */
  name?: string;
  description?: string;
  templateName?: string;
  templateVersion?: string;
  /** Free-form; Nephio reads clusterName / clusterProvisioner / labels, the O-Cloud Manager nodeClusterName / oCloudSiteId / clusterInstanceParameters / policyTemplateParameters. */
  templateParameters?: Record<string, unknown>;
  /** O-Cloud Manager only. */
  extensions?: Record<string, unknown>;
}

export interface ProvisioningStatusFields {
  // Nephio
  provisioningState?: string;
  provisioningMessage?: string;
  provisioningUpdateTime?: string;
  // O-Cloud Manager
  provisioningPhase?: string;
  provisioningDetails?: string;
  updateTime?: string;
  provisionedResources?: { oCloudNodeClusterId?: string };
}

export interface ProvisioningRequestStatus {
  provisioningStatus?: ProvisioningStatusFields;
  /** Nephio. */
  provisionedResourceSet?: { oCloudNodeClusterId?: string; oCloudInfrastructureResourceIds?: string[] };
  /**
   * Trap: Nephio's provisioning_request_controller.py returned the set under `provisionedResources`
   * (top level) while the CRD names it `provisionedResourceSet`; read both.
   */
  provisionedResources?: { oCloudNodeClusterId?: string; oCloudInfrastructureResourceIds?: string[] };
  extensions?: Record<string, unknown>;
  // O-Cloud Manager
  conditions?: MetaCondition[];
  observedGeneration?: number;
}

export interface ProvisioningRequestObject extends KubeObject {
  spec?: ProvisioningRequestSpec;
  status?: ProvisioningRequestStatus;
}

/** Messages of the Nephio operator written before it renders anything (no PackageVariant is expected yet). */
export const NEPHIO_PRE_RENDER_MESSAGES: readonly string[] = ['Cluster provisioning request received', 'Provisioning request validation done'];
/** Prefix of the Nephio operator's validation failure (nothing is rendered after it). */
export const NEPHIO_VALIDATION_FAILED = 'Provisioning request validation failed';
/** O-Cloud Manager condition types that say rendering has started / the request passed validation. */
export const OCM_RENDERED_CONDITION = 'ClusterInstanceRendered';
export const OCM_VALIDATED_CONDITION = 'ProvisioningRequestValidated';

export interface PackageVariantObject extends KubeObject {
  spec?: {
    upstream?: { repo?: string; package?: string; revision?: string | number; workspaceName?: string };
    downstream?: { repo?: string; package?: string };
    adoptionPolicy?: string;
    deletionPolicy?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    packageContext?: { data?: Record<string, string>; removeKeys?: string[] };
    pipeline?: unknown;
    injectors?: { group?: string; version?: string; kind?: string; name?: string }[];
  };
  status?: {
    /** Types `Stalled` (Valid / ValidationError) and `Ready` (NoErrors / Error). */
    conditions?: MetaCondition[];
    downstreamTargets?: { name?: string; renderStatus?: unknown }[];
  };
}

/** clusterv1.Condition (v1beta1): severity when status is False. */
export interface CapiCondition {
  type?: string;
  status?: string;
  severity?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface CapiClusterObject extends KubeObject {
  spec?: {
    paused?: boolean;
    clusterNetwork?: unknown;
    controlPlaneEndpoint?: { host?: string; port?: number };
    controlPlaneRef?: { kind?: string; name?: string; namespace?: string };
    infrastructureRef?: { kind?: string; name?: string; namespace?: string };
    topology?: { class?: string; version?: string };
  };
  status?: {
    /** Pending | Provisioning | Provisioned | Deleting | Failed (anything else is Unknown upstream). */
    phase?: string;
    infrastructureReady?: boolean;
    controlPlaneReady?: boolean;
    failureReason?: string;
    failureMessage?: string;
    conditions?: CapiCondition[];
    observedGeneration?: number;
    v1beta2?: { conditions?: MetaCondition[] };
  };
}

/** The part of a CustomResourceDefinition that tells the two ProvisioningRequest schemas apart. */
export interface CustomResourceDefinitionObject extends KubeObject {
  spec?: {
    group?: string;
    versions?: { name?: string; schema?: { openAPIV3Schema?: JsonSchema } }[];
  };
}

export interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  [field: string]: unknown;
}
