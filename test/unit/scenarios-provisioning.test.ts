// The simulated o2ims operators: a ProvisioningRequest walks its hub's CRD variant (hub-1 Nephio,
// hub-2 O-Cloud Manager) with the PackageVariant and Cluster API Cluster it produces, the timeout and
// stall templates end as upstream would, and deletion tears everything down including the edge cluster.
import { startScenario, startProvisioningOperator, provisioningDurationsMs } from '../../simulator/scenarios/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import type { KubeObject, StoreEvent } from '../../simulator/types.js';
import { telemetryFor } from '../../simulator/exporters/index.js';
import { testRuntime, type TestRuntime } from './scenarios-runtime.js';

type Cond = { type: string; status: string; reason?: string; message?: string; severity?: string };
const nephio = (o: KubeObject) => (o.status as { provisioningStatus: { provisioningState: string; provisioningMessage: string } }).provisioningStatus;
const ocm = (o: KubeObject) =>
  o.status as {
    provisioningStatus: { provisioningPhase: string; provisioningDetails: string; updateTime: string; provisionedResources?: { oCloudNodeClusterId: string } };
    conditions: Cond[];
    observedGeneration: number;
    extensions?: { clusterDetails?: { name: string; ztpStatus: string }; policies?: unknown[]; allocatedNodeHostMap?: Record<string, string> };
  };
const conditions = (o: KubeObject | undefined) => ((o?.status as { conditions?: Cond[] } | undefined)?.conditions ?? []);
const cond = (o: KubeObject | undefined, type: string) => conditions(o).find((c) => c.type === type);

function watch(rt: TestRuntime, hub: string, kind: string): StoreEvent[] {
  const events: StoreEvent[] = [];
  rt.cluster(hub).store.subscribe(kind, (e) => events.push(e));
  return events;
}

const flush = () => new Promise((r) => setImmediate(r));

async function advance(rt: TestRuntime, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 500) {
    rt.advance(Math.min(500, ms - t));
    await flush();
  }
}

