// The o2ims mappers on upstream-shaped objects of both ProvisioningRequest schemas, Porch PackageVariants
// and Cluster API Clusters, traps included.
import { crdSchemaVariant, mapCapiCluster, mapPackageVariant, mapProvisioningRequest, schemaVariantOf, stateOf } from '../../subgraphs/o2ims/sources.js';
import { capiCluster, nephioFulfilled, ocmFulfilled, ocmPending, packageVariant, provisioningRequestCrd, PV_READY, PV_SEED_STALLED, PV_VALIDATION_ERROR } from './o2ims-fixtures.js';

describe('ProvisioningRequest, Nephio schema', () => {
  it('maps the seed\'s fulfilled request field by field', () => {
    expect(mapProvisioningRequest('mgmt', nephioFulfilled())).toEqual({
      clusterName: 'mgmt',
      name: 'provisioning-request-sample',
      uid: 'e8377db2-5652-4bc6-9632-8ce0836c6afd',
      resourceVersion: '12122',
      generation: 1,
      creationTime: '2025-01-31T13:50:46Z',
      deletionTime: null,
      displayName: 'test-env-Provisioning',
      description: 'Provisioning request for setting up a test kind cluster.',
      templateName: 'nephio-workload-cluster',
      templateVersion: 'v3.0.0',
      templateParameters: nephioFulfilled().spec!.templateParameters,
      targetClusterName: 'edge',
      state: 'FULFILLED',
      stateAsWritten: 'fulfilled',
      message: 'Cluster resource created',
      updateTime: '2025-01-31T14:52:21Z',
      schemaVariant: 'NEPHIO',
      provisionedResources: { nodeClusterId: '09470fe4-cff6-4362-a7d6-badc77dbf059', infrastructureResourceIds: ['cb92ece1-7272-4e01-9d5c-11e47b2e2473'] },
      conditions: [],
      extensions: null,
      observedGeneration: null,
    });
  });

  it('reads the resource set the old operator wrote under status.provisionedResources', () => {
    const pr = nephioFulfilled();
    pr.status = { provisioningStatus: pr.status!.provisioningStatus, provisionedResources: { oCloudNodeClusterId: 'abc', oCloudInfrastructureResourceIds: ['x', 7 as unknown as string] } };
    expect(mapProvisioningRequest('mgmt', pr).provisionedResources).toEqual({ nodeClusterId: 'abc', infrastructureResourceIds: ['x'] });
  });

  it('maps a request without status to PENDING in an unknown schema, unless the hub\'s CRD tells', () => {
    const pr = nephioFulfilled();
    delete pr.status;
    const m = mapProvisioningRequest('mgmt', pr);
    expect([m.state, m.stateAsWritten, m.message, m.schemaVariant, m.provisionedResources]).toEqual(['PENDING', null, null, null, null]);
    expect(mapProvisioningRequest('mgmt', pr, 'NEPHIO').schemaVariant).toBe('NEPHIO');
  });

  it('maps a request marked for deletion to DELETING whatever its operator last wrote', () => {
    const pr = nephioFulfilled();
    pr.metadata.deletionTimestamp = '2025-02-01T08:00:00Z';
    expect(mapProvisioningRequest('mgmt', pr)).toMatchObject({ state: 'DELETING', stateAsWritten: 'fulfilled', deletionTime: '2025-02-01T08:00:00Z' });
  });
});

describe('ProvisioningRequest, O-Cloud Manager schema', () => {
  it('maps provisioningPhase / provisioningDetails / updateTime / provisionedResources, conditions and extensions', () => {
    const m = mapProvisioningRequest('hub-2', ocmFulfilled());
    expect(m).toMatchObject({
      state: 'FULFILLED',
      stateAsWritten: 'fulfilled',
      message: 'Provisioning request has completed successfully',
      updateTime: '2025-03-10T10:20:01Z',
      schemaVariant: 'OPENSHIFT',
      targetClusterName: 'sno1',
      displayName: 'sno1',
      provisionedResources: { nodeClusterId: '6a1f37d0-8b8e-4c5f-9d70-5c2c8e3d9f11', infrastructureResourceIds: [] },
      observedGeneration: 2,
      extensions: { clusterDetails: { ztpStatus: 'ZTP Done' } },
    });
    expect(m.conditions[0]).toEqual({
      type: 'ProvisioningRequestValidated',
      status: 'True',
      reason: 'Completed',
      message: 'The provisioning request validation succeeded',
      severity: null,
      lastTransitionTime: '2025-03-10T09:00:05Z',
      observedGeneration: null,
    });
  });

  it('maps pending (which the Nephio CRD does not have) and knows the schema from an empty conditions list', () => {
    expect(mapProvisioningRequest('hub-2', ocmPending())).toMatchObject({ state: 'PENDING', stateAsWritten: 'pending', schemaVariant: 'OPENSHIFT', message: 'Validating and preparing resources' });
    expect(schemaVariantOf({ metadata: { name: 'x' }, status: { conditions: [] } })).toBe('OPENSHIFT');
  });

  it('takes the cluster name from clusterInstanceParameters when nodeClusterName is absent', () => {
    const pr = ocmFulfilled();
    delete pr.spec!.templateParameters!.nodeClusterName;
    expect(mapProvisioningRequest('hub-2', pr).targetClusterName).toBe('sno1');
  });
});

