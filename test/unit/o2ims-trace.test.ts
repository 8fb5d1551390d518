// The trace request → PackageVariant → Cluster API Cluster → fleet cluster: every way the chain
// breaks (seed 002's troubleshooting section) says which link is missing and why.
import { mapCapiCluster, mapPackageVariant, mapProvisioningRequest } from '../../subgraphs/o2ims/sources.js';
import { traceRequest, type TraceInputs } from '../../subgraphs/o2ims/trace.js';
import type { CapiClusterObject, PackageVariantObject, ProvisioningRequestObject } from '../../subgraphs/o2ims/upstream.js';
import { generateFleet } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET } from '../../simulator/fleet/model.js';
import { capiCluster, nephioFulfilled, nephioTimedOut, nephioWith, ocmFulfilled, ocmPending, packageVariant, PV_READY, PV_SEED_STALLED, PV_VALIDATION_ERROR } from './o2ims-fixtures.js';

const PR = 'provisioning-request-sample';
const req = (obj: ProvisioningRequestObject) => mapProvisioningRequest('mgmt', obj);
const pv = (conditions: typeof PV_READY, name = PR) => mapPackageVariant('mgmt', packageVariant(name, conditions));
const capi = (phase: string) => mapCapiCluster('mgmt', capiCluster('edge', phase));
const inputs = (over: Partial<TraceInputs> = {}): TraceInputs => ({ packageVariants: [pv(PV_READY)], capiClusters: [capi('Provisioned')], fleet: [{ name: 'edge' }, { name: 'mgmt' }], ...over });

