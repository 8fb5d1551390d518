// sriov-network-metrics-exporter of one node (:9110, domain-models §2 "SR-IOV metrics"): per-VF netlink
// counters `sriov_vf_*` (labels pf, vf, pciAddr, numa_node) and `sriov_kubepoddevice` tying a VF PCI
// address to the pod/container that holds it. VFs and allocations are read from the store on every
// scrape, so policy reconciles and new pods show up at once.
import type { ClusterStore } from '../store.js';
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { NETWORK_STATUS_ANNOTATION } from '../fleet/cnf.js';
import { SRIOV_NAMESPACE, SRIOV_RESOURCE_PREFIX } from '../fleet/sriov.js';
import { hashOf } from '../fleet/random.js';
import type { MetricWriter } from './prom-text.js';

export interface VfView {
  pf: string;
  vfID: number;
  pciAddress: string;
  /** `openshift.io/<resourceName>` of the VF group it belongs to. */
  resource?: string;
  holder?: { pod: string; namespace: string; container: string };
}

interface StatusInterface {
  name?: string;
  pciAddress?: string;
  Vfs?: { vfID?: number; pciAddress?: string }[];
}
interface SpecInterface {
  name?: string;
  pciAddress?: string;
  vfGroups?: { resourceName?: string; vfRange?: string }[];
}

function inRange(range: string | undefined, id: number): boolean {
  if (!range) return false;
  const [from, to] = range.split('-').map(Number);
  return id >= from && id <= (Number.isNaN(to) || to === undefined ? from : to);
}

/** PCI address → pod/container holding it, from pods' Multus network-status on the node. */
export function vfHolders(store: ClusterStore, nodeName: string): Map<string, { pod: string; namespace: string; container: string }> {
  const holders = new Map<string, { pod: string; namespace: string; container: string }>();
  for (const pod of store.list(K.pods)) {
    const spec = pod.spec as { nodeName?: string; containers?: { name: string }[] } | undefined;
    if (spec?.nodeName !== nodeName) continue;
    const raw = pod.metadata.annotations?.[NETWORK_STATUS_ANNOTATION];
    if (!raw) continue;
    let entries: unknown;
    try {
      entries = JSON.parse(raw);
    } catch {
      continue;
    }
    if (!Array.isArray(entries)) continue;
    for (const e of entries as { 'device-info'?: { pci?: { 'pci-address'?: string } } }[]) {
      const pci = e?.['device-info']?.pci?.['pci-address'];
      if (pci) holders.set(pci, { pod: pod.metadata.name, namespace: pod.metadata.namespace ?? '', container: spec.containers?.[0]?.name ?? '' });
    }
  }
  return holders;
}

export function sriovVfs(store: ClusterStore, nodeName: string): VfView[] {
  const state = store.get(K.sriovNodeStates, SRIOV_NAMESPACE, nodeName);
  if (!state) return [];
  const status = (state.status as { interfaces?: StatusInterface[] } | undefined)?.interfaces ?? [];
  const spec = (state.spec as { interfaces?: SpecInterface[] } | undefined)?.interfaces ?? [];
  const holders = vfHolders(store, nodeName);
  const out: VfView[] = [];
  for (const pf of status) {
    const groups = spec.find((s) => s.pciAddress === pf.pciAddress)?.vfGroups ?? [];
    for (const vf of pf.Vfs ?? []) {
      if (vf.pciAddress === undefined || vf.vfID === undefined) continue;
      const group = groups.find((g) => inRange(g.vfRange, vf.vfID!));
      out.push({
        pf: pf.name ?? '',
        vfID: vf.vfID,
        pciAddress: vf.pciAddress,
        resource: group?.resourceName ? `${SRIOV_RESOURCE_PREFIX}/${group.resourceName}` : undefined,
        holder: holders.get(vf.pciAddress),
      });
    }
  }
  return out;
}

const HELP = {
  rx_bytes: 'Number of received bytes on the VF.',
  tx_bytes: 'Number of transmitted bytes on the VF.',
  rx_packets: 'Number of received packets on the VF.',
  tx_packets: 'Number of transmitted packets on the VF.',
  rx_dropped: 'Number of received packets dropped on the VF.',
  tx_dropped: 'Number of transmitted packets dropped on the VF.',
  rx_broadcast: 'Number of received broadcast packets on the VF.',
  rx_multicast: 'Number of received multicast packets on the VF.',
} as const;

export class SriovNodeTelemetry {
  constructor(
    private readonly store: ClusterStore,
    private readonly nodeName: string,
    private readonly origin: number,
    /** Seconds of traffic before the simulation started (counters do not start at zero). */
    private readonly uptime: number,
  ) {}

  vfs(): VfView[] {
    return sriovVfs(this.store, this.nodeName);
  }

  collect(w: MetricWriter, t: number): void {
    const seconds = this.uptime + Math.max(0, t - this.origin) / 1000;
    const vfs = this.vfs();
    for (const vf of vfs) {
      const h = hashOf(this.nodeName, vf.pciAddress);
      const active = vf.holder !== undefined;
      const pps = active ? 40_000 + (h % 360_000) : 0;
      const size = 600 + (h % 700);
      const labels = { pf: vf.pf, vf: String(vf.vfID), pciAddr: vf.pciAddress, numa_node: '0' };
      const rxPackets = Math.floor(pps * seconds);
      const txPackets = Math.floor(pps * 0.93 * seconds);
      const values: Record<keyof typeof HELP, number> = {
        rx_bytes: rxPackets * size,
        tx_bytes: txPackets * size,
        rx_packets: rxPackets,
        tx_packets: txPackets,
        rx_dropped: active ? Math.floor(seconds * 0.05) : 0,
        tx_dropped: 0,
        rx_broadcast: active ? Math.floor(seconds * 0.2) : 0,
        rx_multicast: active ? Math.floor(seconds * 1.5) : 0,
      };
      for (const key of Object.keys(HELP) as (keyof typeof HELP)[]) {
        w.counter(`sriov_vf_${key}`, HELP[key], labels, values[key]);
      }
    }
    for (const vf of vfs) {
      if (!vf.holder) continue;
      w.gauge(
        'sriov_kubepoddevice',
        'SR-IOV device allocated to a pod container (from the kubelet pod-resources API).',
        { pciAddr: vf.pciAddress, dev_type: vf.resource ?? '', pod: vf.holder.pod, namespace: vf.holder.namespace, container: vf.holder.container },
        1,
      );
    }
  }
}

export function isSriovExporterPod(pod: KubeObject): boolean {
  return pod.metadata.labels?.app === 'sriov-network-metrics-exporter';
}
