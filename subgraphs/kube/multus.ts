// The Multus pod annotations (reference/domain-models.md §5), parsed as Multus itself reads them
// (k8snetworkplumbingwg network-attachment-definition-client types, multus-cni k8sclient):
//  - `k8s.v1.cni.cncf.io/networks`, what a pod asks for: a comma list of `name`, `ns/name`,
//    `name@ifname`, `ns/name@ifname`, or a JSON array of selection elements ({name, namespace, interface,
//    ips, mac, default-route, infiniband-guid, portMappings, bandwidth, cni-args, ipam-claim-reference});
//    a network without a namespace is in the pod's namespace. A malformed request is an error to show
//    (Multus refuses to start such a pod), so that parser says why.
//  - `k8s.v1.cni.cncf.io/network-status` (and the old `networks-status` key), what Multus attached: a
//    JSON array of {name, interface, ips, mac, mtu, default, dns, gateway, device-info}; the name is
//    `ns/nad` on current Multus and a bare `nad` on older ones. A malformed status yields no entries
//    rather than an error: one pod's bad annotation must not fail a node's or a cluster's answer.
//  - device-info (pci, vdpa, vhost-user, memif): which device backs an interface; PCI devices held by
//    pods are what the sriov (who holds which VF) and dpdk (which VF a port uses) domains join on.
// Pure functions; the cni domain owns the GraphQL view on top of them.
import { text } from './values.js';
import { isIP } from 'node:net';
import type { Pod } from './objects.js';

export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';
/** Removed from the Multus client library in 2022; old clusters may still write it. */
export const LEGACY_NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks-status';
/** Overrides the pod's default network (`ns/name` or `name`). */
export const DEFAULT_NETWORK_ANNOTATION = 'v1.multus-cni.io/default-network';

/** A NetworkAttachmentDefinition as a pod names it, resolved to its namespace. */
export interface NetworkRef {
  namespace: string;
  name: string;
}

export interface PortMapping {
  hostPort: number | null;
  containerPort: number | null;
  protocol: string | null;
  hostIP: string | null;
}

export interface Bandwidth {
  ingressRate: number | null;
  ingressBurst: number | null;
  egressRate: number | null;
  egressBurst: number | null;
}

/** One entry of the `networks` annotation: a network the pod asks for. */
export interface NetworkRequest extends NetworkRef {
  /** The interface name asked for (`name@ifname`, `interface`), null: Multus picks net1, net2 … */
  interface: string | null;
  ips: string[];
  mac: string | null;
  /** Gateways to use as the pod's default route through this network. */
  defaultRoute: string[];
  infinibandGuid: string | null;
  portMappings: PortMapping[];
  bandwidth: Bandwidth | null;
  cniArgs: Record<string, unknown> | null;
  ipamClaimReference: string | null;
}

export type ParsedNetworks = { ok: true; requests: NetworkRequest[] } | { ok: false; error: string };

export interface PciDeviceInfo {
  pciAddress: string | null;
  vhostNet: string | null;
  rdmaDevice: string | null;
  pfPciAddress: string | null;
  representorDevice: string | null;
}

export interface VdpaDeviceInfo {
  parentDevice: string | null;
  driver: string | null;
  path: string | null;
  pciAddress: string | null;
  pfPciAddress: string | null;
  representorDevice: string | null;
}

export interface DeviceInfo {
  /** `pci`, `vdpa`, `vhost-user` or `memif` (another string if a CNI writes one). */
  type: string | null;
  version: string | null;
  pci: PciDeviceInfo | null;
  vdpa: VdpaDeviceInfo | null;
  vhostUser: { mode: string | null; path: string | null } | null;
  memif: { role: string | null; path: string | null; mode: string | null } | null;
}

export interface NetworkDns {
  nameservers: string[];
  domain: string | null;
  search: string[];
  options: string[];
}

/** One entry of the `network-status` annotation: an interface Multus attached. */
export interface NetworkStatusEntry {
  /** `<namespace>/<nad>` on current Multus, bare `<nad>` on older ones; the default network's own name (e.g. `ovn-kubernetes`). */
  name: string;
  interface: string | null;
  mac: string | null;
  ips: string[];
  mtu: number | null;
  isDefault: boolean;
  gateway: string[];
  dns: NetworkDns | null;
  deviceInfo: DeviceInfo | null;
  /** `device-info.type`. */
  deviceType: string | null;
  /** The PCI address of the device behind the interface (a VF): `device-info.pci`, or the vDPA device's. */
  pciAddress: string | null;
}

