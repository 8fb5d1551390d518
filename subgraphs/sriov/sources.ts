// Pure mapping of upstream SR-IOV objects (upstream.ts, reference/domain-models.md §2) to the schema's
// models: node states with their PFs and VFs, policies, networks (ipam parsed apart, so bad JSON fails
// only that field), device-plugin resources on Nodes, which pod holds which VF, and sync-status events.
// Unit-tested on upstream-shaped fixtures (test/unit/sriov-sources.test.ts).
import { text } from '../kube/values.js';
import type { KubeObject, Node, Pod } from '../kube/objects.js';
import type { SriovDrainState, SriovNetworkNodePolicy, SriovResource, SriovSyncChange, SriovSyncStatus, SriovVfGroup } from './generated/types.js';
import type { NodeSriovModel, PhysicalFunctionModel, SriovNetworkModel, SyncStatusEventModel, VfAllocationModel, VirtualFunctionModel } from './models.js';
import { deviceKey, holdsDevices, podDevices } from '../kube/multus.js';
import {
  CURRENT_STATE_ANNOTATION,
  DEFAULT_RESOURCE_PREFIX,
  DESIRED_STATE_ANNOTATION,
  type InterfaceSpec,
  type SriovNetworkNodePolicyObject,
  type SriovNetworkNodeStateObject,
  type SriovNetworkObject,
  type VfGroupSpec,
} from './upstream.js';
import { memoByScopedObject } from '../../lib/memo.js';

const SYNC_STATUSES: readonly SriovSyncStatus[] = ['Succeeded', 'InProgress', 'Failed'];
const DRAIN_STATES: readonly SriovDrainState[] = ['Idle', 'Drain_Required', 'Reboot_Required', 'Draining', 'DrainComplete'];


function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

export function syncStatusOf(value: string | undefined | null): SriovSyncStatus {
  return SYNC_STATUSES.find((s) => s === value) ?? 'Unknown';
}

/** An annotation value; null when absent, Unknown when not one of the operator's values. */
export function drainStateOf(value: string | undefined | null): SriovDrainState | null {
  if (value === undefined || value === null || value === '') return null;
  return DRAIN_STATES.find((s) => s === value) ?? 'Unknown';
}

/** "25000 Mb/s" → 25000; "100 Gb/s" → 100000; null otherwise. */
export function linkSpeedMbps(text: string | null | undefined): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([MG])b\/s\s*$/i.exec(text ?? '');
  if (!m) return null;
  const value = Number(m[1]) * (m[2].toUpperCase() === 'G' ? 1000 : 1);
  return Math.round(value);
}

/** "0-7" holds 0…7, "3" holds 3; a missing range holds every VF. */
export function vfRangeContains(range: string | null | undefined, vfID: number): boolean {
  if (!range) return true;
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(range);
  if (!m) return false;
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  return vfID >= first && vfID <= last;
}

/** The extended resource of a resource name (`openshift.io/<name>`). */
export function resourceKey(resourceName: string, prefix = DEFAULT_RESOURCE_PREFIX): string {
  return `${prefix}/${resourceName}`;
}

function mapVfGroup(g: VfGroupSpec): SriovVfGroup | null {
  const resourceName = text(g.resourceName);
  if (!resourceName) return null;
  return {
    resourceName,
    resource: resourceKey(resourceName),
    deviceType: text(g.deviceType),
    vfRange: text(g.vfRange),
    policyName: text(g.policyName),
    mtu: int(g.mtu),
    isRdma: typeof g.isRdma === 'boolean' ? g.isRdma : null,
  };
}

function vfGroupsOf(spec: InterfaceSpec | undefined): SriovVfGroup[] {
  return (spec?.vfGroups ?? []).map(mapVfGroup).filter((g): g is SriovVfGroup => g !== null);
}

