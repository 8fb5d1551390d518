// The cni domain's reads of one cluster, shared by query loaders and the event feed.
//  - Discovery (/apis): which CNI API groups are served; cached per cluster for 5 minutes (it changes
//    only when an operator is installed), so detection does not ask on every request; concurrent
//    requests of a cold cluster share one (kube/discovery.ts).
//  - DaemonSets, Nodes, NADs, the OpenShift Network objects, Calico/Cilium objects: the shared watch
//    caches (warm: 0 requests; cold: the cache's first LIST, awaited; a kind the cluster does not serve
//    reads as empty). Only kinds whose group is served are read at all.
//  - Events: the event feed's shared cache, field-selected to pod Events without the noisy lifecycle
//    reasons, started by the first read (pre-warmed by the server): 0 requests warm; one field-selected
//    LIST when the cache cannot answer (the cluster's last call failed).
import type { ClusterHealth, ClusterReader } from '../kube/client.js';
import { ApiDiscovery } from '../kube/discovery.js';
import { Resources, type ResourceRef } from '../kube/resources.js';
import type { KubeObject } from '../kube/objects.js';
import type { WatchCacheRegistry } from '../kube/watch-cache-registry.js';
import type { CniSignals } from './primary-cni.js';
import { addressingInputOf, NONE, openshiftAddressingOf, primaryCniOf, signalsOf } from './derived.js';
import {
  CniResources,
  type CalicoIpPoolObject,
  type CiliumNodeObject,
  type CniNodeObject,
  type DaemonSetObject,
  type EventObject,
  type NetworkAttachmentDefinitionObject,
  type OpenShiftNetworkObject,
  type OperatorNetworkObject,
  type TigeraInstallationObject,
} from './upstream.js';
import type { AddressingInput } from './primary-cni.js';

/** Lifecycle reasons that are never about the pod's network: excluded by the API server, not by us. */
const NOISY_REASONS = ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'Killing', 'BackOff', 'Unhealthy', 'ProbeWarning'];
/** The field selector of every Events read (cluster-wide): pod Events minus the noisy reasons. */
export const POD_EVENTS_SELECTOR = ['involvedObject.kind=Pod', ...NOISY_REASONS.map((r) => `reason!=${r}`)].join(',');

const DISCOVERY_TTL_MS = 5 * 60_000;

/** What the reader needs of the cluster registry (ClusterRegistry has it). */
export interface CniClusters {
  client(name: string): ClusterReader & { readonly health: ClusterHealth; apiGroups(options?: { signal?: AbortSignal }): Promise<string[]> };
}

export interface PodScope {
  namespace: string;
  name: string;
}

export class CniReader {
  private readonly discovery: ApiDiscovery;
  /** One array per discovery answer: the same array until the cluster is asked again (a memo input). */
  private readonly asArray = new WeakMap<ReadonlySet<string>, { groups: string[] }>();

  constructor(
    clusters: CniClusters,
    readonly caches: WatchCacheRegistry,
  ) {
    this.discovery = new ApiDiscovery(clusters, DISCOVERY_TTL_MS);
  }

  /** The cached discovery while servedGroups answers it without asking, else undefined. */
  discovered(cluster: string): { groups: string[] } | undefined {
    const groups = this.discovery.peek(cluster);
    return groups && this.arrayOf(groups);
  }

  /** API groups the cluster serves (cached). Throws ClusterError. */
  async servedGroups(cluster: string): Promise<string[]> {
    return this.arrayOf(await this.discovery.groups(cluster)).groups;
  }

  private arrayOf(groups: ReadonlySet<string>): { groups: string[] } {
    let known = this.asArray.get(groups);
    if (!known) this.asArray.set(groups, (known = { groups: [...groups] }));
    return known;
  }

