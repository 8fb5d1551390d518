// The trace of a ProvisioningRequest, for troubleshooting (seed 002's "the request was created but the
// cluster is not", "the PackageVariant is stalled"): request → Porch PackageVariant → Cluster API
// Cluster → the fleet's cluster it became, each link either found or missing with a reason that says
// why, and the one link where the chain is stuck. Pure: the caller reads the hub's PackageVariants and
// CAPI Clusters (null when the hub does not serve that API) and the fleet registry's clusters.
import type { CapiClusterModel, FleetClusterRef, PackageVariantModel, ProvisioningRequestModel } from './models.js';
import { blockingCondition } from './sources.js';
import { NEPHIO_PRE_RENDER_MESSAGES, NEPHIO_VALIDATION_FAILED, OCM_RENDERED_CONDITION } from './upstream.js';

/**
 * FOUND; NOT_YET (the operator has not got that far, nothing is wrong); MISSING (it should exist by now
 * and does not); BLOCKED (an earlier link is stuck); REMOVED (gone because the request is being
 * deleted); NOT_SERVED (the hub does not serve that API); UNKNOWN_TARGET (the request names no cluster).
 */
export type TraceLinkStatus = 'FOUND' | 'NOT_YET' | 'MISSING' | 'BLOCKED' | 'REMOVED' | 'NOT_SERVED' | 'UNKNOWN_TARGET';

export type TraceStep = 'PACKAGE_VARIANT' | 'CAPI_CLUSTER' | 'FLEET_CLUSTER';

export interface TraceLink<T> {
  status: TraceLinkStatus;
  object: T | null;
  /** Why the link is what it is (null when FOUND and healthy). */
  reason: string | null;
}

export type FleetMatch = 'NAME' | 'NODE_CLUSTER_ID';

export interface ProvisioningTraceModel {
  request: ProvisioningRequestModel;
  packageVariant: TraceLink<PackageVariantModel>;
  capiCluster: TraceLink<CapiClusterModel>;
  fleetCluster: TraceLink<FleetClusterRef> & { matchedBy: FleetMatch | null };
  /** The link where the chain is stuck (missing, stalled, failed), null when it is complete or still progressing normally. */
  stuckAt: TraceStep | null;
  /** One line a person can act on. */
  summary: string;
}

export interface TraceInputs {
  /** The hub's PackageVariants; null when config.porch.kpt.dev is not served there. */
  packageVariants: PackageVariantModel[] | null;
  /** The hub's Cluster API Clusters; null when cluster.x-k8s.io is not served there. */
  capiClusters: CapiClusterModel[] | null;
  /** The fleet registry's clusters. */
  fleet: FleetClusterRef[];
}

function quoted(message: string | null): string {
  return message ? `: ${message}` : '';
}

/** Whether the request's operator has started rendering (so a PackageVariant should exist). */
export function renderingStarted(request: ProvisioningRequestModel): boolean {
  switch (request.state) {
    case 'PENDING':
      return false;
    case 'FULFILLED':
      return true;
    default:
      break;
  }
  if (request.schemaVariant === 'OPENSHIFT') return request.conditions.some((c) => c.type === OCM_RENDERED_CONDITION);
  const message = request.message ?? '';
  if (message.startsWith(NEPHIO_VALIDATION_FAILED)) return false;
  return request.message !== null && !NEPHIO_PRE_RENDER_MESSAGES.includes(message);
}

function findPackageVariant(request: ProvisioningRequestModel, pvs: PackageVariantModel[]): PackageVariantModel | undefined {
  // The Nephio operator names the PackageVariant after the request; fall back to the downstream package.
  return pvs.find((pv) => pv.name === request.name) ?? (request.targetClusterName ? pvs.find((pv) => pv.downstreamPackage === request.targetClusterName) : undefined);
}

function findCapiCluster(target: string, pv: PackageVariantModel | null, clusters: CapiClusterModel[]): CapiClusterModel | undefined {
  const named = clusters.filter((c) => c.name === target);
  return named.find((c) => pv !== null && c.namespace === pv.namespace) ?? named[0];
}