/** A SriovNetworkNodeState as the schema's NodeSriov (PFs from `status.interfaces`, VFs from `Vfs`); once per object (lib/memo.ts). */
export const mapNodeState = memoByScopedObject(function mapNodeState(clusterName: string, state: SriovNetworkNodeStateObject): NodeSriovModel {
  const nodeName = state.metadata.name;
  const annotations = state.metadata.annotations ?? {};
  const specByPci = new Map<string, InterfaceSpec>();
  for (const s of state.spec?.interfaces ?? []) if (s.pciAddress) specByPci.set(s.pciAddress.toLowerCase(), s);

  const physicalFunctions: PhysicalFunctionModel[] = [];
  for (const iface of state.status?.interfaces ?? []) {
    const pciAddress = text(iface.pciAddress);
    if (!pciAddress) continue; // required upstream; an entry without it cannot be addressed
    const name = text(iface.name) ?? pciAddress;
    const groups = vfGroupsOf(specByPci.get(pciAddress.toLowerCase()));
    const vfs: VirtualFunctionModel[] = [];
    for (const vf of iface.Vfs ?? []) {
      const vfPci = text(vf.pciAddress);
      const vfID = int(vf.vfID);
      if (!vfPci || vfID === null) continue;
      const group = groups.find((g) => vfRangeContains(g.vfRange, vfID)) ?? null;
      vfs.push({
        clusterName,
        nodeName,
        pciAddress: vfPci,
        vfID,
        name: text(vf.name),
        mac: text(vf.mac),
        driver: text(vf.driver),
        vendor: text(vf.vendor),
        deviceID: text(vf.deviceID),
        vlan: int(vf.Vlan),
        mtu: int(vf.mtu),
        vdpaType: text(vf.vdpaType),
        representorName: text(vf.representorName),
        guid: text(vf.guid),
        pfName: name,
        pfPciAddress: pciAddress,
        resourceName: group?.resourceName ?? null,
        deviceType: group?.deviceType ?? null,
      });
    }
    vfs.sort((a, b) => a.vfID - b.vfID);
    physicalFunctions.push({
      name,
      pciAddress,
      mac: text(iface.mac),
      vendor: text(iface.vendor),
      deviceID: text(iface.deviceID),
      driver: text(iface.driver),
      mtu: int(iface.mtu),
      numVfs: int(iface.numVfs) ?? 0,
      totalvfs: int(iface.totalvfs),
      linkSpeed: text(iface.linkSpeed),
      linkSpeedMbps: linkSpeedMbps(iface.linkSpeed),
      linkType: text(iface.linkType),
      linkAdminState: text(iface.linkAdminState),
      eSwitchMode: text(iface.eSwitchMode),
      externallyManaged: iface.externallyManaged === true,
      netFilter: text(iface.netFilter),
      vfGroups: groups,
      vfs,
    });
  }

  const syncStatus = syncStatusOf(state.status?.syncStatus);
  return {
    clusterName,
    nodeName,
    namespace: state.metadata.namespace ?? '',
    syncStatus,
    lastSyncError: text(state.status?.lastSyncError),
    inSync: syncStatus === 'Succeeded',
    desiredState: drainStateOf(annotations[DESIRED_STATE_ANNOTATION]),
    currentState: drainStateOf(annotations[CURRENT_STATE_ANNOTATION]),
    rdmaMode: text(state.status?.system?.rdmaMode),
    physicalFunctions,
    desiredInterfaces: (state.spec?.interfaces ?? [])
      .filter((s) => text(s.pciAddress))
      .map((s) => ({
        pciAddress: s.pciAddress!,
        name: text(s.name),
        numVfs: int(s.numVfs),
        mtu: int(s.mtu),
        linkType: text(s.linkType),
        eSwitchMode: text(s.eSwitchMode),
        externallyManaged: s.externallyManaged === true,
        vfGroups: vfGroupsOf(s),
      })),
  };
});