describe('provisioning-lifecycle on a Nephio hub', () => {
  it('writes the operator messages, renders a PackageVariant, follows the CAPI Cluster to Provisioned and adds the edge cluster', async () => {
    const rt = testRuntime();
    const hub = rt.cluster('hub-1');
    const events = watch(rt, 'hub-1', K.provisioningRequests);
    const handle = startScenario(rt, 'provisioning-lifecycle', {});
    const name = events[0].object.metadata.name;
    expect(name).toBe('pr-du-017'); // du-013 … du-016 are the sample requests of hub-1 and hub-2
    const pr = () => hub.store.get(K.provisioningRequests, undefined, name)!;
    expect(pr().metadata.finalizers).toEqual(['provisioningrequests.o2ims.provisioning.oran.org']);
    expect(pr().spec).toMatchObject({ templateName: 'sno-ran-du', templateVersion: 'v4.18.0-1', templateParameters: { clusterName: 'du-017', clusterProvisioner: 'capi' } });

    rt.advance(2_100);
    const pv = () => hub.store.get(K.packageVariants, 'default', name);
    expect(pv()!.spec).toMatchObject({ upstream: { repo: 'catalog-infra-capi', package: 'sno-ran-du', revision: 'v4.18.0-1' }, downstream: { repo: 'mgmt', package: 'du-017' } });
    expect(pv()!.status).toBeUndefined();
    rt.advance(2_000);
    expect(cond(pv(), 'Ready')).toMatchObject({ status: 'True', reason: 'NoErrors', message: 'successfully ensured downstream package variant' });
    expect(cond(pv(), 'Stalled')).toMatchObject({ status: 'False', reason: 'Valid', message: 'all validation checks passed' });
    expect((pv()!.status as { downstreamTargets: { name: string }[] }).downstreamTargets).toEqual([{ name: 'mgmt.du-017.packagevariant-1' }]);

    rt.advance(1_000);
    const capi = () => hub.store.get(K.capiClusters, 'default', 'du-017');
    expect(capi()!.status).toMatchObject({ phase: 'Pending', infrastructureReady: false, controlPlaneReady: false });
    rt.advance(2_000);
    expect(capi()!.status).toMatchObject({ phase: 'Provisioning', infrastructureReady: true, controlPlaneReady: false });
    expect(cond(capi(), 'ControlPlaneReady')).toMatchObject({ status: 'False', severity: 'Info', reason: 'WaitingForControlPlane' });
    await advance(rt, 3_000);
    await handle.done;
    expect(capi()!.status).toMatchObject({ phase: 'Provisioned', infrastructureReady: true, controlPlaneReady: true });
    expect(conditions(capi()).every((c) => c.status === 'True')).toBe(true);

    // created as a client would, then taken by the operator
    expect(events[0].type).toBe('ADDED');
    expect(events[0].object).not.toHaveProperty('status');
    expect(events.slice(1).map((e) => `${nephio(e.object).provisioningState}: ${nephio(e.object).provisioningMessage}`)).toEqual([
      'progressing: Cluster provisioning request received',
      'progressing: Provisioning request validation done',
      'progressing: Cluster instance rendering ongoing',
      'progressing: Cluster instance rendering completed',
      'progressing: Cluster resource creation ongoing',
      'fulfilled: Cluster resource created',
    ]);
    expect((pr().status as { provisionedResourceSet: { oCloudNodeClusterId: string; oCloudInfrastructureResourceIds: string[] } }).provisionedResourceSet).toEqual({
      oCloudNodeClusterId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      oCloudInfrastructureResourceIds: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
    });
    expect(rt.added.map((s) => s.name)).toEqual(['du-017']);
    expect(rt.cluster('du-017').store.get(K.nodes, undefined, 'du-017-sno')).toBeDefined();
    expect(telemetryFor(rt.cluster('du-017')).ptp('du-017-sno')).toBeDefined();
  });

  it('times out on the bmc-unreachable template: the CAPI Cluster stays Provisioning with the provider message, no cluster added', async () => {
    const rt = testRuntime();
    const handle = startScenario(rt, 'provisioning-lifecycle', { clusterName: 'du-100', template: 'timeout', creationTimeoutSeconds: 8, timeScale: 5 });
    const hub = rt.cluster('hub-1');
    await advance(rt, ((5 + 8) * 1000) / 5 - 200);
    expect(nephio(hub.store.get(K.provisioningRequests, undefined, 'pr-du-100')!).provisioningState).toBe('progressing');
    await advance(rt, 400);
    await handle.done;
    const pr = hub.store.get(K.provisioningRequests, undefined, 'pr-du-100')!;
    expect(pr.spec).toMatchObject({ templateName: 'sno-ran-du-bmc-unreachable', templateParameters: { creationTimeout: 8 } });
    expect(nephio(pr)).toMatchObject({ provisioningState: 'failed', provisioningMessage: 'Cluster resource creation failed reached timeout' });
    const capi = hub.store.get(K.capiClusters, 'default', 'du-100')!;
    expect(capi.status).toMatchObject({ phase: 'Provisioning', infrastructureReady: false });
    expect(cond(capi, 'InfrastructureReady')).toMatchObject({ status: 'False', severity: 'Warning', reason: 'WaitingForInfrastructure', message: expect.stringContaining('failed to connect to BMC') });
    expect(rt.added).toHaveLength(0);
  });

  it('stalls the PackageVariant of the unpublished template and fails the request with the operator\'s rendering message', async () => {
    const rt = testRuntime();
    const handle = startScenario(rt, 'provisioning-lifecycle', { clusterName: 'du-101', stall: true });
    await advance(rt, 4_500);
    await handle.done;
    const hub = rt.cluster('hub-1');
    const pv = hub.store.get(K.packageVariants, 'default', 'pr-du-101');
    expect(cond(pv, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'ValidationError',
      message: 'could not find upstream package revision &v1alpha1.Upstream{Repo:"catalog-infra-capi", Package:"sno-ran-du-unpublished", Revision:"v4.18.0-1"}',
    });
    expect(cond(pv, 'Ready')).toMatchObject({ status: 'False', reason: 'Error', message: 'invalid packagevariant object' });
    expect(nephio(hub.store.get(K.provisioningRequests, undefined, 'pr-du-101')!)).toMatchObject({ provisioningState: 'failed', provisioningMessage: 'Cluster instance rendering failed Error' });
    expect(hub.store.get(K.capiClusters, 'default', 'du-101')).toBeUndefined();
  });

  it('refuses bad parameters before changing anything', () => {
    const rt = testRuntime();
    expect(() => startScenario(rt, 'provisioning-lifecycle', { hub: 'du-001' })).toThrow('provisioning-lifecycle: cluster "du-001" is not a management (hub) cluster');
    expect(() => startScenario(rt, 'provisioning-lifecycle', { template: 'nope' })).toThrow('"template" must be one of ok, timeout, stall');
    expect(() => startScenario(rt, 'provisioning-lifecycle', { clusterName: 'du-001' })).toThrow('cluster "du-001" already exists');
    expect(() => startScenario(rt, 'provisioning-lifecycle', { name: 'pr-du-001' })).toThrow('already has a status');
    expect(rt.cluster('hub-1').store.count(K.provisioningRequests)).toBe(8);
  });
});

