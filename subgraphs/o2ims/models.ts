// The o2ims models the resolvers will receive, mapped whole by pure functions (sources.ts, trace.ts,
// transitions.ts). Enum values are the SDL's (schema/o2ims.graphql); once the subgraph is wired these
// become the codegen mappers.

/** Both schemas mapped to one lifecycle (O-RAN provisioningPhase; Nephio never writes PENDING). */
export type ProvisioningState = 'PENDING' | 'PROGRESSING' | 'FULFILLED' | 'FAILED' | 'DELETING' | 'UNKNOWN';
export const PROVISIONING_STATES: readonly ProvisioningState[] = ['PENDING', 'PROGRESSING', 'FULFILLED', 'FAILED', 'DELETING', 'UNKNOWN'];

/** Which ProvisioningRequest schema an object was read in. */
export type SchemaVariant = 'NEPHIO' | 'OPENSHIFT';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface ConditionModel {
  type: string;
  status: ConditionStatus;
  reason: string | null;
  message: string | null;
  /** Cluster API v1beta1 only (Error | Warning | Info). */
  severity: string | null;
  lastTransitionTime: string | null;
  observedGeneration: number | null;
}

export interface ProvisionedResourcesModel {
  nodeClusterId: string | null;
  infrastructureResourceIds: string[];
}

export interface ProvisioningRequestModel {
  /** The management cluster that holds the request. */
  clusterName: string;
  name: string;
  uid: string | null;
  resourceVersion: string | null;
  generation: number | null;
  creationTime: string | null;
  /** metadata.deletionTimestamp: deletion was asked for and the operator's finalizer holds the object. */
  deletionTime: string | null;
  displayName: string | null;
  description: string | null;
  templateName: string | null;
  templateVersion: string | null;
  templateParameters: Record<string, unknown> | null;
  /** The edge cluster the request asks for: clusterName (Nephio) / nodeClusterName (O-Cloud Manager). */
  targetClusterName: string | null;
  state: ProvisioningState;
  /** provisioningState / provisioningPhase exactly as written; null when the operator wrote none yet. */
  stateAsWritten: string | null;
  message: string | null;
  updateTime: string | null;
  schemaVariant: SchemaVariant | null;
  provisionedResources: ProvisionedResourcesModel | null;
  conditions: ConditionModel[];
  extensions: Record<string, unknown> | null;
  observedGeneration: number | null;
}

/** How far a PackageVariant got: Ready, Stalled (validation), not ready (Ready False / Unknown), or not reconciled (no Ready condition). */
export type PackageVariantReadiness = 'READY' | 'STALLED' | 'NOT_READY' | 'PENDING';

export interface PackageVariantModel {
  clusterName: string;
  namespace: string;
  name: string;
  upstreamRepo: string | null;
  upstreamPackage: string | null;
  upstreamRevision: string | null;
  downstreamRepo: string | null;
  downstreamPackage: string | null;
  readiness: PackageVariantReadiness;
  stalled: boolean;
  /** The message of the condition that decides readiness. */
  message: string | null;
  /** When that condition last changed. */
  since: string | null;
  downstreamTargets: string[];
  conditions: ConditionModel[];
  deletionTime: string | null;
}

export type CapiClusterPhase = 'PENDING' | 'PROVISIONING' | 'PROVISIONED' | 'DELETING' | 'FAILED' | 'UNKNOWN';

export interface CapiClusterModel {
  clusterName: string;
  namespace: string;
  name: string;
  phase: CapiClusterPhase;
  phaseAsWritten: string | null;
  infrastructureReady: boolean;
  controlPlaneReady: boolean;
  /** The Ready condition is True. */
  ready: boolean;
  failureReason: string | null;
  failureMessage: string | null;
  controlPlaneEndpoint: string | null;
  kubernetesVersion: string | null;
  topologyClass: string | null;
  conditions: ConditionModel[];
  deletionTime: string | null;
}

/** A fleet cluster as the trace sees it: its registry name and, when known, its O-Cloud node cluster id. */
export interface FleetClusterRef {
  name: string;
  nodeClusterId?: string | null;
}

// The parents of the remaining schema types (codegen mappers, subgraphs/o2ims/domain.ts).
export type { ClusterRef } from '../common/entity-refs.js';
export type { ProvisioningTraceModel } from './trace.js';
export type { ProvisioningTransitionModel } from './transitions.js';
import type { TraceLink, ProvisioningTraceModel as Trace } from './trace.js';

export type PackageVariantLinkModel = TraceLink<PackageVariantModel>;
export type CapiClusterLinkModel = TraceLink<CapiClusterModel>;
export type FleetClusterLinkModel = Trace['fleetCluster'];

export interface CreatePayloadModel {
  request: ProvisioningRequestModel;
  dryRun: boolean;
}

export type DeleteOutcome = 'DELETION_STARTED' | 'DELETED' | 'ALREADY_DELETING' | 'ALREADY_GONE';

export interface DeletePayloadModel {
  clusterName: string;
  name: string;
  outcome: DeleteOutcome;
  dryRun: boolean;
  request: ProvisioningRequestModel | null;
}
