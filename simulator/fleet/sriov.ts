// SR-IOV operator objects (domain-models §2): per node a SriovNetworkNodeState whose VFs are allocated to
// the CNF pods (so pod network-status PCI addresses, VF Vlan and node allocatable agree), the policies,
// SriovNetworks with their rendered NetworkAttachmentDefinitions, the operator config and daemons.
import type { KubeObject } from '../types.js';
import type { ClusterBuilder } from './builder.js';
import { daemonSet, pod, type ContainerSpec } from './core.js';
import { deepFreeze } from './frozen.js';
import { macFrom } from './random.js';

export const SRIOV_NAMESPACE = 'openshift-sriov-network-operator';
export const SRIOV_RESOURCE_PREFIX = 'openshift.io';

export interface VfGroup {
  resourceName: string;
  deviceType: 'vfio-pci' | 'netdevice';
  policyName: string;
}

export interface PfSpec {
  name: string;
  pciAddress: string;
  /** PCI bus and first device number of the VFs, e.g. `51` and 1 → 0000:51:01.0, 0000:51:01.1 … */
  vfBus: string;
  vfFirstDevice: number;
  deviceID: string;
  vfDeviceID: string;
  driver: string;
  totalvfs: number;
  numVfs: number;
  mtu: number;
  linkSpeed: string;
  group?: VfGroup;
}

export interface VfRecord {
  vfID: number;
  pciAddress: string;
  driver: string;
  deviceID: string;
  /** netdevice VFs only: kernel name and MAC. */
  name?: string;
  mac?: string;
  mtu?: number;
  Vlan: number;
  pf: PfSpec;
  allocatedTo?: { namespace: string; pod: string };
}

export function vfPciAddress(pf: PfSpec, vfID: number): string {
  const device = (pf.vfFirstDevice + Math.floor(vfID / 8)).toString(16).padStart(2, '0');
  return `0000:${pf.vfBus}:${device}.${vfID % 8}`;
}

/** The SR-IOV view of one node: its PFs and VFs, with allocation to pods. */
export class SriovNode {
  readonly vfs: VfRecord[] = [];
  readonly pfMacs = new Map<string, string>();

  constructor(
    b: ClusterBuilder,
    readonly nodeName: string,
    readonly pfs: readonly PfSpec[],
  ) {
    for (const pf of pfs) {
      this.pfMacs.set(pf.name, macFrom(b.rng));
      const netdevice = pf.group?.deviceType === 'netdevice';
      for (let vfID = 0; vfID < pf.numVfs; vfID++) {
        const vf: VfRecord = {
          vfID,
          pciAddress: vfPciAddress(pf, vfID),
          driver: netdevice ? 'iavf' : 'vfio-pci',
          deviceID: pf.vfDeviceID,
          Vlan: 0,
          pf,
        };
        if (netdevice) {
          vf.name = `${pf.name}v${vfID}`;
          vf.mac = macFrom(b.rng);
          vf.mtu = pf.mtu;
        }
        this.vfs.push(vf);
      }
    }
  }

  /** Allocate the first free VF of a resource to a pod (as the device plugin + sriov-cni do). */
  allocate(resourceName: string, vlan: number, owner: { namespace: string; pod: string }): VfRecord {
    const vf = this.vfs.find((v) => v.pf.group?.resourceName === resourceName && !v.allocatedTo);
    if (!vf) throw new Error(`fleet: no free VF of ${resourceName} on ${this.nodeName}`);
    vf.allocatedTo = owner;
    vf.Vlan = vlan;
    return vf;
  }

  /** Node capacity/allocatable entries `openshift.io/<resourceName>`. */
  resources(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pf of this.pfs) {
      if (!pf.group) continue;
      const key = `${SRIOV_RESOURCE_PREFIX}/${pf.group.resourceName}`;
      out[key] = String(Number(out[key] ?? 0) + pf.numVfs);
    }
    return out;
  }
}

