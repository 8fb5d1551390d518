// Per-request DataLoaders of the cni subgraph, keyed by cluster (perCluster) or by pod. Whatever the
// number of pods a query touches, each kind costs at most one read per cluster: detection signals and
// NADs from the shared watch caches, Events from the feed's cache or one field-selected LIST, pods
// through the shared kube loaders (one GET for one pod of a cluster, one LIST for several).
import DataLoader from 'dataloader';
import type { KubeLoaders } from '../kube/loaders.js';
import { perCluster } from '../kube/per-cluster.js';
import { toClusterError } from '../kube/errors.js';
import type { Pod } from '../kube/objects.js';
import { Resources } from '../kube/resources.js';
import type { ClusterNetworkModel, NadModel, PodNetworkEventModel } from './models.js';
import { nadsOf, networkEventsOf, networkOf } from './derived.js';
import type { CniReader, PodScope } from './reader.js';
import type { EventObject, TimedPod } from './upstream.js';

/** Pod-network Events kept per cluster (newest first) for one answer. */
export const MAX_EVENTS_PER_CLUSTER = 5000;

export interface PodKey extends PodScope {
  cluster: string;
}

const podKeyId = (k: PodKey) => JSON.stringify([k.cluster, k.namespace, k.name]);

export interface CniLoaders {
  network: DataLoader<string, ClusterNetworkModel>;
  nads: DataLoader<string, NadModel[]>;
  /** The cluster's pod Events as read (for readiness). */
  rawEvents: DataLoader<string, readonly EventObject[]>;
  /** The cluster's pod-network Events, correlated, newest first, at most MAX_EVENTS_PER_CLUSTER. */
  events: DataLoader<string, PodNetworkEventModel[]>;
  /** Raw pod Events of one pod (for readiness), and correlated ones. */
  podEvents: DataLoader<PodKey, readonly EventObject[], string>;
  /** Pods of a cluster: `namespace/name` → node. */
  podNodes: DataLoader<string, Map<string, string>>;
  pods: DataLoader<string, TimedPod[]>;
  pod: DataLoader<PodKey, TimedPod | null, string>;
}

export function createCniLoaders(reader: CniReader, kube: KubeLoaders, signal?: AbortSignal): CniLoaders {
  const pods = perCluster((cluster) => kube.list<TimedPod>(Resources.pods).load({ cluster }));
  const nads = perCluster(async (cluster) => nadsOf(await reader.nads(cluster, signal), cluster));
  const rawEvents = perCluster((cluster) => reader.events(cluster, undefined, signal));
  const podEvents = new DataLoader<PodKey, readonly EventObject[], string>(
    async (keys) => {
      const byCluster = new Map<string, PodKey[]>();
      for (const k of keys) byCluster.set(k.cluster, [...(byCluster.get(k.cluster) ?? []), k]);
      const answers = new Map<string, readonly EventObject[] | Error>();
      await Promise.all(
        [...byCluster].map(async ([cluster, clusterKeys]) => {
          try {
            // One pod: its own field-selected LIST; several: the cluster's one LIST (shared with `rawEvents`).
            const events = clusterKeys.length === 1 ? await reader.events(cluster, clusterKeys[0], signal) : await rawEvents.load(cluster);
            for (const k of clusterKeys) {
              answers.set(podKeyId(k), events.filter((e) => e.involvedObject?.namespace === k.namespace && e.involvedObject?.name === k.name));
            }
          } catch (err) {
            for (const k of clusterKeys) answers.set(podKeyId(k), toClusterError(cluster, err));
          }
        }),
      );
      return keys.map((k) => answers.get(podKeyId(k)) ?? []);
    },
    { cacheKeyFn: podKeyId },
  );
  return {
    network: perCluster(async (cluster) => {
      const signals = await reader.signals(cluster, signal);
      return networkOf(signals, await reader.addressing(cluster, signals, signal), cluster);
    }),
    nads,
    rawEvents,
    events: perCluster(async (cluster) => {
      const [raw, clusterNads] = await Promise.all([rawEvents.load(cluster), nads.load(cluster)]);
      return networkEventsOf(raw, cluster, clusterNads, MAX_EVENTS_PER_CLUSTER);
    }),
    podEvents,
    podNodes: perCluster(async (cluster) => {
      const list = await pods.load(cluster);
      return new Map(list.filter((p) => p.spec?.nodeName).map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p.spec!.nodeName!]));
    }),
    pods,
    // One pod of a cluster: one GET; several (in any namespaces): the cluster's one pods LIST.
    pod: new DataLoader<PodKey, TimedPod | null, string>(
      async (keys) => {
        const counts = new Map<string, number>();
        for (const k of keys) counts.set(k.cluster, (counts.get(k.cluster) ?? 0) + 1);
        const indexes = new Map<string, Promise<Map<string, TimedPod>>>();
        const index = (cluster: string) => {
          let found = indexes.get(cluster);
          if (!found) {
            found = pods.load(cluster).then((list) => new Map(list.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p])));
            indexes.set(cluster, found);
          }
          return found;
        };
        return Promise.all(
          keys.map(async (k) => {
            try {
              if (counts.get(k.cluster) === 1) return ((await kube.get<Pod>(Resources.pods).load({ cluster: k.cluster, namespace: k.namespace, name: k.name })) as TimedPod | null);
              return (await index(k.cluster)).get(`${k.namespace}/${k.name}`) ?? null;
            } catch (err) {
              return toClusterError(k.cluster, err);
            }
          }),
        );
      },
      { cacheKeyFn: podKeyId },
    ),
  };
}
