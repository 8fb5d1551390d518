// Cloud-native network function pods (vDU, vCU, UPF, AMF/SMF/NRF …) with Multus annotations whose
// SR-IOV PCI addresses are VFs allocated on the pod's node, and the DPDK telemetry marker.
//
// DPDK marker (our documented choice, domain-models §3 leaves it open): a pod that carries a DPDK
// telemetry exporter has a container port named `dpdk-telemetry` (9876, the default port of DPDK's
// usertools/dpdk-telemetry-exporter.py) AND the annotation `fleetgraph.io/dpdk-telemetry: "9876"`.
// Readers may use either; the exporter answers on that port through the pod proxy.
import type { KubeObject } from '../types.js';
import type { ClusterBuilder } from './builder.js';
import { event, pod, type ContainerSpec } from './core.js';
import type { PodNetwork } from './cni.js';
import { deepFreeze } from './frozen.js';
import { SRIOV_RESOURCE_PREFIX, type SriovNode, type VfRecord } from './sriov.js';

export const DPDK_TELEMETRY_PORT = 9876;
export const DPDK_TELEMETRY_PORT_NAME = 'dpdk-telemetry';
export const DPDK_TELEMETRY_ANNOTATION = 'fleetgraph.io/dpdk-telemetry';
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';

export interface SriovAttachment {
  /** NetworkAttachmentDefinition name (in the pod's namespace). */
  network: string;
  resourceName: string;
  vlan: number;
  /** IPs the ipam hands out (netdevice VFs only). */
  ips?: string[];
}

export interface CnfNode {
  name: string;
  ip: string;
  index: number;
}

export interface CnfPodInput {
  name: string;
  namespace: string;
  node: CnfNode;
  labels: Record<string, string>;
  image: string;
  cpu: string;
  memory: string;
  hugepages1Gi?: string;
  network: PodNetwork;
  /** Multus runs (OpenShift): the pod gets network-status even without secondary networks. */
  multus: boolean;
  sriov?: SriovNode;
  attachments?: SriovAttachment[];
  dpdk?: boolean;
  /** How the networks request annotation is written: JSON array or the short comma list. */
  networksFormat?: 'json' | 'list';
  /** Seconds after installation the pod was created (for its events). */
  createdAt: number;
}

export interface CnfPod {
  pod: KubeObject;
  vfs: VfRecord[];
}

const containerCache = new Map<string, readonly ContainerSpec[]>();

function cnfContainers(input: CnfPodInput): readonly ContainerSpec[] {
  const counts = new Map<string, number>();
  for (const a of input.attachments ?? []) counts.set(a.resourceName, (counts.get(a.resourceName) ?? 0) + 1);
  const key = JSON.stringify([input.image, input.cpu, input.memory, input.hugepages1Gi, [...counts], input.dpdk]);
  let containers = containerCache.get(key);
  if (!containers) {
    const resources: Record<string, string> = { cpu: input.cpu, memory: input.memory };
    if (input.hugepages1Gi) resources['hugepages-1Gi'] = input.hugepages1Gi;
    for (const [resource, n] of counts) resources[`${SRIOV_RESOURCE_PREFIX}/${resource}`] = String(n);
    const name = input.labels['app.kubernetes.io/name'] ?? input.name;
    const container: ContainerSpec = {
      name,
      image: input.image,
      resources: { requests: resources, limits: resources },
    };
    if (input.dpdk) {
      container.ports = [{ name: DPDK_TELEMETRY_PORT_NAME, containerPort: DPDK_TELEMETRY_PORT, protocol: 'TCP' }];
      container.securityContext = { capabilities: { add: ['IPC_LOCK', 'SYS_RESOURCE', 'NET_RAW'] } };
    }
    containers = deepFreeze([container]);
    containerCache.set(key, containers);
  }
  return containers;
}