describe('provisioning-lifecycle on an O-Cloud Manager hub', () => {
  it('goes pending → progressing → fulfilled with conditions, extensions and provisionedResources', async () => {
    const rt = testRuntime();
    const events = watch(rt, 'hub-2', K.provisioningRequests);
    const handle = startScenario(rt, 'provisioning-lifecycle', { hub: 'hub-2', clusterName: 'du-102', region: 'west' });
    await advance(rt, 10_500);
    await handle.done;
    const phases = events.slice(1).map((e) => `${ocm(e.object).provisioningStatus.provisioningPhase}: ${ocm(e.object).provisioningStatus.provisioningDetails}`);
    expect(phases).toEqual([
      'pending: Validating and preparing resources',
      'pending: Validating and preparing resources',
      'progressing: Rendering and validating the cluster resources',
      'progressing: Rendering and validating the cluster resources',
      'progressing: Cluster installation is in progress',
      'fulfilled: Provisioning request has completed successfully',
    ]);
    const pr = rt.cluster('hub-2').store.get(K.provisioningRequests, undefined, 'pr-du-102')!;
    expect(pr.metadata.finalizers).toEqual(['provisioningrequest.o2ims.provisioning.oran.org/finalizer']);
    expect(pr.spec).toMatchObject({ templateParameters: { nodeClusterName: 'du-102', oCloudSiteId: 'site-du-102', clusterInstanceParameters: { clusterName: 'du-102' } } });
    const status = ocm(pr);
    expect(status.provisioningStatus).not.toHaveProperty('provisioningState');
    expect(status.provisioningStatus.provisionedResources!.oCloudNodeClusterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(status.observedGeneration).toBe(1);
    expect(status.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      'ProvisioningRequestValidated=True/Completed',
      'ClusterInstanceRendered=True/Completed',
      'ClusterResourcesCreated=True/Completed',
      'ClusterInstanceProcessed=True/Completed',
      'ClusterProvisioned=True/Completed',
      'ConfigurationApplied=True/Completed',
    ]);
    expect(status.extensions).toMatchObject({ clusterDetails: { name: 'du-102', ztpStatus: 'ZTP Done' }, policies: expect.any(Array), allocatedNodeHostMap: expect.any(Object) });
    // the new site takes its fleet labels from clusterInstanceParameters.extraLabels.ManagedCluster
    expect(rt.cluster('du-102').spec.labels).toEqual({ site: 'du-102', region: 'west', role: 'edge' });
  });

  it('fails with the stalled PackageVariant in provisioningDetails and a ClusterInstanceRendered=False condition', async () => {
    const rt = testRuntime();
    const handle = startScenario(rt, 'provisioning-lifecycle', { hub: 'hub-2', clusterName: 'du-103', template: 'stall' });
    await advance(rt, 4_500);
    await handle.done;
    const status = ocm(rt.cluster('hub-2').store.get(K.provisioningRequests, undefined, 'pr-du-103')!);
    expect(status.provisioningStatus.provisioningPhase).toBe('failed');
    expect(status.provisioningStatus.provisioningDetails).toMatch(/^Failed to render and validate ClusterInstance: could not find upstream package revision/);
    expect(status.conditions.find((c) => c.type === 'ClusterInstanceRendered')).toMatchObject({ status: 'False', reason: 'Failed' });
  });
});

