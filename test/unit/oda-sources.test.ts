// ODA Canvas objects as the API server serializes them, in every layout a cluster may serve
// (v1, v1beta4, v1beta3, v1beta2 and an unknown future version) → the oda schema's models, including the
// literal `summary/status` key, a malformed status that must fail only the status, and children joined
// to their component by ownerReference or label. Fixtures follow the canvas' own test data
// (feature-definition-and-test-kit/testData/productcatalog-*, componentOperator testdata).
import { deploymentStatusOf, readComponentStatus } from '../../subgraphs/oda/component-status.js';
import { mapComponent, mapDependentApi, mapExposedApi, ownerOf } from '../../subgraphs/oda/sources.js';
import type { ComponentObject, DependentApiObject, ExposedApiObject } from '../../subgraphs/oda/upstream.js';
import { majorVersionOf, specificationsOf, tmfApiIdOf } from '../../subgraphs/oda/values.js';

const TMF620 = 'https://raw.githubusercontent.com/tmforum-apis/TMF620_ProductCatalog/master/TMF620-ProductCatalog-v4.0.0.swagger.json';
const TMF671 = 'https://raw.githubusercontent.com/tmforum-apis/TMF671_Promotion/master/TMF671-Promotion-v4.0.0.swagger.json';
const TMF669 = 'https://raw.githubusercontent.com/tmforum-apis/TMF669_PartyRole/master/TMF669-PartyRole-v4.0.0.swagger.json';
const TMF632 = 'https://open-api.tmforum.org/TMF632-Party-v4.0.0.swagger.json';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'components',
  uid: `uid-${name}`,
  creationTimestamp: '2025-05-01T10:00:00Z',
  labels: { 'oda.tmforum.org/componentName': 'prodcat-productcatalogmanagement' },
  ...extra,
});

const gateway = {
  apiKeyVerification: { enabled: true, location: 'header' },
  rateLimit: { enabled: false, identifier: 'IP', limit: '6', interval: 'pm' },
  quota: { identifier: '', limit: '' },
  OASValidation: { requestEnabled: false, responseEnabled: true, allowUnspecifiedHeaders: false, allowUnspecifiedQueryParams: false, allowUnspecifiedCookies: false },
  CORS: { enabled: true, allowCredentials: false, allowOrigins: 'https://allowed-origin.com', handlePreflightRequests: { enabled: false, allowHeaders: 'Accept', allowMethods: 'GET, POST', maxAge: 36000 } },
  template: '',
};

/** The operator-written status of a component that is Complete. */
const completeStatus = () => ({
  coreAPIs: [
    {
      name: 'prodcat-productcatalogmanagement-productcatalogmanagement-v4',
      uid: 'uid-api-620',
      url: 'https://10.0.0.5/prodcat-productcatalogmanagement/tmf-api/productCatalogManagement/v4',
      developerUI: 'https://10.0.0.5/prodcat-productcatalogmanagement/tmf-api/productCatalogManagement/v4/docs',
      ip: '10.0.0.5',
      path: '/prodcat-productcatalogmanagement/tmf-api/productCatalogManagement/v4',
      port: 8080,
      implementation: 'prodcat-prodcatapi',
      ready: true,
    },
  ],
  managementAPIs: [],
  securityAPIs: [{ name: 'prodcat-productcatalogmanagement-partyrole-v4', uid: 'uid-api-669', ready: false }],
  coreDependentAPIs: [{ name: 'prodcat-productcatalogmanagement-party-v4', uid: 'uid-dep', ready: true, url: 'https://10.0.0.5/party/tmf-api/party/v4' }],
  managementDependentAPIs: [],
  securityDependentAPIs: [],
  securitySecretsManagement: {},
  identityConfig: { identityProvider: 'Keycloak', listenerRegistered: true },
  publishedEvents: [],
  subscribedEvents: [],
  'summary/status': {
    deployment_status: 'Complete',
    coreAPIsummary: 'https://10.0.0.5/prodcat-productcatalogmanagement/tmf-api/productCatalogManagement/v4 ',
    developerUIsummary: 'https://10.0.0.5/prodcat-productcatalogmanagement/tmf-api/productCatalogManagement/v4/docs ',
    managementAPIsummary: '',
    securityAPIsummary: '',
  },
  kopf: { progress: {} },
});

