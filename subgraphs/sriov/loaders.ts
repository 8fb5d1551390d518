// Per-request DataLoaders of the sriov subgraph, keyed by cluster: whatever number of nodes, VFs or
// networks a query touches, each kind costs at most one read per cluster (0 for node states once the
// watch cache is warm). Pods and Nodes go through the shared kube loaders (one LIST per cluster).
import DataLoader from 'dataloader';
import type { KubeLoaders } from '../kube/loaders.js';
import { perCluster } from '../kube/per-cluster.js';
import type { KubeObject, Node, Pod } from '../kube/objects.js';
import { Resources } from '../kube/resources.js';
import type { NodeSriovModel, VfAllocationModel } from './models.js';
import type { SriovReader } from './reader.js';
import { allocationIndex, mapNodeState, mapPolicy, networkResourceIndex, type ResourceInputs } from './sources.js';
import type { SriovNetworkNodePolicyObject, SriovNetworkObject } from './upstream.js';

/** The cluster's pods once, with the PCI devices they hold indexed by node and address. */
export interface ClusterPods {
  pods: Pod[];
  allocations: Map<string, VfAllocationModel>;
}

export interface SriovLoaders {
  /** Node states by node name; null without the SR-IOV operator. */
  states: DataLoader<string, Map<string, NodeSriovModel> | null>;
  policies: DataLoader<string, SriovNetworkNodePolicyObject[] | null>;
  networks: DataLoader<string, SriovNetworkObject[] | null>;
  /** NetworkAttachmentDefinitions; null without Multus. */
  attachmentDefinitions: DataLoader<string, KubeObject[] | null>;
  pods: DataLoader<string, ClusterPods>;
  /** Nodes by name. */
  nodes: DataLoader<string, Map<string, Node>>;
  /** What per-node resources are computed from, besides the node state: one read of each kind per cluster. */
  resourceInputs: DataLoader<string, ClusterResourceInputs>;
}

/** The cluster-wide part of ResourceInputs (sources.ts); the Node is picked per node. */
export interface ClusterResourceInputs extends Omit<ResourceInputs, 'nodeObject'> {
  nodes: Map<string, Node>;
}

export function createSriovLoaders(reader: SriovReader, kube: KubeLoaders, signal?: AbortSignal): SriovLoaders {
  const loaders: SriovLoaders = {
    states: perCluster(async (cluster) => {
      const objects = await reader.nodeStates(cluster, signal);
      if (!objects) return null;
      const models = objects.map((o) => mapNodeState(cluster, o)).sort((a, b) => a.nodeName.localeCompare(b.nodeName));
      return new Map(models.map((m) => [m.nodeName, m]));
    }),
    policies: perCluster((cluster) => reader.list<SriovNetworkNodePolicyObject>(cluster, Resources.sriovNetworkNodePolicies, signal)),
    networks: perCluster((cluster) => reader.list<SriovNetworkObject>(cluster, Resources.sriovNetworks, signal)),
    attachmentDefinitions: perCluster((cluster) => reader.list<KubeObject>(cluster, Resources.networkAttachmentDefinitions, signal)),
    pods: perCluster(async (cluster) => {
      const pods = await kube.list<Pod>(Resources.pods).load({ cluster });
      return { pods, allocations: allocationIndex(cluster, pods) };
    }),
    nodes: perCluster(async (cluster) => {
      const nodes = await kube.list<Node>(Resources.nodes).load({ cluster });
      return new Map(nodes.map((n) => [n.metadata.name, n]));
    }),
    resourceInputs: perCluster(async (cluster) => {
      const [nodes, pods, policies, nads] = await Promise.all([
        loaders.nodes.load(cluster),
        loaders.pods.load(cluster),
        loaders.policies.load(cluster),
        loaders.attachmentDefinitions.load(cluster),
      ]);
      // a failed load rejects (DataLoader turns the batch's Error values into rejections)
      return { nodes, pods: pods.pods, allocations: pods.allocations, policies: (policies ?? []).map(mapPolicy), networkResources: networkResourceIndex(nads ?? []) };
    }),
  };
  return loaders;
}