export function mapPolicy(policy: SriovNetworkNodePolicyObject): SriovNetworkNodePolicy {
  const spec = policy.spec ?? {};
  const nic = spec.nicSelector ?? {};
  const resourceName = spec.resourceName ?? '';
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : []);
  return {
    namespace: policy.metadata.namespace ?? '',
    name: policy.metadata.name,
    resourceName,
    resource: resourceKey(resourceName),
    numVfs: int(spec.numVfs) ?? 0,
    priority: int(spec.priority),
    mtu: int(spec.mtu),
    deviceType: text(spec.deviceType) ?? 'netdevice',
    isRdma: spec.isRdma === true,
    needVhostNet: spec.needVhostNet === true,
    linkType: text(spec.linkType),
    eSwitchMode: text(spec.eSwitchMode),
    externallyManaged: spec.externallyManaged === true,
    nicSelector: {
      vendor: text(nic.vendor),
      deviceID: text(nic.deviceID),
      rootDevices: strings(nic.rootDevices),
      pfNames: strings(nic.pfNames),
      netFilter: text(nic.netFilter),
    },
    nodeSelector: Object.entries(spec.nodeSelector ?? {})
      .map(([key, value]) => ({ key, value: String(value) }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** Lower priority value wins upstream: that order, then name. */
export function comparePolicies(a: SriovNetworkNodePolicy, b: SriovNetworkNodePolicy): number {
  return (a.priority ?? 99) - (b.priority ?? 99) || a.name.localeCompare(b.name);
}

export function mapNetwork(clusterName: string, network: SriovNetworkObject): SriovNetworkModel {
  const spec = network.spec ?? {};
  const resourceName = spec.resourceName ?? '';
  const namespace = network.metadata.namespace ?? '';
  return {
    clusterName,
    namespace,
    name: network.metadata.name,
    resourceName,
    resource: resourceKey(resourceName),
    networkNamespace: text(spec.networkNamespace) ?? namespace,
    vlan: int(spec.vlan),
    vlanQoS: int(spec.vlanQoS),
    vlanProto: text(spec.vlanProto),
    spoofChk: text(spec.spoofChk),
    trust: text(spec.trust),
    linkState: text(spec.linkState),
    minTxRate: int(spec.minTxRate),
    maxTxRate: int(spec.maxTxRate),
    capabilities: text(spec.capabilities),
    metaPlugins: text(spec.metaPlugins),
    logLevel: text(spec.logLevel),
    ipamText: typeof spec.ipam === 'string' ? spec.ipam : null,
    conditions: (network.status?.conditions ?? [])
      .filter((c) => text(c.type) && text(c.status))
      .map((c) => ({ type: c.type!, status: c.status!, reason: text(c.reason), message: text(c.message), lastTransitionTime: text(c.lastTransitionTime) })),
  };
}

export type IpamParse = { ok: true; value: unknown } | { ok: false; error: string };

/** `spec.ipam` JSON text: null when empty; otherwise the parsed value or why it does not parse. */
export function parseIpam(text: string | null): IpamParse | null {
  if (text === null || text.trim() === '') return null;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Integer quantity of an extended resource ("8"); null when absent or not an integer. */
export function quantity(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

/**
 * The extended resources a pod requests (what the scheduler counts): the sum over containers (requests,
 * else limits: extended resources need requests == limits), or the largest init container if higher.
 */
export function podRequests(pod: Pod): Map<string, number> {
  const perContainer = (c: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }) => {
    const out = new Map<string, number>();
    const keys = new Set([...Object.keys(c.resources?.requests ?? {}), ...Object.keys(c.resources?.limits ?? {})]);
    for (const key of keys) {
      const n = quantity(c.resources?.requests?.[key] ?? c.resources?.limits?.[key]);
      if (n !== null) out.set(key, n);
    }
    return out;
  };
  const total = new Map<string, number>();
  for (const c of pod.spec?.containers ?? []) for (const [k, n] of perContainer(c)) total.set(k, (total.get(k) ?? 0) + n);
  for (const c of pod.spec?.initContainers ?? []) for (const [k, n] of perContainer(c)) if (n > (total.get(k) ?? 0)) total.set(k, n);
  return total;
}

/** VFs by node and PCI address, over some node states. */
export function vfIndex(nodes: readonly NodeSriovModel[]): Map<string, VirtualFunctionModel> {
  const index = new Map<string, VirtualFunctionModel>();
  for (const n of nodes) for (const pf of n.physicalFunctions) for (const vf of pf.vfs) index.set(deviceKey(n.nodeName, vf.pciAddress), vf);
  return index;
}

/** Every PCI device held by a (not finished) pod of the cluster, keyed by node and PCI address. */
export function allocationIndex(clusterName: string, pods: readonly Pod[]): Map<string, VfAllocationModel> {
  const index = new Map<string, VfAllocationModel>();
  for (const d of podDevices(pods)) {
    if (!d.nodeName) continue;
    index.set(deviceKey(d.nodeName, d.pciAddress), {
      clusterName,
      namespace: d.namespace,
      podName: d.podName,
      nodeName: d.nodeName,
      network: d.name,
      interface: d.interface,
      mac: d.mac,
      ips: d.ips,
      pciAddress: d.pciAddress,
    });
  }
  return index;
}

export interface VfCounts {
  total: number;
  configured: number;
  allocated: number;
  free: number;
}

/** VF counts of node states; allocated = their VFs that some pod holds. */
export function vfCounts(nodes: readonly NodeSriovModel[], allocations: ReadonlyMap<string, VfAllocationModel>): VfCounts {
  let total = 0;
  let configured = 0;
  let allocated = 0;
  for (const n of nodes) {
    for (const pf of n.physicalFunctions) {
      total += pf.totalvfs ?? 0;
      configured += pf.numVfs;
      for (const vf of pf.vfs) if (allocations.has(deviceKey(n.nodeName, vf.pciAddress))) allocated++;
    }
  }
  return { total, configured, allocated, free: Math.max(0, configured - allocated) };
}

/** What, besides the node state, tells which device-plugin resources a node has and who holds them. */
export interface ResourceInputs {
  /** The Node object; null when the cluster has no Node of that name. */
  nodeObject: Node | null;
  /** Pods of the cluster (those of other nodes are left out). */
  pods: readonly Pod[];
  allocations: ReadonlyMap<string, VfAllocationModel>;
  /** The cluster's policies (mapped); those whose nodeSelector matches the Node configure it. */
  policies: readonly SriovNetworkNodePolicy[];
  /**
   * The resource of each network a pod can attach to (`<namespace>/<nad>` → `openshift.io/<name>`, from
   * the NetworkAttachmentDefinitions' `k8s.v1.cni.cncf.io/resourceName` annotation): which resource a
   * held VF belongs to when no VF group says.
   */
  networkResources: ReadonlyMap<string, string>;
}

export const NAD_RESOURCE_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';

/** `<namespace>/<nad>` → the NAD's resource annotation, over a cluster's NetworkAttachmentDefinitions. */
export function networkResourceIndex(nads: readonly KubeObject[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const nad of nads) {
    const resource = text(nad.metadata.annotations?.[NAD_RESOURCE_ANNOTATION]);
    if (resource) index.set(`${nad.metadata.namespace ?? ''}/${nad.metadata.name}`, resource);
  }
  return index;
}

/** A policy's nodeSelector matches a node's labels (every key, exact value, as the operator selects). */
export function policySelects(policy: SriovNetworkNodePolicy, labels: Readonly<Record<string, string>>): boolean {
  return policy.nodeSelector.every(({ key, value }) => labels[key] === value);
}

/** The name of an extended resource key (`openshift.io/du_fh` → `du_fh`). */
function nameOfKey(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}

/**
 * The resources of a node, by extended-resource key. Sources of truth: the Node's
 * `openshift.io/<resourceName>` capacity/allocatable (what the device plugin advertises) and the
 * resourceName of every policy that selects the node. VF groups of the node state add theirs (they are
 * rendered from those policies); real node states often have none, which must not empty the list.
 */
function resourceKeysOf(node: NodeSriovModel, inputs: ResourceInputs): Map<string, string> {
  const keys = new Map<string, string>();
  const { nodeObject } = inputs;
  const advertised = [...Object.keys(nodeObject?.status?.capacity ?? {}), ...Object.keys(nodeObject?.status?.allocatable ?? {})];
  for (const key of advertised) if (key.startsWith(`${DEFAULT_RESOURCE_PREFIX}/`)) keys.set(key, nameOfKey(key));
  const named = (resourceName: string): void => {
    const key = nodeResourceKey(resourceName, nodeObject);
    if (!keys.has(key)) keys.set(key, resourceName);
  };
  const labels = nodeObject?.metadata.labels ?? {};
  if (nodeObject) for (const p of inputs.policies) if (p.resourceName && policySelects(p, labels)) named(p.resourceName);
  for (const s of node.desiredInterfaces) for (const g of s.vfGroups) named(g.resourceName);
  for (const pf of node.physicalFunctions) for (const vf of pf.vfs) if (vf.resourceName) named(vf.resourceName);
  return keys;
}

/** The Node's key for a resource name: `openshift.io/<name>`, or another prefix the Node advertises. */
function nodeResourceKey(resourceName: string, nodeObject: Node | null): string {
  const preferred = resourceKey(resourceName);
  const keys = [...Object.keys(nodeObject?.status?.capacity ?? {}), ...Object.keys(nodeObject?.status?.allocatable ?? {})];
  if (keys.includes(preferred)) return preferred;
  return keys.find((k) => k.endsWith(`/${resourceName}`)) ?? preferred;
}

/**
 * The resource a held device belongs to: the VF group holding the VF when the node state has groups
 * (they refine membership), else the resource of the network it is attached through (its NAD).
 */
function allocationResource(allocation: VfAllocationModel, vf: VirtualFunctionModel | undefined, inputs: ResourceInputs): string | null {
  if (vf?.resourceName) return nodeResourceKey(vf.resourceName, inputs.nodeObject);
  const network = allocation.network.includes('/') ? allocation.network : `${allocation.namespace}/${allocation.network}`;
  return inputs.networkResources.get(network) ?? null;
}

/**
 * Per resource of a node: the Node's capacity/allocatable, what its pods request, and how many devices of
 * that resource its pods hold.
 */
export function nodeResources(node: NodeSriovModel, inputs: ResourceInputs): SriovResource[] {
  const requested = new Map<string, number>();
  for (const pod of inputs.pods) {
    if (pod.spec?.nodeName !== node.nodeName || !holdsDevices(pod)) continue;
    for (const [key, n] of podRequests(pod)) requested.set(key, (requested.get(key) ?? 0) + n);
  }
  const vfs = vfIndex([node]);
  const attached = new Map<string, number>();
  for (const [key, allocation] of inputs.allocations) {
    if (allocation.nodeName !== node.nodeName) continue;
    const resource = allocationResource(allocation, vfs.get(key), inputs);
    if (resource) attached.set(resource, (attached.get(resource) ?? 0) + 1);
  }
  const { nodeObject } = inputs;
  return [...resourceKeysOf(node, inputs)]
    .map(([resource, resourceName]) => {
      const capacity = quantity(nodeObject?.status?.capacity?.[resource]);
      const allocatable = quantity(nodeObject?.status?.allocatable?.[resource]);
      const req = requested.get(resource) ?? 0;
      return { resource, resourceName, capacity, allocatable, requested: req, attached: attached.get(resource) ?? 0, available: allocatable === null ? null : allocatable - req };
    })
    .sort((a, b) => a.resource.localeCompare(b.resource));
}

/** Per resource summed over nodes (capacity/allocatable null only when no node advertises it). */
export function sumResources(perNode: readonly SriovResource[][]): SriovResource[] {
  const sums = new Map<string, SriovResource>();
  const add = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);
  for (const list of perNode) {
    for (const r of list) {
      const s = sums.get(r.resource);
      if (!s) {
        sums.set(r.resource, { ...r });
        continue;
      }
      s.capacity = add(s.capacity, r.capacity);
      s.allocatable = add(s.allocatable, r.allocatable);
      s.requested += r.requested;
      s.attached += r.attached;
      s.available = add(s.available, r.available);
    }
  }
  return [...sums.values()].sort((a, b) => a.resource.localeCompare(b.resource));
}

/**
 * The event for a node-state change, or null when nothing a sync-status subscriber cares about changed
 * (syncStatus, lastSyncError, the drain annotations). `old` undefined: the state just appeared.
 */
export function syncStatusEvent(
  clusterName: string,
  old: SriovNetworkNodeStateObject | undefined,
  current: SriovNetworkNodeStateObject,
  time: string,
): SyncStatusEventModel | null {
  const now = mapNodeState(clusterName, current);
  const before = old ? mapNodeState(clusterName, old) : null;
  const changes: SriovSyncChange[] = [];
  if (!before) changes.push('CREATED');
  else {
    if (before.syncStatus !== now.syncStatus) changes.push('SYNC_STATUS');
    if (before.lastSyncError !== now.lastSyncError) changes.push('SYNC_ERROR');
    if (before.desiredState !== now.desiredState) changes.push('DESIRED_STATE');
    if (before.currentState !== now.currentState) changes.push('CURRENT_STATE');
  }
  if (changes.length === 0) return null;
  return {
    clusterName,
    nodeName: now.nodeName,
    changes,
    syncStatus: now.syncStatus,
    previousSyncStatus: before?.syncStatus ?? null,
    lastSyncError: now.lastSyncError,
    desiredState: now.desiredState,
    previousDesiredState: before?.desiredState ?? null,
    currentState: now.currentState,
    previousCurrentState: before?.currentState ?? null,
    sriov: now,
    time,
  };
}
