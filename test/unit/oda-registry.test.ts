// The registry view: children joined to their Component (ownerReference uid, else label), declared
// APIs matched to the ExposedAPIs that implement them, the consistency check with reasons (orphans,
// missing children, APIs not ready longer than a threshold) and the counts — on hand-written upstream
// objects and on the generated demo fleet's canvases (both layouts).
import { generateFleet } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET } from '../../simulator/fleet/model.js';
import { NotReadyClock } from '../../subgraphs/oda/changes.js';
import { belongsTo, childrenOf, componentOf, declaredApiInstances, providerOf, registryCounts, registryFindings, type RegistryObjects } from '../../subgraphs/oda/registry.js';
import { mapComponent, mapDependentApi, mapExposedApi } from '../../subgraphs/oda/sources.js';
import type { ComponentObject, DependentApiObject, ExposedApiObject } from '../../subgraphs/oda/upstream.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';

const NOW = Date.parse('2025-06-02T08:00:00Z');
const LONG_AGO = '2025-05-01T00:00:00Z';
const TMF637 = 'https://raw.githubusercontent.com/tmforum-apis/TMF637_ProductInventory/master/TMF637-ProductInventory-v4.0.0.swagger.json';
const TMF637_V5 = 'https://raw.githubusercontent.com/tmforum-apis/TMF637_ProductInventory/master/TMF637-ProductInventory-v5.0.0.oas.yaml';
const TMF620 = 'https://raw.githubusercontent.com/tmforum-apis/TMF620_ProductCatalog/master/TMF620-ProductCatalog-v4.0.0.swagger.json';

function component(name: string, uid: string, created = LONG_AGO): ComponentObject {
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'Component',
    metadata: { name, namespace: 'components', uid, creationTimestamp: created, labels: { 'oda.tmforum.org/componentName': name } },
    spec: {
      componentMetadata: { id: 'TMFC005', name: 'productinventory', version: '1.2.0' },
      coreFunction: {
        exposedAPIs: [{ name: 'productinventorymanagement', specification: [{ url: TMF637, version: 'v4.0.0' }, { url: TMF637_V5, version: 'v5.0.0' }], implementation: 'svc', path: '/p', port: 8080 }],
        dependentAPIs: [{ name: 'productcatalogmanagement', specification: [{ url: TMF620, version: 'v4.0.0' }] }],
      },
      managementFunction: { exposedAPIs: [{ name: 'metrics', apiType: 'prometheus', implementation: 'sm', path: '/m', port: 4000 }] },
      securityFunction: { exposedAPIs: [] },
    },
    status: {
      coreAPIs: [
        { name: `${name}-productinventorymanagement-v4`, uid: `${uid}-v4`, url: `https://gw/${name}/v4`, ready: true },
        { name: `${name}-productinventorymanagement-v5`, uid: `${uid}-v5`, ready: false },
      ],
      managementAPIs: [{ name: `${name}-metrics`, uid: 'deleted-by-hand', url: 'https://gw/m', ready: true }],
      'summary/status': { deployment_status: 'In-Progress-CompCon' },
    },
  };
}

function exposed(name: string, apiName: string, spec: { url: string; version: string } | undefined, link: { owner?: { name: string; uid: string }; label?: string }, status?: ExposedApiObject['status'], created = LONG_AGO, uid = `${name}-uid`): ExposedApiObject {
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'ExposedAPI',
    metadata: {
      name,
      namespace: 'components',
      uid,
      creationTimestamp: created,
      ...(link.label ? { labels: { 'oda.tmforum.org/componentName': link.label } } : {}),
      ...(link.owner ? { ownerReferences: [{ apiVersion: 'oda.tmforum.org/v1', kind: 'Component', name: link.owner.name, uid: link.owner.uid, controller: true }] } : {}),
    },
    spec: { name: apiName, ...(spec ? { specification: spec } : {}), segment: apiName === 'metrics' ? 'managementFunction' : 'coreFunction' },
    ...(status ? { status } : {}),
  };
}