describe('traceRequest', () => {
  it('walks a fulfilled request to the fleet cluster it became', () => {
    const t = traceRequest(req(nephioFulfilled()), inputs());
    expect([t.packageVariant.status, t.capiCluster.status, t.fleetCluster.status, t.fleetCluster.matchedBy, t.stuckAt]).toEqual(['FOUND', 'FOUND', 'FOUND', 'NAME', null]);
    expect(t.fleetCluster.object).toEqual({ name: 'edge' });
    expect(t.summary).toBe('complete: provisioning-request-sample → PackageVariant default/provisioning-request-sample → Cluster default/edge → fleet cluster edge');
  });

  it('matches the fleet cluster by oCloudNodeClusterId when the name differs', () => {
    const t = traceRequest(req(nephioFulfilled()), inputs({ fleet: [{ name: 'paris-edge-1', nodeClusterId: '09470fe4-cff6-4362-a7d6-badc77dbf059' }] }));
    expect([t.fleetCluster.status, t.fleetCluster.matchedBy, t.fleetCluster.object?.name]).toEqual(['FOUND', 'NODE_CLUSTER_ID', 'paris-edge-1']);
  });

  it('says the fleet link is missing when a fulfilled request\'s cluster is not in the registry', () => {
    const t = traceRequest(req(nephioFulfilled()), inputs({ fleet: [{ name: 'mgmt' }] }));
    expect(t.stuckAt).toBe('FLEET_CLUSTER');
    expect(t.fleetCluster.reason).toBe(
      'the request is fulfilled but the fleet registry has no cluster named edge or with oCloudNodeClusterId 09470fe4-cff6-4362-a7d6-badc77dbf059: its kubeconfig context is missing',
    );
  });

  it('stops at a stalled PackageVariant with its condition message; CAPI and fleet are blocked behind it', () => {
    const t = traceRequest(req(nephioWith('failed', 'Cluster instance rendering failed Error')), inputs({ packageVariants: [pv(PV_VALIDATION_ERROR)], capiClusters: [], fleet: [] }));
    expect(t.stuckAt).toBe('PACKAGE_VARIANT');
    expect(t.packageVariant).toMatchObject({ status: 'FOUND', reason: 'PackageVariant default/provisioning-request-sample is stalled: missing required field spec.downstream.repo' });
    expect(t.capiCluster).toMatchObject({ status: 'BLOCKED', reason: 'waiting for the PackageVariant: PackageVariant default/provisioning-request-sample is stalled: missing required field spec.downstream.repo' });
    expect(t.fleetCluster.status).toBe('BLOCKED');
    expect(t.summary).toBe('stuck at package variant: PackageVariant default/provisioning-request-sample is stalled: missing required field spec.downstream.repo');
  });

  it('explains the seed\'s Porch case: validation passed, nothing rendered, the request timed out', () => {
    const t = traceRequest(req(nephioTimedOut()), inputs({ packageVariants: [pv(PV_SEED_STALLED)], capiClusters: [], fleet: [] }));
    expect(t.packageVariant.object?.readiness).toBe('PENDING');
    expect(t.packageVariant.reason).toBe('PackageVariant default/provisioning-request-sample passed validation but Porch has not rendered a downstream package revision (no Ready condition)');
    expect(t.capiCluster.status).toBe('BLOCKED');
    expect(t.fleetCluster).toMatchObject({ status: 'BLOCKED', reason: 'the request failed: Cluster resource creation failed reached timeout' });
  });

  it('stops at a CAPI Cluster that never got Provisioned when the request gave up, with the waiting condition', () => {
    const t = traceRequest(req(nephioTimedOut()), inputs({ capiClusters: [capi('Provisioning')] }));
    expect(t.stuckAt).toBe('CAPI_CLUSTER');
    expect(t.capiCluster.reason).toBe('Cluster default/edge is Provisioning; InfrastructureReady False (WaitingForInfrastructure): DockerCluster default/edge is not ready: load balancer container not running');
  });

  it('does not call a Cluster that is still provisioning stuck while the request progresses', () => {
    const t = traceRequest(req(nephioWith('progressing', 'Cluster resource creation ongoing')), inputs({ capiClusters: [capi('Provisioning')], fleet: [] }));
    expect([t.stuckAt, t.fleetCluster.status]).toEqual([null, 'NOT_YET']);
    expect(t.summary).toMatch(/^progressing: Cluster default\/edge is Provisioning/);
  });

  it('says the Cluster is missing when the PackageVariant is Ready and the request failed without it ("created but the cluster is not")', () => {
    const t = traceRequest(req(nephioTimedOut()), inputs({ capiClusters: [] }));
    expect(t.stuckAt).toBe('CAPI_CLUSTER');
    expect(t.capiCluster.reason).toBe(
      'PackageVariant default/provisioning-request-sample is Ready (downstream edge) but no Cluster API Cluster edge exists: the rendered package has not been applied to this cluster',
    );
    const waiting = traceRequest(req(nephioWith('progressing', 'Cluster instance rendering completed')), inputs({ capiClusters: [] }));
    expect([waiting.capiCluster.status, waiting.stuckAt]).toEqual(['NOT_YET', null]);
  });

  it('says the PackageVariant is missing once rendering started, and not yet before', () => {
    const rendering = traceRequest(req(nephioWith('progressing', 'Cluster instance rendering ongoing')), inputs({ packageVariants: [pv(PV_READY, 'someone-else')], capiClusters: [] }));
    expect(rendering.packageVariant).toMatchObject({ status: 'FOUND' }); // found by its downstream package
    const missing = traceRequest(req(nephioWith('progressing', 'Cluster instance rendering ongoing')), inputs({ packageVariants: [], capiClusters: [] }));
    expect(missing.packageVariant.status).toBe('MISSING');
    expect(missing.stuckAt).toBe('PACKAGE_VARIANT');
    const early = traceRequest(req(nephioWith('progressing', 'Provisioning request validation done')), inputs({ packageVariants: [], capiClusters: [], fleet: [] }));
    expect([early.packageVariant.status, early.capiCluster.status, early.fleetCluster.status, early.stuckAt]).toEqual(['NOT_YET', 'NOT_YET', 'NOT_YET', null]);
    const pending = traceRequest(req(ocmPending()), inputs({ packageVariants: [], capiClusters: [], fleet: [] }));
    expect(pending.packageVariant.reason).toBe('the operator has not rendered the request yet (pending: Validating and preparing resources)');
  });

  it('blocks everything behind a validation failure', () => {
    const t = traceRequest(req(nephioWith('failed', 'Provisioning request validation failed; reason: clusterName,clusterProvisioner is missing in template parameters')), inputs({ packageVariants: [], capiClusters: [], fleet: [] }));
    expect(t.packageVariant).toMatchObject({ status: 'BLOCKED', reason: expect.stringMatching(/^the request failed before rendering: Provisioning request validation failed/) });
    expect(t.stuckAt).toBeNull();
  });

  it('says NOT_SERVED on a hub without Porch or Cluster API (the real O-Cloud Manager renders ClusterInstances)', () => {
    const t = traceRequest(mapProvisioningRequest('hub-2', ocmFulfilled()), { packageVariants: null, capiClusters: null, fleet: [{ name: 'sno1' }] });
    expect([t.packageVariant.status, t.capiCluster.status, t.fleetCluster.status]).toEqual(['NOT_SERVED', 'NOT_SERVED', 'FOUND']);
    expect(t.packageVariant.reason).toBe('hub-2 does not serve config.porch.kpt.dev: no Porch, so its operator renders no PackageVariant');
    expect(t.summary).toBe('complete: 123e4567-e89b-12d3-a456-426614174000 → fleet cluster sno1');
  });

  it('reports REMOVED links while a request is being deleted, and nothing stuck', () => {
    const pr = nephioFulfilled();
    pr.metadata.deletionTimestamp = '2025-02-01T08:00:00Z';
    const t = traceRequest(req(pr), inputs({ packageVariants: [], capiClusters: [], fleet: [] }));
    expect([t.packageVariant.status, t.capiCluster.status, t.fleetCluster.status, t.stuckAt]).toEqual(['REMOVED', 'REMOVED', 'REMOVED', null]);
  });

  it('says UNKNOWN_TARGET when templateParameters name no cluster', () => {
    const pr = nephioWith('progressing', 'Cluster instance rendering completed');
    pr.spec!.templateParameters = {};
    const t = traceRequest(req(pr), inputs({ fleet: [] }));
    expect([t.capiCluster.status, t.fleetCluster.status, t.stuckAt]).toEqual(['UNKNOWN_TARGET', 'UNKNOWN_TARGET', 'CAPI_CLUSTER']);
  });
});

