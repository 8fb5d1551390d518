// Pure mapping of the upstream objects (upstream.ts) to the o2ims models: ProvisioningRequests of both
// schemas into one state enum (and which schema the object was read in), PackageVariants with their
// readiness, Cluster API Clusters with their phase, and the ProvisioningRequest CRD's variant.
// Unit-tested on upstream-shaped fixtures (test/unit/o2ims-sources.test.ts).
import type {
  CapiClusterModel,
  CapiClusterPhase,
  ConditionModel,
  ConditionStatus,
  PackageVariantModel,
  PackageVariantReadiness,
  ProvisionedResourcesModel,
  ProvisioningRequestModel,
  ProvisioningState,
  SchemaVariant,
} from './models.js';
import type {
  CapiClusterObject,
  CapiCondition,
  CustomResourceDefinitionObject,
  MetaCondition,
  PackageVariantObject,
  ProvisioningRequestObject,
} from './upstream.js';

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

export function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const STATES: Record<string, ProvisioningState> = {
  pending: 'PENDING',
  progressing: 'PROGRESSING',
  fulfilled: 'FULFILLED',
  failed: 'FAILED',
  deleting: 'DELETING',
};

/**
 * A written provisioningState / provisioningPhase → the state enum. Case-insensitive (the O-RAN REST
 * model spells them PENDING …); absent → PENDING (no operator has looked at the request yet); a value
 * neither schema defines → UNKNOWN.
 */
export function stateOf(written: string | null): ProvisioningState {
  if (written === null) return 'PENDING';
  return STATES[written.toLowerCase()] ?? 'UNKNOWN';
}

function conditionStatus(value: unknown): ConditionStatus {
  return value === 'True' || value === 'False' ? value : 'Unknown';
}

export function mapConditions(conditions: readonly (MetaCondition | CapiCondition)[] | undefined): ConditionModel[] {
  if (!Array.isArray(conditions)) return [];
  return conditions
    .filter((c): c is MetaCondition & CapiCondition => record(c) !== null && str(c.type) !== null)
    .map((c) => ({
      type: c.type!,
      status: conditionStatus(c.status),
      reason: str(c.reason),
      message: str(c.message),
      severity: str((c as CapiCondition).severity),
      lastTransitionTime: str(c.lastTransitionTime),
      observedGeneration: int((c as MetaCondition).observedGeneration),
    }));
}

/**
 * Which schema a request was written in: the O-Cloud Manager writes provisioningPhase / details /
 * updateTime / provisionedResources and conditions; Nephio provisioningState / message / updateTime and
 * provisionedResourceSet. A request without a status says nothing; `hint` (the hub's CRD) decides then.
 */
export function schemaVariantOf(obj: ProvisioningRequestObject, hint: SchemaVariant | null = null): SchemaVariant | null {
  const status = record(obj.status);
  const ps = record(status?.provisioningStatus);
  if (ps && ('provisioningPhase' in ps || 'provisioningDetails' in ps || 'updateTime' in ps || 'provisionedResources' in ps)) return 'OPENSHIFT';
  if (status && (Array.isArray(status.conditions) || 'observedGeneration' in status)) return 'OPENSHIFT';
  if (ps && ('provisioningState' in ps || 'provisioningMessage' in ps || 'provisioningUpdateTime' in ps)) return 'NEPHIO';
  if (status && 'provisionedResourceSet' in status) return 'NEPHIO';
  return hint;
}

/** The edge cluster a request asks for: Nephio clusterName, O-Cloud Manager nodeClusterName (or its ClusterInstance's clusterName). */
export function targetClusterOf(templateParameters: Record<string, unknown> | null): string | null {
  if (!templateParameters) return null;
  return str(templateParameters.clusterName) ?? str(templateParameters.nodeClusterName) ?? str(record(templateParameters.clusterInstanceParameters)?.clusterName);
}

function resourcesOf(obj: ProvisioningRequestObject): ProvisionedResourcesModel | null {
  const status = record(obj.status);
  const set = record(status?.provisionedResourceSet) ?? record(status?.provisionedResources);
  const ocm = record(record(status?.provisioningStatus)?.provisionedResources);
  const nodeClusterId = str(set?.oCloudNodeClusterId) ?? str(ocm?.oCloudNodeClusterId);
  const ids = Array.isArray(set?.oCloudInfrastructureResourceIds) ? set.oCloudInfrastructureResourceIds.filter((id): id is string => str(id) !== null) : [];
  if (nodeClusterId === null && ids.length === 0) return null;
  return { nodeClusterId, infrastructureResourceIds: ids };
}

/** One ProvisioningRequest of `clusterName` (a management cluster), whichever schema it was written in. */
export function mapProvisioningRequest(clusterName: string, obj: ProvisioningRequestObject, hint: SchemaVariant | null = null): ProvisioningRequestModel {
  const spec = record(obj.spec) ?? {};
  const status = record(obj.status);
  const ps = record(status?.provisioningStatus);
  const stateAsWritten = str(ps?.provisioningState) ?? str(ps?.provisioningPhase);
  const deletionTime = str(obj.metadata.deletionTimestamp);
  const templateParameters = record(spec.templateParameters);
  // A request marked for deletion is going away whatever its operator last wrote; a state that is not a string is UNKNOWN, not "not yet written".
  const unreadable = stateAsWritten === null && ps !== null && (ps.provisioningState ?? ps.provisioningPhase ?? null) !== null;
  const state = deletionTime !== null ? 'DELETING' : unreadable ? 'UNKNOWN' : stateOf(stateAsWritten);
  return {
    clusterName,
    name: obj.metadata.name,
    uid: str(obj.metadata.uid),
    resourceVersion: str(obj.metadata.resourceVersion),
    generation: int(obj.metadata.generation),
    creationTime: str(obj.metadata.creationTimestamp),
    deletionTime,
    displayName: str(spec.name),
    description: str(spec.description),
    templateName: str(spec.templateName),
    templateVersion: str(spec.templateVersion),
    templateParameters,
    targetClusterName: targetClusterOf(templateParameters),
    state,
    stateAsWritten,
    message: str(ps?.provisioningMessage) ?? str(ps?.provisioningDetails),
    updateTime: str(ps?.provisioningUpdateTime) ?? str(ps?.updateTime),
    schemaVariant: schemaVariantOf(obj, hint),
    provisionedResources: resourcesOf(obj),
    conditions: mapConditions(status?.conditions as MetaCondition[] | undefined),
    extensions: record(status?.extensions),
    observedGeneration: int(status?.observedGeneration),
  };
}