function v1Component(status: unknown = completeStatus()): ComponentObject {
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'Component',
    metadata: meta('prodcat-productcatalogmanagement', { labels: { 'oda.tmforum.org/componentName': 'prodcat-productcatalogmanagement', team: 'bss' } }),
    spec: {
      componentMetadata: {
        id: 'TMFC001',
        name: 'productcatalogmanagement',
        functionalBlock: 'CoreCommerce',
        publicationDate: '2024-09-17T00:00:00.000Z',
        status: 'specified',
        version: '0.0.1',
        description: 'Simple Product Catalog ODA-Component from Open-API reference implementation.',
        maintainers: [{ name: 'Lester Thomas', email: 'lester.thomas@vodafone.com' }],
        owners: [{ name: 'Lester Thomas', email: 'lester.thomas@vodafone.com' }],
        eTom: ['1.2.3'],
      },
      coreFunction: {
        exposedAPIs: [
          {
            name: 'productcatalogmanagement',
            specification: [{ url: TMF620, version: 'v4.0.0' }, { url: TMF620.replace('v4.0.0.swagger.json', 'v5.0.0.oas.yaml'), version: 'v5.0.0', path: '/x/v5' }],
            implementation: 'prodcat-prodcatapi',
            apiType: 'openapi',
            path: '/prodcat-productcatalogmanagement/tmf-api/productCatalogManagement/v4',
            developerUI: '/prodcat-productcatalogmanagement/tmf-api/productCatalogManagement/v4/docs',
            port: 8080,
          },
        ],
        dependentAPIs: [{ name: 'party', apiType: 'openapi', specification: [{ url: TMF632 }], required: true }],
      },
      eventNotification: { publishedEvents: [], subscribedEvents: [] },
      managementFunction: { exposedAPIs: [{ name: 'metrics', apiType: 'prometheus', implementation: 'prodcat-sm', path: '/prodcat/metrics', port: 4000 }] },
      securityFunction: {
        canvasSystemRole: 'Admin',
        exposedAPIs: [{ name: 'partyrole', specification: [{ url: TMF669 }], implementation: 'prodcat-partyroleapi', apiType: 'openapi', gatewayConfiguration: gateway, path: '/p/v4', port: 8080 }],
        secretsManagement: { type: 'sideCar', sideCar: { port: 5000 }, podSelector: { namespace: 'components', name: 'prodcat-*' } },
      },
    },
    status,
  };
}

/** The canvas' productcatalog-v1beta3 test chart, rendered. */
function v1beta3Component(): ComponentObject {
  return {
    apiVersion: 'oda.tmforum.org/v1beta3',
    kind: 'Component',
    metadata: meta('prodcat-productcatalogmanagement', { annotations: { webhookconverted: 'Webhook converted From oda.tmforum.org/v1 to oda.tmforum.org/v1beta3' } }),
    spec: {
      coreFunction: {
        exposedAPIs: [
          { name: 'productcatalogmanagement', specification: [TMF620], implementation: 'prodcat-prodcatapi', apiType: 'openapi', path: '/prodcat/tmf-api/productCatalogManagement/v4', port: 8080 },
          { name: 'promotionmanagement', specification: [TMF671], implementation: 'prodcat-promgmtapi', apiType: 'openapi', path: '/prodcat/tmf-api/promotionManagement/v4', port: 8080 },
        ],
        dependentAPIs: [{ name: 'downstreamproductcatalog', apiType: 'openapi', specification: TMF620 }],
      },
      eventNotification: { publishedEvents: [], subscribedEvents: [] },
      managementFunction: { exposedAPIs: [{ name: 'metrics', apiType: 'prometheus', implementation: 'prodcat-sm', path: '/prodcat/metrics', port: 4000 }] },
      securityFunction: {
        exposedAPIs: [{ name: 'partyrole', specification: [TMF669], implementation: 'prodcat-partyroleapi', apiType: 'openapi', path: '/p/v4', port: 8080, ...gateway }],
        controllerRole: 'Admin',
      },
      id: 'TMFC001',
      name: 'productcatalogmanagement',
      functionalBlock: 'CoreCommerce',
      publicationDate: '2023-08-22T00:00:00.000Z',
      status: 'specified',
      version: '0.0.1',
      description: 'Simple Product Catalog ODA-Component from Open-API reference implementation.',
      maintainers: [{ name: 'Lester Thomas', email: 'lester.thomas@vodafone.com' }],
      owners: [{ name: 'Lester Thomas', email: 'lester.thomas@vodafone.com' }],
    },
    status: { 'summary/status': { deployment_status: 'In-Progress-CompCon' }, coreAPIs: [] },
  };
}

