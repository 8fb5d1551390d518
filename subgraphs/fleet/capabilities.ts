// Cluster.capabilities: which domains a cluster can answer, and the signal that says so. API groups come
// from one cached discovery per cluster (kube/discovery.ts); what discovery cannot tell comes from the
// presence signals the domains themselves use, read from the shared watch caches (0 requests warm):
// OVN-Kubernetes = ovnkube-node pods (the ovs domain's scope, so one cache serves both), DPDK telemetry =
// a pod carrying the exporter's annotation or named port (the dpdk domain's markers).
import type { Capability } from './generated/types.js';
import type { Pod } from '../kube/objects.js';
import { Resources } from '../kube/resources.js';
import type { WatchScope } from '../kube/watch-cache.js';

export interface CapabilityModel {
  capability: Capability;
  detectedBy: string;
}

/** Capabilities that one served API group proves. */
const GROUP_RULES: readonly { capability: Capability; groups: readonly string[] }[] = [
  { capability: 'PTP_OPERATOR', groups: ['ptp.openshift.io'] },
  { capability: 'SRIOV_OPERATOR', groups: ['sriovnetwork.openshift.io'] },
  { capability: 'MULTUS', groups: ['k8s.cni.cncf.io'] },
  { capability: 'ODA_CANVAS', groups: ['oda.tmforum.org'] },
  { capability: 'O2IMS', groups: ['o2ims.provisioning.oran.org'] },
];

/** The ovs domain's ovnkube-node pods (subgraphs/ovs/upstream.ts OVNKUBE_NODE). */
export const OVNKUBE_NODE_SELECTOR = 'app=ovnkube-node';
/** The dpdk domain's exporter markers (subgraphs/dpdk/telemetry.ts). */
const DPDK_ANNOTATION = 'fleetgraph.io/dpdk-telemetry';
const DPDK_PORT_NAME = 'dpdk-telemetry';

export interface CapabilitySignals {
  groups: ReadonlySet<string>;
  /** Pods labelled app=ovnkube-node. */
  ovnkubePods: readonly Pod[];
  /** Every pod of the cluster (for the DPDK markers). */
  pods: readonly Pod[];
}

/** Capabilities in the enum's order, each with its first matching signal. */
export function detectCapabilities(signals: CapabilitySignals): CapabilityModel[] {
  const found = new Map<Capability, string>();
  for (const rule of GROUP_RULES) {
    const group = rule.groups.find((g) => signals.groups.has(g));
    if (group) found.set(rule.capability, `API group ${group} served`);
  }
  const ovnkube = signals.ovnkubePods.find((p) => !p.metadata.deletionTimestamp);
  if (ovnkube) found.set('OVN_KUBERNETES', `pod ${ovnkube.metadata.namespace ?? ''}/${ovnkube.metadata.name} (${OVNKUBE_NODE_SELECTOR})`);
  const dpdk = signals.pods.find(
    (p) => p.metadata.annotations?.[DPDK_ANNOTATION]?.trim() || (p.spec?.containers ?? []).some((c) => (c.ports ?? []).some((port) => port.name === DPDK_PORT_NAME)),
  );
  if (dpdk) {
    const how = dpdk.metadata.annotations?.[DPDK_ANNOTATION]?.trim() ? `annotation ${DPDK_ANNOTATION}` : `port ${DPDK_PORT_NAME}`;
    found.set('DPDK_TELEMETRY', `pod ${dpdk.metadata.namespace ?? ''}/${dpdk.metadata.name} (${how})`);
  }
  const order: Capability[] = ['PTP_OPERATOR', 'SRIOV_OPERATOR', 'DPDK_TELEMETRY', 'MULTUS', 'OVN_KUBERNETES', 'ODA_CANVAS', 'O2IMS'];
  return order.filter((c) => found.has(c)).map((capability) => ({ capability, detectedBy: found.get(capability)! }));
}

/** What reading a cluster's signals needs of the request context (FleetContext has it). */
export interface CapabilityContext {
  discovery: { groups(cluster: string): Promise<ReadonlySet<string>> };
  watchCaches: { readThrough<T extends Pod>(cluster: string, ref: typeof Resources.pods, scope?: WatchScope, options?: { waitForSync?: boolean }): Promise<readonly T[] | null> };
}

/** A cluster's capabilities: one cached discovery, and two pod watch caches (ovnkube-node; every pod). Throws ClusterError. */
export async function capabilitiesOf(ctx: CapabilityContext, cluster: string): Promise<CapabilityModel[]> {
  const [groups, ovnkubePods, pods] = await Promise.all([
    ctx.discovery.groups(cluster),
    ctx.watchCaches.readThrough<Pod>(cluster, Resources.pods, { labelSelector: OVNKUBE_NODE_SELECTOR }, { waitForSync: true }),
    ctx.watchCaches.readThrough<Pod>(cluster, Resources.pods, {}, { waitForSync: true }),
  ]);
  return detectCapabilities({ groups, ovnkubePods: ovnkubePods ?? [], pods: pods ?? [] });
}