function dependent(name: string, link: { owner?: { name: string; uid: string }; label?: string }, status?: DependentApiObject['status']): DependentApiObject {
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'DependentAPI',
    metadata: {
      name,
      namespace: 'components',
      uid: `${name}-uid`,
      creationTimestamp: LONG_AGO,
      ...(link.label ? { labels: { 'oda.tmforum.org/componentName': link.label } } : {}),
      ...(link.owner ? { ownerReferences: [{ apiVersion: 'oda.tmforum.org/v1', kind: 'Component', name: link.owner.name, uid: link.owner.uid, controller: true }] } : {}),
    },
    spec: { name: 'productcatalogmanagement', specification: { url: TMF620, version: 'v4' }, segment: 'coreFunction' },
    ...(status ? { status } : {}),
  };
}

const owner = { name: 'r2-productinventory', uid: 'c2' };
const ready = (url: string) => ({ apiStatus: { url }, implementation: { ready: true } });

function objects(): RegistryObjects {
  return {
    components: [mapComponent('hub-1', component('r2-productinventory', 'c2'))],
    exposedApis: [
      exposed('r2-productinventory-productinventorymanagement-v4', 'productinventorymanagement', { url: TMF637, version: 'v4' }, { owner, label: owner.name }, ready('https://gw/r2-productinventory/v4'), LONG_AGO, 'c2-v4'),
      // v5 created by the upgrade: published, its implementation not ready
      exposed('r2-productinventory-productinventorymanagement-v5', 'productinventorymanagement', { url: TMF637_V5, version: 'v5' }, { owner, label: owner.name }, { apiStatus: { url: 'https://gw/v5' } }, LONG_AGO, 'c2-v5'),
      // left by a release deleted with --cascade=orphan: label only
      exposed('r0-productinventory-metrics', 'metrics', undefined, { label: 'r0-productinventory' }, ready('https://gw/r0/m')),
      // owned by an earlier incarnation of r2 (same name, other uid)
      exposed('r2-productinventory-old', 'old', undefined, { owner: { name: owner.name, uid: 'c2-before' } }),
      // created by hand, linked to nothing
      exposed('handmade', 'x', undefined, {}),
    ].map((o) => mapExposedApi('hub-1', o)),
    dependentApis: [
      dependent('r2-productinventory-productcatalogmanagement-v4', { owner, label: owner.name }, { depapiStatus: { url: 'https://gw/r1-productcatalogmanagement/v4' }, implementation: { ready: true } }),
      dependent('r0-productinventory-productcatalogmanagement-v4', { label: 'r0-productinventory' }),
    ].map((o) => mapDependentApi('hub-1', o)),
  };
}

describe('joining children to their Component', () => {
  const o = objects();
  const c = o.components[0];

  it('matches by ownerReference uid when there is one, else by the componentName label', () => {
    expect(childrenOf(c, o.exposedApis).map((a) => a.name)).toEqual(['r2-productinventory-productinventorymanagement-v4', 'r2-productinventory-productinventorymanagement-v5']);
    const stale = o.exposedApis.find((a) => a.name === 'r2-productinventory-old')!;
    expect(belongsTo(stale, c)).toBe(false);
    expect(componentOf(o.exposedApis.find((a) => a.name === 'r0-productinventory-metrics')!, o.components)).toBeNull();
    const labelOnly = mapExposedApi('hub-1', exposed('r2-productinventory-metrics', 'metrics', undefined, { label: owner.name }));
    expect(componentOf(labelOnly, o.components)?.name).toBe('r2-productinventory');
    expect(belongsTo({ ...labelOnly, clusterName: 'hub-2' }, c)).toBe(false);
    expect(belongsTo({ ...labelOnly, namespace: 'other' }, c)).toBe(false);
  });

  it('pairs every declared API version with its ExposedAPI and the status entry the operator wrote for it', () => {
    const instances = declaredApiInstances(c, o.exposedApis);
    expect(instances.map((i) => [i.declared.name, i.specification?.majorVersion ?? null, i.exposedApi?.name ?? null, i.status?.name ?? null])).toEqual([
      ['productinventorymanagement', 'v4', 'r2-productinventory-productinventorymanagement-v4', 'r2-productinventory-productinventorymanagement-v4'],
      ['productinventorymanagement', 'v5', 'r2-productinventory-productinventorymanagement-v5', 'r2-productinventory-productinventorymanagement-v5'],
      // deleted by hand: the status still lists it (matched by the operator's naming)
      ['metrics', null, null, 'r2-productinventory-metrics'],
    ]);
  });

  it('finds the ExposedAPI a DependentAPI resolved to, by URL', () => {
    const provider = mapExposedApi('hub-1', exposed('r1-productcatalogmanagement-productcatalogmanagement-v4', 'productcatalogmanagement', { url: TMF620, version: 'v4' }, { label: 'r1-productcatalogmanagement' }, ready('https://gw/r1-productcatalogmanagement/v4')));
    expect(providerOf(o.dependentApis[0], [...o.exposedApis, provider])?.name).toBe(provider.name);
    expect(providerOf(o.dependentApis[1], [provider])).toBeNull();
  });
});

