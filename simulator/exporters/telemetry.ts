// Per-cluster telemetry state behind the exporters. Created lazily from the cluster's store objects the
// first time something reads it (a scrape, a scenario), kept in a WeakMap so SimCluster needs no field
// for it. Each node/pod gets its exporter state on first use; a cluster nobody scrapes costs nothing.
import type { SimCluster } from '../cluster.js';
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { hashOf } from '../fleet/random.js';
import { derivePtpNodeConfig, type PtpNodeConfig } from './ptp-config.js';
import { PtpNodeTelemetry } from './ptp.js';
import { OvsNodeTelemetry } from './ovs.js';
import { SriovNodeTelemetry } from './sriov.js';
import { DpdkPodTelemetry } from './dpdk.js';

export type Clock = () => number;

export class ClusterTelemetry {
  /** When telemetry started for this cluster (ms): counters grow from here. */
  readonly origin: number;
  private readonly ptpNodes = new Map<string, PtpNodeTelemetry>();
  private readonly ptpConfigs = new Map<string, PtpNodeConfig | undefined>();
  private readonly ovsNodes = new Map<string, OvsNodeTelemetry>();
  private readonly sriovNodes = new Map<string, SriovNodeTelemetry>();
  private readonly dpdkPods = new Map<string, DpdkPodTelemetry>();

  constructor(
    readonly cluster: SimCluster,
    public clock: Clock = Date.now,
  ) {
    this.origin = clock();
    // PTP configuration is derived from objects that users and scenarios may change: re-derive on change.
    const invalidate = () => this.ptpConfigs.clear();
    for (const kind of [K.ptpConfigs, K.ptpOperatorConfigs, K.nodes]) cluster.store.subscribe(kind, invalidate);
  }

  now(): number {
    return this.clock();
  }

  private ptpConfig(node: string): PtpNodeConfig | undefined {
    if (!this.ptpConfigs.has(node)) {
      this.ptpConfigs.set(node, derivePtpNodeConfig(this.cluster.store, node, this.cluster.spec.kubernetesVersion));
    }
    return this.ptpConfigs.get(node);
  }

  /** The linuxptp-daemon state of a node, or undefined when no PtpConfig profile applies to it. */
  ptp(node: string): PtpNodeTelemetry | undefined {
    if (!this.ptpConfig(node)) return undefined;
    let t = this.ptpNodes.get(node);
    if (!t) this.ptpNodes.set(node, (t = new PtpNodeTelemetry(() => this.ptpConfig(node), hashOf(this.cluster.name, node))));
    return t;
  }

  /** Nodes that run a linuxptp-daemon pod with an applicable profile. */
  ptpNodeNames(): string[] {
    const names = new Set<string>();
    for (const pod of this.cluster.store.list(K.pods)) {
      if (pod.metadata.labels?.app === 'linuxptp-daemon') {
        const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
        if (node && this.ptpConfig(node)) names.add(node);
      }
    }
    return [...names].sort();
  }

  ovs(node: string): OvsNodeTelemetry {
    let t = this.ovsNodes.get(node);
    if (!t) {
      const obj = this.cluster.store.get(K.nodes, undefined, node);
      const created = obj?.metadata.creationTimestamp ? Date.parse(obj.metadata.creationTimestamp) / 1000 : this.origin / 1000 - 86_400;
      const cpus = Number((obj?.status as { capacity?: { cpu?: string } } | undefined)?.capacity?.cpu ?? 16) || 16;
      t = new OvsNodeTelemetry(hashOf(this.cluster.name, node, 'ovs'), this.origin, Math.floor(created), cpus);
      this.ovsNodes.set(node, t);
    }
    return t;
  }

  sriov(node: string): SriovNodeTelemetry {
    let t = this.sriovNodes.get(node);
    if (!t) {
      t = new SriovNodeTelemetry(this.cluster.store, node, this.origin, 3600 + (hashOf(this.cluster.name, node, 'sriov') % 86_400));
      this.sriovNodes.set(node, t);
    }
    return t;
  }

  dpdk(pod: KubeObject): DpdkPodTelemetry {
    const namespace = pod.metadata.namespace ?? 'default';
    // Keyed by uid too: a pod deleted and created again under the same name starts from fresh counters.
    const key = `${namespace}/${pod.metadata.name}/${pod.metadata.uid ?? ''}`;
    let t = this.dpdkPods.get(key);
    if (!t) this.dpdkPods.set(key, (t = new DpdkPodTelemetry(this.cluster.store, { namespace, name: pod.metadata.name }, this.clock())));
    return t;
  }
}

const registry = new WeakMap<SimCluster, ClusterTelemetry>();

/**
 * The telemetry of a cluster, created on first use. `clock` (the simulator runtime's `now`) replaces the
 * clock used to read values; scenarios pass `runtime.now` so tests can drive time.
 */
export function telemetryFor(cluster: SimCluster, clock?: Clock): ClusterTelemetry {
  let t = registry.get(cluster);
  if (!t) registry.set(cluster, (t = new ClusterTelemetry(cluster, clock)));
  else if (clock) t.clock = clock;
  return t;
}
