// O2IMS ProvisioningRequests in both upstream shapes of `o2ims.provisioning.oran.org/v1alpha1`
// (reference/domain-models.md §7), cluster-scoped, one variant per management cluster:
// - Nephio (§7.1): status.provisioningStatus.provisioningState ∈ progressing | fulfilled | failed |
//   deleting, provisioningMessage, provisioningUpdateTime; status.provisionedResourceSet.
// - OpenShift O-Cloud Manager (§7.2): status.provisioningStatus.provisioningPhase ∈ pending | progressing |
//   fulfilled | failed | deleting, provisioningDetails, updateTime, provisionedResources; conditions[],
//   observedGeneration, extensions.
// Both CRDs have the same name, so a hub's CustomResourceDefinition object says which one it serves.
import type { KubeObject, ObjectMeta } from '../types.js';

export const PR_GROUP = 'o2ims.provisioning.oran.org';
export const PR_API_VERSION = `${PR_GROUP}/v1alpha1`;
export const PR_CRD_NAME = `provisioningrequests.${PR_GROUP}`;

export type PrVariant = 'nephio' | 'openshift';

/** Finalizers the two operators put on a request they handle (kopf's persistence finalizer; the O-Cloud Manager's). */
export const PR_FINALIZERS: Record<PrVariant, string> = {
  nephio: 'provisioningrequests.o2ims.provisioning.oran.org',
  openshift: 'provisioningrequest.o2ims.provisioning.oran.org/finalizer',
};

/** Messages of the Nephio o2ims operator (controllers/manager.py, provisioning_request_controller.py). */
export const PR_MESSAGES = {
  received: 'Cluster provisioning request received',
  validated: 'Provisioning request validation done',
  validationFailed: 'Provisioning request validation failed; reason: clusterName,clusterProvisioner is missing in template parameters',
  renderingOngoing: 'Cluster instance rendering ongoing',
  rendered: 'Cluster instance rendering completed',
  /** The operator reads the PackageVariant's last condition: Ready False, reason Error when Porch stalls it. */
  renderingFailed: 'Cluster instance rendering failed Error',
  creating: 'Cluster resource creation ongoing',
  created: 'Cluster resource created',
  timedOut: 'Cluster resource creation failed reached timeout',
  /** Upstream has no delete handler; our wording for the `deleting` state. */
  deleting: 'Cluster resource deletion ongoing',
} as const;

/** provisioningDetails of the O-Cloud Manager (internal/controllers/utils/conditions.go and the reconciler). */
export const OCM_DETAILS = {
  pending: 'Validating and preparing resources',
  validationFailed: 'Failed to validate the ProvisioningRequest: missing required templateParameters',
  rendering: 'Rendering and validating the cluster resources',
  installing: 'Cluster installation is in progress',
  fulfilled: 'Provisioning request has completed successfully',
  timedOut: 'Cluster installation timed out',
  deleting: 'Deletion is in progress',
} as const;

/** ProvisioningRequest condition types of the O-Cloud Manager (PRconditionTypes). */
export const OCM_CONDITIONS = {
  validated: 'ProvisioningRequestValidated',
  rendered: 'ClusterInstanceRendered',
  resourcesCreated: 'ClusterResourcesCreated',
  processed: 'ClusterInstanceProcessed',
  provisioned: 'ClusterProvisioned',
  configured: 'ConfigurationApplied',
} as const;

export type NephioState = 'progressing' | 'fulfilled' | 'failed' | 'deleting';
export type OcmPhase = 'pending' | NephioState;

/**
 * The templates the simulated catalogue holds. `sno-ran-du` provisions; `sno-ran-du-bmc-unreachable`
 * never gets its infrastructure ready, so the operator gives up after its creation timeout;
 * `sno-ran-du-unpublished` has no published upstream package, so Porch stalls its PackageVariant.
 */
export const PR_TEMPLATES = {
  ok: { name: 'sno-ran-du', version: 'v4.18.0-1' },
  timeout: { name: 'sno-ran-du-bmc-unreachable', version: 'v4.18.0-1' },
  stall: { name: 'sno-ran-du-unpublished', version: 'v4.18.0-1' },
} as const;

export type TemplateBehaviour = keyof typeof PR_TEMPLATES;

/** How a template behaves in the simulator (unknown templates provision like `sno-ran-du`). */
export function templateBehaviour(templateName: unknown): TemplateBehaviour {
  if (templateName === PR_TEMPLATES.timeout.name) return 'timeout';
  if (templateName === PR_TEMPLATES.stall.name) return 'stall';
  return 'ok';
}