describe('the o2ims operator', () => {
  it('drives requests that clients create on either hub, and fails the ones its validation refuses', async () => {
    const rt = testRuntime();
    const stop = startProvisioningOperator(rt, { timeScale: 10 });
    const hub1 = rt.cluster('hub-1').store;
    const hub2 = rt.cluster('hub-2').store;
    const request = (name: string, templateParameters: Record<string, unknown>): KubeObject => ({
      apiVersion: 'o2ims.provisioning.oran.org/v1alpha1',
      kind: 'ProvisioningRequest',
      metadata: { name },
      spec: { templateName: 'sno-ran-du', templateVersion: 'v4.18.0-1', templateParameters },
    });
    hub1.create(K.provisioningRequests, request('edge-west-77', { clusterName: 'du-077', clusterProvisioner: 'capi', labels: { region: 'west' } }));
    hub1.create(K.provisioningRequests, request('no-provisioner', { clusterName: 'du-078' }));
    hub2.create(K.provisioningRequests, request('no-site', { nodeClusterName: 'du-079', clusterInstanceParameters: {}, policyTemplateParameters: {} }));
    await flush();
    expect(nephio(hub1.get(K.provisioningRequests, undefined, 'edge-west-77')!).provisioningMessage).toBe('Cluster provisioning request received');
    expect(ocm(hub2.get(K.provisioningRequests, undefined, 'no-site')!).provisioningStatus.provisioningPhase).toBe('pending');
    await advance(rt, provisioningDurationsMs(10).fulfilled + 200);
    expect(nephio(hub1.get(K.provisioningRequests, undefined, 'edge-west-77')!).provisioningState).toBe('fulfilled');
    expect(rt.cluster('du-077').spec.labels).toEqual({ site: 'du-077', region: 'west', role: 'edge' });
    expect(nephio(hub1.get(K.provisioningRequests, undefined, 'no-provisioner')!)).toEqual(
      expect.objectContaining({ provisioningState: 'failed', provisioningMessage: 'Provisioning request validation failed; reason: clusterName,clusterProvisioner is missing in template parameters' }),
    );
    const refused = ocm(hub2.get(K.provisioningRequests, undefined, 'no-site')!);
    expect(refused.provisioningStatus.provisioningPhase).toBe('failed');
    expect(refused.conditions[0]).toMatchObject({ type: 'ProvisioningRequestValidated', status: 'False', reason: 'Failed' });
    expect(rt.added.map((s) => s.name)).toEqual(['du-077']);
    stop();
  });

  it('tears a fulfilled request down on deletion: deleting, PackageVariant gone, CAPI Deleting, edge cluster removed, request gone', async () => {
    const rt = testRuntime();
    const stop = startProvisioningOperator(rt, { timeScale: 2 });
    const hub = rt.cluster('hub-1').store;
    const events = watch(rt, 'hub-1', K.provisioningRequests);
    expect(rt.clusters.has('du-001')).toBe(true);
    // what the API server does on DELETE of an object with a finalizer
    hub.mutate(K.provisioningRequests, undefined, 'pr-du-001', (o) => ({ ...o, metadata: { ...o.metadata, deletionTimestamp: '2025-06-02T09:00:00Z' } }));
    await flush();
    expect(nephio(hub.get(K.provisioningRequests, undefined, 'pr-du-001')!)).toMatchObject({ provisioningState: 'deleting', provisioningMessage: 'Cluster resource deletion ongoing' });
    await advance(rt, 600);
    expect(hub.get(K.packageVariants, 'default', 'pr-du-001')).toBeUndefined();
    expect(hub.get(K.capiClusters, 'default', 'du-001')!.status).toMatchObject({ phase: 'Deleting' });
    expect(rt.clusters.has('du-001')).toBe(true);
    await advance(rt, provisioningDurationsMs(2).deleted);
    expect(hub.get(K.capiClusters, 'default', 'du-001')).toBeUndefined();
    expect(rt.removed).toEqual(['du-001']);
    expect(hub.get(K.provisioningRequests, undefined, 'pr-du-001')).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'MODIFIED', 'DELETED']);
    stop();
  });

  it('stops a lifecycle when its request is deleted midway and removes nothing it did not create', async () => {
    const rt = testRuntime();
    const stop = startProvisioningOperator(rt, { timeScale: 10 });
    const handle = startScenario(rt, 'provisioning-lifecycle', { hub: 'hub-2', clusterName: 'du-110', timeScale: 10 });
    await advance(rt, 600); // past `creating`: the CAPI Cluster exists, no edge cluster yet
    const hub = rt.cluster('hub-2').store;
    expect(hub.get(K.capiClusters, 'default', 'du-110')).toBeDefined();
    const del = startScenario(rt, 'provisioning-delete', { hub: 'hub-2', name: 'pr-du-110', timeScale: 10 });
    expect(() => startScenario(rt, 'provisioning-delete', { hub: 'hub-2', name: 'pr-du-110' })).toThrow('already being deleted');
    await advance(rt, 1_000);
    await Promise.all([handle.done, del.done]);
    expect(hub.get(K.provisioningRequests, undefined, 'pr-du-110')).toBeUndefined();
    expect(hub.get(K.capiClusters, 'default', 'du-110')).toBeUndefined();
    expect(rt.added).toHaveLength(0);
    expect(rt.removed).toHaveLength(0);
    stop();
  });

  it('refuses to delete what is not there', () => {
    const rt = testRuntime();
    expect(() => startScenario(rt, 'provisioning-delete', {})).toThrow('give "name"');
    expect(() => startScenario(rt, 'provisioning-delete', { name: 'nope' })).toThrow('no ProvisioningRequest "nope" on hub-1');
  });
});
