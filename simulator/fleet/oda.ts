// TM Forum ODA Canvas objects (domain-models §6): Components (oda.tmforum.org/v1) whose status carries
// the literal key `summary/status`, and the ExposedAPIs the API operator creates for them. Used by the
// generator (hub clusters) and by the `oda-deploy` scenario, which walks a component through the
// operator's deployment_status values.
import type { KubeObject, ObjectMeta } from '../types.js';

export const ODA_NAMESPACE = 'components';
export const ODA_COMPONENT_LABEL = 'oda.tmforum.org/componentName';

export type OdaDeploymentStatus =
  | 'In-Progress-CompCon'
  | 'In-Progress-IDConfOp'
  | 'In-Progress-SecretMan'
  | 'In-Progress-DepApi'
  | 'Complete';

/** The operator's order of deployment states. */
export const ODA_DEPLOYMENT_SEQUENCE: readonly OdaDeploymentStatus[] = [
  'In-Progress-CompCon',
  'In-Progress-IDConfOp',
  'In-Progress-SecretMan',
  'In-Progress-DepApi',
  'Complete',
];

type Segment = 'coreFunction' | 'managementFunction' | 'securityFunction';

export interface OdaApiDef {
  segment: Segment;
  name: string;
  specUrl?: string;
  version?: string;
  apiType: 'openapi' | 'prometheus';
  /** Path under the component, e.g. `tmf-api/productCatalogManagement/v4`. */
  path: string;
  port: number;
}

export interface OdaComponentDef {
  release: string;
  name: string;
  id: string;
  version: string;
  description: string;
  functionalBlock: string;
  apis: OdaApiDef[];
  dependentApis: { name: string; specUrl: string; version: string }[];
}

const TMF = (n: string, title: string) =>
  `https://raw.githubusercontent.com/tmforum-apis/${n}_${title}/master/${n}-${title}-v4.0.0.swagger.json`;

export const ODA_CATALOGUE: readonly OdaComponentDef[] = [
  {
    release: 'r1',
    name: 'productcatalogmanagement',
    id: 'TMFC001',
    version: '1.2.0',
    description: 'Product Catalog Management component: product offerings, specifications and prices.',
    functionalBlock: 'CoreCommerce',
    apis: [
      { segment: 'coreFunction', name: 'productcatalogmanagement', specUrl: TMF('TMF620', 'ProductCatalog'), version: 'v4.0.0', apiType: 'openapi', path: 'tmf-api/productCatalogManagement/v4', port: 8080 },
      { segment: 'coreFunction', name: 'promotionmanagement', specUrl: TMF('TMF671', 'Promotion'), version: 'v4.0.0', apiType: 'openapi', path: 'tmf-api/promotionManagement/v4', port: 8080 },
      { segment: 'managementFunction', name: 'metrics', apiType: 'prometheus', path: 'metrics', port: 4000 },
      { segment: 'securityFunction', name: 'partyrole', specUrl: TMF('TMF669', 'PartyRole'), version: 'v4.0.0', apiType: 'openapi', path: 'tmf-api/partyRoleManagement/v4', port: 8080 },
    ],
    dependentApis: [{ name: 'party', specUrl: TMF('TMF632', 'Party'), version: 'v4.0.0' }],
  },
  {
    release: 'r1',
    name: 'productinventory',
    id: 'TMFC005',
    version: '1.1.0',
    description: 'Product Inventory component: installed products and their lifecycle.',
    functionalBlock: 'CoreCommerce',
    apis: [
      { segment: 'coreFunction', name: 'productinventorymanagement', specUrl: TMF('TMF637', 'ProductInventory'), version: 'v4.0.0', apiType: 'openapi', path: 'tmf-api/productInventoryManagement/v4', port: 8080 },
      { segment: 'securityFunction', name: 'partyrole', specUrl: TMF('TMF669', 'PartyRole'), version: 'v4.0.0', apiType: 'openapi', path: 'tmf-api/partyRoleManagement/v4', port: 8080 },
    ],
    dependentApis: [],
  },
  {
    release: 'r1',
    name: 'resourceinventory',
    id: 'TMFC012',
    version: '1.0.1',
    description: 'Resource Inventory component: network resources of the O-Cloud sites.',
    functionalBlock: 'Production',
    apis: [
      { segment: 'coreFunction', name: 'resourceinventorymanagement', specUrl: TMF('TMF639', 'ResourceInventory'), version: 'v4.0.0', apiType: 'openapi', path: 'tmf-api/resourceInventoryManagement/v4', port: 8080 },
      { segment: 'managementFunction', name: 'metrics', apiType: 'prometheus', path: 'metrics', port: 4000 },
    ],
    dependentApis: [{ name: 'resourcecatalog', specUrl: TMF('TMF634', 'ResourceCatalog'), version: 'v4.0.0' }],
  },
];

export function odaComponentName(def: OdaComponentDef): string {
  return `${def.release}-${def.name}`;
}

function apiPath(def: OdaComponentDef, api: OdaApiDef): string {
  return `/${odaComponentName(def)}/${api.path}`;
}

function exposedApiSpecEntry(def: OdaComponentDef, api: OdaApiDef): Record<string, unknown> {
  const path = apiPath(def, api);
  const entry: Record<string, unknown> = { name: api.name };
  if (api.specUrl) entry.specification = [{ url: api.specUrl, version: api.version }];
  entry.implementation = `${def.release}-${api.name === 'metrics' ? `${def.name}-sm` : `${api.name.slice(0, 12)}api`}`;
  entry.apiType = api.apiType;
  entry.path = path;
  if (api.apiType === 'openapi') entry.developerUI = `${path}/docs`;
  entry.port = api.port;
  return entry;
}