/**
 * The schema a ProvisioningRequest CRD object declares: its status schema has provisioningPhase (the
 * O-Cloud Manager) or provisioningState (Nephio). Null for another CRD or one without a status schema.
 */
export function crdSchemaVariant(crd: CustomResourceDefinitionObject | null | undefined): SchemaVariant | null {
  for (const version of crd?.spec?.versions ?? []) {
    const fields = version.schema?.openAPIV3Schema?.properties?.status?.properties?.provisioningStatus?.properties;
    if (!fields) continue;
    if (fields.provisioningPhase) return 'OPENSHIFT';
    if (fields.provisioningState) return 'NEPHIO';
  }
  return null;
}

function find(conditions: ConditionModel[], type: string): ConditionModel | undefined {
  return conditions.find((c) => c.type === type);
}

/** Ready True → READY; Stalled True → STALLED; Ready False/Unknown → NOT_READY; no Ready condition → PENDING. */
export function packageVariantReadiness(conditions: ConditionModel[]): { readiness: PackageVariantReadiness; decidedBy: ConditionModel | null } {
  const stalled = find(conditions, 'Stalled');
  const ready = find(conditions, 'Ready');
  if (stalled?.status === 'True') return { readiness: 'STALLED', decidedBy: stalled };
  if (ready?.status === 'True') return { readiness: 'READY', decidedBy: ready };
  if (ready) return { readiness: 'NOT_READY', decidedBy: ready };
  return { readiness: 'PENDING', decidedBy: stalled ?? null };
}

export function mapPackageVariant(clusterName: string, obj: PackageVariantObject): PackageVariantModel {
  const spec = record(obj.spec) ?? {};
  const status = record(obj.status);
  const upstream = record(spec.upstream);
  const downstream = record(spec.downstream);
  const conditions = mapConditions(status?.conditions as MetaCondition[] | undefined);
  const { readiness, decidedBy } = packageVariantReadiness(conditions);
  const revision = upstream?.revision;
  const targets = Array.isArray(status?.downstreamTargets) ? status.downstreamTargets : [];
  return {
    clusterName,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
    upstreamRepo: str(upstream?.repo),
    upstreamPackage: str(upstream?.package),
    upstreamRevision: typeof revision === 'number' ? String(revision) : str(revision),
    downstreamRepo: str(downstream?.repo),
    downstreamPackage: str(downstream?.package),
    readiness,
    stalled: readiness === 'STALLED',
    message: decidedBy?.message ?? null,
    since: decidedBy?.lastTransitionTime ?? null,
    downstreamTargets: targets.map((t) => str(record(t)?.name)).filter((n): n is string => n !== null),
    conditions,
    deletionTime: str(obj.metadata.deletionTimestamp),
  };
}

const PHASES: Record<string, CapiClusterPhase> = {
  Pending: 'PENDING',
  Provisioning: 'PROVISIONING',
  Provisioned: 'PROVISIONED',
  Deleting: 'DELETING',
  Failed: 'FAILED',
};

export function mapCapiCluster(clusterName: string, obj: CapiClusterObject): CapiClusterModel {
  const spec = record(obj.spec) ?? {};
  const status = record(obj.status);
  const phaseAsWritten = str(status?.phase);
  const conditions = mapConditions(status?.conditions as CapiCondition[] | undefined);
  const endpoint = record(spec.controlPlaneEndpoint);
  const host = str(endpoint?.host);
  const port = int(endpoint?.port);
  const topology = record(spec.topology);
  return {
    clusterName,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
    // as GetTypedPhase: anything but the five phases is Unknown
    phase: (phaseAsWritten && PHASES[phaseAsWritten]) || 'UNKNOWN',
    phaseAsWritten,
    infrastructureReady: status?.infrastructureReady === true,
    controlPlaneReady: status?.controlPlaneReady === true,
    ready: find(conditions, 'Ready')?.status === 'True',
    failureReason: str(status?.failureReason),
    failureMessage: str(status?.failureMessage),
    controlPlaneEndpoint: host ? (port ? `${host}:${port}` : host) : null,
    kubernetesVersion: str(topology?.version),
    topologyClass: str(topology?.class),
    conditions,
    deletionTime: str(obj.metadata.deletionTimestamp),
  };
}

/** The first condition that is not True (what a Cluster is waiting for), Ready last since it only summarizes. */
export function blockingCondition(conditions: ConditionModel[]): ConditionModel | null {
  const notTrue = conditions.filter((c) => c.status !== 'True');
  return notTrue.find((c) => c.type !== 'Ready' && c.message) ?? notTrue.find((c) => c.message) ?? notTrue[0] ?? null;
}
