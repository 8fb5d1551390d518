// ODA Canvas: Components, ExposedAPIs and DependentAPIs as the canvas operators leave them (chart
// oda-crds 1.3, served at v1; no status subresource, so status is written with the object). The
// component operator creates the children with an ownerReference to the Component's uid and then writes
// the Component's status naming the children's uids — `load` does the same in that order, since only
// the server knows the uids. Status uses the literal `summary/status` key (kopf's naming).
//
// Served version: a CRD serves its versions for the whole server, and with v1 and v1beta3 both served
// discovery prefers v1 (seen on v1.20: /apis/oda.tmforum.org → preferredVersion v1), so a v1beta3-only
// canvas needs a cluster of its own; the v1beta3 layout stays covered on the simulator (oda-subgraph
// and simulator-oda tests). Here: v1, plus a Component whose status an operator wrote malformed.
//
// The registry holds: r1-partymanagement (Complete), r1-productcatalogmanagement (its metrics API not
// ready, its security API's ExposedAPI deleted by hand: In-Progress-CompCon), r9-resourcecatalog
// (malformed status) and the children an orphaning delete of r0-resourceinventory left behind.
import { expect } from '@jest/globals';
import type { KubeObject } from '../../../../simulator/types.js';
import { waitUntil } from '../../../helpers/wait.js';
import { CLUSTER, codes, type Domain } from '../domain.js';
import type { KubeApi } from '../kube-api.js';

const NS = 'components';
const V1 = 'oda.tmforum.org/v1';
const LABEL = 'oda.tmforum.org/componentName';
const GATEWAY = 'canvas.apps.k8s-run.example.net';
const url = (path: string) => `https://${GATEWAY}${path}`;

const SPEC = {
  party: 'https://raw.githubusercontent.com/tmforum-apis/TMF632_PartyManagement/master/TMF632-Party-v4.0.0.swagger.json',
  catalog: 'https://raw.githubusercontent.com/tmforum-apis/TMF620_ProductCatalog/master/TMF620-ProductCatalog-v4.0.0.swagger.json',
  partyRole: 'https://raw.githubusercontent.com/tmforum-apis/TMF669_PartyRole/master/TMF669-PartyRole-v4.0.0.swagger.json',
  inventory: 'https://raw.githubusercontent.com/tmforum-apis/TMF639_ResourceInventory/master/TMF639-ResourceInventory-v4.0.0.swagger.json',
  resourceCatalog: 'https://raw.githubusercontent.com/tmforum-apis/TMF634_ResourceCatalog/master/TMF634-ResourceCatalog-v4.0.0.swagger.json',
};

const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };

const metadata = (id: string, name: string, version: string, functionalBlock: string) => ({
  id,
  name,
  version,
  description: `${name} ODA Component`,
  functionalBlock,
  publicationDate: '2024-06-03T00:00:00.000Z',
  status: 'specified',
  maintainers: [{ name: 'ODA Canvas team', email: 'oda-canvas@example.org' }],
  owners: [{ name: 'Fleet operations', email: 'fleet-ops@example.org' }],
});

const none = { exposedAPIs: [], dependentAPIs: [] };

const component = (name: string, spec: Record<string, unknown>, status?: unknown): KubeObject => ({
  apiVersion: V1,
  kind: 'Component',
  metadata: { name, namespace: NS, labels: { [LABEL]: name, 'app.kubernetes.io/managed-by': 'Helm' } },
  spec: { eventNotification: { publishedEvents: [], subscribedEvents: [] }, managementFunction: none, securityFunction: { canvasSystemRole: 'Admin', ...none }, ...spec },
  ...(status === undefined ? {} : { status }),
});

const party = component('r1-partymanagement', {
  componentMetadata: metadata('TMFC028', 'partymanagement', '1.0.0', 'PartyManagement'),
  coreFunction: {
    exposedAPIs: [
      {
        name: 'partymanagement',
        specification: [{ url: SPEC.party, version: 'v4.0.0' }],
        apiType: 'openapi',
        apiSDO: 'TMForum',
        implementation: 'r1-partymanagement-api',
        path: '/r1-partymanagement/tmf-api/partyManagement/v4',
        developerUI: '/r1-partymanagement/tmf-api/partyManagement/v4/docs',
        port: 8080,
      },
    ],
    dependentAPIs: [],
  },
});

