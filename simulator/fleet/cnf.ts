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
import { macFrom } from './random.js';
import { multusAddedInterface, multusDelegateError, multusSandboxFailure, sriovVfVlanError, type SandboxAttempt } from './sandbox-messages.js';
import { SRIOV_RESOURCE_PREFIX, type SriovNode, type VfRecord } from './sriov.js';

export const DPDK_TELEMETRY_PORT = 9876;
export const DPDK_TELEMETRY_PORT_NAME = 'dpdk-telemetry';
export const DPDK_TELEMETRY_ANNOTATION = 'fleetgraph.io/dpdk-telemetry';
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';
/** The annotation older Multus wrote (removed from the client library in 2022). */
export const LEGACY_NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks-status';

/** One secondary network of a pod (a Multus NetworkAttachmentDefinition it requests and gets). */
export interface PodAttachment {
  /** NetworkAttachmentDefinition name. */
  network: string;
  /** Its namespace (default: the pod's). */
  namespace?: string;
  /** An SR-IOV VF of this device-plugin resource, with the network's VLAN (its PCI address goes to device-info). */
  sriov?: { resourceName: string; vlan: number };
  /** Addresses the IPAM hands out, CIDR form (network-status lists them without the prefix). */
  ips?: string[];
  /** Static IPAM with the `ips` capability: the pod asks for `ips` in the request. */
  requestIps?: boolean;
  /** Interface the pod asks for (`@ifname` / JSON `interface`); default net<N>. */
  interface?: string;
  /** MTU the plugin reports for the interface. */
  mtu?: number;
}

/** How the pod's Multus status annotations look (current, current + the old `networks-status`, or only the old one with bare names). */
export type StatusAnnotations = 'current' | 'both' | 'legacy';

/** Sandbox creations that failed before the one that succeeded (each a distinct kubelet Event). */
export interface StartupFailures {
  count: number;
  retrySeconds: number;
  /** The kubelet message of one failed attempt. */
  message: (attempt: SandboxAttempt) => string;
  /** Interfaces Multus added (and reported) before the failing one, per attempt. */
  interfacesBeforeFailure: number;
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
  /** Multus runs: the pod gets network-status even without secondary networks. */
  multus: boolean;
  sriov?: SriovNode;
  attachments?: PodAttachment[];
  dpdk?: boolean;
  /** How the networks request annotation is written: JSON array or the short comma list. */
  networksFormat?: 'json' | 'list';
  statusAnnotations?: StatusAnnotations;
  /** Seconds after installation the pod was created (for its events). */
  createdAt: number;
  /** Seconds from the (successful) sandbox start to the last interface Multus added (default 3). */
  setupSeconds?: number;
  startupFailures?: StartupFailures;
}

export interface CnfPod {
  pod: KubeObject;
  vfs: VfRecord[];
}

const containerCache = new Map<string, readonly ContainerSpec[]>();

