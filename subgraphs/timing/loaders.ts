// Per-request DataLoaders of the timing subgraph. A batch of Node.ptp keys costs one metric read per
// cluster (one PromQL query, or the pod-proxy fallback), whatever the number of nodes asked for.
import DataLoader from 'dataloader';
import { toClusterError, type ClusterError } from '../kube/errors.js';
import { perCluster } from '../kube/per-cluster.js';
import type { NodePtpModel, PtpObjects } from './models.js';
import type { PtpReader } from './reader.js';
import type { ProfileAssignment } from './sources.js';

export interface NodeKey {
  cluster: string;
  node: string;
}

export interface TimingLoaders {
  /** PTP objects per cluster; null without the operator. */
  objects: DataLoader<string, PtpObjects | null>;
  /** Profile assignment per cluster (requires the operator: null otherwise). */
  assignment: DataLoader<string, ProfileAssignment | null>;
  /**
   * PTP of one node; null when it runs no PTP. When its metrics cannot be read but its configuration
   * can, the model carries `metricsError` (consumers that need metrics treat that as the node's error).
   */
  nodePtp: DataLoader<NodeKey, NodePtpModel | null, string>;
}

export function createTimingLoaders(reader: PtpReader, signal?: AbortSignal): TimingLoaders {
  const objects = perCluster((cluster) => reader.objects(cluster, signal));
  const assignment = perCluster(async (cluster) => {
    const o = await objects.load(cluster);
    return o ? reader.assignment(cluster, o, signal) : null;
  });

  const nodePtp = new DataLoader<NodeKey, NodePtpModel | null, string>(
    async (keys) => {
      const byCluster = new Map<string, string[]>();
      for (const k of keys) byCluster.set(k.cluster, [...(byCluster.get(k.cluster) ?? []), k.node]);
      const results = new Map<string, NodePtpModel | null | ClusterError>();
      await Promise.all(
        [...byCluster].map(async ([cluster, nodes]) => {
          try {
            const o = await objects.load(cluster);
            const a = o && (await assignment.load(cluster));
            if (!o || !a) {
              for (const node of nodes) results.set(`${cluster}\u0000${node}`, null);
              return;
            }
            // metrics that cannot be read leave the configuration answering (metricsError on the model)
            let read: Map<string, NodePtpModel | null | ClusterError>;
            try {
              read = await reader.readNodes(cluster, o, a, nodes, signal);
            } catch (err) {
              const error = toClusterError(cluster, err);
              read = new Map(nodes.map((node) => [node, error]));
            }
            for (const node of nodes) {
              const r = read.get(node) ?? null;
              results.set(`${cluster}\u0000${node}`, r instanceof Error ? (reader.configurationOnly(cluster, o, a, node, toClusterError(cluster, r)) ?? r) : r);
            }
          } catch (err) {
            const error = toClusterError(cluster, err);
            for (const node of nodes) results.set(`${cluster}\u0000${node}`, error);
          }
        }),
      );
      return keys.map((k) => results.get(`${k.cluster}\u0000${k.node}`) ?? null);
    },
    { cacheKeyFn: (k) => `${k.cluster}\u0000${k.node}` },
  );

  return { objects, assignment, nodePtp };
}
