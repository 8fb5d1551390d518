// Primary CNI of a cluster (domain-models §5 "Detecting the primary CNI"): OVN-Kubernetes + Multus on
// OpenShift (config.openshift.io Network `cluster`, ovnkube-node/multus DaemonSets), Calico (calico-node
// in calico-system, IPPool) or Cilium (cilium in kube-system, CiliumNode) on plain Kubernetes.
import type { KubeObject } from '../types.js';
import type { ClusterBuilder } from './builder.js';
import { daemonSet, pod, service, type ContainerSpec } from './core.js';
import { deepFreeze } from './frozen.js';
import type { Cni } from './profiles.js';

export interface CniNode {
  name: string;
  ip: string;
  index: number;
}

export const OVN_NAMESPACE = 'openshift-ovn-kubernetes';
export const MULTUS_NAMESPACE = 'openshift-multus';

const OVNKUBE_NODE_CONTAINERS: readonly ContainerSpec[] = deepFreeze([
  { name: 'ovn-controller', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:ovn-kubernetes' },
  { name: 'ovn-acl-logging', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:ovn-kubernetes' },
  {
    name: 'kube-rbac-proxy-node',
    image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:kube-rbac-proxy',
    ports: [{ name: 'metrics', containerPort: 9103, protocol: 'TCP' }],
  },
  {
    name: 'kube-rbac-proxy-ovn-metrics',
    image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:kube-rbac-proxy',
    ports: [{ name: 'ovn-metrics', containerPort: 9105, protocol: 'TCP' }],
  },
  { name: 'northd', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:ovn-kubernetes' },
  { name: 'nbdb', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:ovn-kubernetes' },
  { name: 'sbdb', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:ovn-kubernetes' },
  { name: 'ovnkube-controller', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:ovn-kubernetes' },
]);
const MULTUS_CONTAINERS: readonly ContainerSpec[] = deepFreeze([
  { name: 'kube-multus', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:multus-cni' },
]);
const CALICO_NODE_CONTAINERS: readonly ContainerSpec[] = deepFreeze([
  { name: 'calico-node', image: 'quay.io/calico/node:v3.29.1' },
]);
const CALICO_CONTROLLERS_CONTAINERS: readonly ContainerSpec[] = deepFreeze([
  { name: 'calico-kube-controllers', image: 'quay.io/calico/kube-controllers:v3.29.1' },
]);
const CILIUM_CONTAINERS: readonly ContainerSpec[] = deepFreeze([
  {
    name: 'cilium-agent',
    image: 'quay.io/cilium/cilium:v1.16.5',
    ports: [{ name: 'prometheus', containerPort: 9962, protocol: 'TCP' }],
  },
]);
const CILIUM_OPERATOR_CONTAINERS: readonly ContainerSpec[] = deepFreeze([
  { name: 'cilium-operator', image: 'quay.io/cilium/operator-generic:v1.16.5' },
]);

/** Pod addressing and the default network of each CNI (the `default: true` network-status entry). */
export class PodNetwork {
  private readonly next = new Map<number, number>();

  constructor(readonly cni: Cni) {}

  /** Name of the default network in Multus network-status: the primary CNI's config name. */
  get defaultNetworkName(): string {
    return this.cni === 'OVNKubernetes' ? 'ovn-kubernetes' : this.cni === 'Calico' ? 'k8s-pod-network' : 'cilium';
  }

  /** Prefix length of the pod address the CNI reports (OVN: the node's /23; Calico and Cilium: /32 per pod). */
  get podPrefixLength(): number {
    return this.cni === 'OVNKubernetes' ? 23 : 32;
  }

  /** Next pod IP on a node: OVN 10.128.0.0/14 with a /23 per node, Calico 192.168.0.0/16 /26 blocks, Cilium 10.0.<node>.0/24. */
  podIP(nodeIndex: number): string {
    const n = (this.next.get(nodeIndex) ?? 10) + 1;
    this.next.set(nodeIndex, n);
    if (this.cni === 'OVNKubernetes') return `10.128.${nodeIndex * 2}.${n}`;
    if (this.cni === 'Calico') return `192.168.${nodeIndex}.${64 + n}`;
    return `10.0.${nodeIndex}.${n}`;
  }

  /** Node annotations the CNI writes. */
  nodeAnnotations(node: { ip: string; index: number }): Record<string, string> {
    if (this.cni === 'OVNKubernetes') {
      return {
        'k8s.ovn.org/node-subnets': JSON.stringify({ default: [`10.128.${node.index * 2}.0/23`] }),
        'k8s.ovn.org/node-primary-ifaddr': JSON.stringify({ ipv4: `${node.ip}/24` }),
      };
    }
    if (this.cni === 'Calico') {
      return {
        'projectcalico.org/IPv4Address': `${node.ip}/24`,
        'projectcalico.org/IPv4VXLANTunnelAddr': `192.168.${node.index}.64`,
      };
    }
    return { 'network.cilium.io/ipv4-pod-cidr': `10.0.${node.index}.0/24` };
  }
}

/** config.openshift.io/v1 Network `cluster` (cluster-scoped) as the cluster-network-operator reports it. */
function openshiftNetwork(b: ClusterBuilder, networkType: string): void {
  const clusterNetwork = [{ cidr: '10.128.0.0/14', hostPrefix: 23 }];
  const serviceNetwork = ['172.30.0.0/16'];
  b.add({
    apiVersion: 'config.openshift.io/v1',
    kind: 'Network',
    metadata: b.meta('cluster', undefined, { createdAfterSeconds: 0 }),
    spec: { clusterNetwork, serviceNetwork, networkType, externalIP: { policy: {} } },
    status: {
      clusterNetwork,
      clusterNetworkMTU: 1400,
      networkType,
      serviceNetwork,
      conditions: [
        {
          type: 'NetworkDiagnosticsAvailable',
          status: 'True',
          reason: 'AsExpected',
          message: '',
          lastTransitionTime: b.time(1200),
        },
      ],
    },
  });
}

export function addOvnKubernetes(b: ClusterBuilder, nodes: CniNode[]): void {
  openshiftNetwork(b, 'OVNKubernetes');
  const labels = { app: 'ovnkube-node', component: 'network', type: 'infra', 'ovn-db-pod': 'true' };
  const ds = daemonSet(b, { name: 'ovnkube-node', namespace: OVN_NAMESPACE, labels, containers: OVNKUBE_NODE_CONTAINERS, nodeCount: nodes.length });
  const multusLabels = { app: 'multus', component: 'network', type: 'infra' };
  const multus = daemonSet(b, { name: 'multus', namespace: MULTUS_NAMESPACE, labels: multusLabels, containers: MULTUS_CONTAINERS, nodeCount: nodes.length });
  for (const n of nodes) {
    pod(b, {
      name: `ovnkube-node-${b.suffix()}`,
      namespace: OVN_NAMESPACE,
      nodeName: n.name,
      labels,
      containers: OVNKUBE_NODE_CONTAINERS,
      hostIP: n.ip,
      hostNetwork: true,
      owner: ds,
      serviceAccountName: 'ovn-kubernetes-node',
      priorityClassName: 'system-node-critical',
    });
    pod(b, {
      name: `multus-${b.suffix()}`,
      namespace: MULTUS_NAMESPACE,
      nodeName: n.name,
      labels: multusLabels,
      containers: MULTUS_CONTAINERS,
      hostIP: n.ip,
      hostNetwork: true,
      owner: multus,
      serviceAccountName: 'multus',
      priorityClassName: 'system-node-critical',
    });
  }
  service(b, {
    name: 'ovn-kubernetes-node',
    namespace: OVN_NAMESPACE,
    labels: { app: 'ovnkube-node' },
    selector: { app: 'ovnkube-node' },
    ports: [
      { name: 'metrics', port: 9103, targetPort: 9103 },
      { name: 'ovn-metrics', port: 9105, targetPort: 9105 },
    ],
    headless: true,
  });
}

export function addCalico(b: ClusterBuilder, nodes: CniNode[], network: PodNetwork): void {
  const labels = { 'k8s-app': 'calico-node', 'app.kubernetes.io/name': 'calico-node' };
  const ds = daemonSet(b, { name: 'calico-node', namespace: 'calico-system', labels, containers: CALICO_NODE_CONTAINERS, nodeCount: nodes.length });
  for (const n of nodes) {
    pod(b, {
      name: `calico-node-${b.suffix()}`,
      namespace: 'calico-system',
      nodeName: n.name,
      labels,
      containers: CALICO_NODE_CONTAINERS,
      hostIP: n.ip,
      hostNetwork: true,
      owner: ds,
      serviceAccountName: 'calico-node',
      priorityClassName: 'system-node-critical',
    });
  }
  pod(b, {
    name: `calico-kube-controllers-${b.suffix(10)}-${b.suffix()}`,
    namespace: 'calico-system',
    nodeName: nodes[0].name,
    labels: { 'k8s-app': 'calico-kube-controllers' },
    containers: CALICO_CONTROLLERS_CONTAINERS,
    hostIP: nodes[0].ip,
    podIP: network.podIP(nodes[0].index),
    serviceAccountName: 'calico-kube-controllers',
  });
  b.add({
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'ClusterInformation',
    metadata: b.meta('default', undefined, { createdAfterSeconds: 300 }),
    spec: { calicoVersion: 'v3.29.1', clusterGUID: b.hex(32), clusterType: 'typha,kdd,k8s,operator,bgp,kubeadm', datastoreReady: true },
  });
  b.add({
    apiVersion: 'operator.tigera.io/v1',
    kind: 'Installation',
    metadata: b.meta('default', undefined, { createdAfterSeconds: 250 }),
    spec: {
      calicoNetwork: {
        bgp: 'Enabled',
        ipPools: [{ name: 'default-ipv4-ippool', blockSize: 26, cidr: '192.168.0.0/16', encapsulation: 'VXLANCrossSubnet', natOutgoing: 'Enabled', nodeSelector: 'all()' }],
      },
      cni: { type: 'Calico', ipam: { type: 'Calico' } },
      variant: 'Calico',
    },
    status: { variant: 'Calico', calicoVersion: 'v3.29.1', mtu: 1450, conditions: [{ type: 'Ready', status: 'True', reason: 'AllObjectsAvailable', message: 'All Objects are available', lastTransitionTime: b.time(400), observedGeneration: 1 }] },
  });
  b.add({
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'IPPool',
    metadata: b.meta('default-ipv4-ippool', undefined, { createdAfterSeconds: 300 }),
    spec: {
      allowedUses: ['Workload', 'Tunnel'],
      blockSize: 26,
      cidr: '192.168.0.0/16',
      ipipMode: 'Never',
      natOutgoing: true,
      nodeSelector: 'all()',
      vxlanMode: 'CrossSubnet',
    },
  });
}

export function addCilium(b: ClusterBuilder, nodes: CniNode[]): void {
  const labels = { 'k8s-app': 'cilium', 'app.kubernetes.io/name': 'cilium-agent', 'app.kubernetes.io/part-of': 'cilium' };
  const ds = daemonSet(b, { name: 'cilium', namespace: 'kube-system', labels, containers: CILIUM_CONTAINERS, nodeCount: nodes.length });
  for (const n of nodes) {
    pod(b, {
      name: `cilium-${b.suffix()}`,
      namespace: 'kube-system',
      nodeName: n.name,
      labels,
      containers: CILIUM_CONTAINERS,
      hostIP: n.ip,
      hostNetwork: true,
      owner: ds,
      serviceAccountName: 'cilium',
      priorityClassName: 'system-node-critical',
    });
    b.add({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNode',
      metadata: b.meta(n.name, undefined, {
        labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux' },
        createdAfterSeconds: 200,
      }),
      spec: {
        addresses: [
          { type: 'InternalIP', ip: n.ip },
          { type: 'CiliumInternalIP', ip: `10.0.${n.index}.10` },
        ],
        health: { ipv4: `10.0.${n.index}.11` },
        ipam: { podCIDRs: [`10.0.${n.index}.0/24`] },
      },
      status: { ipam: { 'operator-status': {} } },
    });
  }
  pod(b, {
    name: `cilium-operator-${b.suffix(10)}-${b.suffix()}`,
    namespace: 'kube-system',
    nodeName: nodes[0].name,
    labels: { 'io.cilium/app': 'operator', name: 'cilium-operator', 'app.kubernetes.io/part-of': 'cilium' },
    containers: CILIUM_OPERATOR_CONTAINERS,
    hostIP: nodes[0].ip,
    hostNetwork: true,
    serviceAccountName: 'cilium-operator',
  });
}

/** Namespaces each CNI needs. */
export function cniNamespaces(cni: Cni): string[] {
  if (cni === 'OVNKubernetes') return [OVN_NAMESPACE, MULTUS_NAMESPACE];
  if (cni === 'Calico') return ['calico-system', 'tigera-operator'];
  return [];
}

/** One CiliumEndpoint per pod on the pod network (same name and namespace as the pod). */
export function addCiliumEndpoints(b: ClusterBuilder, pods: KubeObject[]): void {
  for (const p of pods) {
    const status = p.status as { podIP?: string; hostIP?: string } | undefined;
    if (!status?.podIP || status.podIP === status.hostIP) continue;
    const labels = Object.entries(p.metadata.labels ?? {})
      .filter(([k]) => !k.includes('pod-template-hash') && !k.startsWith('statefulset.'))
      .map(([k, v]) => `k8s:${k}=${v}`);
    labels.push(`k8s:io.kubernetes.pod.namespace=${p.metadata.namespace}`);
    const id = 1000 + Math.floor(b.rng() * 3000);
    b.add({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumEndpoint',
      metadata: b.meta(p.metadata.name, p.metadata.namespace, {
        labels: p.metadata.labels,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: p.metadata.name, uid: p.metadata.uid ?? '' }],
      }),
      status: {
        id,
        identity: { id: 10000 + Math.floor(b.rng() * 50000), labels },
        networking: { addressing: [{ ipv4: status.podIP }], node: status.hostIP },
        state: 'ready',
        'external-identifiers': { 'container-id': b.hex(64), 'k8s-namespace': p.metadata.namespace, 'k8s-pod-name': p.metadata.name, 'pod-name': `${p.metadata.namespace}/${p.metadata.name}` },
        policy: { ingress: { enforcing: false, state: '<status disabled>' }, egress: { enforcing: false, state: '<status disabled>' } },
      },
    });
  }
}