export interface ProvisioningTarget {
  clusterName: string;
  labels: Record<string, string>;
  templateName?: string;
  templateVersion?: string;
}

function describe(target: ProvisioningTarget): { name: string; description: string } {
  return {
    name: `${target.clusterName} single-node DU cluster`,
    description: `Provision O-Cloud node cluster ${target.clusterName} (${target.labels.region ?? 'unknown'} region)`,
  };
}

/** `spec` as an SMO writes it for the Nephio operator: templateParameters.clusterName + clusterProvisioner. */
export function nephioSpec(target: ProvisioningTarget): Record<string, unknown> {
  return {
    ...describe(target),
    templateName: target.templateName ?? PR_TEMPLATES.ok.name,
    templateVersion: target.templateVersion ?? PR_TEMPLATES.ok.version,
    templateParameters: { clusterName: target.clusterName, clusterProvisioner: 'capi', labels: target.labels },
  };
}

/**
 * `spec` for the O-Cloud Manager: the four parameters its ClusterTemplates require (nodeClusterName,
 * oCloudSiteId, clusterInstanceParameters, policyTemplateParameters); fleet labels go to the
 * ManagedCluster through clusterInstanceParameters.extraLabels.
 */
export function openshiftSpec(target: ProvisioningTarget): Record<string, unknown> {
  return {
    ...describe(target),
    templateName: target.templateName ?? PR_TEMPLATES.ok.name,
    templateVersion: target.templateVersion ?? PR_TEMPLATES.ok.version,
    templateParameters: {
      nodeClusterName: target.clusterName,
      oCloudSiteId: `site-${target.clusterName}`,
      clusterInstanceParameters: {
        clusterName: target.clusterName,
        baseDomain: 'ran.example.net',
        nodes: [{ hostName: `${target.clusterName}-sno.ran.example.net` }],
        extraLabels: { ManagedCluster: target.labels },
      },
      policyTemplateParameters: { 'sriov-network-vlan-1': '140', 'ptp-profile': 'du-ptp-slave' },
    },
  };
}

export function specFor(variant: PrVariant, target: ProvisioningTarget): Record<string, unknown> {
  return variant === 'nephio' ? nephioSpec(target) : openshiftSpec(target);
}

export interface ProvisionedResources {
  nodeClusterId: string;
  infrastructureIds: string[];
}

/** Nephio `status`. */
export function nephioStatus(state: NephioState, message: string, time: string, resources?: ProvisionedResources): Record<string, unknown> {
  const status: Record<string, unknown> = {
    provisioningStatus: { provisioningState: state, provisioningMessage: message, provisioningUpdateTime: time },
  };
  if (resources) {
    status.provisionedResourceSet = {
      oCloudNodeClusterId: resources.nodeClusterId,
      oCloudInfrastructureResourceIds: resources.infrastructureIds,
    };
  }
  return status;
}

/** A metav1.Condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** meta.SetStatusCondition: replace by type, keep lastTransitionTime when the status did not change. */
export function setCondition(conditions: readonly Condition[], next: Condition): Condition[] {
  const current = conditions.find((c) => c.type === next.type);
  if (!current) return [...conditions, next];
  const merged = { ...next, lastTransitionTime: current.status === next.status ? current.lastTransitionTime : next.lastTransitionTime };
  return conditions.map((c) => (c.type === next.type ? merged : c));
}

export interface OcmStatusInput {
  phase: OcmPhase;
  details: string;
  time: string;
  generation: number;
  conditions: Condition[];
  nodeClusterId?: string;
  extensions?: Record<string, unknown>;
}

/** O-Cloud Manager `status`. */
export function openshiftStatus(input: OcmStatusInput): Record<string, unknown> {
  const provisioningStatus: Record<string, unknown> = {
    provisioningPhase: input.phase,
    provisioningDetails: input.details,
    updateTime: input.time,
  };
  if (input.nodeClusterId) provisioningStatus.provisionedResources = { oCloudNodeClusterId: input.nodeClusterId };
  const status: Record<string, unknown> = { conditions: input.conditions, observedGeneration: input.generation, provisioningStatus };
  if (input.extensions) status.extensions = input.extensions;
  return status;
}

