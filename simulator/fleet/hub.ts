// A hub (management) cluster: OpenShift with OVN-Kubernetes, the ODA Canvas with its Components and
// ExposedAPIs, and O2IMS (hub-provisioning.ts): the ProvisioningRequests in this hub's CRD variant that
// created its edge sites, their PackageVariants and Cluster API Clusters, and sample stuck requests.
import type { SimClusterSpec } from './model.js';
import { ClusterBuilder } from './builder.js';
import { namespace, node, pod, type ContainerSpec } from './core.js';
import { addOvnKubernetes, cniNamespaces, PodNetwork, type CniNode } from './cni.js';
import { deepFreeze } from './frozen.js';
import {
  ODA_CATALOGUE,
  ODA_NAMESPACE,
  odaComponentName,
  odaComponentObject,
  odaComponentStatus,
  odaExposedApiObjects,
  type OdaDeploymentStatus,
  type OdaEnvironment,
} from './oda.js';
import { addHubProvisioning, type SampleRequest } from './hub-provisioning.js';
import type { PrVariant } from './o2ims.js';
import { hubName, OCP_KUBERNETES_VERSION, type Region } from './profiles.js';

export const O2IMS_NAMESPACE = 'o2ims-system';
export const CANVAS_NAMESPACE = 'canvas';

const OPERATOR_CONTAINERS: Record<string, readonly ContainerSpec[]> = deepFreeze({
  'component-operator': [{ name: 'component-operator', image: 'tmforumodacanvas/component-operator:1.3.0' }],
  'api-operator-istio': [{ name: 'api-operator-istio', image: 'tmforumodacanvas/api-operator-istio:1.2.0' }],
  'o2ims-operator': [
    { name: 'o2ims-operator', image: 'docker.io/nephio/o2ims-operator:v4.0.0', ports: [{ name: 'nbi', containerPort: 5000, protocol: 'TCP' }] },
  ],
});

/** Deployment states of the catalogue components on a fresh hub (one still waiting for a dependent API). */
const ODA_STATES: OdaDeploymentStatus[] = ['Complete', 'Complete', 'In-Progress-DepApi'];

export interface HubOptions {
  seed: number;
  index: number;
  referenceTime: number;
  /** Edge sites this hub provisioned (one fulfilled ProvisioningRequest each). */
  edges: { name: string; region: Region }[];
  /** Which ProvisioningRequest CRD the hub serves (hub-1 Nephio, hub-2 the O-Cloud Manager's, alternating). */
  variant?: PrVariant;
  /** Sample requests that stick (progressing, timed out, pending, stalled in Porch). */
  samples?: { name: string; region: Region; sample: SampleRequest }[];
}

export function odaEnvironment(hub: string): OdaEnvironment {
  return { gatewayHost: `canvas.apps.${hub}.example.net`, gatewayIp: '10.40.0.100' };
}

export function buildHubCluster(options: HubOptions): SimClusterSpec {
  const name = hubName(options.index);
  const b = new ClusterBuilder(options.seed, name, options.referenceTime);
  const kubeletVersion = OCP_KUBERNETES_VERSION['4.18'];
  const fleetLabels = { role: 'hub', region: 'core', site: name };

  for (const ns of ['default', 'kube-system', 'openshift-monitoring', ...cniNamespaces('OVNKubernetes')]) {
    namespace(b, ns, ns.startsWith('openshift-') ? { 'openshift.io/cluster-monitoring': 'true' } : {});
  }
  for (const ns of [ODA_NAMESPACE, CANVAS_NAMESPACE, 'istio-ingress', O2IMS_NAMESPACE]) namespace(b, ns);

  const network = new PodNetwork('OVNKubernetes');
  const nodes: CniNode[] = [];
  for (let i = 0; i < 3; i++) {
    const n: CniNode = { name: `${name}-ctrl-${i}`, ip: `10.40.${options.index}.${11 + i}`, index: i };
    node(b, {
      name: n.name,
      ip: n.ip,
      kubeletVersion,
      openshift: true,
      cpu: 32,
      memoryGi: 128,
      labels: {
        'node-role.kubernetes.io/control-plane': '',
        'node-role.kubernetes.io/master': '',
        'node-role.kubernetes.io/worker': '',
        ...fleetLabels,
      },
      annotations: network.nodeAnnotations(n),
    });
    nodes.push(n);
  }
  addOvnKubernetes(b, nodes);

  const operators: [string, string][] = [
    ['component-operator', CANVAS_NAMESPACE],
    ['api-operator-istio', CANVAS_NAMESPACE],
    ['o2ims-operator', O2IMS_NAMESPACE],
  ];
  operators.forEach(([app, ns], i) => {
    const host = nodes[i % nodes.length];
    pod(b, {
      name: `${app}-${b.suffix(10)}-${b.suffix()}`,
      namespace: ns,
      nodeName: host.name,
      labels: { app, 'pod-template-hash': b.suffix(10) },
      containers: OPERATOR_CONTAINERS[app],
      hostIP: host.ip,
      podIP: network.podIP(host.index),
      serviceAccountName: app,
    });
  });

  const env = odaEnvironment(name);
  ODA_CATALOGUE.forEach((def, i) => {
    const meta = b.meta(odaComponentName(def), ODA_NAMESPACE, { createdAfterSeconds: 5000 + i * 60 });
    const apis = odaExposedApiObjects(def, meta, env, true, (apiName) => b.meta(apiName, ODA_NAMESPACE, { createdAfterSeconds: 5030 + i * 60 }));
    const uids = Object.fromEntries(apis.map((a) => [(a.spec as { name: string }).name, a.metadata.uid ?? '']));
    b.add(odaComponentObject(def, meta, odaComponentStatus(def, ODA_STATES[i % ODA_STATES.length], env, uids)));
    for (const api of apis) b.add(api);
  });

  addHubProvisioning(b, { variant: options.variant ?? (options.index % 2 === 0 ? 'nephio' : 'openshift'), edges: options.edges, samples: options.samples ?? [] });

  return { name, role: 'hub', labels: fleetLabels, platform: 'OpenShift', kubernetesVersion: kubeletVersion, objects: b.objects };
}