/** A VF (PCI device) some pod holds. */
export interface PodDevice extends NetworkStatusEntry {
  pciAddress: string;
  namespace: string;
  podName: string;
  nodeName: string | null;
}

type Json = Record<string, unknown>;

function record(value: unknown): Json | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}


function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `ns/name` → {ns, name}; a bare `name` is in `defaultNamespace` (the pod's), as Multus resolves it. */
export function networkRef(text: string, defaultNamespace: string): NetworkRef {
  const slash = text.indexOf('/');
  return slash < 0 ? { namespace: defaultNamespace, name: text } : { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}

/** DNS-1123 labels, as Multus checks each part of the comma form. */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAC = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{2}[:-]){19}[0-9A-Fa-f]{2}$/;

function request(namespace: string, name: string, iface: string | null, extra: Partial<NetworkRequest> = {}): NetworkRequest {
  return {
    namespace,
    name,
    interface: iface,
    ips: [],
    mac: null,
    defaultRoute: [],
    infinibandGuid: null,
    portMappings: [],
    bandwidth: null,
    cniArgs: null,
    ipamClaimReference: null,
    ...extra,
  };
}

/** One item of the comma form: `ns/name@ifname`, each part a DNS-1123 label. */
function parseItem(item: string, podNamespace: string): NetworkRequest | string {
  const slashItems = item.split('/');
  if (slashItems.length > 2) return `"${item}": more than one "/"`;
  const namespace = slashItems.length === 2 ? slashItems[0].trim() : '';
  const atItems = slashItems[slashItems.length - 1].split('@');
  if (atItems.length > 2) return `"${item}": more than one "@"`;
  const name = atItems[0].trim();
  const iface = atItems.length === 2 ? atItems[1].trim() : '';
  for (const part of [namespace, name, iface]) {
    if (part !== '' && !LABEL.test(part)) return `"${item}": "${part}" is not a lower-case DNS-1123 label`;
  }
  if (!name) return `"${item}": no network name`;
  return request(namespace || podNamespace, name, iface || null);
}

function portMappings(value: unknown): PortMapping[] {
  if (!Array.isArray(value)) return [];
  return value.map(record).filter((m): m is Json => m !== null).map((m) => ({
    hostPort: num(m.hostPort),
    containerPort: num(m.containerPort),
    protocol: text(m.protocol),
    hostIP: text(m.hostIP),
  }));
}

function bandwidth(value: unknown): Bandwidth | null {
  const b = record(value);
  return b ? { ingressRate: num(b.ingressRate), ingressBurst: num(b.ingressBurst), egressRate: num(b.egressRate), egressBurst: num(b.egressBurst) } : null;
}

/** One element of the JSON form; a string says what is wrong with it. */
function parseElement(raw: unknown, index: number, podNamespace: string): NetworkRequest | string {
  const e = record(raw);
  if (!e) return `element ${index} is not an object`;
  const name = text(e.name);
  if (!name) return `element ${index} has no name`;
  const mac = text(e.mac);
  if (mac && !MAC.test(mac)) return `element ${index} (${name}): "${mac}" is not a MAC address`;
  const ips = strings(e.ips);
  const badIp = ips.find((ip) => isIP(ip.split('/')[0]) === 0);
  if (badIp !== undefined) return `element ${index} (${name}): "${badIp}" is not an IP address`;
  const defaultRoute = strings(e['default-route']);
  const badGateway = defaultRoute.find((ip) => isIP(ip) === 0);
  if (badGateway !== undefined) return `element ${index} (${name}): default-route "${badGateway}" is not an IP address`;
  return request(text(e.namespace) ?? podNamespace, name, text(e.interface) ?? text(e.interfaceRequest), {
    ips,
    mac,
    defaultRoute,
    infinibandGuid: text(e['infiniband-guid']),
    portMappings: portMappings(e.portMappings),
    bandwidth: bandwidth(e.bandwidth),
    cniArgs: record(e['cni-args']),
    ipamClaimReference: text(e['ipam-claim-reference']),
  });
}

/**
 * The networks a pod asks for (`k8s.v1.cni.cncf.io/networks`), in either form. Multus takes the text as
 * JSON when it contains `[`, `{` or `"`, else as a comma list. Empty or absent: no request.
 */
export function parseNetworksAnnotation(text: string | undefined | null, podNamespace: string): ParsedNetworks {
  if (!text || text.trim() === '') return { ok: true, requests: [] };
  const requests: NetworkRequest[] = [];
  if (/[[{"]/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return { ok: false, error: `not valid JSON (${(err as Error).message})` };
    }
    if (!Array.isArray(parsed)) return { ok: false, error: 'the JSON form must be an array of network selection elements' };
    for (const [i, raw] of parsed.entries()) {
      const r = parseElement(raw, i, podNamespace);
      if (typeof r === 'string') return { ok: false, error: r };
      requests.push(r);
    }
    return { ok: true, requests };
  }
  for (const item of text.split(',')) {
    const r = parseItem(item.trim(), podNamespace);
    if (typeof r === 'string') return { ok: false, error: r };
    requests.push(r);
  }
  return { ok: true, requests };
}

/** The networks a pod asks for. */
export function podNetworkRequests(pod: Pod): ParsedNetworks {
  return parseNetworksAnnotation(pod.metadata.annotations?.[NETWORKS_ANNOTATION], pod.metadata.namespace ?? 'default');
}

function deviceInfo(value: unknown): DeviceInfo | null {
  const info = record(value);
  if (!info) return null;
  const pci = record(info.pci);
  const vdpa = record(info.vdpa);
  const vhost = record(info['vhost-user']);
  const memif = record(info.memif);
  return {
    type: text(info.type),
    version: text(info.version),
    pci: pci && {
      pciAddress: text(pci['pci-address']),
      vhostNet: text(pci['vhost-net']),
      rdmaDevice: text(pci['rdma-device']),
      pfPciAddress: text(pci['pf-pci-address']),
      representorDevice: text(pci['representor-device']),
    },
    vdpa: vdpa && {
      parentDevice: text(vdpa['parent-device']),
      driver: text(vdpa.driver),
      path: text(vdpa.path),
      pciAddress: text(vdpa['pci-address']),
      pfPciAddress: text(vdpa['pf-pci-address']),
      representorDevice: text(vdpa['representor-device']),
    },
    vhostUser: vhost && { mode: text(vhost.mode), path: text(vhost.path) },
    memif: memif && { role: text(memif.role), path: text(memif.path), mode: text(memif.mode) },
  };
}

function dns(value: unknown): NetworkDns | null {
  const d = record(value);
  if (!d) return null;
  const out = { nameservers: strings(d.nameservers), domain: text(d.domain), search: strings(d.search), options: strings(d.options) };
  return out.nameservers.length || out.domain || out.search.length || out.options.length ? out : null;
}

/** The entries of a network-status annotation text; [] when absent or not a JSON array. */
export function parseNetworkStatus(annotation: string | undefined | null): NetworkStatusEntry[] {
  if (!annotation) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const entries: NetworkStatusEntry[] = [];
  for (const raw of parsed) {
    const e = record(raw);
    if (!e) continue;
    const info = deviceInfo(e['device-info']);
    entries.push({
      name: text(e.name) ?? '',
      interface: text(e.interface),
      mac: text(e.mac),
      ips: strings(e.ips),
      mtu: num(e.mtu),
      isDefault: e.default === true,
      gateway: strings(e.gateway),
      dns: dns(e.dns),
      deviceInfo: info,
      deviceType: info?.type ?? null,
      pciAddress: info?.pci?.pciAddress ?? info?.vdpa?.pciAddress ?? null,
    });
  }
  return entries;
}

/** The network-status of a pod (the current annotation, else the legacy one). */
export function podNetworkStatus(pod: Pod): NetworkStatusEntry[] {
  const annotations = pod.metadata.annotations ?? {};
  return parseNetworkStatus(annotations[NETWORK_STATUS_ANNOTATION] ?? annotations[LEGACY_NETWORK_STATUS_ANNOTATION]);
}

/** The attachment an entry names, null for the default network (which has no NetworkAttachmentDefinition of its own). */
export function statusNetworkRef(entry: NetworkStatusEntry, podNamespace: string): NetworkRef | null {
  return entry.isDefault || !entry.name ? null : networkRef(entry.name, podNamespace);
}

/** A pod that has finished no longer holds its devices (the kubelet released them). */
export function holdsDevices(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** PCI devices held by pods (finished pods left out), in pod order. */
export function podDevices(pods: readonly Pod[]): PodDevice[] {
  const out: PodDevice[] = [];
  for (const pod of pods) {
    if (!holdsDevices(pod)) continue;
    for (const entry of podNetworkStatus(pod)) {
      if (!entry.pciAddress) continue;
      out.push({
        ...entry,
        pciAddress: entry.pciAddress,
        namespace: pod.metadata.namespace ?? '',
        podName: pod.metadata.name,
        nodeName: pod.spec?.nodeName ?? null,
      });
    }
  }
  return out;
}

/** PCI addresses are unique per host only: devices are keyed by node and address. */
export function deviceKey(nodeName: string, pciAddress: string): string {
  return `${nodeName}\u0000${pciAddress.toLowerCase()}`;
}