  private async cached<T extends KubeObject>(cluster: string, ref: ResourceRef, served: readonly string[] | null, signal?: AbortSignal): Promise<readonly T[]> {
    if (served !== null && ref.group !== '' && ref.group !== 'apps' && !served.includes(ref.group)) return NONE;
    // A cold cache is waited for: its own first LIST is then the only request.
    return (await this.caches.readThrough<T>(cluster, ref, {}, { signal, waitForSync: true })) ?? NONE;
  }

  /**
   * Everything primary-CNI and Multus detection read. Nodes (their annotations) only when neither the
   * OpenShift Network, a DaemonSet nor a served CNI API group names the CNI. Throws ClusterError.
   */
  async signals(cluster: string, signal?: AbortSignal): Promise<CniSignals> {
    const served = await this.servedGroups(cluster);
    const [networks, operators, daemonSets] = await Promise.all([
      this.cached<OpenShiftNetworkObject>(cluster, Resources.clusterNetworks, served, signal),
      this.cached<OperatorNetworkObject>(cluster, CniResources.operatorNetworks, served, signal),
      this.cached<DaemonSetObject>(cluster, CniResources.daemonSets, served, signal),
    ]);
    const found = signalsOf(daemonSets, networks, operators, served, NONE);
    if (primaryCniOf(found).plugin !== 'UNKNOWN') return found;
    return signalsOf(daemonSets, networks, operators, served, await this.cached<CniNodeObject>(cluster, Resources.nodes, served, signal));
  }

  /** The CNI-specific objects addressing needs beyond the signals (only groups the cluster serves). */
  async addressing(cluster: string, signals: CniSignals, signal?: AbortSignal): Promise<AddressingInput> {
    const served = signals.servedGroups;
    const openshift = Boolean(signals.openshiftNetwork?.status?.clusterNetwork?.length || signals.openshiftNetwork?.spec?.clusterNetwork?.length);
    if (openshift) return openshiftAddressingOf(signals);
    const [ipPools, installations, ciliumNodes] = await Promise.all([
      this.cached<CalicoIpPoolObject>(cluster, CniResources.calicoIpPools, served, signal),
      this.cached<TigeraInstallationObject>(cluster, CniResources.tigeraInstallations, served, signal),
      this.cached<CiliumNodeObject>(cluster, CniResources.ciliumNodes, served, signal),
    ]);
    // Nodes' podCIDRs are the last resort: read only when no CNI object gives the pod networks.
    const nodes = ipPools.length === 0 && ciliumNodes.length === 0 ? await this.cached<CniNodeObject>(cluster, Resources.nodes, served, signal) : NONE;
    return addressingInputOf(signals, ipPools, installations, ciliumNodes, nodes);
  }

  /** NetworkAttachmentDefinitions; [] when the cluster does not serve the kind (no Multus). Throws ClusterError. */
  async nads(cluster: string, signal?: AbortSignal): Promise<readonly NetworkAttachmentDefinitionObject[]> {
    return this.cached<NetworkAttachmentDefinitionObject>(cluster, Resources.networkAttachmentDefinitions, null, signal);
  }

  /** The event feed's cache of a cluster (started if new): one watch per cluster for every subscriber. */
  eventCache(cluster: string) {
    return this.caches.cache<EventObject>(cluster, Resources.events, { fieldSelector: POD_EVENTS_SELECTOR });
  }

  /**
   * Pod Events of a cluster, or of one pod, from the shared field-selected Events cache (the feed's):
   * started here on first read, so warm reads cost 0 requests; a cache that cannot answer now (cold and
   * failing, cluster down) is one field-selected LIST. Throws ClusterError.
   */
  async events(cluster: string, pod?: PodScope, signal?: AbortSignal): Promise<readonly EventObject[]> {
    const items = (await this.caches.readThrough<EventObject>(cluster, Resources.events, { fieldSelector: POD_EVENTS_SELECTOR }, { signal })) ?? NONE;
    return pod ? items.filter((e) => e.involvedObject?.namespace === pod.namespace && e.involvedObject?.name === pod.name) : items;
  }
}
