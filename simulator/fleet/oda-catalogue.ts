// The TM Forum ODA Components the simulated canvases run (golden component ids, functional blocks and the
// Open-APIs each exposes and depends on), as their Helm charts declare them. Which cluster runs which, in
// which state, is oda-canvas.ts; how the objects look in each CRD version is oda.ts.
import { deepFreeze } from './frozen.js';

export const ODA_NAMESPACE = 'components';
export const ODA_COMPONENT_LABEL = 'oda.tmforum.org/componentName';

export type OdaSegment = 'coreFunction' | 'managementFunction' | 'securityFunction';
export const ODA_SEGMENTS: readonly OdaSegment[] = ['coreFunction', 'managementFunction', 'securityFunction'];

/** `gatewayConfiguration` of an exposed API (v1; top-level keys of the API entry in v1beta3). */
export interface OdaGatewayConfig {
  apiKeyVerification?: { enabled: boolean; location?: string };
  rateLimit?: { enabled: boolean; identifier?: string; limit?: string; interval?: string };
  quota?: { identifier?: string; limit?: string };
  OASValidation?: Record<string, boolean>;
  CORS?: { enabled: boolean; allowCredentials?: boolean; allowOrigins?: string; handlePreflightRequests?: Record<string, unknown> };
  template?: string;
}

export interface OdaApiDef {
  segment: OdaSegment;
  name: string;
  /** TM Forum Open-API spec (absent for the Prometheus metrics endpoint). */
  spec?: { url: string; version: string };
  apiType: 'openapi' | 'prometheus';
  /** Path below the component, e.g. `tmf-api/productCatalogManagement/v4`. */
  path: string;
  port: number;
  /** Service name below the release, e.g. `prodcatapi` → `r1-prodcatapi`. */
  service: string;
  gateway?: OdaGatewayConfig;
}

export interface OdaDependentDef {
  name: string;
  spec: { url: string; version: string };
}

export interface OdaComponentDef {
  /** Helm chart name, the component name after the release (`r1-productcatalogmanagement`). */
  name: string;
  id: string;
  version: string;
  description: string;
  functionalBlock: string;
  apis: readonly OdaApiDef[];
  /** Core-function dependent APIs. */
  dependentApis: readonly OdaDependentDef[];
  /** Declares `securityFunction.secretsManagement` (a sideCar): deployment waits in In-Progress-SecretMan. */
  secretsManagement: boolean;
}

export function tmfSpec(id: string, title: string, version = '4.0.0'): { url: string; version: string } {
  const ext = version.startsWith('5') ? 'oas.yaml' : 'swagger.json';
  return { url: `https://raw.githubusercontent.com/tmforum-apis/${id}_${title}/master/${id}-${title}-v${version}.${ext}`, version };
}

/** The chart's default API policy (productcatalog test chart values), with API keys and rate limiting on. */
const PARTY_ROLE_GATEWAY: OdaGatewayConfig = {
  apiKeyVerification: { enabled: true, location: 'header' },
  rateLimit: { enabled: true, identifier: 'IP', limit: '100', interval: 'pm' },
  quota: { identifier: '', limit: '' },
  OASValidation: { requestEnabled: false, responseEnabled: false, allowUnspecifiedHeaders: false, allowUnspecifiedQueryParams: false, allowUnspecifiedCookies: false },
  CORS: {
    enabled: true,
    allowCredentials: false,
    allowOrigins: 'https://portal.example.net',
    handlePreflightRequests: { enabled: true, allowHeaders: 'Accept, Content-Type', allowMethods: 'GET, POST', maxAge: 1800 },
  },
  template: '',
};

const metrics = (name: string): OdaApiDef => ({ segment: 'managementFunction', name: 'metrics', apiType: 'prometheus', path: 'metrics', port: 4000, service: `${name}-sm` });
const partyRole = (gateway?: OdaGatewayConfig): OdaApiDef => ({
  segment: 'securityFunction',
  name: 'partyrole',
  spec: tmfSpec('TMF669', 'PartyRole'),
  apiType: 'openapi',
  path: 'tmf-api/partyRoleManagement/v4',
  port: 8080,
  service: 'partyroleapi',
  ...(gateway ? { gateway } : {}),
});
const core = (name: string, tmf: [string, string], path: string, service: string): OdaApiDef => ({
  segment: 'coreFunction',
  name,
  spec: tmfSpec(tmf[0], tmf[1]),
  apiType: 'openapi',
  path: `tmf-api/${path}/v4`,
  port: 8080,
  service,
});

export const ODA_CATALOGUE: readonly OdaComponentDef[] = deepFreeze([
  {
    name: 'productcatalogmanagement',
    id: 'TMFC001',
    version: '1.2.0',
    description: 'Product Catalog Management component: product offerings, specifications and prices.',
    functionalBlock: 'CoreCommerce',
    apis: [
      core('productcatalogmanagement', ['TMF620', 'ProductCatalog'], 'productCatalogManagement', 'prodcatapi'),
      core('promotionmanagement', ['TMF671', 'Promotion'], 'promotionManagement', 'promgmtapi'),
      metrics('productcatalogmanagement'),
      partyRole(PARTY_ROLE_GATEWAY),
    ],
    dependentApis: [{ name: 'party', spec: tmfSpec('TMF632', 'PartyManagement') }],
    secretsManagement: false,
  },
  {
    name: 'productinventory',
    id: 'TMFC005',
    version: '1.1.0',
    description: 'Product Inventory component: installed products and their lifecycle.',
    functionalBlock: 'CoreCommerce',
    apis: [core('productinventorymanagement', ['TMF637', 'ProductInventory'], 'productInventoryManagement', 'prodinvapi'), metrics('productinventory'), partyRole()],
    dependentApis: [{ name: 'productcatalogmanagement', spec: tmfSpec('TMF620', 'ProductCatalog') }],
    secretsManagement: true,
  },
  {
    name: 'resourceinventory',
    id: 'TMFC012',
    version: '1.0.1',
    description: 'Resource Inventory component: network resources of the O-Cloud sites.',
    functionalBlock: 'Production',
    apis: [core('resourceinventorymanagement', ['TMF639', 'ResourceInventory'], 'resourceInventoryManagement', 'resinvapi'), metrics('resourceinventory'), partyRole()],
    dependentApis: [{ name: 'resourcecatalog', spec: tmfSpec('TMF634', 'ResourceCatalog') }],
    secretsManagement: false,
  },
  {
    name: 'partymanagement',
    id: 'TMFC028',
    version: '1.0.0',
    description: 'Party Management component: individuals, organizations and their roles.',
    functionalBlock: 'PartyManagement',
    apis: [core('partymanagement', ['TMF632', 'PartyManagement'], 'partyManagement', 'partyapi'), metrics('partymanagement'), partyRole()],
    dependentApis: [],
    secretsManagement: false,
  },
  {
    name: 'resourcecatalog',
    id: 'TMFC010',
    version: '1.0.0',
    description: 'Resource Catalog Management component: resource specifications and candidates.',
    functionalBlock: 'Production',
    apis: [core('resourcecatalogmanagement', ['TMF634', 'ResourceCatalog'], 'resourceCatalogManagement', 'rescatapi'), metrics('resourcecatalog'), partyRole()],
    dependentApis: [],
    secretsManagement: false,
  },
]);

export function odaCatalogueEntry(name: string): OdaComponentDef | undefined {
  return ODA_CATALOGUE.find((d) => d.name === name);
}
