// Which CNI plugin is a cluster's primary one, and whether Multus runs (domain-models §5 "Detecting the
// primary CNI"). Rules are tried in order and the first match wins; its rule text names the object and
// field, as CNF classification does. Order and why:
//   1. OpenShift's config.openshift.io Network `cluster` status.networkType (what the operator runs),
//      then its spec.networkType (status is empty during install), then operator.openshift.io
//      Network spec.defaultNetwork.type.
//   2. DaemonSets of the known agents. OpenShift's own (ovnkube-node, sdn) first; then the managed
//      clouds' CNIs (aws-node, azure-cns, GKE's anetd/netd), because Calico or Cilium next to them runs
//      for network policy or in chaining mode while the cloud CNI assigns the addresses; then Cilium,
//      Calico (calico-node; canal = Calico policy on Flannel), Flannel.
//   3. The CNI's custom resources being served (cilium.io, crd.projectcalico.org, operator.tigera.io).
//   4. Node annotations the CNI writes (k8s.ovn.org/node-subnets, projectcalico.org/IPv4Address,
//      flannel.alpha.coreos.com/backend-type, network.cilium.io/ipv4-pod-cidr).
// Every other rule that matched is kept as an `otherSignal`.
import type { AddressingModel, CidrModel, CniPlugin, CniSignalModel, MultusModel, PrimaryCniModel } from './models.js';
import type {
  CalicoIpPoolObject,
  CiliumNodeObject,
  CniNodeObject,
  DaemonSetObject,
  OpenShiftNetworkObject,
  OperatorNetworkObject,
  TigeraInstallationObject,
} from './upstream.js';

export interface CniSignals {
  /** config.openshift.io/v1 Network `cluster` (null/absent on plain Kubernetes). */
  openshiftNetwork?: OpenShiftNetworkObject | null;
  operatorNetwork?: OperatorNetworkObject | null;
  /** Every DaemonSet of the cluster (one LIST). */
  daemonSets: readonly DaemonSetObject[];
  /** API groups the cluster serves (discovery). */
  servedGroups: readonly string[];
  /** Nodes (their annotations); a few are enough. */
  nodes: readonly CniNodeObject[];
}

/** OpenShift networkType values (and third-party ones) → plugin. */
const NETWORK_TYPES: Record<string, CniPlugin> = {
  ovnkubernetes: 'OVN_KUBERNETES',
  openshiftsdn: 'OPENSHIFT_SDN',
  cilium: 'CILIUM',
  calico: 'CALICO',
  flannel: 'FLANNEL',
};

export function pluginOfNetworkType(value: string): CniPlugin {
  return NETWORK_TYPES[value.toLowerCase().replace(/[^a-z]/g, '')] ?? 'OTHER';
}

interface DaemonSetRule {
  plugin: CniPlugin;
  /** Names (namespace-independent) or a label that identifies the agent. */
  names: string[];
  label?: [string, string];
  note?: string;
}

const DAEMONSET_RULES: readonly DaemonSetRule[] = [
  { plugin: 'OVN_KUBERNETES', names: ['ovnkube-node'], label: ['app', 'ovnkube-node'] },
  { plugin: 'OPENSHIFT_SDN', names: ['sdn'], label: ['app', 'sdn'] },
  { plugin: 'AWS_VPC_CNI', names: ['aws-node'], label: ['k8s-app', 'aws-node'] },
  { plugin: 'AZURE_CNI', names: ['azure-cns'], label: ['k8s-app', 'azure-cns'] },
  { plugin: 'GKE', names: ['anetd', 'netd'], note: 'GKE network daemon' },
  { plugin: 'CILIUM', names: ['cilium'], label: ['k8s-app', 'cilium'] },
  { plugin: 'CALICO', names: ['calico-node'], label: ['k8s-app', 'calico-node'] },
  { plugin: 'FLANNEL', names: ['canal'], note: 'Canal: Flannel networking with Calico policy' },
  { plugin: 'FLANNEL', names: ['kube-flannel-ds', 'kube-flannel-ds-amd64'], label: ['app', 'flannel'] },
];