describe('Component v1', () => {
  const c = mapComponent('hub-1', v1Component());

  it('reads the metadata under componentMetadata and says it was read as v1', () => {
    expect(c).toMatchObject({
      clusterName: 'hub-1',
      namespace: 'components',
      name: 'prodcat-productcatalogmanagement',
      apiVersion: 'oda.tmforum.org/v1',
      servedVersion: 'v1',
      layout: 'V1',
      componentId: 'TMFC001',
      componentName: 'productcatalogmanagement',
      version: '0.0.1',
      functionalBlock: 'CoreCommerce',
      publicationDate: '2024-09-17T00:00:00.000Z',
      specificationStatus: 'specified',
      eTom: ['1.2.3'],
      maintainers: [{ name: 'Lester Thomas', email: 'lester.thomas@vodafone.com', url: null }],
      canvasSystemRole: 'Admin',
      secretsManagement: { type: 'sideCar', sideCarPort: 5000 },
      statusError: null,
    });
    expect(c.labels).toEqual([
      { key: 'oda.tmforum.org/componentName', value: 'prodcat-productcatalogmanagement' },
      { key: 'team', value: 'bss' },
    ]);
  });

  it('lists the declared APIs per segment with every specification version and the gatewayConfiguration', () => {
    expect(c.exposedApis.map((a) => [a.segment, a.name, a.apiType])).toEqual([
      ['CORE', 'productcatalogmanagement', 'openapi'],
      ['MANAGEMENT', 'metrics', 'prometheus'],
      ['SECURITY', 'partyrole', 'openapi'],
    ]);
    expect(c.exposedApis[0].specifications).toEqual([
      { url: TMF620, version: 'v4.0.0', majorVersion: 'v4', tmfApiId: 'TMF620' },
      { url: expect.stringContaining('v5.0.0.oas.yaml'), version: 'v5.0.0', majorVersion: 'v5', tmfApiId: 'TMF620' },
    ]);
    // no version given: the operator's rule infers it from the URL
    expect(c.exposedApis[2].specifications).toEqual([{ url: TMF669, version: null, majorVersion: 'v4', tmfApiId: 'TMF669' }]);
    expect(c.exposedApis[1].gateway).toBeNull();
    expect(c.exposedApis[2].gateway).toEqual({
      apiKeyVerification: { enabled: true, location: 'header' },
      rateLimit: { enabled: false, identifier: 'IP', limit: '6', interval: 'pm' },
      quota: { identifier: null, limit: null },
      oasValidation: { requestEnabled: false, responseEnabled: true, allowUnspecifiedHeaders: false, allowUnspecifiedQueryParams: false, allowUnspecifiedCookies: false },
      cors: { enabled: true, allowCredentials: false, allowOrigins: 'https://allowed-origin.com', preflight: { enabled: false, allowHeaders: 'Accept', allowMethods: 'GET, POST', maxAgeSeconds: 36000 } },
      template: null,
    });
    expect(c.dependentApis).toEqual([{ segment: 'CORE', name: 'party', id: null, apiType: 'openapi', specifications: [{ url: TMF632, version: null, majorVersion: 'v4', tmfApiId: 'TMF632' }], required: true }]);
  });

  it('reads deployment_status from the literal summary/status key and what the operators reported per API', () => {
    expect(c.status).toEqual({
      deploymentStatus: 'COMPLETE',
      deploymentStatusText: 'Complete',
      exposedApis: [
        // the operator's entry as written, with its segment
        { segment: 'CORE', ...completeStatus().coreAPIs[0] },
        { segment: 'SECURITY', name: 'prodcat-productcatalogmanagement-partyrole-v4', uid: 'uid-api-669', url: null, developerUI: null, ip: null, path: null, port: null, implementation: null, ready: false },
      ],
      dependentApis: [{ segment: 'CORE', name: 'prodcat-productcatalogmanagement-party-v4', uid: 'uid-dep', url: 'https://10.0.0.5/party/tmf-api/party/v4', ready: true }],
      identityProvider: 'Keycloak',
      identityListenerRegistered: true,
      secretsManagement: null,
      developerUiUrls: ['https://10.0.0.5/prodcat-productcatalogmanagement/tmf-api/productCatalogManagement/v4/docs'],
    });
  });

  it('does not mistake a nested summary.status for the operator key', () => {
    const nested = mapComponent('hub-1', v1Component({ summary: { status: { deployment_status: 'Complete' } } }));
    expect(nested.statusError).toBeNull();
    expect(nested.status?.deploymentStatus).toBeNull();
  });

  it('has no status (and no error) before the operator wrote one, and no deployment_status before the summary', () => {
    const { status: _written, ...fresh0 } = v1Component();
    const fresh = mapComponent('hub-1', fresh0);
    expect([fresh.status, fresh.statusError]).toEqual([null, null]);
    const early = mapComponent('hub-1', v1Component({ coreAPIs: [{ name: 'x', uid: 'u', ready: false }] }));
    expect(early.status).toMatchObject({ deploymentStatus: null, deploymentStatusText: null, exposedApis: [expect.objectContaining({ name: 'x', ready: false })] });
  });

  it('maps each operator value of deployment_status and keeps an unknown one as UNKNOWN with its text', () => {
    expect(['In-Progress-CompCon', 'In-Progress-IDConfOp', 'In-Progress-SecretMan', 'In-Progress-DepApi', 'Complete'].map(deploymentStatusOf)).toEqual([
      'IN_PROGRESS_COMPCON',
      'IN_PROGRESS_IDCONFOP',
      'IN_PROGRESS_SECRETMAN',
      'IN_PROGRESS_DEPAPI',
      'COMPLETE',
    ]);
    const failed = mapComponent('hub-1', v1Component({ 'summary/status': { deployment_status: 'Failed' } }));
    expect(failed.status).toMatchObject({ deploymentStatus: 'UNKNOWN', deploymentStatusText: 'Failed' });
  });

  it('reads identity "Not set" as not registered, and a declared secrets manager', () => {
    const s = readComponentStatus({ identityConfig: { identityProvider: 'Not set', listenerRegistered: false }, securitySecretsManagement: { name: 'c', uid: 'u1', ready: false } });
    expect(s.status).toMatchObject({ identityProvider: null, identityListenerRegistered: false, secretsManagement: { name: 'c', uid: 'u1', ready: false } });
  });
});