describe('registry consistency check', () => {
  it('lists orphans, missing children and APIs not ready beyond the threshold, each with a reason', () => {
    const findings = registryFindings(objects(), { now: NOW, olderThanSeconds: 300 });
    expect(findings.map((f) => [f.reason, f.objectKind, f.objectName, f.componentName])).toEqual([
      ['ORPHANED_EXPOSED_API', 'ExposedAPI', 'handmade', null],
      ['ORPHANED_DEPENDENT_API', 'DependentAPI', 'r0-productinventory-productcatalogmanagement-v4', 'r0-productinventory'],
      ['ORPHANED_EXPOSED_API', 'ExposedAPI', 'r0-productinventory-metrics', 'r0-productinventory'],
      ['EXPOSED_API_NOT_READY', 'ExposedAPI', 'r2-productinventory-productinventorymanagement-v5', 'r2-productinventory'],
      ['MISSING_EXPOSED_API', 'Component', 'r2-productinventory', 'r2-productinventory'],
      ['ORPHANED_EXPOSED_API', 'ExposedAPI', 'r2-productinventory-old', 'r2-productinventory'],
    ]);
    const byName = new Map(findings.map((f) => [`${f.reason} ${f.objectName}`, f]));
    expect(byName.get('ORPHANED_EXPOSED_API handmade')!.message).toBe('ExposedAPI handmade has neither an ownerReference to a Component nor the oda.tmforum.org/componentName label');
    expect(byName.get('ORPHANED_EXPOSED_API r0-productinventory-metrics')!.message).toBe('ExposedAPI r0-productinventory-metrics is labelled for Component r0-productinventory, which does not exist in namespace components');
    expect(byName.get('ORPHANED_EXPOSED_API r2-productinventory-old')!.message).toContain('(uid c2-before), which no longer exists');
    expect(byName.get('MISSING_EXPOSED_API r2-productinventory')!).toMatchObject({
      apiName: 'metrics',
      message: 'Component r2-productinventory declares management API metrics but no ExposedAPI implements it (its status still lists r2-productinventory-metrics)',
    });
    expect(byName.get('EXPOSED_API_NOT_READY r2-productinventory-productinventorymanagement-v5')!).toMatchObject({
      since: '2025-05-01T00:00:00.000Z',
      message: 'ExposedAPI r2-productinventory-productinventorymanagement-v5 (published at https://gw/v5) has no ready implementation since 2025-05-01T00:00:00.000Z',
    });
  });

  it('waits for the threshold before calling an API not ready or a child missing (the operator may still be at work)', () => {
    const fresh = new Date(NOW - 60_000).toISOString();
    const o: RegistryObjects = {
      components: [mapComponent('hub-1', component('r3-productinventory', 'c3', fresh))],
      exposedApis: [mapExposedApi('hub-1', exposed('r3-productinventory-productinventorymanagement-v4', 'productinventorymanagement', { url: TMF637, version: 'v4' }, { owner: { name: 'r3-productinventory', uid: 'c3' } }, undefined, fresh))],
      dependentApis: [],
    };
    expect(registryFindings(o, { now: NOW, olderThanSeconds: 300 })).toEqual([]);
    expect(registryFindings(o, { now: NOW, olderThanSeconds: 30 }).map((f) => f.reason)).toEqual(['EXPOSED_API_NOT_READY', 'MISSING_DEPENDENT_API', 'MISSING_EXPOSED_API', 'MISSING_EXPOSED_API']);
  });

  it('counts not-ready time from when a watch saw an API turn not ready, not from its creation', () => {
    const clock = new NotReadyClock();
    clock.observe('c2-v5', true, NOW - 3_600_000);
    clock.observe('c2-v5', false, NOW - 120_000);
    const options = { now: NOW, olderThanSeconds: 300, notReadySince: clock.notReadySince };
    expect(registryFindings(objects(), options).map((f) => f.reason)).not.toContain('EXPOSED_API_NOT_READY');
    expect(registryFindings(objects(), { ...options, olderThanSeconds: 60 }).find((f) => f.reason === 'EXPOSED_API_NOT_READY')!.since).toBe(new Date(NOW - 120_000).toISOString());
    clock.observe('c2-v5', true, NOW);
    expect(clock.notReadySince('c2-v5')).toBeUndefined();
    clock.observe('first-seen-not-ready', false, NOW);
    expect(clock.notReadySince('first-seen-not-ready')).toBeUndefined();
  });

  it('counts the registry per cluster', () => {
    expect(registryCounts('hub-1', objects())).toEqual({
      clusterName: 'hub-1',
      components: 1,
      byDeploymentStatus: [{ status: 'IN_PROGRESS_COMPCON', count: 1 }],
      exposedApis: 5,
      readyExposedApis: 2,
      dependentApis: 2,
      readyDependentApis: 1,
    });
  });
});