/** The extensions the O-Cloud Manager writes once the cluster is installed. */
export function openshiftExtensions(clusterName: string, startedAt: string, done: boolean, hostId?: string): Record<string, unknown> {
  const extensions: Record<string, unknown> = {
    clusterDetails: { name: clusterName, clusterProvisionStartedAt: startedAt, ztpStatus: done ? 'ZTP Done' : 'ZTP Not Done' },
  };
  if (hostId) extensions.allocatedNodeHostMap = { [hostId]: `${clusterName}-sno.ran.example.net` };
  if (done) {
    extensions.policies = [
      { policyName: 'ztp-du-profile.du-sriov-policy', policyNamespace: `ztp-${clusterName}`, compliant: 'Compliant', remediationAction: 'enforce' },
      { policyName: 'ztp-du-profile.du-ptp-policy', policyNamespace: `ztp-${clusterName}`, compliant: 'Compliant', remediationAction: 'enforce' },
    ];
  }
  return extensions;
}

export function provisioningRequestObject(meta: ObjectMeta, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  const obj: KubeObject = { apiVersion: PR_API_VERSION, kind: 'ProvisioningRequest', metadata: meta, spec };
  if (status) obj.status = status;
  return obj;
}

const CONDITION_SCHEMA = {
  type: 'object',
  required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'],
  properties: {
    lastTransitionTime: { type: 'string', format: 'date-time' },
    message: { type: 'string', maxLength: 32768 },
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
    reason: { type: 'string' },
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    type: { type: 'string' },
  },
};

function statusSchema(variant: PrVariant): Record<string, unknown> {
  if (variant === 'nephio') {
    return {
      type: 'object',
      properties: {
        extensions: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        provisionedResourceSet: {
          type: 'object',
          properties: { oCloudInfrastructureResourceIds: { type: 'array', items: { type: 'string' } }, oCloudNodeClusterId: { type: 'string' } },
        },
        provisioningStatus: {
          type: 'object',
          properties: {
            provisioningMessage: { type: 'string' },
            provisioningState: { type: 'string', enum: ['progressing', 'fulfilled', 'failed', 'deleting'] },
            provisioningUpdateTime: { type: 'string', format: 'date-time' },
          },
        },
      },
    };
  }
  return {
    type: 'object',
    properties: {
      conditions: { type: 'array', items: CONDITION_SCHEMA },
      extensions: {
        type: 'object',
        properties: {
          allocatedNodeHostMap: { type: 'object', additionalProperties: { type: 'string' } },
          clusterDetails: { type: 'object', properties: { clusterProvisionStartedAt: { type: 'string' }, name: { type: 'string' }, ztpStatus: { type: 'string' } } },
          policies: { type: 'array', items: { type: 'object' } },
        },
      },
      observedGeneration: { type: 'integer', format: 'int64' },
      provisioningStatus: {
        type: 'object',
        properties: {
          provisionedResources: { type: 'object', properties: { oCloudNodeClusterId: { type: 'string' } } },
          provisioningDetails: { type: 'string' },
          provisioningPhase: { type: 'string', enum: ['pending', 'progressing', 'fulfilled', 'failed', 'deleting'] },
          updateTime: { type: 'string', format: 'date-time' },
        },
      },
    },
  };
}

/** The ProvisioningRequest CRD of one variant (both are named `provisioningrequests.o2ims.provisioning.oran.org`). */
export function provisioningRequestCrd(meta: ObjectMeta, variant: PrVariant): KubeObject {
  const minLength = variant === 'openshift' ? { minLength: 1 } : {};
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: meta,
    spec: {
      group: PR_GROUP,
      names: { kind: 'ProvisioningRequest', listKind: 'ProvisioningRequestList', plural: 'provisioningrequests', singular: 'provisioningrequest' },
      scope: 'Cluster',
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['templateName', 'templateVersion', 'templateParameters'],
                  properties: {
                    name: { type: 'string' },
                    description: { type: 'string' },
                    templateName: { type: 'string', ...minLength },
                    templateVersion: { type: 'string', ...minLength },
                    templateParameters: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
                status: statusSchema(variant),
              },
            },
          },
        },
      ],
    },
  };
}

/** Which variant a ProvisioningRequest CRD object describes (its status schema has provisioningPhase or provisioningState). */
export function crdVariant(crd: KubeObject | undefined): PrVariant | undefined {
  const versions = (crd?.spec as { versions?: { schema?: { openAPIV3Schema?: unknown } }[] } | undefined)?.versions;
  const schema = versions?.[0]?.schema?.openAPIV3Schema as
    | { properties?: { status?: { properties?: { provisioningStatus?: { properties?: Record<string, unknown> } } } } }
    | undefined;
  const fields = schema?.properties?.status?.properties?.provisioningStatus?.properties;
  if (!fields) return undefined;
  if ('provisioningPhase' in fields) return 'openshift';
  if ('provisioningState' in fields) return 'nephio';
  return undefined;
}
