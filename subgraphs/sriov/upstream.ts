// The sriovnetwork.openshift.io/v1 objects as the API server serializes them (reference/domain-models.md §2),
// with the upstream JSON names kept exactly, traps included: PF `totalvfs` (lower-case), PF `Vfs` and VF
// `Vlan` (capital V), policy `nicSelector.pfNames` (plural; may carry a VF range "ens1f0#0-3").
// Every field is optional: older operators omit some, and a resolver must not crash on any.
import type { KubeObject } from '../kube/objects.js';

/** OpenShift's operator namespace; upstream installs use `sriov-network-operator`. We read all namespaces. */
export const SRIOV_OPERATOR_NAMESPACES = ['openshift-sriov-network-operator', 'sriov-network-operator'] as const;

/** Prefix of the device plugin's extended resources (operator env RESOURCE_PREFIX; default on OpenShift and upstream). */
export const DEFAULT_RESOURCE_PREFIX = 'openshift.io';

export const DESIRED_STATE_ANNOTATION = 'sriovnetwork.openshift.io/desired-state';
export const CURRENT_STATE_ANNOTATION = 'sriovnetwork.openshift.io/current-state';

export interface VirtualFunctionStatus {
  name?: string;
  mac?: string;
  /** Never populated upstream. */
  assigned?: string;
  driver?: string;
  pciAddress?: string;
  vendor?: string;
  deviceID?: string;
  /** Capital V in the Go JSON tag (upstream docs write `vlan`). */
  Vlan?: number;
  mtu?: number;
  vfID?: number;
  vdpaType?: string;
  representorName?: string;
  guid?: string;
}

export interface InterfaceStatus {
  name?: string;
  mac?: string;
  driver?: string;
  pciAddress?: string;
  vendor?: string;
  deviceID?: string;
  netFilter?: string;
  mtu?: number;
  numVfs?: number;
  /** Lower-case upstream. */
  totalvfs?: number;
  /** e.g. "25000 Mb/s". */
  linkSpeed?: string;
  linkType?: string;
  linkAdminState?: string;
  eSwitchMode?: string;
  externallyManaged?: boolean;
  altNames?: string[];
  /** Capital V upstream. */
  Vfs?: VirtualFunctionStatus[];
}

export interface VfGroupSpec {
  resourceName?: string;
  deviceType?: string;
  /** "0-7" or "3". */
  vfRange?: string;
  policyName?: string;
  mtu?: number;
  isRdma?: boolean;
  vdpaType?: string;
}

export interface InterfaceSpec {
  pciAddress?: string;
  numVfs?: number;
  mtu?: number;
  name?: string;
  linkType?: string;
  eSwitchMode?: string;
  vfGroups?: VfGroupSpec[];
  externallyManaged?: boolean;
}

export interface SriovNetworkNodeStateObject extends KubeObject {
  spec?: { interfaces?: InterfaceSpec[] };
  status?: {
    interfaces?: InterfaceStatus[];
    bridges?: unknown;
    system?: { rdmaMode?: string };
    /** Succeeded | InProgress | Failed (empty before the config daemon reports). */
    syncStatus?: string;
    lastSyncError?: string;
  };
}

export interface NicSelectorSpec {
  vendor?: string;
  deviceID?: string;
  rootDevices?: string[];
  /** Plural (the README example's `pfName` is wrong); entries may carry a VF range: "ens1f0#0-3". */
  pfNames?: string[];
  netFilter?: string;
}

export interface SriovNetworkNodePolicyObject extends KubeObject {
  spec?: {
    resourceName?: string;
    nodeSelector?: Record<string, string>;
    priority?: number;
    mtu?: number;
    numVfs?: number;
    nicSelector?: NicSelectorSpec;
    deviceType?: string;
    isRdma?: boolean;
    needVhostNet?: boolean;
    linkType?: string;
    eSwitchMode?: string;
    vdpaType?: string;
    excludeTopology?: boolean;
    externallyManaged?: boolean;
  };
}

export interface SriovCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface SriovNetworkObject extends KubeObject {
  spec?: {
    resourceName?: string;
    networkNamespace?: string;
    /** JSON text, as the user wrote it: may not parse. */
    ipam?: string;
    vlan?: number;
    vlanQoS?: number;
    vlanProto?: string;
    spoofChk?: string;
    trust?: string;
    linkState?: string;
    minTxRate?: number;
    maxTxRate?: number;
    capabilities?: string;
    metaPlugins?: string;
    logLevel?: string;
    logFile?: string;
  };
  status?: { conditions?: SriovCondition[] };
}