function packageVariantLink(request: ProvisioningRequestModel, pvs: PackageVariantModel[] | null): TraceLink<PackageVariantModel> {
  if (pvs === null) {
    return { status: 'NOT_SERVED', object: null, reason: `${request.clusterName} does not serve config.porch.kpt.dev: no Porch, so its operator renders no PackageVariant` };
  }
  const pv = findPackageVariant(request, pvs);
  if (pv) {
    const where = `PackageVariant ${pv.namespace}/${pv.name}`;
    switch (pv.readiness) {
      case 'READY':
        return { status: 'FOUND', object: pv, reason: null };
      case 'STALLED':
        return { status: 'FOUND', object: pv, reason: `${where} is stalled${quoted(pv.message)}` };
      case 'NOT_READY':
        return { status: 'FOUND', object: pv, reason: `${where} is not Ready${quoted(pv.message)}` };
      case 'PENDING':
        return {
          status: 'FOUND',
          object: pv,
          reason: pv.conditions.length
            ? `${where} passed validation but Porch has not rendered a downstream package revision (no Ready condition)`
            : `${where} has not been reconciled by Porch yet (no conditions)`,
        };
    }
  }
  if (request.state === 'DELETING') return { status: 'REMOVED', object: null, reason: 'the request is being deleted; its PackageVariant is gone' };
  if (!renderingStarted(request)) {
    const why = request.state === 'FAILED' ? `the request failed before rendering${quoted(request.message)}` : `the operator has not rendered the request yet (${request.state.toLowerCase()}${quoted(request.message)})`;
    return { status: request.state === 'FAILED' ? 'BLOCKED' : 'NOT_YET', object: null, reason: why };
  }
  return {
    status: 'MISSING',
    object: null,
    reason: `no PackageVariant named ${request.name}${request.targetClusterName ? ` or for package ${request.targetClusterName}` : ''} on ${request.clusterName}, although the request is ${request.state.toLowerCase()}${quoted(request.message)}`,
  };
}

function capiLink(request: ProvisioningRequestModel, pvLink: TraceLink<PackageVariantModel>, clusters: CapiClusterModel[] | null): TraceLink<CapiClusterModel> {
  if (clusters === null) return { status: 'NOT_SERVED', object: null, reason: `${request.clusterName} does not serve cluster.x-k8s.io: no Cluster API` };
  const target = request.targetClusterName;
  if (!target) return { status: 'UNKNOWN_TARGET', object: null, reason: 'templateParameters names no cluster (clusterName / nodeClusterName)' };
  const capi = findCapiCluster(target, pvLink.object, clusters);
  if (capi) {
    if (capi.phase === 'PROVISIONED') return { status: 'FOUND', object: capi, reason: null };
    const waiting = blockingCondition(capi.conditions);
    const detail = capi.failureMessage ?? (waiting ? `${waiting.type} ${waiting.status}${waiting.reason ? ` (${waiting.reason})` : ''}${quoted(waiting.message)}` : null);
    return { status: 'FOUND', object: capi, reason: `Cluster ${capi.namespace}/${capi.name} is ${capi.phaseAsWritten ?? 'without a phase'}${detail ? `; ${detail}` : ''}` };
  }
  if (request.state === 'DELETING') return { status: 'REMOVED', object: null, reason: `the request is being deleted; Cluster ${target} is gone` };
  const pv = pvLink.object;
  if (!pv || pv.readiness !== 'READY') {
    return { status: pvLink.status === 'NOT_YET' ? 'NOT_YET' : 'BLOCKED', object: null, reason: `waiting for the PackageVariant: ${pvLink.reason ?? 'not rendered'}` };
  }
  if (request.state === 'PROGRESSING' || request.state === 'PENDING') {
    return { status: 'NOT_YET', object: null, reason: `PackageVariant ${pv.namespace}/${pv.name} is Ready; waiting for the rendered package to be applied (Cluster ${target})` };
  }
  return {
    status: 'MISSING',
    object: null,
    reason: `PackageVariant ${pv.namespace}/${pv.name} is Ready (downstream ${pv.downstreamTargets.join(', ') || pv.downstreamPackage || '?'}) but no Cluster API Cluster ${target} exists: the rendered package has not been applied to this cluster`,
  };
}

