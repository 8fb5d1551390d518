// The DPDK telemetry exporter in a DPDK pod (:9876, our documented marker, see fleet/cnf.ts). It answers
// the v2 telemetry socket commands as JSON (`GET /telemetry?cmd=/ethdev/stats,0` → `{"/ethdev/stats": …}`
// exactly as the socket replies, domain-models §3) and serves the same stats as Prometheus text
// (`dpdk_ethdev_stats_<field>{port}`). Ports are the pod's vfio-pci VFs from its network-status, in order;
// /ethdev/info `name` is the VF PCI address. Counters are deterministic functions of time; the `dpdk-drop`
// scenario makes imissed and rx_nombuf climb.
import type { ClusterStore } from '../store.js';
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { DPDK_TELEMETRY_ANNOTATION, DPDK_TELEMETRY_PORT_NAME, NETWORK_STATUS_ANNOTATION } from '../fleet/cnf.js';
import { SRIOV_NAMESPACE } from '../fleet/sriov.js';
import { hashOf, macFrom, mulberry32 } from '../fleet/random.js';
import type { MetricWriter } from './prom-text.js';
import { RateTimeline } from './signals.js';

export const DPDK_VERSION = 'DPDK 23.11.2';
const QUEUE_STAT_COUNTERS = 16;
const QUEUES = 4;
const STAT_FIELDS = ['ipackets', 'opackets', 'ibytes', 'obytes', 'imissed', 'ierrors', 'oerrors', 'rx_nombuf'] as const;
type StatField = (typeof STAT_FIELDS)[number];
export type EthdevStats = Record<StatField, number> & Record<'q_ipackets' | 'q_opackets' | 'q_ibytes' | 'q_obytes' | 'q_errors', number[]>;

export interface DpdkPort {
  portId: number;
  pciAddress: string;
  network: string;
}

export function isDpdkPod(pod: KubeObject): boolean {
  if (pod.metadata.annotations?.[DPDK_TELEMETRY_ANNOTATION]) return true;
  const containers = (pod.spec as { containers?: { ports?: { name?: string }[] }[] } | undefined)?.containers ?? [];
  return containers.some((c) => (c.ports ?? []).some((p) => p.name === DPDK_TELEMETRY_PORT_NAME));
}

/** The pod's DPDK ports: network-status PCI devices that are vfio-pci VFs on its node (all PCI devices when unknown). */
export function dpdkPorts(store: ClusterStore, pod: KubeObject): DpdkPort[] {
  const raw = pod.metadata.annotations?.[NETWORK_STATUS_ANNOTATION];
  if (!raw) return [];
  let entries: unknown;
  try {
    entries = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(entries)) return [];
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
  const state = store.get(K.sriovNodeStates, SRIOV_NAMESPACE, nodeName);
  const drivers = new Map<string, string>();
  for (const pf of (state?.status as { interfaces?: { Vfs?: { pciAddress?: string; driver?: string }[] }[] } | undefined)?.interfaces ?? []) {
    for (const vf of pf.Vfs ?? []) if (vf.pciAddress) drivers.set(vf.pciAddress, vf.driver ?? '');
  }
  const ports: DpdkPort[] = [];
  for (const e of entries as { name?: string; 'device-info'?: { pci?: { 'pci-address'?: string } } }[]) {
    const pci = e?.['device-info']?.pci?.['pci-address'];
    if (!pci) continue;
    if (drivers.size > 0 && drivers.get(pci) !== 'vfio-pci') continue;
    ports.push({ portId: ports.length, pciAddress: pci, network: e.name ?? '' });
  }
  return ports;
}

const COMMANDS = [
  '/', '/eal/app_params', '/eal/params', '/ethdev/info', '/ethdev/link_status', '/ethdev/list', '/ethdev/stats', '/ethdev/xstats', '/help', '/info',
];
const HELP_TEXT: Record<string, string> = {
  '/': 'Returns list of available commands, Takes no parameters',
  '/info': 'Returns DPDK Telemetry information. Takes no parameters',
  '/help': 'Returns help text for a command. Parameters: string command',
  '/eal/params': 'Returns EAL commandline parameters used. Takes no parameters',
  '/eal/app_params': 'Returns app commandline parameters used. Takes no parameters',
  '/ethdev/list': 'Returns list of available ethdev ports. Takes no parameters',
  '/ethdev/stats': 'Returns the common stats for a port. Parameters: int port_id',
  '/ethdev/xstats': 'Returns the extended stats for a port. Parameters: int port_id,hide_zero=true|false(Optional for indicates hide zero xstats)',
  '/ethdev/info': 'Returns the device info for a port. Parameters: int port_id',
  '/ethdev/link_status': 'Returns the link status for a port. Parameters: int port_id',
};

