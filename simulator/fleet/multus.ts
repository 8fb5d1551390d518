// Multus secondary networks (domain-models §5): NetworkAttachmentDefinitions with upstream CNI configs
// (macvlan + whereabouts, host-device + static, ipvlan + host-local, a macvlan+tuning conflist whose CNI
// name differs from the NAD's, bridge with host-local `ranges`), and upstream Multus (thick plugin,
// DaemonSet kube-multus-ds in kube-system) for plain-Kubernetes clusters. OpenShift's Multus is in cni.ts.
import type { KubeObject } from '../types.js';
import type { ClusterBuilder } from './builder.js';
import { daemonSet, pod, type ContainerSpec } from './core.js';
import { deepFreeze } from './frozen.js';

export const RESOURCE_NAME_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';
export const UPSTREAM_MULTUS_NAMESPACE = 'kube-system';

export interface NadInput {
  name: string;
  namespace: string;
  /** `spec.config` text exactly as stored (it may be invalid JSON where no admission webhook checks it). */
  config: string;
  resourceName?: string;
  createdAfterSeconds?: number;
}

export function addNad(b: ClusterBuilder, input: NadInput): KubeObject {
  return b.add({
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: b.meta(input.name, input.namespace, {
      annotations: input.resourceName ? { [RESOURCE_NAME_ANNOTATION]: input.resourceName } : undefined,
      createdAfterSeconds: input.createdAfterSeconds ?? 900,
    }),
    spec: { config: input.config },
  });
}

/** A secondary network the regional CNFs attach to: the NAD and the addresses its IPAM hands out. */
export interface SecondaryNetwork {
  name: string;
  namespace: string;
  /** The CNI `type` of the (first) plugin. */
  type: string;
  config: string;
  /** CIDR the n-th pod on this network gets (from the range, or requested for static IPAM). */
  address(n: number): string;
  /** Static IPAM: the pod asks for its address in the networks annotation (`ips`). */
  requestsIps?: boolean;
}

const json = (value: unknown) => JSON.stringify(value);

/** Regional CNF networks, one of each plugin type a 5G core / CU site typically uses. */
export const REGIONAL_NETWORKS: readonly SecondaryNetwork[] = deepFreeze([
  {
    name: 'f1c-macvlan',
    namespace: 'cu-vcu',
    type: 'macvlan',
    config: json({
      cniVersion: '0.4.0',
      name: 'f1c-macvlan',
      type: 'macvlan',
      master: 'ens3f0',
      mode: 'bridge',
      mtu: 1500,
      ipam: { type: 'whereabouts', range: '10.50.1.0/24', range_start: '10.50.1.10', range_end: '10.50.1.50', gateway: '10.50.1.1' },
    }),
    address: (n: number) => `10.50.1.${10 + n}/24`,
  },
  {
    name: 'f1u-hostdev',
    namespace: 'cu-vcu',
    type: 'host-device',
    config: json({
      cniVersion: '0.3.1',
      name: 'f1u-hostdev',
      type: 'host-device',
      device: 'ens3f1',
      ipam: { type: 'static', addresses: [{ address: '10.50.2.10/24', gateway: '10.50.2.1' }] },
    }),
    address: () => '10.50.2.10/24',
  },
  {
    name: 'n2-ipvlan',
    namespace: '5g-core',
    type: 'ipvlan',
    config: json({
      cniVersion: '0.3.1',
      name: 'n2-ipvlan',
      type: 'ipvlan',
      master: 'ens3f2',
      mode: 'l2',
      ipam: { type: 'host-local', subnet: '10.60.2.0/24', rangeStart: '10.60.2.20', rangeEnd: '10.60.2.60', gateway: '10.60.2.1' },
    }),
    address: (n: number) => `10.60.2.${20 + n}/24`,
  },
  {
    // A conflist whose CNI name ("n4") is not the NAD's name: Multus messages name the CNI network.
    name: 'n4-conflist',
    namespace: '5g-core',
    type: 'macvlan',
    config: json({
      cniVersion: '0.4.0',
      name: 'n4',
      plugins: [
        { type: 'macvlan', master: 'ens3f3', mode: 'bridge', capabilities: { ips: true }, ipam: { type: 'static' } },
        { type: 'tuning', mtu: 9000, sysctl: { 'net.ipv4.conf.IFNAME.arp_notify': '1' } },
      ],
    }),
    address: (n: number) => `10.60.4.${5 + n}/24`,
    requestsIps: true,
  },
  {
    name: 'oam-bridge',
    namespace: 'ran-oam',
    type: 'bridge',
    config: json({
      cniVersion: '0.3.1',
      name: 'oam-bridge',
      type: 'bridge',
      bridge: 'br-oam',
      vlan: 100,
      isGateway: false,
      ipMasq: false,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.70.0.0/24', rangeStart: '10.70.0.10', rangeEnd: '10.70.0.40', gateway: '10.70.0.1' }]] },
    }),
    address: (n: number) => `10.70.0.${10 + n}/24`,
  },
]);

/**
 * A NAD with a `spec.config` that is not valid JSON (a missing closing brace). Only on plain-Kubernetes
 * clusters, where no admission webhook validates NADs (OpenShift's multus-admission-controller would
 * refuse it). No pod requests it, so nothing else fails.
 */
export const INVALID_NAD: NadInput = deepFreeze({
  name: 'f1u-macvlan',
  namespace: 'cu-vcu',
  config: '{"cniVersion":"0.4.0","name":"f1u-macvlan","type":"macvlan","master":"ens3f1","mode":"bridge","ipam":{"type":"whereabouts","range":"10.50.3.0/24"}',
});

const UPSTREAM_MULTUS_CONTAINERS: readonly ContainerSpec[] = deepFreeze([
  { name: 'kube-multus', image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thick' },
]);

/** Upstream Multus (deployments/multus-daemonset-thick.yml): DaemonSet kube-multus-ds, labels app=multus, name=multus. */
export function addUpstreamMultus(b: ClusterBuilder, nodes: { name: string; ip: string }[]): void {
  const labels = { app: 'multus', name: 'multus', tier: 'node' };
  const ds = daemonSet(b, { name: 'kube-multus-ds', namespace: UPSTREAM_MULTUS_NAMESPACE, labels, containers: UPSTREAM_MULTUS_CONTAINERS, nodeCount: nodes.length });
  for (const n of nodes) {
    pod(b, {
      name: `kube-multus-ds-${b.suffix()}`,
      namespace: UPSTREAM_MULTUS_NAMESPACE,
      nodeName: n.name,
      labels,
      containers: UPSTREAM_MULTUS_CONTAINERS,
      hostIP: n.ip,
      hostNetwork: true,
      owner: ds,
      serviceAccountName: 'multus',
    });
  }
}
