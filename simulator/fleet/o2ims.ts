// O2IMS ProvisioningRequests in the Nephio shape (domain-models §7.1): cluster-scoped,
// status.provisioningStatus.provisioningState ∈ progressing | fulfilled | failed | deleting, with the
// messages the Nephio o2ims operator writes.
import type { KubeObject, ObjectMeta } from '../types.js';

export const PR_API_VERSION = 'o2ims.provisioning.oran.org/v1alpha1';

/** Messages of the Nephio o2ims operator, in the order it writes them. */
export const PR_MESSAGES = {
  received: 'Cluster provisioning request received',
  validated: 'Provisioning request validation done',
  renderingOngoing: 'Cluster instance rendering ongoing',
  rendered: 'Cluster instance rendering completed',
  creating: 'Cluster resource creation ongoing',
  created: 'Cluster resource created',
  timedOut: 'Cluster resource creation failed reached timeout',
} as const;

export type ProvisioningState = 'progressing' | 'fulfilled' | 'failed' | 'deleting';

export interface ProvisioningTarget {
  clusterName: string;
  labels: Record<string, string>;
  templateName?: string;
  templateVersion?: string;
}

export function provisioningRequestSpec(target: ProvisioningTarget): Record<string, unknown> {
  return {
    name: `${target.clusterName} single-node DU cluster`,
    description: `Provision O-Cloud node cluster ${target.clusterName} (${target.labels.region ?? 'unknown'} region)`,
    templateName: target.templateName ?? 'sno-ran-du',
    templateVersion: target.templateVersion ?? 'v4.18.0-1',
    templateParameters: { clusterName: target.clusterName, labels: target.labels },
  };
}

export function provisioningStatus(
  state: ProvisioningState,
  message: string,
  time: string,
  resources?: { nodeClusterId: string; infrastructureIds: string[] },
): Record<string, unknown> {
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

export function provisioningRequestObject(meta: ObjectMeta, target: ProvisioningTarget, status?: Record<string, unknown>): KubeObject {
  const obj: KubeObject = {
    apiVersion: PR_API_VERSION,
    kind: 'ProvisioningRequest',
    metadata: meta,
    spec: provisioningRequestSpec(target),
  };
  if (status) obj.status = status;
  return obj;
}
