// What the pure mappers (nad-config.ts, primary-cni.ts, pod-events.ts, readiness.ts, sources.ts) produce
// and the resolvers receive (codegen mappers point here, see domain.ts). The string unions are the SDL
// enums of schema/cni.graphql (codegen's enumsAsTypes gives the same unions).
export type { ClusterRef, NodeRef, PodRef } from '../common/entity-refs.js';

/** The primary (cluster default) CNI plugin. */
export type CniPlugin = 'OVN_KUBERNETES' | 'OPENSHIFT_SDN' | 'CILIUM' | 'CALICO' | 'FLANNEL' | 'AWS_VPC_CNI' | 'AZURE_CNI' | 'GKE' | 'OTHER' | 'UNKNOWN';

/** Which kind of signal a detection rule read. */
export type CniSignalSource =
  | 'OPENSHIFT_NETWORK_STATUS'
  | 'OPENSHIFT_NETWORK_SPEC'
  | 'OPERATOR_NETWORK'
  | 'DAEMONSET'
  | 'CUSTOM_RESOURCE'
  | 'NODE_ANNOTATION'
  | 'NONE';

export interface CniSignalModel {
  plugin: CniPlugin;
  source: CniSignalSource;
  /** The rule that matched, naming the object and field, e.g. `DaemonSet kube-system/cilium`. */
  rule: string;
}

export interface PrimaryCniModel extends CniSignalModel {
  /** The name as the signal wrote it (e.g. `OVNKubernetes`, or a third-party networkType) when known. */
  pluginName: string | null;
  /** Lower-precedence signals that also matched (e.g. Calico for policy only next to the AWS VPC CNI). */
  otherSignals: CniSignalModel[];
}

export interface MultusModel {
  running: boolean;
  /** Why: the DaemonSet found, or the operator's disableMultiNetwork, or none found. */
  rule: string;
  namespace: string | null;
  daemonSet: string | null;
}

export interface CidrModel {
  cidr: string;
  /** Per-node prefix (OpenShift hostPrefix, Calico blockSize); null when the source has none. */
  hostPrefix: number | null;
  /** Object and field the CIDR was read from. */
  source: string;
}

export interface AddressingModel {
  podNetworks: CidrModel[];
  serviceNetworks: string[];
  mtu: number | null;
  mtuSource: string | null;
}

// NetworkAttachmentDefinitions

export type NadConfigKind = 'SINGLE' | 'CONFLIST' | 'NODE_FILE';

export interface IpRangeModel {
  subnet: string | null;
  rangeStart: string | null;
  rangeEnd: string | null;
  gateway: string | null;
  exclude: string[];
  /** Addresses from the first to the last one the range hands out (IPv4; null for IPv6 or unknown bounds). */
  size: number | null;
}

export interface IpamModel {
  type: string | null;
  ranges: IpRangeModel[];
  /** Static IPAM addresses (CIDR) with their gateways. */
  addresses: { address: string; gateway: string | null }[];
  routes: { dst: string; gw: string | null }[];
}

export interface CniPluginConfigModel {
  type: string;
  /** macvlan / ipvlan / sriov parent interface (sriov's is filled by the device plugin, usually absent). */
  master: string | null;
  mode: string | null;
  vlan: number | null;
  bridge: string | null;
  /** host-device `device` (or its `pciBusID`). */
  device: string | null;
  mtu: number | null;
  /** Capabilities the plugin declares (ips, mac, portMappings …). */
  capabilities: string[];
  ipam: IpamModel | null;
}

export interface NadConfigModel {
  kind: NadConfigKind;
  cniVersion: string | null;
  /** The CNI `name` (Multus and the plugins name the network by it; may differ from the NAD's name). */
  networkName: string | null;
  /** The first plugin's `type`; null for NODE_FILE. */
  type: string | null;
  plugins: CniPluginConfigModel[];
  /** The first plugin's ipam. */
  ipam: IpamModel | null;
}

/** spec.config parsed, or why it could not be (reported on the config fields of that NAD only). */
export type NadConfigResult = { ok: true; config: NadConfigModel } | { ok: false; error: string };

export interface NadModel {
  clusterName: string;
  namespace: string;
  name: string;
  /** Annotation `k8s.v1.cni.cncf.io/resourceName`. */
  resourceName: string | null;
  configText: string | null;
  config: NadConfigResult;
  createdAt: string | null;
}

// Pod-network events

export type CniEventCategory =
  | 'INTERFACE_ADDED'
  | 'NAD_MISSING'
  | 'IPAM_EXHAUSTED'
  | 'PLUGIN_ERROR'
  | 'TIMEOUT'
  | 'NETWORK_NOT_READY'
  | 'SANDBOX_CHANGED'
  | 'NOT_CNI';