describe('a malformed Component status', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a string instead of an object', 'Complete', /^status is a string, expected an object$/],
    ['summary/status as a string', { 'summary/status': 'Complete' }, /status\["summary\/status"\] is a string, expected an object/],
    ['deployment_status as a number', { 'summary/status': { deployment_status: 3 } }, /status\["summary\/status"\]\.deployment_status is a number, expected a string/],
    ['coreAPIs as an object', { coreAPIs: { name: 'x' } }, /status\.coreAPIs is an object, expected a list/],
    ['an API entry with ready as a string', { coreAPIs: [{ name: 'x', ready: 'true' }] }, /status\.coreAPIs\[0\]\.ready is a string, expected a boolean/],
    ['a null dependent API entry', { coreDependentAPIs: [null] }, /status\.coreDependentAPIs\[0\] is null, expected an object/],
  ];
  it.each(cases)('%s: the status only fails, naming the field; metadata and declared APIs still read', (_what, status, message) => {
    const c = mapComponent('hub-1', v1Component(status));
    expect(c.status).toBeNull();
    expect(c.statusError).toMatch(message);
    expect(c).toMatchObject({ componentId: 'TMFC001', version: '0.0.1', layout: 'V1' });
    expect(c.exposedApis).toHaveLength(3);
  });
});

