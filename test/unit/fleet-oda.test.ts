// The generated ODA Canvases: upstream shapes of Component / ExposedAPI / DependentAPI in v1 (hub,
// regional-east) and v1beta3 (regional-west), operator-written status under the literal `summary/status`
// key, children joined by label and ownerReferences, and the drift a registry check must find.
import { generateFleet } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET, type SimClusterSpec } from '../../simulator/fleet/model.js';
import type { KubeObject } from '../../simulator/types.js';

const demo = generateFleet(DEMO_FLEET);
const cluster = (name: string) => demo.find((c) => c.name === name)!;
const objects = (c: SimClusterSpec, kind: string) => c.objects.filter((o) => o.kind === kind);
const named = (c: SimClusterSpec, kind: string, name: string) => objects(c, kind).find((o) => o.metadata.name === name)!;

type Status = Record<string, unknown> & { 'summary/status': { deployment_status: string; coreAPIsummary: string } };
const status = (o: KubeObject) => o.status as Status;
const deploymentStatus = (o: KubeObject) => status(o)['summary/status'].deployment_status;
interface ApiEntry {
  name: string;
  uid: string;
  url?: string;
  ready: boolean;
}

describe('ODA Canvas on the hub (v1)', () => {
  const hub = cluster('hub-1');

  it('runs four components whose deployment_status sits under the literal summary/status key', () => {
    const components = objects(hub, 'Component');
    expect(components.map((c) => [c.metadata.name, c.apiVersion, deploymentStatus(c)])).toEqual([
      ['r1-partymanagement', 'oda.tmforum.org/v1', 'Complete'],
      ['r1-productcatalogmanagement', 'oda.tmforum.org/v1', 'Complete'],
      ['r1-productinventory', 'oda.tmforum.org/v1', 'Complete'],
      // TMF634 Resource Catalog is exposed by no component of the hub
      ['r1-resourceinventory', 'oda.tmforum.org/v1', 'In-Progress-DepApi'],
    ]);
    for (const c of components) {
      expect(c.status).not.toHaveProperty('summary');
      expect(c.metadata.labels!['oda.tmforum.org/componentName']).toBe(c.metadata.name);
    }
    const spec = named(hub, 'Component', 'r1-productcatalogmanagement').spec as Record<string, Record<string, unknown>>;
    expect(spec.componentMetadata).toMatchObject({ id: 'TMFC001', name: 'productcatalogmanagement', version: '1.2.0', functionalBlock: 'CoreCommerce' });
    expect(spec).not.toHaveProperty('id');
    expect(spec.securityFunction.canvasSystemRole).toBe('Admin');
    const [partyRole] = spec.securityFunction.exposedAPIs as Record<string, unknown>[];
    expect(partyRole.specification).toEqual([{ url: expect.stringContaining('TMF669-PartyRole-v4.0.0'), version: 'v4.0.0' }]);
    expect(partyRole.gatewayConfiguration).toMatchObject({ apiKeyVerification: { enabled: true, location: 'header' }, rateLimit: { enabled: true, limit: '100' } });
    expect(partyRole).not.toHaveProperty('apiKeyVerification');
  });

  it('names ExposedAPIs <component>-<api>-v<major>, owned by and labelled with their component', () => {
    const component = named(hub, 'Component', 'r1-productcatalogmanagement');
    const apis = objects(hub, 'ExposedAPI').filter((a) => a.metadata.labels!['oda.tmforum.org/componentName'] === component.metadata.name);
    expect(apis.map((a) => a.metadata.name).sort()).toEqual([
      'r1-productcatalogmanagement-metrics',
      'r1-productcatalogmanagement-partyrole-v4',
      'r1-productcatalogmanagement-productcatalogmanagement-v4',
      'r1-productcatalogmanagement-promotionmanagement-v4',
    ]);
    for (const a of apis) {
      expect(a.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Component', name: component.metadata.name, uid: component.metadata.uid, controller: true })]);
    }
    const tmf620 = named(hub, 'ExposedAPI', 'r1-productcatalogmanagement-productcatalogmanagement-v4');
    expect(tmf620.spec).toMatchObject({ segment: 'coreFunction', apiType: 'openapi', specification: { url: expect.stringContaining('TMF620'), version: 'v4' } });
    expect(tmf620.status).toEqual({
      apiStatus: expect.objectContaining({
        name: tmf620.metadata.name,
        url: 'https://canvas.apps.hub-1.example.net/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4',
        developerUI: 'https://canvas.apps.hub-1.example.net/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4/docs',
        port: 8080,
        implementation: 'r1-prodcatapi',
      }),
      implementation: { ready: true },
    });
    const partyRole = named(hub, 'ExposedAPI', 'r1-productcatalogmanagement-partyrole-v4').spec as Record<string, unknown>;
    expect(partyRole.apiKeyVerification).toEqual({ enabled: true, location: 'header' });
    expect(partyRole.CORS).toMatchObject({ enabled: true });
  });

  it('lists each child in the component status with its uid, URL and readiness', () => {
    const component = named(hub, 'Component', 'r1-productcatalogmanagement');
    const core = status(component).coreAPIs as ApiEntry[];
    for (const entry of core) {
      const api = named(hub, 'ExposedAPI', entry.name);
      expect(entry.uid).toBe(api.metadata.uid);
      expect(entry.url).toBe((api.status as { apiStatus: { url: string } }).apiStatus.url);
      expect(entry.ready).toBe(true);
    }
    expect(status(component)['summary/status'].coreAPIsummary).toBe(core.map((e) => `${e.url} `).join(''));
  });

  it('resolves DependentAPIs to the URL of a ready ExposedAPI with the same specification', () => {
    const dep = named(hub, 'DependentAPI', 'r1-productinventory-productcatalogmanagement-v4');
    expect(dep.spec).toMatchObject({ name: 'productcatalogmanagement', specification: { url: expect.stringContaining('TMF620'), version: 'v4' }, segment: 'coreFunction' });
    expect(dep.status).toEqual({
      depapiStatus: { url: 'https://canvas.apps.hub-1.example.net/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4', svcInvID: expect.any(String) },
      implementation: { ready: true },
    });
    const waiting = named(hub, 'DependentAPI', 'r1-resourceinventory-resourcecatalog-v4');
    expect(waiting.status).toBeUndefined();
    const entry = (status(named(hub, 'Component', 'r1-resourceinventory')).coreDependentAPIs as ApiEntry[])[0];
    expect(entry).toEqual({ name: waiting.metadata.name, uid: waiting.metadata.uid, ready: false });
  });

  it('shows a component with secretsManagement and its identity registered', () => {
    const s = status(named(hub, 'Component', 'r1-productinventory'));
    expect(s.securitySecretsManagement).toEqual({ name: 'r1-productinventory', uid: expect.any(String), ready: true });
    expect(s.identityConfig).toEqual({ identityProvider: 'Keycloak', listenerRegistered: true });
  });
});

describe('ODA Canvas on regional-east (v1) with drift', () => {
  const east = cluster('regional-east');

  it('keeps the children of the orphan-deleted release r0 without ownerReferences', () => {
    expect(objects(east, 'Component').map((c) => c.metadata.name)).toEqual(['r1-resourcecatalog', 'r1-resourceinventory']);
    const orphans = [...objects(east, 'ExposedAPI'), ...objects(east, 'DependentAPI')].filter((o) => o.metadata.name.startsWith('r0-'));
    expect(orphans.length).toBe(4);
    for (const o of orphans) {
      expect(o.metadata.ownerReferences).toBeUndefined();
      expect(o.metadata.labels!['oda.tmforum.org/componentName']).toBe('r0-resourceinventory');
    }
  });

  it('still lists the metrics API someone deleted by hand in the component status', () => {
    const component = named(east, 'Component', 'r1-resourceinventory');
    const entry = (status(component).managementAPIs as ApiEntry[])[0];
    expect(entry.name).toBe('r1-resourceinventory-metrics');
    expect(objects(east, 'ExposedAPI').some((a) => a.metadata.name === entry.name)).toBe(false);
    expect(deploymentStatus(component)).toBe('Complete');
  });
});

describe('ODA Canvas on regional-west (CRDs serving only v1beta3)', () => {
  const west = cluster('regional-west');

  it('declares the served version and writes every ODA object in the v1beta3 layout', () => {
    expect(west.servedVersions).toEqual({ 'oda.tmforum.org': 'v1beta3' });
    expect(cluster('regional-east').servedVersions).toBeUndefined();
    const oda = west.objects.filter((o) => o.apiVersion.startsWith('oda.tmforum.org/'));
    expect(new Set(oda.map((o) => o.apiVersion))).toEqual(new Set(['oda.tmforum.org/v1beta3']));
    const spec = named(west, 'Component', 'r1-resourceinventory').spec as Record<string, unknown> & { securityFunction: Record<string, unknown>; coreFunction: Record<string, Record<string, unknown>[]> };
    expect(spec).toMatchObject({ id: 'TMFC012', name: 'resourceinventory', functionalBlock: 'Production', version: '1.0.1' });
    expect(spec).not.toHaveProperty('componentMetadata');
    expect(spec.securityFunction.controllerRole).toBe('Admin');
    expect(spec.coreFunction.exposedAPIs[0].specification).toEqual([expect.stringContaining('TMF639')]);
    expect(spec.coreFunction.dependentAPIs[0].specification).toEqual(expect.stringContaining('TMF634'));
    const api = named(west, 'ExposedAPI', 'r1-resourcecatalog-partyrole');
    expect(api.spec).not.toHaveProperty('segment');
    expect((api.spec as { specification: unknown }).specification).toEqual([expect.stringContaining('TMF669')]);
    expect(api.metadata.ownerReferences![0].apiVersion).toBe('oda.tmforum.org/v1beta3');
  });

  it('leaves the API whose implementation never became ready without status.implementation, and the component In-Progress-CompCon', () => {
    const component = named(west, 'Component', 'r1-resourceinventory');
    expect(deploymentStatus(component)).toBe('In-Progress-CompCon');
    const api = named(west, 'ExposedAPI', 'r1-resourceinventory-resourceinventorymanagement');
    expect(api.status).toEqual({ apiStatus: expect.objectContaining({ url: expect.stringContaining('regional-west') }) });
    expect((status(component).coreAPIs as ApiEntry[])[0]).toMatchObject({ uid: api.metadata.uid, ready: false });
    // its dependency resolves anyway (the dependent API operator works on its own)
    expect(named(west, 'DependentAPI', 'r1-resourceinventory-resourcecatalog').status).toMatchObject({ implementation: { ready: true } });
  });
});