export function nodeStateStatusInterfaces(node: SriovNode): Record<string, unknown>[] {
  return node.pfs.map((pf) => {
    const iface: Record<string, unknown> = {
      name: pf.name,
      mac: node.pfMacs.get(pf.name),
      driver: pf.driver,
      pciAddress: pf.pciAddress,
      vendor: '8086',
      deviceID: pf.deviceID,
      mtu: pf.mtu,
      linkSpeed: pf.linkSpeed,
      linkType: 'ETH',
      linkAdminState: 'up',
      eSwitchMode: 'legacy',
      totalvfs: pf.totalvfs,
    };
    if (pf.numVfs > 0) {
      iface.numVfs = pf.numVfs;
      iface.Vfs = node.vfs
        .filter((vf) => vf.pf === pf)
        .map((vf) => {
          const out: Record<string, unknown> = { vfID: vf.vfID, pciAddress: vf.pciAddress, vendor: '8086', deviceID: vf.deviceID, driver: vf.driver };
          if (vf.name) {
            out.name = vf.name;
            out.mac = vf.mac;
            out.mtu = vf.mtu;
          }
          out.Vlan = vf.Vlan;
          return out;
        });
    }
    return iface;
  });
}

export function nodeStateSpecInterfaces(pfs: readonly PfSpec[]): Record<string, unknown>[] {
  return pfs
    .filter((pf) => pf.group && pf.numVfs > 0)
    .map((pf) => ({
      pciAddress: pf.pciAddress,
      numVfs: pf.numVfs,
      mtu: pf.mtu,
      name: pf.name,
      linkType: 'eth',
      vfGroups: [
        {
          resourceName: pf.group!.resourceName,
          deviceType: pf.group!.deviceType,
          vfRange: `0-${pf.numVfs - 1}`,
          policyName: pf.group!.policyName,
          mtu: pf.mtu,
        },
      ],
    }));
}

export function addNodeState(b: ClusterBuilder, node: SriovNode): KubeObject {
  return b.add({
    apiVersion: 'sriovnetwork.openshift.io/v1',
    kind: 'SriovNetworkNodeState',
    metadata: b.meta(node.nodeName, SRIOV_NAMESPACE, {
      annotations: {
        'sriovnetwork.openshift.io/desired-state': 'Idle',
        'sriovnetwork.openshift.io/current-state': 'Idle',
      },
      createdAfterSeconds: 900,
    }),
    spec: { interfaces: nodeStateSpecInterfaces(node.pfs) },
    status: {
      interfaces: nodeStateStatusInterfaces(node),
      system: { rdmaMode: 'shared' },
      syncStatus: 'Succeeded',
    },
  });
}

export interface PolicyInput {
  name: string;
  resourceName: string;
  numVfs: number;
  pfNames: string[];
  deviceType: 'vfio-pci' | 'netdevice';
  nodeSelector: Record<string, string>;
  mtu: number;
  priority?: number;
}

export function addPolicy(b: ClusterBuilder, input: PolicyInput): KubeObject {
  return b.add({
    apiVersion: 'sriovnetwork.openshift.io/v1',
    kind: 'SriovNetworkNodePolicy',
    metadata: b.meta(input.name, SRIOV_NAMESPACE, { createdAfterSeconds: 800 }),
    spec: {
      resourceName: input.resourceName,
      nodeSelector: input.nodeSelector,
      priority: input.priority ?? 10,
      mtu: input.mtu,
      numVfs: input.numVfs,
      nicSelector: { vendor: '8086', pfNames: input.pfNames },
      deviceType: input.deviceType,
      isRdma: false,
      linkType: 'eth',
    },
    status: {},
  });
}

export interface NetworkInput {
  name: string;
  resourceName: string;
  networkNamespace: string;
  vlan: number;
  /** JSON text, as users write it (it may be invalid: then the operator renders no NAD). */
  ipam: string;
  spoofChk?: 'on' | 'off';
  trust?: 'on' | 'off';
}