function cnfContainers(input: CnfPodInput): readonly ContainerSpec[] {
  const counts = new Map<string, number>();
  for (const a of input.attachments ?? []) if (a.sriov) counts.set(a.sriov.resourceName, (counts.get(a.sriov.resourceName) ?? 0) + 1);
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

/** The networks request annotation in the form the pod's author chose. */
function networksRequest(input: CnfPodInput, attachments: readonly PodAttachment[]): string {
  if (input.networksFormat === 'list') {
    // Short form: `name`, `namespace/name`, `name@ifname` (Multus parsePodNetworkObjectName).
    return attachments
      .map((a) => `${a.namespace ? `${a.namespace}/` : ''}${a.network}${a.interface ? `@${a.interface}` : ''}`)
      .join(',');
  }
  return JSON.stringify(
    attachments.map((a) => {
      const e: Record<string, unknown> = { name: a.network, namespace: a.namespace ?? input.namespace };
      if (a.interface) e.interface = a.interface;
      if (a.requestIps && a.ips) e.ips = a.ips;
      return e;
    }),
  );
}

function plainIp(cidr: string): string {
  return cidr.split('/')[0];
}

export function cnfPod(b: ClusterBuilder, input: CnfPodInput): CnfPod {
  const podIP = input.network.podIP(input.node.index);
  const vfs: VfRecord[] = [];
  const annotations: Record<string, string> = {};
  const attachments = input.attachments ?? [];
  const defaultCidr = `${podIP}/${input.network.podPrefixLength}`;
  const added: { ifName: string; message: string }[] = [];
  if (input.multus) {
    const defaultMac = input.network.cni === 'OVNKubernetes' ? ovnMac(podIP) : macFrom(b.rng);
    const status: Record<string, unknown>[] = [
      { name: input.network.defaultNetworkName, interface: 'eth0', ips: [podIP], mac: defaultMac, default: true, dns: {} },
    ];
    added.push({ ifName: 'eth0', message: multusAddedInterface('eth0', [defaultCidr], input.network.defaultNetworkName) });
    const legacyOnly = input.statusAnnotations === 'legacy';
    attachments.forEach((a, i) => {
      const ns = a.namespace ?? input.namespace;
      const ifName = a.interface ?? `net${i + 1}`;
      const entry: Record<string, unknown> = { name: legacyOnly ? a.network : `${ns}/${a.network}`, interface: ifName };
      if (a.ips) entry.ips = a.ips.map(plainIp);
      if (a.sriov) {
        if (!input.sriov) throw new Error(`fleet: pod ${input.name} has SR-IOV attachments but its node has no SR-IOV`);
        const vf = input.sriov.allocate(a.sriov.resourceName, a.sriov.vlan, { namespace: input.namespace, pod: input.name });
        vfs.push(vf);
        if (vf.mac) entry.mac = vf.mac;
        entry.dns = {};
        entry['device-info'] = { type: 'pci', version: '1.1.0', pci: { 'pci-address': vf.pciAddress } };
      } else {
        entry.mac = macFrom(b.rng);
        if (a.mtu) entry.mtu = a.mtu;
        entry.dns = {};
      }
      status.push(entry);
      added.push({ ifName, message: multusAddedInterface(ifName, a.ips ?? [], `${ns}/${a.network}`) });
    });
    if (attachments.length > 0) annotations[NETWORKS_ANNOTATION] = networksRequest(input, attachments);
    const text = JSON.stringify(status);
    if (input.statusAnnotations !== 'legacy') annotations[NETWORK_STATUS_ANNOTATION] = text;
    if (input.statusAnnotations === 'both' || input.statusAnnotations === 'legacy') annotations[LEGACY_NETWORK_STATUS_ANNOTATION] = text;
    if (input.network.cni === 'OVNKubernetes') {
      const gateway = `${podIP.split('.').slice(0, 3).join('.')}.1`;
      annotations['k8s.ovn.org/pod-networks'] = JSON.stringify({
        default: {
          ip_addresses: [defaultCidr],
          mac_address: defaultMac,
          gateway_ips: [gateway],
          ip_address: defaultCidr,
          gateway_ip: gateway,
          role: 'primary',
        },
      });
    }
  }
  if (input.dpdk) annotations[DPDK_TELEMETRY_ANNOTATION] = String(DPDK_TELEMETRY_PORT);

  // Start-up: scheduled a second after creation; each failed sandbox attempt costs retrySeconds; the
  // attempt that works adds eth0 at once and the secondary networks `setupSeconds` later.
  const failures = input.startupFailures;
  const created = input.createdAt;
  const scheduled = created + 1;
  const firstAttempt = scheduled + 1;
  const goodAttempt = firstAttempt + (failures ? failures.count * failures.retrySeconds : 0);
  const setup = input.setupSeconds ?? 3;
  const sandboxReady = goodAttempt + setup + 1;
  const createdPod = pod(b, {
    name: input.name,
    namespace: input.namespace,
    nodeName: input.node.name,
    labels: input.labels,
    annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    containers: cnfContainers(input),
    hostIP: input.node.ip,
    podIP,
    qosClass: 'Guaranteed',
    timeline: { created, scheduled, sandboxReady, ready: sandboxReady + 8 },
  });
  if (failures) {
    const runtime = input.network.cni === 'OVNKubernetes' ? 'cri-o' : 'containerd';
    const ref = { namespace: input.namespace, name: input.name, uid: createdPod.metadata.uid ?? '' };
    for (let i = 0; i < failures.count; i++) {
      const at = firstAttempt + i * failures.retrySeconds;
      const message = failures.message({ runtime, pod: ref, sandboxId: b.hex(64), netnsId: b.uid() });
      event(b, { involved: createdPod, type: 'Warning', reason: 'FailedCreatePodSandBox', message, component: 'kubelet', host: input.node.name, firstSeconds: at + 2 });
    }
  }
  // Multus reports every interface it added, on every attempt: identical texts are one Event whose count
  // grows. Its recorder's EventSource has no host, so its Events do not name the node.
  added.forEach(({ message }, i) => {
    const before = failures && i < failures.interfacesBeforeFailure ? failures.count : 0;
    const last = i === 0 ? goodAttempt + 1 : goodAttempt + setup;
    event(b, {
      involved: createdPod,
      type: 'Normal',
      reason: 'AddedInterface',
      message,
      component: 'multus',
      count: before + 1,
      firstSeconds: before > 0 ? firstAttempt + 1 : last,
      lastSeconds: last,
    });
  });
  return { pod: createdPod, vfs };
}

/** sriov-cni refusing the VF's VLAN on the first sandbox attempts of a pod (then the VF configures). */
export function sriovVlanFailure(confName: string, vfId: number, vlan: number): (a: SandboxAttempt) => string {
  return (a) => multusSandboxFailure(a, multusDelegateError(a.pod, confName, sriovVfVlanError(vfId, vlan)));
}