describe('older Component layouts', () => {
  it('reads v1beta3: metadata directly under spec, specification [url], gateway keys on the entry, controllerRole', () => {
    const c = mapComponent('regional-west', v1beta3Component());
    expect(c).toMatchObject({
      apiVersion: 'oda.tmforum.org/v1beta3',
      servedVersion: 'v1beta3',
      layout: 'V1BETA3',
      componentId: 'TMFC001',
      componentName: 'productcatalogmanagement',
      version: '0.0.1',
      functionalBlock: 'CoreCommerce',
      canvasSystemRole: 'Admin',
      secretsManagement: null,
      status: { deploymentStatus: 'IN_PROGRESS_COMPCON' },
    });
    expect(c.exposedApis.map((a) => [a.name, a.specifications.map((s) => s.tmfApiId)])).toEqual([
      ['productcatalogmanagement', ['TMF620']],
      ['promotionmanagement', ['TMF671']],
      ['metrics', []],
      ['partyrole', ['TMF669']],
    ]);
    expect(c.exposedApis[3].gateway?.apiKeyVerification).toEqual({ enabled: true, location: 'header' });
    expect(c.dependentApis[0]).toMatchObject({ name: 'downstreamproductcatalog', specifications: [{ url: TMF620, majorVersion: 'v4', tmfApiId: 'TMF620' }] });
  });

  it('reads v1beta4 as v1 (componentMetadata, gatewayConfiguration) and says v1beta4', () => {
    const obj = v1Component();
    obj.apiVersion = 'oda.tmforum.org/v1beta4';
    const c = mapComponent('hub-1', obj);
    expect(c).toMatchObject({ servedVersion: 'v1beta4', layout: 'V1BETA4', componentId: 'TMFC001' });
    expect(c.exposedApis[2].gateway?.cors?.enabled).toBe(true);
  });

  it('reads v1beta2: apitype (lower-case t) and specification as one URL', () => {
    const c = mapComponent('hub-1', {
      apiVersion: 'oda.tmforum.org/v1beta2',
      kind: 'Component',
      metadata: meta('old'),
      spec: {
        id: 'TMFC001',
        name: 'productcatalog',
        version: '0.0.1',
        coreFunction: { exposedAPIs: [{ name: 'productcatalogmanagement', specification: TMF620, apitype: 'openapi', implementation: 'svc', path: '/p', port: 8080 }], dependentAPIs: [] },
        securityFunction: { controllerRole: 'Admin', exposedAPIs: [] },
      },
    });
    expect(c).toMatchObject({ layout: 'V1BETA2', componentId: 'TMFC001' });
    expect(c.exposedApis[0]).toMatchObject({ apiType: 'openapi', specifications: [{ url: TMF620, tmfApiId: 'TMF620' }] });
  });

  it('reads an unknown version by its shape', () => {
    const v2 = v1Component();
    v2.apiVersion = 'oda.tmforum.org/v2';
    expect(mapComponent('hub-1', v2)).toMatchObject({ servedVersion: 'v2', layout: 'V1', componentId: 'TMFC001' });
    const old = v1beta3Component();
    old.apiVersion = 'oda.tmforum.org/v1alpha9';
    expect(mapComponent('hub-1', old)).toMatchObject({ servedVersion: 'v1alpha9', layout: 'V1BETA3', componentId: 'TMFC001' });
  });

  it('survives a spec of the wrong shape', () => {
    const c = mapComponent('hub-1', { apiVersion: 'oda.tmforum.org/v1', kind: 'Component', metadata: meta('broken'), spec: { componentMetadata: 'x', coreFunction: { exposedAPIs: 'none' } } as never });
    expect(c).toMatchObject({ componentId: null, exposedApis: [], dependentApis: [] });
  });
});

