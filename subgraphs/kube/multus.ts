// Which PCI devices a pod holds, from the Multus `k8s.v1.cni.cncf.io/network-status` annotation
// (reference/domain-models.md §5): entries whose `device-info.pci.pci-address` is set are the VFs the
// SR-IOV CNI moved into the pod. Shared by the sriov (who holds which VF) and dpdk (which VF a port uses)
// subgraphs. Pure functions; a malformed annotation yields no entries rather than an error, since one
// pod's bad annotation must not fail a node's or a cluster's answer.
import type { Pod } from '../kube/objects.js';

export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';
/** Removed from the Multus client library in 2022; old clusters may still write it. */
export const LEGACY_NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks-status';

export interface NetworkStatusEntry {
  /** `<namespace>/<nad>` on current Multus, bare `<nad>` on older ones. */
  name: string;
  interface: string | null;
  mac: string | null;
  ips: string[];
  isDefault: boolean;
  deviceType: string | null;
  pciAddress: string | null;
}

/** A VF (PCI device) some pod holds. */
export interface PodDevice extends NetworkStatusEntry {
  pciAddress: string;
  namespace: string;
  podName: string;
  nodeName: string | null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The entries of a network-status annotation text; [] when absent or not a JSON array. */
export function parseNetworkStatus(text: string | undefined | null): NetworkStatusEntry[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const entries: NetworkStatusEntry[] = [];
  for (const raw of parsed) {
    if (!raw || typeof raw !== 'object') continue;
    const e = raw as Record<string, unknown>;
    const info = (e['device-info'] && typeof e['device-info'] === 'object' ? e['device-info'] : {}) as Record<string, unknown>;
    const pci = (info.pci && typeof info.pci === 'object' ? info.pci : {}) as Record<string, unknown>;
    entries.push({
      name: str(e.name) ?? '',
      interface: str(e.interface),
      mac: str(e.mac),
      ips: Array.isArray(e.ips) ? e.ips.filter((ip): ip is string => typeof ip === 'string') : [],
      isDefault: e.default === true,
      deviceType: str(info.type),
      pciAddress: str(pci['pci-address']),
    });
  }
  return entries;
}

/** The network-status of a pod (the current annotation, else the legacy one). */
export function podNetworkStatus(pod: Pod): NetworkStatusEntry[] {
  const annotations = pod.metadata.annotations ?? {};
  return parseNetworkStatus(annotations[NETWORK_STATUS_ANNOTATION] ?? annotations[LEGACY_NETWORK_STATUS_ANNOTATION]);
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