const GROUP_RULES: readonly { plugin: CniPlugin; group: string }[] = [
  { plugin: 'CILIUM', group: 'cilium.io' },
  { plugin: 'CALICO', group: 'crd.projectcalico.org' },
  { plugin: 'CALICO', group: 'operator.tigera.io' },
];

const NODE_ANNOTATION_RULES: readonly { plugin: CniPlugin; annotation: string }[] = [
  { plugin: 'OVN_KUBERNETES', annotation: 'k8s.ovn.org/node-subnets' },
  { plugin: 'CILIUM', annotation: 'network.cilium.io/ipv4-pod-cidr' },
  { plugin: 'CALICO', annotation: 'projectcalico.org/IPv4Address' },
  { plugin: 'FLANNEL', annotation: 'flannel.alpha.coreos.com/backend-type' },
];

function daemonSetMatches(rule: DaemonSetRule, ds: DaemonSetObject): boolean {
  if (rule.names.includes(ds.metadata.name)) return true;
  const labels = ds.metadata.labels ?? {};
  return rule.label !== undefined && labels[rule.label[0]] === rule.label[1];
}

/** Every signal that matched, in precedence order, with the name as written where there is one. */
function signals(input: CniSignals): (CniSignalModel & { pluginName: string | null })[] {
  const found: (CniSignalModel & { pluginName: string | null })[] = [];
  const os = input.openshiftNetwork;
  if (os?.status?.networkType) {
    const t = os.status.networkType;
    found.push({ plugin: pluginOfNetworkType(t), source: 'OPENSHIFT_NETWORK_STATUS', rule: `config.openshift.io Network cluster status.networkType=${t}`, pluginName: t });
  }
  if (os?.spec?.networkType) {
    const t = os.spec.networkType;
    found.push({ plugin: pluginOfNetworkType(t), source: 'OPENSHIFT_NETWORK_SPEC', rule: `config.openshift.io Network cluster spec.networkType=${t}`, pluginName: t });
  }
  const op = input.operatorNetwork?.spec?.defaultNetwork?.type;
  if (op) found.push({ plugin: pluginOfNetworkType(op), source: 'OPERATOR_NETWORK', rule: `operator.openshift.io Network cluster spec.defaultNetwork.type=${op}`, pluginName: op });
  for (const rule of DAEMONSET_RULES) {
    const ds = input.daemonSets.find((d) => daemonSetMatches(rule, d));
    if (!ds) continue;
    const where = `DaemonSet ${ds.metadata.namespace ?? ''}/${ds.metadata.name}`;
    found.push({ plugin: rule.plugin, source: 'DAEMONSET', rule: rule.note ? `${where} (${rule.note})` : where, pluginName: ds.metadata.name });
  }
  for (const rule of GROUP_RULES) {
    if (input.servedGroups.includes(rule.group)) found.push({ plugin: rule.plugin, source: 'CUSTOM_RESOURCE', rule: `API group ${rule.group} served`, pluginName: null });
  }
  for (const rule of NODE_ANNOTATION_RULES) {
    const node = input.nodes.find((n) => n.metadata.annotations?.[rule.annotation] !== undefined);
    if (node) found.push({ plugin: rule.plugin, source: 'NODE_ANNOTATION', rule: `Node ${node.metadata.name} annotation ${rule.annotation}`, pluginName: null });
  }
  return found;
}

export function detectPrimaryCni(input: CniSignals): PrimaryCniModel {
  const [first, ...rest] = signals(input);
  if (!first) {
    return {
      plugin: 'UNKNOWN',
      source: 'NONE',
      rule: 'no signal: no OpenShift Network, no known CNI DaemonSet, API group or node annotation',
      pluginName: null,
      otherSignals: [],
    };
  }
  return { ...first, otherSignals: rest.map(({ plugin, source, rule }) => ({ plugin, source, rule })) };
}

/** Multus' DaemonSet: OpenShift `openshift-multus/multus`, upstream `kube-multus-ds` (older `-amd64`), or label app=multus. */
function isMultusDaemonSet(ds: DaemonSetObject): boolean {
  const name = ds.metadata.name;
  if (name === 'multus' || name === 'kube-multus-ds' || name === 'kube-multus-ds-amd64') return true;
  // OpenShift also runs multus-additional-cni-plugins and network-metrics-daemon: helpers, not Multus.
  return ds.metadata.labels?.app === 'multus' && !name.startsWith('multus-additional');
}