/** OVN-Kubernetes derives the pod MAC from its IP: 0a:58 + the four IPv4 bytes. */
function ovnMac(ip: string): string {
  return ['0a', '58', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

export function cnfPod(b: ClusterBuilder, input: CnfPodInput): CnfPod {
  const podIP = input.network.podIP(input.node.index);
  const vfs: VfRecord[] = [];
  const annotations: Record<string, string> = {};
  const attachments = input.attachments ?? [];
  if (input.multus) {
    const status: Record<string, unknown>[] = [
      {
        name: input.network.defaultNetworkName,
        interface: 'eth0',
        ips: [podIP],
        mac: ovnMac(podIP),
        default: true,
        dns: {},
      },
    ];
    attachments.forEach((a, i) => {
      if (!input.sriov) throw new Error(`fleet: pod ${input.name} has SR-IOV attachments but its node has no SR-IOV`);
      const vf = input.sriov.allocate(a.resourceName, a.vlan, { namespace: input.namespace, pod: input.name });
      vfs.push(vf);
      const entry: Record<string, unknown> = { name: `${input.namespace}/${a.network}`, interface: `net${i + 1}` };
      if (vf.mac) entry.mac = vf.mac;
      if (a.ips) entry.ips = a.ips;
      entry.dns = {};
      entry['device-info'] = { type: 'pci', version: '1.1.0', pci: { 'pci-address': vf.pciAddress } };
      status.push(entry);
    });
    if (attachments.length > 0) {
      annotations[NETWORKS_ANNOTATION] =
        input.networksFormat === 'list'
          ? attachments.map((a) => a.network).join(',')
          : JSON.stringify(attachments.map((a) => ({ name: a.network, namespace: input.namespace })));
    }
    annotations[NETWORK_STATUS_ANNOTATION] = JSON.stringify(status);
    if (input.network.cni === 'OVNKubernetes') {
      const gateway = `${podIP.split('.').slice(0, 3).join('.')}.1`;
      annotations['k8s.ovn.org/pod-networks'] = JSON.stringify({
        default: {
          ip_addresses: [`${podIP}/23`],
          mac_address: ovnMac(podIP),
          gateway_ips: [gateway],
          ip_address: `${podIP}/23`,
          gateway_ip: gateway,
          role: 'primary',
        },
      });
    }
  }
  if (input.dpdk) annotations[DPDK_TELEMETRY_ANNOTATION] = String(DPDK_TELEMETRY_PORT);
  const created = pod(b, {
    name: input.name,
    namespace: input.namespace,
    nodeName: input.node.name,
    labels: input.labels,
    annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    containers: cnfContainers(input),
    hostIP: input.node.ip,
    podIP,
    qosClass: 'Guaranteed',
    startedAfterSeconds: input.createdAt + 20,
  });
  if (input.multus) {
    const added = [`Add eth0 [${podIP}/23] from ${input.network.defaultNetworkName}`];
    attachments.forEach((a, i) => added.push(`Add net${i + 1} [${(a.ips ?? []).map((ip) => `${ip}/24`).join(',')}] from ${input.namespace}/${a.network}`));
    for (const message of added) {
      event(b, {
        involved: created,
        type: 'Normal',
        reason: 'AddedInterface',
        message,
        component: 'multus',
        host: input.node.name,
        firstSeconds: input.createdAt + 12,
      });
    }
  }
  return { pod: created, vfs };
}

/** A kubelet sandbox failure that Multus/SR-IOV CNI caused (domain-models §5 pod-network events). */
export function sandboxFailureEvent(b: ClusterBuilder, target: KubeObject, node: string, network: string, at: number, count: number): void {
  const ns = target.metadata.namespace ?? 'default';
  const name = target.metadata.name;
  event(b, {
    involved: target,
    type: 'Warning',
    reason: 'FailedCreatePodSandBox',
    message: sandboxFailureMessage(ns, name, target.metadata.uid ?? '', network, b.hex(64)),
    component: 'kubelet',
    host: node,
    count,
    firstSeconds: at,
    lastSeconds: at + 30 * (count - 1),
  });
}

export function sandboxFailureMessage(ns: string, name: string, uid: string, network: string, sandboxId: string): string {
  return (
    `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox ` +
    `k8s_${name}_${ns}_${uid}_0(${sandboxId}): error adding pod ${ns}_${name} to CNI network "multus-cni-network": ` +
    `plugin type="multus-shim" name="multus-cni-network" failed (add): CmdAdd (shim): CNI request failed with status 400: ` +
    `'[${ns}/${name}/${uid}:${network}]: error adding container to network "${network}": SRIOV-CNI failed to configure VF ` +
    `"failed to set vf 0 vlan: operation not permitted"'`
  );
}
