// The O2IMS objects of the generated management clusters: one ProvisioningRequest CRD variant per hub,
// and for every request the PackageVariant and Cluster API Cluster its operator had produced, in the
// upstream shapes (Porch PackageVariant, cluster.x-k8s.io/v1beta1 Cluster).
import { generateFleet } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET, type SimClusterSpec } from '../../simulator/fleet/model.js';
import { crdVariant } from '../../simulator/fleet/o2ims.js';
import type { KubeObject } from '../../simulator/types.js';

const demo = generateFleet(DEMO_FLEET);
const hub = (name: string): SimClusterSpec => demo.find((c) => c.name === name)!;
const of = (c: SimClusterSpec, kind: string) => c.objects.filter((o) => o.kind === kind);
const named = (c: SimClusterSpec, kind: string, name: string): KubeObject | undefined => of(c, kind).find((o) => o.metadata.name === name);
type Cond = { type: string; status: string; reason?: string; message?: string };
const conditions = (o: KubeObject | undefined) => ((o?.status as { conditions?: Cond[] } | undefined)?.conditions ?? []);

describe('O2IMS on the demo hubs', () => {
  it('serves the Nephio CRD on hub-1 and the O-Cloud Manager CRD on hub-2, under the same name', () => {
    const crds = ['hub-1', 'hub-2'].map((h) => named(hub(h), 'CustomResourceDefinition', 'provisioningrequests.o2ims.provisioning.oran.org'));
    expect(crds.map((c) => crdVariant(c))).toEqual(['nephio', 'openshift']);
    for (const h of ['hub-1', 'hub-2']) {
      expect(named(hub(h), 'CustomResourceDefinition', 'packagevariants.config.porch.kpt.dev')).toBeDefined();
      expect(named(hub(h), 'CustomResourceDefinition', 'clusters.cluster.x-k8s.io')).toBeDefined();
    }
    // the requests of each hub are in its variant only
    for (const pr of of(hub('hub-1'), 'ProvisioningRequest')) expect(pr.status).toHaveProperty('provisioningStatus.provisioningState');
    for (const pr of of(hub('hub-2'), 'ProvisioningRequest')) {
      expect(pr.status).toHaveProperty('provisioningStatus.provisioningPhase');
      expect(pr.status).not.toHaveProperty('provisioningStatus.provisioningState');
    }
  });

  it('gives every fulfilled request a Ready PackageVariant named after it and a Provisioned CAPI Cluster named after its site', () => {
    for (const h of ['hub-1', 'hub-2']) {
      const fulfilled = of(hub(h), 'ProvisioningRequest').filter((p) => JSON.stringify(p.status).includes('"fulfilled"'));
      expect(fulfilled).toHaveLength(6);
      for (const pr of fulfilled) {
        const site = pr.metadata.name.replace(/^pr-/, '');
        const pv = of(hub(h), 'PackageVariant').find((o) => o.metadata.name === pr.metadata.name)!;
        expect(pv.metadata.namespace).toBe('default');
        expect(pv.spec).toMatchObject({ upstream: { repo: 'catalog-infra-capi', package: 'sno-ran-du' }, downstream: { repo: 'mgmt', package: site } });
        expect(conditions(pv).find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'NoErrors' });
        const capi = named(hub(h), 'Cluster', site)!;
        expect(capi.apiVersion).toBe('cluster.x-k8s.io/v1beta1');
        expect(capi.status).toMatchObject({ phase: 'Provisioned', infrastructureReady: true, controlPlaneReady: true });
        expect(conditions(capi).map((c) => c.type).sort()).toEqual(['ControlPlaneInitialized', 'ControlPlaneReady', 'InfrastructureReady', 'Ready']);
        expect(pr.metadata.finalizers).toHaveLength(1);
      }
    }
  });

  it('has one sample request stuck each way: installing and timed out on hub-1, pending and stalled on hub-2', () => {
    const h1 = hub('hub-1');
    const installing = named(h1, 'ProvisioningRequest', 'pr-du-013')!;
    expect(installing.status).toMatchObject({ provisioningStatus: { provisioningState: 'progressing', provisioningMessage: 'Cluster resource creation ongoing' } });
    expect(named(h1, 'Cluster', 'du-013')!.status).toMatchObject({ phase: 'Provisioning', infrastructureReady: true });
    const timedOut = named(h1, 'ProvisioningRequest', 'pr-du-014')!;
    expect(timedOut.spec).toMatchObject({ templateName: 'sno-ran-du-bmc-unreachable' });
    expect(timedOut.status).toMatchObject({ provisioningStatus: { provisioningState: 'failed', provisioningMessage: 'Cluster resource creation failed reached timeout' } });
    expect(conditions(named(h1, 'Cluster', 'du-014')).find((c) => c.type === 'InfrastructureReady')).toMatchObject({ status: 'False', message: expect.stringContaining('BMC') });

    const h2 = hub('hub-2');
    const pending = named(h2, 'ProvisioningRequest', 'pr-du-015')!;
    expect(pending.status).toMatchObject({ provisioningStatus: { provisioningPhase: 'pending', provisioningDetails: 'Validating and preparing resources' } });
    expect(named(h2, 'PackageVariant', 'pr-du-015')).toBeUndefined();
    const stalled = named(h2, 'ProvisioningRequest', 'pr-du-016')!;
    expect(stalled.spec).toMatchObject({ templateName: 'sno-ran-du-unpublished' });
    expect(stalled.status).toMatchObject({ provisioningStatus: { provisioningPhase: 'failed' } });
    expect(conditions(named(h2, 'PackageVariant', 'pr-du-016')).find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'ValidationError' });
    expect(named(h2, 'Cluster', 'du-016')).toBeUndefined();
  });

  it('writes the O-Cloud Manager status with conditions, observedGeneration and extensions on fulfilled requests', () => {
    const pr = named(hub('hub-2'), 'ProvisioningRequest', 'pr-du-002')!;
    const status = pr.status as { observedGeneration: number; conditions: Cond[]; extensions: Record<string, unknown>; provisioningStatus: Record<string, unknown> };
    expect(status.observedGeneration).toBe(1);
    expect(status.conditions.every((c) => c.status === 'True')).toBe(true);
    expect(status.extensions).toMatchObject({ clusterDetails: { name: 'du-002', ztpStatus: 'ZTP Done' } });
    expect(status.provisioningStatus).toMatchObject({ provisioningPhase: 'fulfilled', provisionedResources: { oCloudNodeClusterId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
  });
});