export function detectMultus(input: Pick<CniSignals, 'daemonSets' | 'operatorNetwork'>): MultusModel {
  if (input.operatorNetwork?.spec?.disableMultiNetwork === true) {
    return { running: false, rule: 'operator.openshift.io Network cluster spec.disableMultiNetwork=true', namespace: null, daemonSet: null };
  }
  const ds = input.daemonSets.find(isMultusDaemonSet);
  if (!ds) return { running: false, rule: 'no Multus DaemonSet (multus, kube-multus-ds, or label app=multus)', namespace: null, daemonSet: null };
  const ns = ds.metadata.namespace ?? '';
  return { running: true, rule: `DaemonSet ${ns}/${ds.metadata.name}`, namespace: ns, daemonSet: ds.metadata.name };
}

export interface AddressingInput {
  openshiftNetwork?: OpenShiftNetworkObject | null;
  ipPools?: readonly CalicoIpPoolObject[];
  installation?: TigeraInstallationObject | null;
  ciliumNodes?: readonly CiliumNodeObject[];
  nodes?: readonly CniNodeObject[];
}

/**
 * Pod and service networks and the MTU, from the most authoritative source the cluster has: OpenShift's
 * Network status, Calico IPPools (blockSize as the per-node prefix) and the Tigera Installation's MTU,
 * Cilium's per-node pod CIDRs, else the Nodes' spec.podCIDRs. Service networks are only known on OpenShift.
 */
export function clusterAddressing(input: AddressingInput): AddressingModel {
  const os = input.openshiftNetwork;
  if (os && (os.status?.clusterNetwork?.length || os.spec?.clusterNetwork?.length)) {
    const fromStatus = Boolean(os.status?.clusterNetwork?.length);
    const field = fromStatus ? 'status' : 'spec';
    const nets = (fromStatus ? os.status!.clusterNetwork! : os.spec!.clusterNetwork!).filter((n) => n.cidr);
    const mtu = typeof os.status?.clusterNetworkMTU === 'number' ? os.status.clusterNetworkMTU : null;
    return {
      podNetworks: nets.map((n) => ({ cidr: n.cidr!, hostPrefix: n.hostPrefix ?? null, source: `config.openshift.io Network cluster ${field}.clusterNetwork` })),
      serviceNetworks: [...((fromStatus ? os.status?.serviceNetwork : os.spec?.serviceNetwork) ?? [])],
      mtu,
      mtuSource: mtu === null ? null : 'config.openshift.io Network cluster status.clusterNetworkMTU',
    };
  }
  const pools = (input.ipPools ?? []).filter((p) => p.spec?.cidr && p.spec.disabled !== true);
  if (pools.length > 0) {
    const mtu = input.installation?.status?.mtu ?? input.installation?.spec?.calicoNetwork?.mtu ?? null;
    return {
      podNetworks: pools.map((p) => ({ cidr: p.spec!.cidr!, hostPrefix: p.spec!.blockSize ?? null, source: `Calico IPPool ${p.metadata.name} spec.cidr` })),
      serviceNetworks: [],
      mtu,
      mtuSource: mtu === null ? null : 'operator.tigera.io Installation default status.mtu',
    };
  }
  const cilium: CidrModel[] = (input.ciliumNodes ?? []).flatMap((n) =>
    (n.spec?.ipam?.podCIDRs ?? []).map((cidr) => ({ cidr, hostPrefix: null, source: `CiliumNode ${n.metadata.name} spec.ipam.podCIDRs` })),
  );
  if (cilium.length > 0) return { podNetworks: cilium, serviceNetworks: [], mtu: null, mtuSource: null };
  const nodes: CidrModel[] = (input.nodes ?? []).flatMap((n) =>
    (n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : [])).map((cidr) => ({ cidr, hostPrefix: null, source: `Node ${n.metadata.name} spec.podCIDRs` })),
  );
  return { podNetworks: nodes, serviceNetworks: [], mtu: null, mtuSource: null };
}
