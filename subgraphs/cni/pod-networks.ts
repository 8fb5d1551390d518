// A pod's Multus networks: the requests of `k8s.v1.cni.cncf.io/networks` matched with the entries of
// `network-status` (or the old `networks-status`), both parsed by the shared kube/multus.ts. A request
// is answered by the first unused status entry naming the same NAD (bare `nad` entries of old Multus are
// in the pod's namespace) on the requested interface, else on any interface; a request nothing answers
// is missing.
import {
  DEFAULT_NETWORK_ANNOTATION,
  LEGACY_NETWORK_STATUS_ANNOTATION,
  NETWORK_STATUS_ANNOTATION,
  NETWORKS_ANNOTATION,
  parseNetworksAnnotation,
  parseNetworkStatus,
  statusNetworkRef,
  type NetworkStatusEntry,
} from '../kube/multus.js';
import type { Pod } from '../kube/objects.js';
import type { PodNetworkAttachmentModel, PodNetworkRequestModel, PodNetworksModel } from './models.js';

function attachment(clusterName: string, nodeName: string | null, e: NetworkStatusEntry): PodNetworkAttachmentModel {
  return {
    clusterName,
    nodeName,
    name: e.name,
    interface: e.interface,
    ips: e.ips,
    mac: e.mac,
    mtu: e.mtu,
    default: e.isDefault,
    gateway: e.gateway,
    deviceType: e.deviceType,
    pciAddress: e.pciAddress,
  };
}

export function mapPodNetworks(clusterName: string, pod: Pod): PodNetworksModel {
  const annotations = pod.metadata.annotations ?? {};
  const namespace = pod.metadata.namespace ?? 'default';
  const nodeName = pod.spec?.nodeName ?? null;
  const statusText = annotations[NETWORK_STATUS_ANNOTATION] ?? annotations[LEGACY_NETWORK_STATUS_ANNOTATION];
  const entries = parseNetworkStatus(statusText);
  const attached = entries.map((e) => attachment(clusterName, nodeName, e));
  const requestText = annotations[NETWORKS_ANNOTATION];
  const parsed = parseNetworksAnnotation(requestText, namespace);
  const used = new Set<number>();
  const answer = (ns: string, name: string, iface: string | null): number => {
    const candidates = entries
      .map((e, i) => ({ e, i, ref: statusNetworkRef(e, namespace) }))
      .filter(({ i, ref }) => !used.has(i) && ref !== null && ref.namespace === ns && ref.name === name);
    const chosen = (iface !== null ? candidates.find(({ e }) => e.interface === iface) : undefined) ?? candidates[0];
    if (!chosen) return -1;
    used.add(chosen.i);
    return chosen.i;
  };
  const requests = parsed.ok
    ? {
        ok: true as const,
        requests: parsed.requests.map((r): PodNetworkRequestModel => {
          const i = answer(r.namespace, r.name, r.interface);
          return { clusterName, name: r.name, namespace: r.namespace, interface: r.interface, ips: r.ips, mac: r.mac, attachment: i < 0 ? null : attached[i] };
        }),
      }
    : { ok: false as const, error: `pod ${namespace}/${pod.metadata.name}: annotation ${NETWORKS_ANNOTATION} cannot be read: ${parsed.error}` };
  return {
    clusterName,
    namespace,
    podName: pod.metadata.name,
    requests,
    requestForm: !requestText?.trim() ? null : /[[{"]/.test(requestText) ? 'JSON' : 'LIST',
    attached,
    statusAnnotation: annotations[NETWORK_STATUS_ANNOTATION] !== undefined ? 'NETWORK_STATUS' : annotations[LEGACY_NETWORK_STATUS_ANNOTATION] !== undefined ? 'NETWORKS_STATUS_LEGACY' : null,
    defaultNetworkOverride: annotations[DEFAULT_NETWORK_ANNOTATION] ?? null,
  };
}

/** Requests nothing answers; every request when the annotation cannot be read counts as not complete. */
export function missingNetworks(m: PodNetworksModel): PodNetworkRequestModel[] {
  return m.requests.ok ? m.requests.requests.filter((r) => r.attachment === null) : [];
}

export function networksComplete(m: PodNetworksModel): boolean {
  return m.requests.ok && missingNetworks(m).length === 0;
}

/** 1 + requests where Multus reports interfaces (a status annotation or requests), else unknown. */
export function interfacesExpected(m: PodNetworksModel): number | null {
  if (!m.requests.ok) return null;
  if (m.requests.requests.length === 0 && m.statusAnnotation === null) return null;
  return 1 + m.requests.requests.length;
}
