// An ODA Canvas on a generated cluster: its namespaces, the canvas operators, and the components it runs
// in their settled state (oda.ts renders them), including the drift a registry must notice: an API whose
// implementation never became ready, an ExposedAPI deleted by hand, and the children a release left behind
// when it was deleted with `--cascade=orphan`.
import type { ClusterBuilder } from './builder.js';
import type { CniNode, PodNetwork } from './cni.js';
import { namespace, pod, type ContainerSpec } from './core.js';
import { deepFreeze } from './frozen.js';
import type { KubeObject } from '../types.js';
import { ODA_NAMESPACE, odaCatalogueEntry } from './oda-catalogue.js';
import {
  newOdaDeployment,
  odaDependentApiObject,
  odaExposedApiObject,
  odaObjects,
  resolveDependents,
  settleOdaDeployment,
  type OdaDeployment,
  type OdaEnvironment,
  type OdaLayout,
} from './oda.js';

export const CANVAS_NAMESPACE = 'canvas';

const CANVAS_OPERATORS: Record<string, readonly ContainerSpec[]> = deepFreeze({
  'component-operator': [{ name: 'component-operator', image: 'tmforumodacanvas/component-operator:1.3.0' }],
  'api-operator-istio': [{ name: 'api-operator-istio', image: 'tmforumodacanvas/api-operator-istio:1.2.0' }],
  'dependentapi-simple-operator': [{ name: 'dependentapi-simple-operator', image: 'tmforumodacanvas/dependentapi-simple-operator:1.0.0' }],
});

export function odaEnvironment(cluster: string): OdaEnvironment {
  return { gatewayHost: `canvas.apps.${cluster}.example.net` };
}

export interface OdaInstall {
  component: string;
  release: string;
  /** APIs whose implementation never became ready (the component stays In-Progress-CompCon). */
  notReady?: string[];
  /** APIs whose ExposedAPI someone deleted by hand (the component's status still lists them). */
  deletedByHand?: string[];
  /** The release was deleted with `--cascade=orphan`: only its ExposedAPIs/DependentAPIs remain, without ownerReferences. */
  orphaned?: boolean;
}

export interface OdaCanvasOptions {
  layout: OdaLayout;
  nodes: readonly CniNode[];
  network: PodNetwork;
  installs: readonly OdaInstall[];
}

export function addOdaCanvas(b: ClusterBuilder, options: OdaCanvasOptions): void {
  for (const ns of [ODA_NAMESPACE, CANVAS_NAMESPACE, 'istio-ingress']) namespace(b, ns);
  Object.entries(CANVAS_OPERATORS).forEach(([app, containers], i) => {
    const host = options.nodes[i % options.nodes.length];
    pod(b, {
      name: `${app}-${b.suffix(10)}-${b.suffix()}`,
      namespace: CANVAS_NAMESPACE,
      nodeName: host.name,
      labels: { app, 'pod-template-hash': b.suffix(10) },
      containers,
      hostIP: host.ip,
      podIP: options.network.podIP(host.index),
      serviceAccountName: app,
    });
  });

  const env = odaEnvironment(b.clusterName);
  const deployments: { d: OdaDeployment; install: OdaInstall }[] = options.installs.map((install, i) => {
    const def = odaCatalogueEntry(install.component);
    if (!def) throw new Error(`oda-canvas: unknown component "${install.component}"`);
    let child = 0;
    const d = newOdaDeployment({
      def,
      release: install.release,
      layout: options.layout,
      env,
      meta: (name) => b.meta(name, ODA_NAMESPACE, { createdAfterSeconds: 5000 + i * 600 + (child++ === 0 ? 0 : 20) }),
      uid: () => b.uid(),
    });
    return { d, install };
  });
  // settle in order, then resolve every dependency against every ready ExposedAPI of the canvas
  for (const { d, install } of deployments) {
    settleOdaDeployment(d);
    for (const i of d.apis) if (install.notReady?.includes(i.api.name)) i.ready = false;
  }
  const exposed = (): KubeObject[] => deployments.filter(({ install }) => !install.orphaned).flatMap(({ d }) => d.apis.map((i) => odaExposedApiObject(d, i)));
  for (const { d } of deployments) resolveDependents(d, exposed(), () => b.uid());

  for (const { d, install } of deployments) {
    for (const i of d.apis) if (install.deletedByHand?.includes(i.api.name)) i.exists = false;
    if (!install.orphaned) {
      for (const obj of odaObjects(d)) b.add(obj);
      continue;
    }
    const children = [...d.apis.map((i) => odaExposedApiObject(d, i)), ...d.dependents.map((dep) => odaDependentApiObject(d, dep))];
    for (const obj of children) {
      delete obj.metadata.ownerReferences;
      b.add(obj);
    }
  }
}