function fleetLink(request: ProvisioningRequestModel, capi: TraceLink<CapiClusterModel>, fleet: FleetClusterRef[]): ProvisioningTraceModel['fleetCluster'] {
  const target = request.targetClusterName;
  const id = request.provisionedResources?.nodeClusterId ?? null;
  const byName = target ? fleet.find((c) => c.name === target) : undefined;
  const byId = !byName && id ? fleet.find((c) => c.nodeClusterId === id) : undefined;
  const found = byName ?? byId;
  if (found) return { status: 'FOUND', object: found, reason: null, matchedBy: byName ? 'NAME' : 'NODE_CLUSTER_ID' };
  if (!target && !id) return { status: 'UNKNOWN_TARGET', object: null, reason: 'the request names no cluster and reports no oCloudNodeClusterId', matchedBy: null };
  if (request.state === 'DELETING') return { status: 'REMOVED', object: null, reason: `the request is being deleted; ${target ?? id} has left the fleet`, matchedBy: null };
  if (request.state === 'FULFILLED') {
    return {
      status: 'MISSING',
      object: null,
      reason: `the request is fulfilled but the fleet registry has no cluster named ${target ?? '?'}${id ? ` or with oCloudNodeClusterId ${id}` : ''}: its kubeconfig context is missing`,
      matchedBy: null,
    };
  }
  if (request.state === 'FAILED') return { status: 'BLOCKED', object: null, reason: `the request failed${quoted(request.message)}`, matchedBy: null };
  return { status: capi.status === 'BLOCKED' || capi.status === 'MISSING' ? 'BLOCKED' : 'NOT_YET', object: null, reason: capi.reason ?? `waiting for the Cluster API Cluster ${target}`, matchedBy: null };
}

function stuckAt(request: ProvisioningRequestModel, pv: TraceLink<PackageVariantModel>, capi: TraceLink<CapiClusterModel>, fleet: TraceLink<FleetClusterRef>): TraceStep | null {
  if (request.state === 'DELETING') return null;
  const pvBad = pv.status === 'MISSING' || (pv.object !== null && (pv.object.readiness === 'STALLED' || pv.object.readiness === 'NOT_READY'));
  if (pvBad) return 'PACKAGE_VARIANT';
  // A stuck Cluster shows when the request gave up on it or it failed; while progressing it is just waiting.
  const capiBad = capi.status === 'MISSING' || capi.status === 'UNKNOWN_TARGET' || (capi.object !== null && (capi.object.phase === 'FAILED' || (capi.object.phase !== 'PROVISIONED' && request.state === 'FAILED')));
  if (capiBad) return 'CAPI_CLUSTER';
  if (fleet.status === 'MISSING') return 'FLEET_CLUSTER';
  // The PackageVariant never came although the request failed after rendering started (e.g. a timeout while rendering).
  if (request.state === 'FAILED' && pv.status !== 'FOUND' && pv.status !== 'BLOCKED' && pv.status !== 'NOT_SERVED') return 'PACKAGE_VARIANT';
  return null;
}

export function traceRequest(request: ProvisioningRequestModel, inputs: TraceInputs): ProvisioningTraceModel {
  const packageVariant = packageVariantLink(request, inputs.packageVariants);
  const capiCluster = capiLink(request, packageVariant, inputs.capiClusters);
  const fleetCluster = fleetLink(request, capiCluster, inputs.fleet);
  const stuck = stuckAt(request, packageVariant, capiCluster, fleetCluster);
  const links: [TraceStep, TraceLink<unknown>][] = [
    ['PACKAGE_VARIANT', packageVariant],
    ['CAPI_CLUSTER', capiCluster],
    ['FLEET_CLUSTER', fleetCluster],
  ];
  let summary: string;
  if (stuck) {
    summary = `stuck at ${stuck.toLowerCase().replace('_', ' ')}: ${links.find(([step]) => step === stuck)![1].reason}`;
  } else if (fleetCluster.status === 'FOUND' && request.state !== 'DELETING') {
    summary = `complete: ${request.name} → ${packageVariant.object ? `PackageVariant ${packageVariant.object.namespace}/${packageVariant.object.name} → ` : ''}${capiCluster.object ? `Cluster ${capiCluster.object.namespace}/${capiCluster.object.name} → ` : ''}fleet cluster ${fleetCluster.object!.name}`;
  } else {
    const next = links.find(([, link]) => link.status !== 'FOUND' || link.reason !== null);
    summary = `${request.state.toLowerCase()}: ${next?.[1].reason ?? request.message ?? 'no detail'}`;
  }
  return { request, packageVariant, capiCluster, fleetCluster, stuckAt: stuck, summary };
}