describe('ExposedAPI and DependentAPI', () => {
  const owner = { apiVersion: 'oda.tmforum.org/v1', kind: 'Component', name: 'prodcat-productcatalogmanagement', uid: 'uid-prodcat', controller: true };

  it('maps a v1 ExposedAPI: specification object, flattened gateway keys, segment, apiStatus url and readiness', () => {
    const obj: ExposedApiObject = {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'ExposedAPI',
      metadata: meta('prodcat-productcatalogmanagement-partyrole-v4', { ownerReferences: [owner] }),
      spec: { name: 'partyrole', apiType: 'openapi', implementation: 'prodcat-partyroleapi', path: '/p/v4', port: 8080, developerUI: '/p/v4/docs', ...gateway, specification: { url: TMF669, version: 'v4' }, segment: 'securityFunction' },
      status: {
        apiStatus: { name: 'prodcat-productcatalogmanagement-partyrole-v4', uid: 'vs-uid', path: '/p/v4', port: 8080, implementation: 'prodcat-partyroleapi', url: 'https://10.0.0.5/p/v4', developerUI: 'https://10.0.0.5/p/v4/docs', ip: '10.0.0.5' },
        implementation: { ready: true },
      },
    };
    expect(mapExposedApi('hub-1', obj)).toMatchObject({
      layout: 'V1',
      owner: { componentName: 'prodcat-productcatalogmanagement', componentUid: 'uid-prodcat', via: 'OWNER_REFERENCE' },
      apiName: 'partyrole',
      segment: 'SECURITY',
      specifications: [{ url: TMF669, version: 'v4', majorVersion: 'v4', tmfApiId: 'TMF669' }],
      implementation: 'prodcat-partyroleapi',
      port: 8080,
      gateway: { apiKeyVerification: { enabled: true, location: 'header' }, cors: { enabled: true } },
      url: 'https://10.0.0.5/p/v4',
      developerUiUrl: 'https://10.0.0.5/p/v4/docs',
      ip: '10.0.0.5',
      ready: true,
    });
  });

  it('reads a v1beta3 ExposedAPI (specification [url], no segment) and an absent status.implementation as not ready', () => {
    const obj: ExposedApiObject = {
      apiVersion: 'oda.tmforum.org/v1beta3',
      kind: 'ExposedAPI',
      metadata: meta('prodcat-productcatalogmanagement-productcatalogmanagement'),
      spec: { name: 'productcatalogmanagement', specification: [TMF620], apiType: 'openapi', implementation: 'prodcat-prodcatapi', path: '/x', port: 8080 },
      status: { apiStatus: { url: 'https://10.0.0.5/x' } },
    };
    expect(mapExposedApi('regional-west', obj)).toMatchObject({
      layout: 'V1BETA3',
      owner: { componentName: 'prodcat-productcatalogmanagement', componentUid: null, via: 'LABEL' },
      segment: null,
      gateway: null,
      specifications: [{ tmfApiId: 'TMF620', majorVersion: 'v4' }],
      url: 'https://10.0.0.5/x',
      ready: false,
    });
    const unpublished = mapExposedApi('regional-west', { ...obj, status: undefined });
    expect([unpublished.url, unpublished.ready]).toEqual([null, false]);
  });

  it('reads the v1beta4 ExposedAPI specification list', () => {
    const obj: ExposedApiObject = { apiVersion: 'oda.tmforum.org/v1beta4', kind: 'ExposedAPI', metadata: meta('a'), spec: { name: 'a', specification: [{ url: TMF620, version: 'v4.0.0' }] } };
    expect(mapExposedApi('c', obj).specifications).toEqual([{ url: TMF620, version: 'v4.0.0', majorVersion: 'v4', tmfApiId: 'TMF620' }]);
  });

  it('maps the v1beta3 DependentAPI the operator tests use (apitype, specification as one URL, depapiStatus)', () => {
    const obj: DependentApiObject = {
      apiVersion: 'oda.tmforum.org/v1beta3',
      kind: 'DependentAPI',
      metadata: meta('prodcat-productcatalogmanagement-party', {
        generateName: 'prodcat-productcatalogmanagement-',
        ownerReferences: [{ apiVersion: 'oda.tmforum.org/v1beta3', blockOwnerDeletion: true, controller: true, kind: 'Component', name: 'prodcat-productcatalogmanagement', uid: '1b584ed8-1e42-4d70-bf20-913d89040f70' }],
      }),
      spec: { apitype: 'openapi', name: 'party', specification: TMF632 },
      status: { depapiStatus: { url: 'http://dummy.url/prodcat-productcatalogmanagement-party' }, implementation: { ready: true }, kopf: { progress: {} } } as DependentApiObject['status'],
    };
    expect(mapDependentApi('hub-1', obj)).toMatchObject({
      layout: 'V1BETA3',
      owner: { componentUid: '1b584ed8-1e42-4d70-bf20-913d89040f70', via: 'OWNER_REFERENCE' },
      apiName: 'party',
      apiType: 'openapi',
      specifications: [{ url: TMF632, tmfApiId: 'TMF632', majorVersion: 'v4' }],
      ready: true,
      url: 'http://dummy.url/prodcat-productcatalogmanagement-party',
      serviceInventoryId: null,
    });
  });

  it('maps a v1 DependentAPI not resolved yet (no status)', () => {
    const obj: DependentApiObject = {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'DependentAPI',
      metadata: meta('r1-x-resourcecatalog-v4', { ownerReferences: [owner] }),
      spec: { name: 'resourcecatalog', apiType: 'openapi', specification: { url: 'https://x/TMF634-ResourceCatalog-v4.0.0.swagger.json', version: 'v4' }, segment: 'coreFunction' },
    };
    expect(mapDependentApi('hub-1', obj)).toMatchObject({ segment: 'CORE', specifications: [{ tmfApiId: 'TMF634' }], ready: false, url: null });
  });

  it('takes the owner from a Component ownerReference, else the label; other owners do not count', () => {
    const base = { apiVersion: 'oda.tmforum.org/v1', kind: 'ExposedAPI', metadata: { name: 'x', namespace: 'components' } };
    expect(ownerOf(base)).toBeNull();
    const foreign = { ...base, metadata: { ...base.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u' }], labels: { 'oda.tmforum.org/componentName': 'r0-c' } } };
    expect(ownerOf(foreign)).toEqual({ componentName: 'r0-c', componentUid: null, via: 'LABEL' });
  });
});

describe('specification helpers', () => {
  it('finds the TMF id and major version as the operator names children', () => {
    expect(tmfApiIdOf(TMF620)).toBe('TMF620');
    expect(tmfApiIdOf('https://example.org/openapi.yaml')).toBeNull();
    expect(majorVersionOf('v4.0.1', null)).toBe('v4');
    expect(majorVersionOf('5.0.0', null)).toBe('v5');
    expect(majorVersionOf(null, 'https://x/TMF620_ProductCatalog/master/TMF620-ProductCatalog-v4.0.0.swagger.json')).toBe('v4');
    expect(majorVersionOf(null, 'https://x/tmf-api/productCatalogManagement/v5/swagger.json')).toBe('v5');
    expect(majorVersionOf(null, null)).toBeNull();
    expect(specificationsOf([{ url: TMF620 }, 'u', 7, null])).toHaveLength(2);
    expect(specificationsOf('')).toEqual([]);
  });
});
