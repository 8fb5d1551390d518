// Cluster API `Cluster` `cluster.x-k8s.io/v1beta1` (kubernetes-sigs/cluster-api api/v1beta1/cluster_types.go,
// namespaced): the workload cluster the rendered package declares, named after templateParameters.clusterName
// in the PackageVariant's namespace (where the o2ims operator looks for it). `status.phase` Pending →
// Provisioning → Provisioned (→ Deleting), `infrastructureReady`, `controlPlaneReady`, and v1beta1
// conditions (type, status, severity, reason, message, lastTransitionTime) — Ready, InfrastructureReady,
// ControlPlaneInitialized, ControlPlaneReady.
import type { KubeObject, ObjectMeta } from '../types.js';

export const CAPI_API_VERSION = 'cluster.x-k8s.io/v1beta1';

export type CapiPhase = 'Pending' | 'Provisioning' | 'Provisioned' | 'Deleting';

/** A clusterv1.Condition (v1beta1: severity is set when status is False). */
export interface CapiCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  severity?: 'Error' | 'Warning' | 'Info';
  reason?: string;
  message?: string;
  lastTransitionTime: string;
}

export function capiClusterObject(meta: ObjectMeta, input: { clusterName: string; templateName: string; kubernetesVersion: string; endpointHost: string }): KubeObject {
  return {
    apiVersion: CAPI_API_VERSION,
    kind: 'Cluster',
    metadata: { ...meta, labels: { 'cluster.x-k8s.io/cluster-name': input.clusterName, ...meta.labels } },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ['10.128.0.0/14'] }, services: { cidrBlocks: ['172.30.0.0/16'] }, serviceDomain: 'cluster.local' },
      controlPlaneEndpoint: { host: input.endpointHost, port: 6443 },
      topology: { class: input.templateName, version: input.kubernetesVersion, controlPlane: { replicas: 1 } },
    },
  };
}

/** What keeps a bare-metal host from coming up (the `sno-ran-du-bmc-unreachable` template). */
export function bmcUnreachableMessage(clusterName: string): string {
  return `Metal3Cluster default/${clusterName} is not ready: BareMetalHost default/${clusterName}-sno registration error: failed to connect to BMC redfish-virtualmedia://10.16.0.21/redfish/v1/Systems/1`;
}

/** `status` in one phase; `stuck` keeps the infrastructure not ready with the provider's message. */
export function capiClusterStatus(phase: CapiPhase, time: string, generation: number, stuck?: string): Record<string, unknown> {
  const infra = phase === 'Provisioned' || (phase === 'Provisioning' && !stuck);
  const cp = phase === 'Provisioned';
  const cond = (type: string, ok: boolean, reason: string, message?: string): CapiCondition =>
    ok ? { type, status: 'True', lastTransitionTime: time } : { type, status: 'False', severity: message && stuck ? 'Warning' : 'Info', reason, ...(message ? { message } : {}), lastTransitionTime: time };
  if (phase === 'Deleting') {
    return {
      phase,
      infrastructureReady: true,
      controlPlaneReady: true,
      observedGeneration: generation,
      conditions: [
        { type: 'Ready', status: 'False', severity: 'Info', reason: 'Deleting', lastTransitionTime: time },
        { type: 'ControlPlaneReady', status: 'False', severity: 'Info', reason: 'Deleting', lastTransitionTime: time },
        { type: 'InfrastructureReady', status: 'False', severity: 'Info', reason: 'Deleting', lastTransitionTime: time },
      ],
    };
  }
  const conditions: CapiCondition[] = [
    cond('Ready', cp, infra ? 'WaitingForControlPlane' : 'WaitingForInfrastructure', infra ? undefined : stuck),
    cond('ControlPlaneInitialized', cp, infra ? 'WaitingForControlPlaneProviderInitialized' : 'WaitingForInfrastructure'),
    cond('ControlPlaneReady', cp, 'WaitingForControlPlane'),
    cond('InfrastructureReady', infra, 'WaitingForInfrastructure', stuck),
  ];
  return { phase, infrastructureReady: infra, controlPlaneReady: cp, observedGeneration: generation, conditions };
}
