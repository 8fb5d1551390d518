// Which node a series belongs to. The OVS exporter sets no node label: Prometheus adds `pod`,
// `namespace` and `instance` (podIP:port; ovnkube-node is hostNetwork, so that is the node's IP). The
// kubelet cAdvisor series carry `node`. Resolution order: a `node` label; the ovnkube-node pod
// (namespace + name, or name alone) → spec.nodeName; the instance host → the pod's IP / host IP → its
// node, or → a node's address. Anything else is unmapped (and reported as such, never guessed).
import type { MetricSample } from '../metrics/types.js';
import type { OvsPodRef } from './models.js';
import { OVNKUBE_NODE, type NodeObject, type PodObject } from './upstream.js';

export interface OvnkubePodInfo extends OvsPodRef {
  nodeName: string;
  podIP?: string;
  hostIP?: string;
}

export interface NodeAddressInfo {
  name: string;
  /** status.addresses[].address (InternalIP, Hostname …). */
  addresses: readonly string[];
}

/** The host part of `instance` (`10.0.0.5:9105`, `[fd00::5]:9105`, `node-1:9105`, or a bare host). */
export function instanceHost(instance: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (bracketed) return bracketed[1];
  const colons = instance.split(':').length - 1;
  if (colons === 1) return instance.slice(0, instance.indexOf(':'));
  return instance; // bare host, or a bare IPv6 address
}

export class SeriesNodeIndex {
  private readonly byPod = new Map<string, OvnkubePodInfo>();
  private readonly byPodName = new Map<string, OvnkubePodInfo | null>();
  private readonly byNode = new Map<string, OvnkubePodInfo>();
  private readonly byAddress = new Map<string, string>();
  private readonly nodeNames = new Set<string>();

  constructor(pods: readonly OvnkubePodInfo[], nodes: readonly NodeAddressInfo[] = []) {
    for (const n of nodes) {
      this.nodeNames.add(n.name);
      for (const a of n.addresses) this.byAddress.set(a, n.name);
    }
    for (const p of pods) {
      if (!p.nodeName) continue;
      this.byPod.set(`${p.namespace}/${p.name}`, p);
      // The same pod name in two namespaces: the name alone says nothing.
      this.byPodName.set(p.name, this.byPodName.has(p.name) ? null : p);
      this.byNode.set(p.nodeName, p);
      this.nodeNames.add(p.nodeName);
      for (const ip of [p.podIP, p.hostIP]) if (ip && !this.byAddress.has(ip)) this.byAddress.set(ip, p.nodeName);
    }
  }

  /** The node of a series, or undefined when its labels say nothing we know. */
  nodeOf(labels: Readonly<Record<string, string>>): string | undefined {
    if (labels.node) return labels.node;
    if (labels.pod) {
      const pod = labels.namespace ? this.byPod.get(`${labels.namespace}/${labels.pod}`) : this.byPodName.get(labels.pod) ?? undefined;
      if (pod) return pod.nodeName;
    }
    if (labels.instance) {
      const host = instanceHost(labels.instance);
      const node = this.byAddress.get(host) ?? (this.nodeNames.has(host) ? host : undefined);
      if (node) return node;
    }
    return undefined;
  }

  /** The ovnkube-node pod on a node. */
  podOn(node: string): OvnkubePodInfo | undefined {
    return this.byNode.get(node);
  }

  /** The pod a series names, when it is a known ovnkube-node pod. */
  podOf(labels: Readonly<Record<string, string>>): OvsPodRef | null {
    if (!labels.pod) return null;
    const pod = labels.namespace ? this.byPod.get(`${labels.namespace}/${labels.pod}`) : this.byPodName.get(labels.pod) ?? undefined;
    return pod ? { namespace: pod.namespace, name: pod.name } : { namespace: labels.namespace ?? '', name: labels.pod };
  }
}

export interface GroupedSamples {
  byNode: Map<string, MetricSample[]>;
  /** Samples no label could place (a pod that is gone, a relabelling we do not know). */
  unmapped: MetricSample[];
}

export function groupByNode(samples: readonly MetricSample[], index: SeriesNodeIndex): GroupedSamples {
  const byNode = new Map<string, MetricSample[]>();
  const unmapped: MetricSample[] = [];
  for (const s of samples) {
    const node = index.nodeOf(s.labels);
    if (node === undefined) {
      unmapped.push(s);
      continue;
    }
    let list = byNode.get(node);
    if (!list) byNode.set(node, (list = []));
    list.push(s);
  }
  return { byNode, unmapped };
}

/** ovnkube-node pods (label app=ovnkube-node) that are scheduled, as the index wants them. */
export function ovnkubePods(pods: readonly PodObject[]): OvnkubePodInfo[] {
  return pods
    .filter((p) => p.metadata.labels?.app === OVNKUBE_NODE.app && p.spec?.nodeName)
    .map((p) => ({
      namespace: p.metadata.namespace ?? '',
      name: p.metadata.name,
      nodeName: p.spec!.nodeName!,
      podIP: p.status?.podIP,
      hostIP: p.status?.hostIP,
    }));
}

export function nodeAddresses(nodes: readonly NodeObject[]): NodeAddressInfo[] {
  return nodes.map((n) => ({ name: n.metadata.name, addresses: (n.status?.addresses ?? []).map((a) => a.address) }));
}

/** The index of one cluster from its Pods and Nodes. */
export function indexFromObjects(pods: readonly PodObject[], nodes: readonly NodeObject[] = []): SeriesNodeIndex {
  return new SeriesNodeIndex(ovnkubePods(pods), nodeAddresses(nodes));
}