describe('states', () => {
  it('accepts both spellings and keeps unknown values visible as UNKNOWN', () => {
    expect(['progressing', 'PROGRESSING', 'Failed', 'deleting', 'pending'].map((s) => stateOf(s))).toEqual(['PROGRESSING', 'PROGRESSING', 'FAILED', 'DELETING', 'PENDING']);
    expect(stateOf('Succeeded')).toBe('UNKNOWN');
    expect(stateOf(null)).toBe('PENDING');
  });

  it('tolerates junk where strings and objects should be', () => {
    const m = mapProvisioningRequest('mgmt', { metadata: { name: 'junk' }, spec: { templateParameters: [] as unknown as Record<string, unknown>, templateName: 7 as unknown as string }, status: { provisioningStatus: { provisioningState: 3 as unknown as string }, conditions: [null, { status: 'True' }] as never } });
    expect(m).toMatchObject({ templateParameters: null, templateName: null, targetClusterName: null, state: 'UNKNOWN', conditions: [] });
  });
});

describe('the ProvisioningRequest CRD says which schema a hub serves', () => {
  it('by provisioningPhase or provisioningState in its status schema', () => {
    expect(crdSchemaVariant(provisioningRequestCrd({ provisioningPhase: { type: 'string' }, provisioningDetails: {} }))).toBe('OPENSHIFT');
    expect(crdSchemaVariant(provisioningRequestCrd({ provisioningState: { type: 'string' } }))).toBe('NEPHIO');
    expect(crdSchemaVariant(provisioningRequestCrd({}))).toBeNull();
    expect(crdSchemaVariant(null)).toBeNull();
  });
});

describe('PackageVariant', () => {
  it('is READY with the Ready=True condition, STALLED with Stalled=True', () => {
    expect(mapPackageVariant('mgmt', packageVariant('provisioning-request-sample', PV_READY))).toMatchObject({
      namespace: 'default',
      upstreamRepo: 'catalog-infra-capi',
      upstreamPackage: 'nephio-workload-cluster',
      upstreamRevision: 'v3.0.0',
      downstreamRepo: 'mgmt',
      downstreamPackage: 'edge',
      readiness: 'READY',
      stalled: false,
      message: 'successfully ensured downstream package variant',
    });
    expect(mapPackageVariant('mgmt', packageVariant('x', PV_VALIDATION_ERROR))).toMatchObject({ readiness: 'STALLED', stalled: true, message: 'missing required field spec.downstream.repo', since: '2025-01-29T22:25:08Z' });
  });

  it('is PENDING in the seed\'s "stalled" case: Stalled=False (Valid) and no Ready condition', () => {
    expect(mapPackageVariant('mgmt', packageVariant('x', PV_SEED_STALLED))).toMatchObject({ readiness: 'PENDING', stalled: false, message: 'all validation checks passed' });
    expect(mapPackageVariant('mgmt', { metadata: { name: 'x', namespace: 'default' } })).toMatchObject({ readiness: 'PENDING', message: null, conditions: [], downstreamTargets: [] });
  });

  it('reads a numeric upstream revision (newer Porch) as text', () => {
    const pv = packageVariant('x', PV_READY);
    pv.spec!.upstream!.revision = 3;
    expect(mapPackageVariant('mgmt', pv).upstreamRevision).toBe('3');
  });
});

describe('Cluster API Cluster', () => {
  it('maps phase, readiness, endpoint, topology and v1beta1 conditions with severity', () => {
    const m = mapCapiCluster('mgmt', capiCluster('edge', 'Provisioning'));
    expect(m).toMatchObject({ phase: 'PROVISIONING', phaseAsWritten: 'Provisioning', infrastructureReady: false, controlPlaneReady: false, ready: false, controlPlaneEndpoint: '172.18.0.5:6443', kubernetesVersion: 'v1.31.0', topologyClass: 'docker' });
    expect(m.conditions.find((c) => c.type === 'InfrastructureReady')).toMatchObject({ status: 'False', severity: 'Warning', reason: 'WaitingForInfrastructure' });
    expect(mapCapiCluster('mgmt', capiCluster('edge', 'Provisioned'))).toMatchObject({ phase: 'PROVISIONED', ready: true });
  });

  it('maps phases outside the five to UNKNOWN, as GetTypedPhase does, and keeps failure fields', () => {
    expect(mapCapiCluster('mgmt', capiCluster('edge', 'Running')).phase).toBe('UNKNOWN');
    expect(mapCapiCluster('mgmt', capiCluster('edge', undefined)).phase).toBe('UNKNOWN');
    expect(mapCapiCluster('mgmt', capiCluster('edge', 'Failed', { failureReason: 'InvalidConfiguration', failureMessage: 'bad' }))).toMatchObject({ phase: 'FAILED', failureReason: 'InvalidConfiguration', failureMessage: 'bad' });
  });
});