export class DpdkPodTelemetry {
  /** Extra drop rate multiplier (0 normally; the dpdk-drop scenario sets it to 1 for its duration). */
  private readonly drop: RateTimeline;
  private dropRate = 0;
  private readonly seed: number;
  private readonly uptime: number;

  constructor(
    private readonly store: ClusterStore,
    private readonly podRef: { namespace: string; name: string },
    private readonly origin: number,
  ) {
    this.seed = hashOf(podRef.namespace, podRef.name);
    this.uptime = 3600 + (this.seed % 86_400);
    this.drop = new RateTimeline(origin);
    this.drop.set(origin, 0);
  }

  private pod(): KubeObject | undefined {
    return this.store.get(K.pods, this.podRef.namespace, this.podRef.name);
  }

  ports(): DpdkPort[] {
    const pod = this.pod();
    return pod ? dpdkPorts(this.store, pod) : [];
  }

  /** Packets missed per second (and a quarter of it as rx_nombuf) from `now` on, until `stopDrop`. */
  startDrop(now: number, missedPerSecond: number): void {
    this.dropRate = missedPerSecond;
    this.drop.set(now, 1);
  }

  stopDrop(now: number): void {
    this.drop.set(now, 0);
  }

  stats(portId: number, t: number): EthdevStats {
    const h = hashOf(this.seed, portId);
    const seconds = this.uptime + Math.max(0, t - this.origin) / 1000;
    const pps = 600_000 + (h % 900_000);
    const size = 900 + (h % 500);
    const ipackets = Math.floor(pps * seconds);
    const opackets = Math.floor(pps * 0.97 * seconds);
    const dropped = this.dropRate * this.drop.integral(t);
    const imissed = Math.floor(seconds * (0.05 + (h % 8) / 20) + dropped);
    const rx_nombuf = Math.floor(dropped / 4);
    const spread = (total: number) =>
      Array.from({ length: QUEUE_STAT_COUNTERS }, (_, q) => (q < QUEUES ? Math.floor(total / QUEUES) + (q === 0 ? total % QUEUES : 0) : 0));
    return {
      ipackets,
      opackets,
      ibytes: ipackets * size,
      obytes: opackets * size,
      imissed,
      ierrors: 0,
      oerrors: 0,
      rx_nombuf,
      q_ipackets: spread(ipackets),
      q_opackets: spread(opackets),
      q_ibytes: spread(ipackets * size),
      q_obytes: spread(opackets * size),
      q_errors: spread(0),
    };
  }

  xstats(portId: number, t: number, hideZero: boolean): Record<string, number> {
    const s = this.stats(portId, t);
    const out: Record<string, number> = {
      rx_good_packets: s.ipackets,
      tx_good_packets: s.opackets,
      rx_good_bytes: s.ibytes,
      tx_good_bytes: s.obytes,
      rx_missed_errors: s.imissed,
      rx_errors: s.ierrors,
      tx_errors: s.oerrors,
      rx_mbuf_allocation_errors: s.rx_nombuf,
    };
    for (let q = 0; q < QUEUES; q++) {
      out[`rx_q${q}_packets`] = s.q_ipackets[q];
      out[`rx_q${q}_bytes`] = s.q_ibytes[q];
      out[`rx_q${q}_errors`] = 0;
    }
    for (let q = 0; q < QUEUES; q++) {
      out[`tx_q${q}_packets`] = s.q_opackets[q];
      out[`tx_q${q}_bytes`] = s.q_obytes[q];
    }
    Object.assign(out, {
      rx_unicast_packets: s.ipackets - Math.floor(s.ipackets / 5000),
      rx_multicast_packets: Math.floor(s.ipackets / 6000),
      rx_broadcast_packets: Math.floor(s.ipackets / 30000),
      rx_dropped_packets: s.imissed,
      rx_unknown_protocol_packets: 0,
      tx_unicast_packets: s.opackets,
      tx_multicast_packets: 0,
      tx_broadcast_packets: 0,
      tx_dropped_packets: 0,
      tx_error_packets: 0,
    });
    if (hideZero) for (const [k, v] of Object.entries(out)) if (v === 0) delete out[k];
    return out;
  }