/** Categories that are failures (counted in summaries). */
export const FAILURE_CATEGORIES: ReadonlySet<CniEventCategory> = new Set(['NAD_MISSING', 'IPAM_EXHAUSTED', 'PLUGIN_ERROR', 'TIMEOUT', 'NETWORK_NOT_READY']);

export type CountSource = 'SERIES' | 'COUNT' | 'SINGLE';

export interface EventNetworkModel {
  /** As the message names it: `<ns>/<nad>` (Multus), a CNI config name, or the default network's name. */
  name: string;
  /** NAD namespace and name when the message names a NAD, or once resolved against the cluster's NADs. */
  nadNamespace: string | null;
  nadName: string | null;
}

export interface PodNetworkEventModel {
  clusterName: string;
  namespace: string;
  /** The Event object's name. */
  eventName: string;
  podName: string;
  podUid: string | null;
  /** The node: the Event's `source.host`, else the pod's `spec.nodeName` (Multus Events name no host). */
  nodeName: string | null;
  type: string;
  reason: string;
  /** The message without kubelet's "(combined from similar events): " prefix. */
  message: string;
  /** kubelet merged similar Events into this one (the message is the latest of them). */
  combined: boolean;
  category: CniEventCategory;
  /** The rule that chose the category. */
  rule: string;
  network: EventNetworkModel | null;
  /** The CNI plugin that failed or acted (e.g. sriov, macvlan, calico, ovn-kubernetes, multus). */
  plugin: string | null;
  /** The IPAM plugin the message names (host-local, whereabouts …). */
  ipamPlugin: string | null;
  interface: string | null;
  ips: string[];
  sandboxId: string | null;
  /** Occurrences: `series.count`, else `count`, else 1. */
  count: number;
  countSource: CountSource;
  firstTime: string | null;
  lastTime: string | null;
  component: string | null;
}

// Readiness

export type ReadinessMeasure = 'ADDED_INTERFACE' | 'SANDBOX_READY' | 'NONE';

export interface PodNetworkReadinessModel {
  scheduledAt: string | null;
  /** When the last expected interface was added (Multus AddedInterface), else when the sandbox was ready. */
  networksReadyAt: string | null;
  readyAt: string | null;
  secondsToNetworks: number | null;
  secondsToReady: number | null;
  measuredBy: ReadinessMeasure;
  interfacesAdded: number;
  /** 1 + requested networks, when known. */
  interfacesExpected: number | null;
  /** Scheduled, but not every expected interface is there yet. */
  pending: boolean;
}

export interface PluginSummaryModel {
  plugin: CniPlugin;
  clusterNames: string[];
  podsWithMissingNetworks: number;
  /** Failure Events whose last occurrence is inside the window, and their summed counts. */
  failureEvents: number;
  failureOccurrences: number;
  failuresByCategory: { category: CniEventCategory; events: number; occurrences: number }[];
  /** Seconds from scheduled to networks over measured pods. */
  readinessP50: number | null;
  readinessP95: number | null;
  readinessMax: number | null;
}

/** Cluster.network: detection, addressing and Multus of one cluster (NADs and events load on demand). */
export interface ClusterNetworkModel extends AddressingModel {
  clusterName: string;
  primary: PrimaryCniModel;
  multus: MultusModel;
}

// Pod networks (parsed by kube/multus.ts)

export interface PodNetworkAttachmentModel {
  clusterName: string;
  nodeName: string | null;
  name: string;
  interface: string | null;
  ips: string[];
  mac: string | null;
  mtu: number | null;
  default: boolean;
  gateway: string[];
  deviceType: string | null;
  pciAddress: string | null;
}

export interface PodNetworkRequestModel {
  clusterName: string;
  name: string;
  namespace: string;
  interface: string | null;
  ips: string[];
  mac: string | null;
  attachment: PodNetworkAttachmentModel | null;
}

export type NetworkRequestForm = 'LIST' | 'JSON';
export type NetworkStatusAnnotation = 'NETWORK_STATUS' | 'NETWORKS_STATUS_LEGACY';

export interface PodNetworksModel {
  clusterName: string;
  namespace: string;
  podName: string;
  /** The requests, or why the `networks` annotation cannot be read (Multus refuses such a pod too). */
  requests: { ok: true; requests: PodNetworkRequestModel[] } | { ok: false; error: string };
  requestForm: NetworkRequestForm | null;
  attached: PodNetworkAttachmentModel[];
  statusAnnotation: NetworkStatusAnnotation | null;
  defaultNetworkOverride: string | null;
}
