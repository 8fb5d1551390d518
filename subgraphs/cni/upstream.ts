// The upstream objects the cni subgraph reads, as the API server serializes them
// (reference/domain-models.md §5). Every field is optional: readers must not crash on any cluster's
// objects. The `k8s.v1.cni.cncf.io/networks` and `network-status` pod annotations are parsed by the
// shared Multus annotation module in subgraphs/kube, not here.
import type { KubeObject, Pod } from '../kube/objects.js';
import type { ResourceRef } from '../kube/resources.js';

/** NAD group (note: the pod annotations use the different `k8s.v1.cni.cncf.io` prefix). */
export const NAD_GROUP = 'k8s.cni.cncf.io';
/** Ties a NAD to a device-plugin resource (e.g. `openshift.io/du_fh`). */
export const RESOURCE_NAME_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';

const ref = (group: string, version: string, plural: string, kind: string, namespaced: boolean): ResourceRef => Object.freeze({ group, version, plural, kind, namespaced });

/** Kinds only this domain reads (the shared ones are in kube/resources.ts). */
export const CniResources = Object.freeze({
  daemonSets: ref('apps', 'v1', 'daemonsets', 'DaemonSet', true),
  operatorNetworks: ref('operator.openshift.io', 'v1', 'networks', 'Network', false),
  calicoIpPools: ref('crd.projectcalico.org', 'v1', 'ippools', 'IPPool', false),
  tigeraInstallations: ref('operator.tigera.io', 'v1', 'installations', 'Installation', false),
  ciliumNodes: ref('cilium.io', 'v2', 'ciliumnodes', 'CiliumNode', false),
});

/** k8s.cni.cncf.io/v1 NetworkAttachmentDefinition (namespaced, no status). */
export interface NetworkAttachmentDefinitionObject extends KubeObject {
  spec?: {
    /** CNI JSON (one config or a conflist); empty or absent means "use the file on the node". */
    config?: string;
  };
}

/** A CNI network configuration or one plugin of a conflist (containernetworking/cni SPEC). */
export interface CniConfigJson {
  cniVersion?: unknown;
  name?: unknown;
  type?: unknown;
  plugins?: unknown;
  ipam?: unknown;
  [field: string]: unknown;
}

/** config.openshift.io/v1 Network `cluster` (cluster-scoped). */
export interface OpenShiftNetworkObject extends KubeObject {
  spec?: {
    networkType?: string;
    clusterNetwork?: { cidr?: string; hostPrefix?: number }[];
    serviceNetwork?: string[];
  };
  status?: {
    networkType?: string;
    clusterNetwork?: { cidr?: string; hostPrefix?: number }[];
    serviceNetwork?: string[];
    clusterNetworkMTU?: number;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

/** operator.openshift.io/v1 Network `cluster` (cluster-scoped). */
export interface OperatorNetworkObject extends KubeObject {
  spec?: {
    defaultNetwork?: { type?: string };
    additionalNetworks?: { name?: string; namespace?: string; type?: string }[];
    disableMultiNetwork?: boolean;
  };
}

/** apps/v1 DaemonSet, only what identifies the software it runs. */
export interface DaemonSetObject extends KubeObject {
  status?: { desiredNumberScheduled?: number; numberReady?: number; numberAvailable?: number };
}

/** crd.projectcalico.org/v1 IPPool (cluster-scoped). */
export interface CalicoIpPoolObject extends KubeObject {
  spec?: { cidr?: string; blockSize?: number; ipipMode?: string; vxlanMode?: string; natOutgoing?: boolean; nodeSelector?: string; disabled?: boolean };
}

/** operator.tigera.io/v1 Installation `default`. */
export interface TigeraInstallationObject extends KubeObject {
  spec?: { calicoNetwork?: { mtu?: number; ipPools?: { cidr?: string; blockSize?: number }[] } };
  status?: { mtu?: number; variant?: string; calicoVersion?: string };
}

/** cilium.io/v2 CiliumNode (cluster-scoped). */
export interface CiliumNodeObject extends KubeObject {
  spec?: { ipam?: { podCIDRs?: string[] } };
}

/** Node fields primary-CNI detection and addressing read. */
export interface CniNodeObject extends KubeObject {
  spec?: { podCIDR?: string; podCIDRs?: string[]; providerID?: string };
}

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** A Pod with the timestamps readiness needs (kube/objects.ts types only what other domains read). */
export interface TimedPod extends Pod {
  status?: Omit<NonNullable<Pod['status']>, 'conditions'> & { conditions?: PodCondition[] };
}

/**
 * core/v1 Event. Writers of the legacy API (kubelet, Multus, OVN-Kubernetes) fill `count`,
 * `firstTimestamp`, `lastTimestamp` and `source`; events.k8s.io/v1 writers (the scheduler) fill
 * `eventTime`, `series`, `reportingComponent`, and leave the former null.
 */
export interface EventObject extends KubeObject {
  involvedObject?: { apiVersion?: string; kind?: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  action?: string;
  reportingComponent?: string;
  reportingInstance?: string;
}
