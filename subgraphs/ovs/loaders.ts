// Per-request DataLoaders of the ovs subgraph: whatever the number of nodes asked for, one read per
// cluster per metric group — the ovnkube-node pods (watch cache), one instant query (or the pod-proxy
// reads) for a batch of nodes, one window query per (cluster, window), one alert evaluation.
import DataLoader from 'dataloader';
import { toClusterError, type ClusterError } from '../kube/errors.js';
import { perCluster } from '../kube/per-cluster.js';
import type { NodeOvsModel, NodeOvsWindowModel, ClusterOvsWindowModel, OvsAlertModel } from './models.js';
import type { NodeOvsResult, OvsPods, OvsReader } from './reader.js';
import { clusterWindow } from './window.js';

export interface NodeKey {
  cluster: string;
  node: string;
}

export interface ClusterWindows {
  byNode: Map<string, NodeOvsWindowModel>;
  cluster: ClusterOvsWindowModel;
}

export interface OvsLoaders {
  pods: DataLoader<string, OvsPods>;
  /** Node.ovs; null when the node runs no ovnkube-node. */
  nodeOvs: DataLoader<NodeKey, NodeOvsModel | null, string>;
  /** Every node's window of a cluster and its rollup, keyed `[cluster, windowMs]`. */
  windows: DataLoader<{ cluster: string; windowMs: number }, ClusterWindows, string>;
  alerts: DataLoader<string, OvsAlertModel[]>;
}

const nodeKey = (k: NodeKey) => JSON.stringify([k.cluster, k.node]);

export function createOvsLoaders(reader: OvsReader, signal?: AbortSignal): OvsLoaders {
  const nodeOvs = new DataLoader<NodeKey, NodeOvsModel | null, string>(
    async (keys) => {
      const byCluster = new Map<string, string[]>();
      for (const k of keys) byCluster.set(k.cluster, [...(byCluster.get(k.cluster) ?? []), k.node]);
      const results = new Map<string, NodeOvsModel | null | ClusterError>();
      await Promise.all(
        [...byCluster].map(async ([cluster, nodes]) => {
          try {
            const read = await reader.nodes(cluster, nodes, signal);
            for (const node of nodes) results.set(nodeKey({ cluster, node }), read.get(node) ?? null);
          } catch (err) {
            const error = toClusterError(cluster, err);
            for (const node of nodes) results.set(nodeKey({ cluster, node }), error);
          }
        }),
      );
      return keys.map((k) => results.get(nodeKey(k)) ?? null);
    },
    { cacheKeyFn: nodeKey },
  );

  const windows = new DataLoader<{ cluster: string; windowMs: number }, ClusterWindows, string>(
    (keys) =>
      Promise.all(
        keys.map(async ({ cluster, windowMs }) => {
          try {
            const { byNode, read } = await reader.windows(cluster, windowMs, null, signal);
            return { byNode, cluster: clusterWindow(cluster, windowMs, [...byNode.values()], read) };
          } catch (err) {
            return isCoded(err) ? err : toClusterError(cluster, err);
          }
        }),
      ),
    { cacheKeyFn: (k) => JSON.stringify([k.cluster, k.windowMs]) },
  );

  // The alert evaluation of a request reads nodes through the same loader as Node.ovs: one read per pod.
  const sharedReads = async (cluster: string, nodes: string[]): Promise<Map<string, NodeOvsResult>> => {
    const reads = await nodeOvs.loadMany(nodes.map((node) => ({ cluster, node })));
    const out = new Map<string, NodeOvsResult>();
    reads.forEach((r, i) => {
      if (r instanceof Error) out.set(nodes[i], toClusterError(cluster, r));
      else if (r) out.set(nodes[i], r);
    });
    return out;
  };

  return {
    pods: perCluster((cluster) => reader.pods(cluster, signal)),
    nodeOvs,
    windows,
    alerts: new DataLoader<string, OvsAlertModel[]>((clusters) =>
      Promise.all(clusters.map((c) => reader.alerts(c, signal, (nodes) => sharedReads(c, nodes)).catch((err: unknown) => (isCoded(err) ? err : toClusterError(c, err))))),
    ),
  };
}

/** A coded error (a ClusterError, or the domain's PROMETHEUS_REQUIRED / BAD_CONFIGURATION) stays as it is; anything else becomes the cluster's error. */
function isCoded(err: unknown): err is Error {
  return err instanceof Error && typeof (err as { extensions?: { code?: unknown } }).extensions?.code === 'string';
}
