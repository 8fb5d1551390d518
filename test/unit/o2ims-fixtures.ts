// Upstream-shaped O2IMS objects for the o2ims unit tests, written from the upstream sources rather than
// from our simulator: the Nephio operator README's fulfilled request (seed 002), the O-Cloud Manager's
// ProvisioningRequest status (openshift-kni/oran-o2ims CRD + conditions), Porch PackageVariants (incl.
// the seed's "claims to be stalled" one) and cluster.x-k8s.io/v1beta1 Clusters.
import type { CapiClusterObject, CustomResourceDefinitionObject, JsonSchema, PackageVariantObject, ProvisioningRequestObject } from '../../subgraphs/o2ims/upstream.js';

/** Seed 002 "Output of a Success workflow", verbatim field by field. */
export function nephioFulfilled(): ProvisioningRequestObject {
  return {
    apiVersion: 'o2ims.provisioning.oran.org/v1alpha1',
    kind: 'ProvisioningRequest',
    metadata: {
      annotations: { 'provisioningrequests.o2ims.provisioning.oran.org/kopf-managed': 'yes' },
      creationTimestamp: '2025-01-31T13:50:46Z',
      generation: 1,
      name: 'provisioning-request-sample',
      resourceVersion: '12122',
      uid: 'e8377db2-5652-4bc6-9632-8ce0836c6afd',
    },
    spec: {
      description: 'Provisioning request for setting up a test kind cluster.',
      name: 'test-env-Provisioning',
      templateName: 'nephio-workload-cluster',
      templateParameters: {
        clusterName: 'edge',
        labels: { 'nephio.org/site-type': 'edge', 'nephio.org/region': 'europe-paris-west', 'nephio.org/owner': 'nephio-o2ims' },
      },
      templateVersion: 'v3.0.0',
    },
    status: {
      provisionedResourceSet: {
        oCloudInfrastructureResourceIds: ['cb92ece1-7272-4e01-9d5c-11e47b2e2473'],
        oCloudNodeClusterId: '09470fe4-cff6-4362-a7d6-badc77dbf059',
      },
      provisioningStatus: { provisioningMessage: 'Cluster resource created', provisioningState: 'fulfilled', provisioningUpdateTime: '2025-01-31T14:52:21Z' },
    },
  };
}

/** Seed 002 "ProvisioningRequest Timeout". */
export function nephioTimedOut(): ProvisioningRequestObject {
  const pr = nephioFulfilled();
  pr.status = { provisioningStatus: { provisioningMessage: 'Cluster resource creation failed reached timeout', provisioningState: 'failed', provisioningUpdateTime: '2025-01-31T14:20:46Z' } };
  return pr;
}

export function nephioWith(state: string, message: string): ProvisioningRequestObject {
  const pr = nephioFulfilled();
  pr.status = { provisioningStatus: { provisioningState: state, provisioningMessage: message, provisioningUpdateTime: '2025-01-31T13:51:00Z' } };
  return pr;
}

/** An O-Cloud Manager request (o2ims.provisioning.oran.org group era), fulfilled. */
export function ocmFulfilled(): ProvisioningRequestObject {
  return {
    apiVersion: 'o2ims.provisioning.oran.org/v1alpha1',
    kind: 'ProvisioningRequest',
    metadata: { name: '123e4567-e89b-12d3-a456-426614174000', uid: 'f5a2c1d0-0000-4000-8000-000000000001', generation: 2, creationTimestamp: '2025-03-10T09:00:00Z' },
    spec: {
      name: 'sno1',
      description: 'Provisioning request for sno1',
      templateName: 'sno-ran-du',
      templateVersion: 'v4-18-0-1',
      templateParameters: {
        nodeClusterName: 'sno1',
        oCloudSiteId: 'local-west-12345',
        clusterInstanceParameters: { clusterName: 'sno1', nodes: [{ hostName: 'sno1.example.com' }] },
        policyTemplateParameters: { 'sriov-network-vlan-1': '140' },
      },
    },
    status: {
      conditions: [
        { type: 'ProvisioningRequestValidated', status: 'True', reason: 'Completed', message: 'The provisioning request validation succeeded', lastTransitionTime: '2025-03-10T09:00:05Z' },
        { type: 'ClusterInstanceRendered', status: 'True', reason: 'Completed', message: 'ClusterInstance rendered and passed dry-run validation', lastTransitionTime: '2025-03-10T09:00:10Z' },
        { type: 'ClusterProvisioned', status: 'True', reason: 'Completed', message: 'Provisioning completed', lastTransitionTime: '2025-03-10T10:02:00Z' },
        { type: 'ConfigurationApplied', status: 'True', reason: 'Completed', message: 'The configuration is up to date', lastTransitionTime: '2025-03-10T10:20:00Z' },
      ],
      extensions: {
        clusterDetails: { name: 'sno1', clusterProvisionStartedAt: '2025-03-10T09:01:00Z', ztpStatus: 'ZTP Done' },
        allocatedNodeHostMap: { 'node-1': 'sno1.example.com' },
        policies: [{ policyName: 'ztp-sno.du-policy', policyNamespace: 'ztp-sno1', compliant: 'Compliant', remediationAction: 'enforce' }],
      },
      observedGeneration: 2,
      provisioningStatus: {
        provisioningPhase: 'fulfilled',
        provisioningDetails: 'Provisioning request has completed successfully',
        updateTime: '2025-03-10T10:20:01Z',
        provisionedResources: { oCloudNodeClusterId: '6a1f37d0-8b8e-4c5f-9d70-5c2c8e3d9f11' },
      },
    },
  };
}

