// A hub (management) cluster: OpenShift with OVN-Kubernetes, the ODA Canvas with its Components and
// ExposedAPIs, and O2IMS (hub-provisioning.ts): the ProvisioningRequests in this hub's CRD variant that
// created its edge sites, their PackageVariants and Cluster API Clusters, and sample stuck requests.
import type { SimClusterSpec } from './model.js';
import { ClusterBuilder } from './builder.js';
import { namespace, node, pod, type ContainerSpec } from './core.js';
import { addOvnKubernetes, cniNamespaces, PodNetwork, type CniNode } from './cni.js';
import { deepFreeze } from './frozen.js';
import { addOdaCanvas, type OdaInstall } from './oda-canvas.js';
import { addHubProvisioning, type SampleRequest } from './hub-provisioning.js';
import type { PrVariant } from './o2ims.js';
import { hubName, OCP_KUBERNETES_VERSION, type Region } from './profiles.js';

export const O2IMS_NAMESPACE = 'o2ims-system';

const OPERATOR_CONTAINERS: Record<string, readonly ContainerSpec[]> = deepFreeze({
  'o2ims-operator': [
    { name: 'o2ims-operator', image: 'docker.io/nephio/o2ims-operator:v4.0.0', ports: [{ name: 'nbi', containerPort: 5000, protocol: 'TCP' }] },
  ],
});

/**
 * The hub's canvas (ODA v1): party and product catalog first, as their APIs are what the later ones depend
 * on; resourceinventory waits in In-Progress-DepApi for a TMF634 Resource Catalog no hub component exposes.
 */
const HUB_ODA: readonly OdaInstall[] = [
  { component: 'partymanagement', release: 'r1' },
  { component: 'productcatalogmanagement', release: 'r1' },
  { component: 'productinventory', release: 'r1' },
  { component: 'resourceinventory', release: 'r1' },
];

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

export function buildHubCluster(options: HubOptions): SimClusterSpec {
  const name = hubName(options.index);
  const b = new ClusterBuilder(options.seed, name, options.referenceTime);
  const kubeletVersion = OCP_KUBERNETES_VERSION['4.18'];
  const fleetLabels = { role: 'hub', region: 'core', site: name };

  for (const ns of ['default', 'kube-system', 'openshift-monitoring', ...cniNamespaces('OVNKubernetes')]) {
    namespace(b, ns, ns.startsWith('openshift-') ? { 'openshift.io/cluster-monitoring': 'true' } : {});
  }
  namespace(b, O2IMS_NAMESPACE);

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

  const operators: [string, string][] = [['o2ims-operator', O2IMS_NAMESPACE]];
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

  addOdaCanvas(b, { layout: 'v1', nodes, network, installs: HUB_ODA });

  addHubProvisioning(b, { variant: options.variant ?? (options.index % 2 === 0 ? 'nephio' : 'openshift'), edges: options.edges, samples: options.samples ?? [] });

  return { name, role: 'hub', labels: fleetLabels, platform: 'OpenShift', kubernetesVersion: kubeletVersion, objects: b.objects };
}