describe('the demo fleet canvases, read back', () => {
  const fleet = generateFleet({ ...DEMO_FLEET, referenceTime: NOW });
  const read = (name: string): RegistryObjects => {
    const objs = fleet.find((c) => c.name === name)!.objects as KubeObject[];
    return {
      components: objs.filter((o) => o.kind === 'Component').map((o) => mapComponent(name, o as ComponentObject)),
      exposedApis: objs.filter((o) => o.kind === 'ExposedAPI').map((o) => mapExposedApi(name, o as ExposedApiObject)),
      dependentApis: objs.filter((o) => o.kind === 'DependentAPI').map((o) => mapDependentApi(name, o as DependentApiObject)),
    };
  };

  it('reads every component in the version its cluster serves, with no status error', () => {
    for (const [cluster, layout] of [
      ['hub-1', 'V1'],
      ['regional-east', 'V1'],
      ['regional-west', 'V1BETA3'],
    ] as const) {
      const o = read(cluster);
      expect(o.components.length).toBeGreaterThan(0);
      for (const c of o.components) {
        expect(c).toMatchObject({ layout, statusError: null, componentId: expect.stringMatching(/^TMFC\d{3}$/) });
        expect(c.status?.deploymentStatus).not.toBeNull();
      }
    }
  });

  it('finds exactly the drift the generator put there', () => {
    const summary = (cluster: string) => registryFindings(read(cluster), { now: NOW, olderThanSeconds: 300 }).map((f) => `${f.reason} ${f.objectName}${f.apiName && f.objectKind === 'Component' ? ` ${f.apiName}` : ''}`);
    expect(summary('hub-1')).toEqual(['DEPENDENT_API_NOT_READY r1-resourceinventory-resourcecatalog-v4']);
    expect(summary('regional-east')).toEqual([
      'ORPHANED_DEPENDENT_API r0-resourceinventory-resourcecatalog-v4',
      'ORPHANED_EXPOSED_API r0-resourceinventory-metrics',
      'ORPHANED_EXPOSED_API r0-resourceinventory-partyrole-v4',
      'ORPHANED_EXPOSED_API r0-resourceinventory-resourceinventorymanagement-v4',
      'MISSING_EXPOSED_API r1-resourceinventory metrics',
    ]);
    expect(summary('regional-west')).toEqual(['EXPOSED_API_NOT_READY r1-resourceinventory-resourceinventorymanagement']);
  });

  it('joins every v1beta3 child (no segment, older names) to its component and status entry', () => {
    const o = read('regional-west');
    for (const c of o.components) {
      for (const i of declaredApiInstances(c, o.exposedApis)) {
        expect(i.exposedApi).not.toBeNull();
        expect(i.status?.uid).toBe(i.exposedApi!.uid);
      }
    }
    const dep = o.dependentApis[0];
    expect(providerOf(dep, o.exposedApis)?.name).toBe('r1-resourcecatalog-resourcecatalogmanagement');
  });
});