/** A SriovNetwork and, when its ipam parses, the NetworkAttachmentDefinition the operator renders. */
export function addNetwork(b: ClusterBuilder, input: NetworkInput): void {
  const spec: Record<string, unknown> = {
    resourceName: input.resourceName,
    networkNamespace: input.networkNamespace,
    vlan: input.vlan,
    ipam: input.ipam,
  };
  if (input.spoofChk) spec.spoofChk = input.spoofChk;
  if (input.trust) spec.trust = input.trust;
  b.add({
    apiVersion: 'sriovnetwork.openshift.io/v1',
    kind: 'SriovNetwork',
    metadata: b.meta(input.name, SRIOV_NAMESPACE, { createdAfterSeconds: 850 }),
    spec,
    status: {},
  });
  let ipam: unknown;
  try {
    ipam = JSON.parse(input.ipam);
  } catch {
    return;
  }
  const config: Record<string, unknown> = {
    cniVersion: '1.0.0',
    name: input.name,
    type: 'sriov',
    vlan: input.vlan,
    vlanQoS: 0,
  };
  if (input.spoofChk) config.spoofchk = input.spoofChk;
  if (input.trust) config.trust = input.trust;
  config.logLevel = 'info';
  config.ipam = ipam;
  b.add({
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: b.meta(input.name, input.networkNamespace, {
      annotations: { 'k8s.v1.cni.cncf.io/resourceName': `${SRIOV_RESOURCE_PREFIX}/${input.resourceName}` },
      createdAfterSeconds: 860,
    }),
    spec: { config: JSON.stringify(config) },
  });
}

export function addOperatorConfig(b: ClusterBuilder): void {
  b.add({
    apiVersion: 'sriovnetwork.openshift.io/v1',
    kind: 'SriovOperatorConfig',
    metadata: b.meta('default', SRIOV_NAMESPACE, { createdAfterSeconds: 700 }),
    spec: {
      enableInjector: true,
      enableOperatorWebhook: true,
      logLevel: 2,
      configDaemonNodeSelector: {},
      featureGates: { metricsExporter: true },
    },
    status: { injector: 'Running', operatorWebhook: 'Running' },
  });
}

interface DaemonDef {
  name: string;
  labels: Record<string, string>;
  containers: readonly ContainerSpec[];
}

const DAEMONS = deepFreeze<DaemonDef[]>([
  {
    name: 'sriov-network-config-daemon',
    labels: { app: 'sriov-network-config-daemon', component: 'network' },
    containers: [
      { name: 'sriov-network-config-daemon', image: 'registry.redhat.io/openshift4/ose-sriov-network-config-daemon-rhel9:latest' },
      { name: 'kube-rbac-proxy', image: 'registry.redhat.io/openshift4/ose-kube-rbac-proxy-rhel9:latest' },
    ],
  },
  {
    name: 'sriov-device-plugin',
    labels: { app: 'sriov-device-plugin', component: 'network' },
    containers: [{ name: 'sriov-device-plugin', image: 'registry.redhat.io/openshift4/ose-sriov-network-device-plugin-rhel9:latest' }],
  },
  {
    name: 'sriov-network-metrics-exporter',
    labels: { app: 'sriov-network-metrics-exporter' },
    containers: [
      {
        name: 'sriov-network-metrics-exporter',
        image: 'registry.redhat.io/openshift4/ose-sriov-network-metrics-exporter-rhel9:latest',
        ports: [{ name: 'metrics', containerPort: 9110, protocol: 'TCP' }],
      },
    ],
  },
]);

/** Operator config plus the per-node daemons (config daemon, device plugin, metrics exporter on :9110). */
export function addSriovDaemons(b: ClusterBuilder, nodes: { name: string; ip: string }[]): void {
  addOperatorConfig(b);
  for (const d of DAEMONS) {
    const ds = daemonSet(b, { name: d.name, namespace: SRIOV_NAMESPACE, labels: d.labels, containers: d.containers, nodeCount: nodes.length });
    for (const n of nodes) {
      pod(b, {
        name: `${d.name}-${b.suffix()}`,
        namespace: SRIOV_NAMESPACE,
        nodeName: n.name,
        labels: d.labels,
        containers: d.containers,
        hostIP: n.ip,
        hostNetwork: true,
        owner: ds,
        serviceAccountName: d.name,
      });
    }
  }
}