export function ocmPending(): ProvisioningRequestObject {
  const pr = ocmFulfilled();
  pr.status = { observedGeneration: 1, conditions: [], provisioningStatus: { provisioningPhase: 'pending', provisioningDetails: 'Validating and preparing resources', updateTime: '2025-03-10T09:00:01Z' } };
  return pr;
}

export function packageVariant(name: string, conditions: { type: string; status: string; reason: string; message: string }[], downstreamPackage = 'edge'): PackageVariantObject {
  return {
    apiVersion: 'config.porch.kpt.dev/v1alpha1',
    kind: 'PackageVariant',
    metadata: { name, namespace: 'default' },
    spec: {
      upstream: { repo: 'catalog-infra-capi', package: 'nephio-workload-cluster', revision: 'v3.0.0' },
      downstream: { repo: 'mgmt', package: downstreamPackage },
      annotations: { 'approval.nephio.org/policy': 'initial' },
    },
    status: { conditions: conditions.map((c) => ({ ...c, lastTransitionTime: '2025-01-29T22:25:08Z' })), downstreamTargets: [] },
  };
}

export const PV_READY = [
  { type: 'Stalled', status: 'False', reason: 'Valid', message: 'all validation checks passed' },
  { type: 'Ready', status: 'True', reason: 'NoErrors', message: 'successfully ensured downstream package variant' },
];
/** Seed 002 "PackageVariant Stalled": only a Stalled=False condition, and never Ready. */
export const PV_SEED_STALLED = [{ type: 'Stalled', status: 'False', reason: 'Valid', message: 'all validation checks passed' }];
export const PV_VALIDATION_ERROR = [
  { type: 'Stalled', status: 'True', reason: 'ValidationError', message: 'missing required field spec.downstream.repo' },
  { type: 'Ready', status: 'False', reason: 'Error', message: 'invalid packagevariant object' },
];

export function capiCluster(name: string, phase: string | undefined, extra: Partial<NonNullable<CapiClusterObject['status']>> = {}): CapiClusterObject {
  const provisioned = phase === 'Provisioned';
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: { name, namespace: 'default', labels: { 'nephio.org/site-type': 'edge' } },
    spec: {
      controlPlaneEndpoint: { host: '172.18.0.5', port: 6443 },
      topology: { class: 'docker', version: 'v1.31.0' },
    },
    status: {
      phase,
      infrastructureReady: provisioned,
      controlPlaneReady: provisioned,
      observedGeneration: 2,
      conditions: provisioned
        ? [
            { type: 'Ready', status: 'True', lastTransitionTime: '2025-01-31T14:50:00Z' },
            { type: 'ControlPlaneInitialized', status: 'True', lastTransitionTime: '2025-01-31T14:45:00Z' },
            { type: 'ControlPlaneReady', status: 'True', lastTransitionTime: '2025-01-31T14:50:00Z' },
            { type: 'InfrastructureReady', status: 'True', lastTransitionTime: '2025-01-31T14:40:00Z' },
          ]
        : [
            { type: 'Ready', status: 'False', severity: 'Info', reason: 'WaitingForInfrastructure', lastTransitionTime: '2025-01-31T14:00:00Z' },
            { type: 'ControlPlaneInitialized', status: 'False', severity: 'Info', reason: 'WaitingForInfrastructure', lastTransitionTime: '2025-01-31T14:00:00Z' },
            { type: 'InfrastructureReady', status: 'False', severity: 'Warning', reason: 'WaitingForInfrastructure', message: 'DockerCluster default/edge is not ready: load balancer container not running', lastTransitionTime: '2025-01-31T14:00:00Z' },
          ],
      ...extra,
    },
  };
}

export function provisioningRequestCrd(statusFields: Record<string, JsonSchema>): CustomResourceDefinitionObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'provisioningrequests.o2ims.provisioning.oran.org' },
    spec: {
      group: 'o2ims.provisioning.oran.org',
      versions: [{ name: 'v1alpha1', schema: { openAPIV3Schema: { properties: { status: { properties: { provisioningStatus: { properties: statusFields } } } } } } }],
    },
  };
}