const catalog = component('r1-productcatalogmanagement', {
  componentMetadata: metadata('TMFC001', 'productcatalogmanagement', '1.1.0', 'CoreCommerce'),
  coreFunction: {
    exposedAPIs: [
      {
        name: 'productcatalogmanagement',
        specification: [{ url: SPEC.catalog, version: 'v4.0.0' }],
        apiType: 'openapi',
        apiSDO: 'TMForum',
        gatewayConfiguration: { apiKeyVerification: { enabled: true, location: 'header' }, rateLimit: { enabled: true, identifier: 'IP', limit: '100', interval: 'pm' } },
        implementation: 'r1-productcatalogmanagement-prodcatapi',
        path: '/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4',
        developerUI: '/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4/docs',
        port: 8080,
      },
    ],
    dependentAPIs: [{ name: 'party', apiType: 'openapi', specification: [{ url: SPEC.party, version: 'v4.0.0' }] }],
  },
  managementFunction: {
    exposedAPIs: [{ name: 'metrics', apiType: 'prometheus', implementation: 'r1-productcatalogmanagement-sm', path: '/r1-productcatalogmanagement/metrics', port: 4000 }],
    dependentAPIs: [],
  },
  securityFunction: {
    canvasSystemRole: 'Admin',
    exposedAPIs: [
      {
        name: 'partyrole',
        specification: [{ url: SPEC.partyRole, version: 'v4.0.0' }],
        apiType: 'openapi',
        implementation: 'r1-productcatalogmanagement-partyroleapi',
        path: '/r1-productcatalogmanagement/tmf-api/partyRoleManagement/v4',
        port: 8080,
      },
    ],
    dependentAPIs: [],
  },
});

// An older operator wrote the summary as a bare string and coreAPIs as an object: the CRD
// (x-kubernetes-preserve-unknown-fields) accepts it; only the status must fail.
const malformed = component(
  'r9-resourcecatalog',
  { componentMetadata: metadata('TMFC027', 'resourcecatalog', '0.9.0', 'Production'), coreFunction: none },
  { 'summary/status': 'Complete', coreAPIs: { oops: true } },
);

const owner = (name: string, uid: string) => ({ apiVersion: V1, kind: 'Component', name, uid, controller: true, blockOwnerDeletion: true });
const childMeta = (name: string, componentName: string, uid: string) => ({ name, namespace: NS, labels: { [LABEL]: componentName }, ownerReferences: [owner(componentName, uid)] });

/** status.apiStatus as the Istio API operator writes it once the API is published on the gateway. */
const apiStatus = (name: string, path: string, port: number, implementation: string, routeUid: string, docs: boolean) => ({
  name,
  uid: routeUid,
  path,
  port,
  implementation,
  url: url(path),
  ...(docs ? { developerUI: url(`${path}/docs`) } : {}),
  ip: GATEWAY,
});

interface ExposedDef {
  name: string;
  apiName: string;
  segment: string;
  apiType: string;
  specification?: { url: string; version: string };
  implementation: string;
  path: string;
  port: number;
  ready: boolean;
  routeUid: string;
  gateway?: Record<string, unknown>;
}

/** An ExposedAPI as the component operator creates it (gateway keys flattened) with the API operator's status. */
function exposedApi(component: string, uid: string, d: ExposedDef): KubeObject {
  const docs = d.apiType === 'openapi';
  return {
    apiVersion: V1,
    kind: 'ExposedAPI',
    metadata: childMeta(d.name, component, uid),
    spec: {
      name: d.apiName,
      apiType: d.apiType,
      implementation: d.implementation,
      path: d.path,
      port: d.port,
      segment: d.segment,
      ...(docs ? { developerUI: `${d.path}/docs`, apiSDO: 'TMForum' } : {}),
      ...(d.specification ? { specification: d.specification } : {}),
      ...d.gateway,
    },
    // the API operator writes implementation.ready only once true (from the EndpointSlice)
    status: { apiStatus: apiStatus(d.name, d.path, d.port, d.implementation, d.routeUid, docs), ...(d.ready ? { implementation: { ready: true } } : {}) },
  };
}