describe('traceRequest on the simulator\'s demo hubs', () => {
  const fleet = generateFleet(DEMO_FLEET);
  const registry = fleet.map((c) => ({ name: c.name }));
  const traceOn = (hub: string, name: string) => {
    const spec = fleet.find((c) => c.name === hub)!;
    // the generator's objects are plain upstream-shaped JSON
    const of = <T>(kind: string) => spec.objects.filter((o) => o.kind === kind) as unknown as T[];
    const pr = of<ProvisioningRequestObject>('ProvisioningRequest').find((o) => o.metadata.name === name)!;
    return traceRequest(mapProvisioningRequest(hub, pr), {
      packageVariants: of<PackageVariantObject>('PackageVariant').map((o) => mapPackageVariant(hub, o)),
      capiClusters: of<CapiClusterObject>('Cluster').map((o) => mapCapiCluster(hub, o)),
      fleet: registry,
    });
  };

  it('completes every fulfilled request on both hubs and finds each stuck sample where it sticks', () => {
    for (const [hub, site] of [['hub-1', 'du-001'], ['hub-2', 'du-002'], ['hub-1', 'du-011'], ['hub-2', 'du-012']]) {
      expect(traceOn(hub, `pr-${site}`).summary).toBe(`complete: pr-${site} → PackageVariant default/pr-${site} → Cluster default/${site} → fleet cluster ${site}`);
    }
    expect(traceOn('hub-1', 'pr-du-013')).toMatchObject({ stuckAt: null, fleetCluster: { status: 'NOT_YET' } });
    expect(traceOn('hub-1', 'pr-du-014')).toMatchObject({ stuckAt: 'CAPI_CLUSTER', capiCluster: { reason: expect.stringContaining('failed to connect to BMC') } });
    expect(traceOn('hub-2', 'pr-du-015')).toMatchObject({ stuckAt: null, packageVariant: { status: 'NOT_YET' } });
    expect(traceOn('hub-2', 'pr-du-016')).toMatchObject({ stuckAt: 'PACKAGE_VARIANT', packageVariant: { reason: expect.stringContaining('is stalled: could not find upstream package revision') } });
  });
});