export interface OdaEnvironment {
  /** Gateway address the canvas publishes APIs on. */
  gatewayHost: string;
  gatewayIp: string;
}

/** Component status for a deployment state (the shape the component operator writes). */
export function odaComponentStatus(def: OdaComponentDef, state: OdaDeploymentStatus, env: OdaEnvironment, apiUids: Record<string, string> = {}): Record<string, unknown> {
  const index = ODA_DEPLOYMENT_SEQUENCE.indexOf(state);
  const status: Record<string, unknown> = {};
  const summary: Record<string, string> = { deployment_status: state };
  const url = (api: OdaApiDef) => `https://${env.gatewayHost}${apiPath(def, api)}`;
  if (index >= ODA_DEPLOYMENT_SEQUENCE.indexOf('In-Progress-DepApi')) {
    for (const segment of ['coreFunction', 'managementFunction', 'securityFunction'] as const) {
      const key = segment.replace('Function', 'APIs');
      status[key] = def.apis
        .filter((a) => a.segment === segment)
        .map((a) => ({
          name: a.name,
          uid: apiUids[a.name] ?? '',
          url: url(a),
          ...(a.apiType === 'openapi' ? { developerUI: `${url(a)}/docs` } : {}),
          ip: env.gatewayIp,
          path: apiPath(def, a),
          port: 443,
          implementation: exposedApiSpecEntry(def, a).implementation,
          ready: true,
        }));
      summary[`${segment.replace('Function', '')}APIsummary`] = def.apis
        .filter((a) => a.segment === segment)
        .map((a) => `${url(a)} `)
        .join('');
    }
    summary.developerUIsummary = def.apis
      .filter((a) => a.apiType === 'openapi')
      .map((a) => `${url(a)}/docs `)
      .join('');
    const complete = state === 'Complete';
    status.coreDependentAPIs = def.dependentApis.map((d) => ({
      name: d.name,
      uid: apiUids[`dep:${d.name}`] ?? '',
      ready: complete,
      ...(complete ? { url: `https://${env.gatewayHost}/r1-${d.name}/tmf-api/${d.name}/v4` } : {}),
    }));
  }
  if (index >= ODA_DEPLOYMENT_SEQUENCE.indexOf('In-Progress-SecretMan')) {
    status.identityConfig = { identityProvider: 'Keycloak', listenerRegistered: true };
  }
  return { 'summary/status': summary, ...status };
}

export function odaComponentObject(def: OdaComponentDef, meta: ObjectMeta, status: Record<string, unknown>): KubeObject {
  const name = odaComponentName(def);
  const segment = (s: Segment) => ({
    exposedAPIs: def.apis.filter((a) => a.segment === s).map((a) => exposedApiSpecEntry(def, a)),
    dependentAPIs:
      s === 'coreFunction'
        ? def.dependentApis.map((d) => ({ name: d.name, apiType: 'openapi', specification: [{ url: d.specUrl, version: d.version }], required: true }))
        : [],
  });
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'Component',
    metadata: {
      ...meta,
      name,
      labels: { [ODA_COMPONENT_LABEL]: name, 'app.kubernetes.io/instance': def.release, 'app.kubernetes.io/name': def.name },
    },
    spec: {
      componentMetadata: {
        id: def.id,
        name: def.name,
        version: def.version,
        description: def.description,
        functionalBlock: def.functionalBlock,
        publicationDate: '2024-06-03T00:00:00.000Z',
        status: 'specified',
        maintainers: [{ name: 'ODA Canvas team', email: 'oda-canvas@example.org' }],
        owners: [{ name: 'Fleet operations', email: 'fleet-ops@example.org' }],
      },
      coreFunction: segment('coreFunction'),
      managementFunction: segment('managementFunction'),
      securityFunction: { ...segment('securityFunction'), canvasSystemRole: 'Admin' },
      eventNotification: { publishedEvents: [], subscribedEvents: [] },
    },
    status,
  };
}

/** The ExposedAPIs of a component (created by the component operator, readied by the API operator). */
export function odaExposedApiObjects(
  def: OdaComponentDef,
  componentMeta: ObjectMeta,
  env: OdaEnvironment,
  ready: boolean,
  metaFor: (name: string) => ObjectMeta,
): KubeObject[] {
  const componentName = odaComponentName(def);
  return def.apis.map((api) => {
    const spec = exposedApiSpecEntry(def, api);
    const name = `${componentName}-${api.name}`;
    return {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'ExposedAPI',
      metadata: {
        ...metaFor(name),
        labels: { [ODA_COMPONENT_LABEL]: componentName },
        ownerReferences: [
          { apiVersion: 'oda.tmforum.org/v1', kind: 'Component', name: componentName, uid: componentMeta.uid ?? '', controller: true },
        ],
      },
      spec: { ...spec, segment: api.segment },
      status: {
        apiStatus: {
          name: api.name,
          path: spec.path,
          port: 443,
          implementation: spec.implementation,
          url: `https://${env.gatewayHost}${spec.path as string}`,
          ...(spec.developerUI ? { developerUI: `https://${env.gatewayHost}${spec.developerUI as string}` } : {}),
          ip: env.gatewayIp,
        },
        implementation: { ready },
      },
    };
  });
}