const PARTY_API: ExposedDef = {
  name: 'r1-partymanagement-partymanagement-v4',
  apiName: 'partymanagement',
  segment: 'coreFunction',
  apiType: 'openapi',
  specification: { url: SPEC.party, version: 'v4' },
  implementation: 'r1-partymanagement-api',
  path: '/r1-partymanagement/tmf-api/partyManagement/v4',
  port: 8080,
  ready: true,
  routeUid: '6f1c2a77-0d2b-4a53-9a0e-3b7f1e0c9a01',
};
const CATALOG_API: ExposedDef = {
  name: 'r1-productcatalogmanagement-productcatalogmanagement-v4',
  apiName: 'productcatalogmanagement',
  segment: 'coreFunction',
  apiType: 'openapi',
  specification: { url: SPEC.catalog, version: 'v4' },
  implementation: 'r1-productcatalogmanagement-prodcatapi',
  path: '/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4',
  port: 8080,
  ready: true,
  routeUid: '6f1c2a77-0d2b-4a53-9a0e-3b7f1e0c9a02',
  gateway: { apiKeyVerification: { enabled: true, location: 'header' }, rateLimit: { enabled: true, identifier: 'IP', limit: '100', interval: 'pm' } },
};
const METRICS_API: ExposedDef = {
  name: 'r1-productcatalogmanagement-metrics',
  apiName: 'metrics',
  segment: 'managementFunction',
  apiType: 'prometheus',
  implementation: 'r1-productcatalogmanagement-sm',
  path: '/r1-productcatalogmanagement/metrics',
  port: 4000,
  ready: false,
  routeUid: '6f1c2a77-0d2b-4a53-9a0e-3b7f1e0c9a03',
};
/** Deleted by hand: the component's status still lists it (with its old uid). */
const PARTY_ROLE_GONE = { name: 'r1-productcatalogmanagement-partyrole-v4', uid: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b' };

// What an orphaning delete (`--cascade=orphan`) of r0-resourceinventory left: the garbage collector took
// the ownerReferences off the children, their componentName label still names it.
const orphaned = (obj: KubeObject): KubeObject => ({ ...obj, metadata: { ...obj.metadata, ownerReferences: undefined } });
const orphanApi = orphaned(exposedApi('r0-resourceinventory', 'gone', {
  name: 'r0-resourceinventory-resourceinventorymanagement-v4',
  apiName: 'resourceinventorymanagement',
  segment: 'coreFunction',
  apiType: 'openapi',
  specification: { url: SPEC.inventory, version: 'v4' },
  implementation: 'r0-resourceinventory-api',
  path: '/r0-resourceinventory/tmf-api/resourceInventoryManagement/v4',
  port: 8080,
  ready: true,
  routeUid: '6f1c2a77-0d2b-4a53-9a0e-3b7f1e0c9a04',
}));
const orphanDependent = orphaned({
  apiVersion: V1,
  kind: 'DependentAPI',
  metadata: childMeta('r0-resourceinventory-resourcecatalog-v4', 'r0-resourceinventory', 'gone'),
  spec: { name: 'resourcecatalog', apiType: 'openapi', specification: { url: SPEC.resourceCatalog, version: 'v4' }, segment: 'coreFunction' },
});

/** A Component status entry for a published ExposedAPI (its uid, url, readiness). */
const statusEntry = (api: KubeObject, d: ExposedDef) => ({ ...apiStatus(d.name, d.path, d.port, d.implementation, d.routeUid, d.apiType === 'openapi'), uid: api.metadata.uid, ready: d.ready });

/** The summary handler's `summary/status` (URL lists with a trailing space) from the entries. */
function summary(deployment: string, entries: Record<string, { url?: string; developerUI?: string }[]>) {
  const urls = (key: string) => (entries[key] ?? []).map((e) => `${e.url} `).join('');
  return {
    deployment_status: deployment,
    coreAPIsummary: urls('coreAPIs'),
    managementAPIsummary: urls('managementAPIs'),
    securityAPIsummary: urls('securityAPIs'),
    developerUIsummary: Object.values(entries).flat().filter((e) => e.developerUI).map((e) => `${e.developerUI} `).join(''),
    coreDependentAPIsummary: urls('coreDependentAPIs'),
    managementDependentAPIsummary: '',
    securityDependentAPIsummary: '',
    securitySecretsManagementSummary: '',
  };
}

function componentStatus(deployment: string, entries: Record<string, { url?: string; developerUI?: string; name?: string; uid?: string; ready?: boolean }[]>) {
  const all = { coreAPIs: [], managementAPIs: [], securityAPIs: [], coreDependentAPIs: [], managementDependentAPIs: [], securityDependentAPIs: [], ...entries };
  return {
    'summary/status': summary(deployment, all),
    ...all,
    securitySecretsManagement: {},
    identityConfig: { identityProvider: 'Keycloak', listenerRegistered: true },
    publishedEvents: [],
    subscribedEvents: [],
  };
}

/** The operators' order: children with an ownerReference to the Component's uid, then the Component's status. */
async function loadOperatorWrites(api: KubeApi): Promise<void> {
  const get = async (name: string): Promise<KubeObject> => (await api.call('GET', `/apis/${V1}/namespaces/${NS}/components/${name}`)).body;
  const partyComponent = await get(party.metadata.name);
  const partyApi = await api.load(exposedApi(party.metadata.name, partyComponent.metadata.uid!, PARTY_API));
  await api.writeStatus(partyComponent, componentStatus('Complete', { coreAPIs: [statusEntry(partyApi, PARTY_API)] }));

  const catalogComponent = await get(catalog.metadata.name);
  const uid = catalogComponent.metadata.uid!;
  const catalogApi = await api.load(exposedApi(catalog.metadata.name, uid, CATALOG_API));
  const metricsApi = await api.load(exposedApi(catalog.metadata.name, uid, METRICS_API));
  const partyUrl = url(PARTY_API.path);
  const dependent = await api.load({
    apiVersion: V1,
    kind: 'DependentAPI',
    metadata: childMeta('r1-productcatalogmanagement-party-v4', catalog.metadata.name, uid),
    spec: { name: 'party', apiType: 'openapi', specification: { url: SPEC.party, version: 'v4' }, segment: 'coreFunction' },
    // resolved by the dependent API operator to the ready ExposedAPI with the same specification
    status: { depapiStatus: { url: partyUrl, svcInvID: 'c0a8e1f2-3b4c-4d5e-8f90-a1b2c3d4e5f6' }, implementation: { ready: true } },
  });
  const partyRole = { ...apiStatus(PARTY_ROLE_GONE.name, '/r1-productcatalogmanagement/tmf-api/partyRoleManagement/v4', 8080, 'r1-productcatalogmanagement-partyroleapi', '6f1c2a77-0d2b-4a53-9a0e-3b7f1e0c9a05', true), uid: PARTY_ROLE_GONE.uid, ready: true };
  await api.writeStatus(
    catalogComponent,
    componentStatus('In-Progress-CompCon', {
      coreAPIs: [statusEntry(catalogApi, CATALOG_API)],
      managementAPIs: [statusEntry(metricsApi, METRICS_API)],
      securityAPIs: [partyRole],
      coreDependentAPIs: [{ name: dependent.metadata.name, uid: dependent.metadata.uid, ready: true, url: partyUrl }],
    }),
  );
}

const ONE = `clusters: ["${CLUSTER}"]`;

export const oda: Domain = {
  name: 'oda',
  objects: [ns, party, catalog, malformed, orphanApi, orphanDependent],
  load: loadOperatorWrites,
  checks: [
    {
      name: 'registry: metadata, declared APIs with their ExposedAPI/DependentAPI, operator-written status',
      query: `{
        odaComponents(${ONE}, name: "productcatalogmanagement") {
          name componentId componentName version functionalBlock canvasSystemRole deploymentStatus deploymentStatusText
          exposedApis { segment name specification { tmfApiId majorVersion } gateway { apiKeyVerification { enabled location } rateLimit { enabled limit interval } }
            exposedApi { name ready url } status { url ready } }
          dependentApis { name specification { tmfApiId } dependentApi { name ready url resolvedTo { name component { name } } } }
          status { identityProvider identityListenerRegistered secretsManagement { ready } developerUiUrls }
        }
        tmf620: odaExposedApis(${ONE}, specification: "TMF620") { name tmfApiId url ready owner { via componentName } component { name } }
      }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const [c] = answer.data.odaComponents;
        expect(c).toMatchObject({
          name: 'r1-productcatalogmanagement',
          componentId: 'TMFC001',
          componentName: 'productcatalogmanagement',
          version: '1.1.0',
          functionalBlock: 'CoreCommerce',
          canvasSystemRole: 'Admin',
          deploymentStatus: 'IN_PROGRESS_COMPCON',
          deploymentStatusText: 'In-Progress-CompCon',
          status: { identityProvider: 'Keycloak', identityListenerRegistered: true, secretsManagement: null, developerUiUrls: [url(`${CATALOG_API.path}/docs`), url('/r1-productcatalogmanagement/tmf-api/partyRoleManagement/v4/docs')] },
        });
        expect(c.exposedApis).toEqual([
          {
            segment: 'CORE',
            name: 'productcatalogmanagement',
            specification: { tmfApiId: 'TMF620', majorVersion: 'v4' },
            gateway: { apiKeyVerification: { enabled: true, location: 'header' }, rateLimit: { enabled: true, limit: '100', interval: 'pm' } },
            exposedApi: { name: CATALOG_API.name, ready: true, url: url(CATALOG_API.path) },
            status: { url: url(CATALOG_API.path), ready: true },
          },
          { segment: 'MANAGEMENT', name: 'metrics', specification: null, gateway: null, exposedApi: { name: METRICS_API.name, ready: false, url: url(METRICS_API.path) }, status: { url: url(METRICS_API.path), ready: false } },
          // its ExposedAPI was deleted by hand: the status still lists it (matched by name)
          { segment: 'SECURITY', name: 'partyrole', specification: { tmfApiId: 'TMF669', majorVersion: 'v4' }, gateway: null, exposedApi: null, status: { url: url('/r1-productcatalogmanagement/tmf-api/partyRoleManagement/v4'), ready: true } },
        ]);
        expect(c.dependentApis).toEqual([
          { name: 'party', specification: { tmfApiId: 'TMF632' }, dependentApi: { name: 'r1-productcatalogmanagement-party-v4', ready: true, url: url(PARTY_API.path), resolvedTo: { name: PARTY_API.name, component: { name: 'r1-partymanagement' } } } },
        ]);
        expect(answer.data.tmf620).toEqual([{ name: CATALOG_API.name, tmfApiId: 'TMF620', url: url(CATALOG_API.path), ready: true, owner: { via: 'OWNER_REFERENCE', componentName: 'r1-productcatalogmanagement' }, component: { name: 'r1-productcatalogmanagement' } }]);
        return `${c.name} ${c.deploymentStatus}, ${c.exposedApis.length} APIs (1 missing), party → ${c.dependentApis[0].dependentApi.resolvedTo.component.name}`;
      },
    },
    {
      name: 'version read in: what discovery says the canvas serves (v1 here; see the file header for v1beta3)',
      query: `{ cluster(name: "${CLUSTER}") {
        odaComponents { name apiVersion servedVersion layout }
        odaExposedApis { name servedVersion layout } odaDependentApis { name servedVersion layout }
      } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const c = answer.data.cluster;
        expect(c.odaComponents.map((x: { name: string }) => x.name)).toEqual(['r1-partymanagement', 'r1-productcatalogmanagement', 'r9-resourcecatalog']);
        const all = [...c.odaComponents, ...c.odaExposedApis, ...c.odaDependentApis] as { servedVersion: string; layout: string }[];
        expect(all).toHaveLength(3 + 4 + 2);
        expect(new Set(all.map((o) => `${o.servedVersion}/${o.layout}`))).toEqual(new Set(['v1/V1']));
        expect(c.odaComponents[0].apiVersion).toBe(V1);
        return `${all.length} objects read in v1 (layout V1)`;
      },
    },
    {
      name: 'malformed status: the component lists with its metadata, only its status fields fail',
      query: `{ odaComponents(${ONE}, name: "r9-resourcecatalog") { name componentId version layout deploymentStatus status { identityProvider } exposedApis { name } } }`,
      verify(answer) {
        expect(answer.data.odaComponents).toEqual([{ name: 'r9-resourcecatalog', componentId: 'TMFC027', version: '0.9.0', layout: 'V1', deploymentStatus: null, status: null, exposedApis: [] }]);
        expect((answer.errors ?? []).map((e) => e.path)).toEqual([
          ['odaComponents', 0, 'deploymentStatus'],
          ['odaComponents', 0, 'status'],
        ]);
        for (const e of answer.errors!) {
          expect(e.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', reason: 'MalformedStatus', cluster: CLUSTER });
          expect(e.message).toContain('status["summary/status"] is a string, expected an object; status.coreAPIs is an object, expected a list');
        }
        return `metadata read; ${codes(answer)}`;
      },
    },
    {
      name: 'consistency check: orphans at once, not-ready and missing APIs once they lasted; counts',
      query: `{
        young: odaRegistryCheck(${ONE}, olderThanSeconds: 3600) { reason objectName }
        all: odaRegistryCheck(${ONE}, olderThanSeconds: 0) { reason objectKind objectName componentName apiName message }
        cluster(name: "${CLUSTER}") { odaRegistry { components byDeploymentStatus { status count } exposedApis readyExposedApis dependentApis readyDependentApis } }
      }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const orphans = [
          { reason: 'ORPHANED_DEPENDENT_API', objectName: 'r0-resourceinventory-resourcecatalog-v4' },
          { reason: 'ORPHANED_EXPOSED_API', objectName: orphanApi.metadata.name },
        ];
        expect(answer.data.young).toEqual(orphans);
        expect(answer.data.all).toEqual([
          {
            ...orphans[0],
            objectKind: 'DependentAPI',
            componentName: 'r0-resourceinventory',
            apiName: 'resourcecatalog',
            message: `DependentAPI r0-resourceinventory-resourcecatalog-v4 is labelled for Component r0-resourceinventory, which does not exist in namespace ${NS}`,
          },
          {
            ...orphans[1],
            objectKind: 'ExposedAPI',
            componentName: 'r0-resourceinventory',
            apiName: 'resourceinventorymanagement',
            message: `ExposedAPI ${orphanApi.metadata.name} is labelled for Component r0-resourceinventory, which does not exist in namespace ${NS}`,
          },
          {
            reason: 'EXPOSED_API_NOT_READY',
            objectKind: 'ExposedAPI',
            objectName: METRICS_API.name,
            componentName: 'r1-productcatalogmanagement',
            apiName: 'metrics',
            message: expect.stringMatching(new RegExp(`^ExposedAPI ${METRICS_API.name} \\(published at ${url(METRICS_API.path)}\\) has no ready implementation since `)),
          },
          {
            reason: 'MISSING_EXPOSED_API',
            objectKind: 'Component',
            objectName: 'r1-productcatalogmanagement',
            componentName: 'r1-productcatalogmanagement',
            apiName: 'partyrole',
            message: `Component r1-productcatalogmanagement declares security API partyrole v4 but no ExposedAPI implements it (its status still lists ${PARTY_ROLE_GONE.name})`,
          },
        ]);
        expect(answer.data.cluster.odaRegistry).toEqual({
          components: 3,
          byDeploymentStatus: [
            { status: null, count: 1 },
            { status: 'COMPLETE', count: 1 },
            { status: 'IN_PROGRESS_COMPCON', count: 1 },
          ],
          exposedApis: 4,
          readyExposedApis: 3,
          dependentApis: 2,
          readyDependentApis: 1,
        });
        return `${answer.data.young.length} orphans at once, ${answer.data.all.length} findings at 0 s`;
      },
    },
    {
      name: 'a change through the watch: the API operator marks the metrics API ready, its finding goes',
      async run(t) {
        const path = `/apis/${V1}/namespaces/${NS}/exposedapis/${METRICS_API.name}`;
        const current = (await t.admin.call('GET', path)).body as KubeObject;
        await t.admin.writeStatus(current, { ...(current.status as object), implementation: { ready: true } });
        const query = `{
          cluster(name: "${CLUSTER}") { odaRegistry { readyExposedApis } }
          odaRegistryCheck(${ONE}, olderThanSeconds: 0) { reason objectName }
          notReady: odaExposedApis(${ONE}, ready: false) { name }
        }`;
        const answer = await waitUntil('readyExposedApis 4', async () => {
          const a = await t.query(query);
          return a.data?.cluster?.odaRegistry?.readyExposedApis === 4 ? a : undefined;
        }, 20_000);
        expect(answer.errors).toBeUndefined();
        expect(answer.data.notReady).toEqual([]);
        expect(answer.data.odaRegistryCheck.map((f: { reason: string }) => f.reason)).toEqual(['ORPHANED_DEPENDENT_API', 'ORPHANED_EXPOSED_API', 'MISSING_EXPOSED_API']);
        return `readyExposedApis 4; ${answer.data.odaRegistryCheck.length} findings left`;
      },
    },
  ],
};