  info(port: DpdkPort): Record<string, unknown> {
    const rng = mulberry32(hashOf(this.seed, port.pciAddress));
    return {
      name: port.pciAddress,
      state: 1,
      nb_rx_queues: QUEUES,
      nb_tx_queues: QUEUES,
      port_id: port.portId,
      mtu: 9000,
      rx_mbuf_size_min: 2176,
      mac_addr: macFrom(rng).toUpperCase(),
      promiscuous: 1,
      scattered_rx: 0,
      all_multicast: 1,
      dev_started: 1,
      lro: 0,
      dev_configured: 1,
      rxq_state: Array(QUEUES).fill(1),
      txq_state: Array(QUEUES).fill(1),
      numa_node: port.pciAddress.startsWith('0000:8') ? 1 : 0,
      dev_flags: '0x43',
      rx_offloads: ['VLAN_STRIP', 'IPV4_CKSUM', 'UDP_CKSUM', 'TCP_CKSUM', 'RSS_HASH'],
      tx_offloads: ['VLAN_INSERT', 'IPV4_CKSUM', 'UDP_CKSUM', 'TCP_CKSUM', 'MULTI_SEGS'],
      ethdev_rss_hf: '0x38d34',
    };
  }

  /** One telemetry socket command → the socket's JSON reply object (`{"<cmd>": value}`; null on error). */
  command(request: string, t: number): Record<string, unknown> {
    const comma = request.indexOf(',');
    const cmd = comma < 0 ? request : request.slice(0, comma);
    const params = comma < 0 ? '' : request.slice(comma + 1);
    const ports = this.ports();
    const port = () => {
      // DPDK accepts a leading decimal port id; anything else is -EINVAL → null.
      const m = /^(\d+)/.exec(params);
      return m ? ports.find((p) => p.portId === Number(m[1])) : undefined;
    };
    const reply = (value: unknown) => ({ [cmd]: value ?? null });
    switch (cmd) {
      case '/':
        return reply(COMMANDS);
      case '/info':
        return reply({ version: DPDK_VERSION, pid: 1000 + (this.seed % 30_000), max_output_len: 16384 });
      case '/help':
        return reply(HELP_TEXT[params] !== undefined ? { [params]: HELP_TEXT[params] } : null);
      case '/eal/params':
        return reply(['vdu', '-l', '2-17', '-n', '4', '--file-prefix', 'rte', '--in-memory', ...ports.map((p) => `-a${p.pciAddress}`)]);
      case '/eal/app_params':
        return reply(['--config', '/etc/vdu/phy.cfg']);
      case '/ethdev/list':
        return reply(ports.map((p) => p.portId));
      case '/ethdev/stats': {
        const p = port();
        return reply(p ? this.stats(p.portId, t) : null);
      }
      case '/ethdev/xstats': {
        const p = port();
        return reply(p ? this.xstats(p.portId, t, /hide_zero=true/.test(params)) : null);
      }
      case '/ethdev/info': {
        const p = port();
        return reply(p ? this.info(p) : null);
      }
      case '/ethdev/link_status': {
        const p = port();
        return reply(p ? { status: 'UP', speed: 25000, duplex: 'full-duplex' } : null);
      }
      default:
        return { [cmd]: null };
    }
  }

  collect(w: MetricWriter, t: number): void {
    for (const p of this.ports()) {
      const s = this.stats(p.portId, t);
      for (const field of STAT_FIELDS) {
        w.counter(`dpdk_ethdev_stats_${field}`, `DPDK ethdev stats field ${field} (rte_eth_stats) of the port.`, { port: String(p.portId) }, s[field]);
      }
    }
  }
}
