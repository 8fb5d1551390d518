// Per-request DataLoaders of the dpdk subgraph.
//  - Finding DPDK pods: one pods LIST per cluster (shared kube loader), whatever the number of nodes;
//    `Pod.dpdk` for one pod of a cluster is one GET, for several pods of a cluster one LIST.
//  - Telemetry: one pod-proxy read per (pod, command), deduplicated within the request; a port's stats
//    read also feeds the process-wide RateTracker once per request, so rates come from two requests.
import { text } from '../kube/values.js';
import DataLoader from 'dataloader';
import { ClusterError, toClusterError } from '../kube/errors.js';
import type { KubeLoaders } from '../kube/loaders.js';
import { perCluster } from '../kube/per-cluster.js';
import type { Pod } from '../kube/objects.js';
import { Resources } from '../kube/resources.js';
import { podNetworkStatus } from '../kube/multus.js';
import type { PodDpdkModel } from './models.js';
import { sumRates, type RateTracker, type Rates } from './rates.js';
import { telemetryFailure, telemetryPath, type TelemetryReader } from './reader.js';
import { mapPortList, mapStats, STAT_FIELDS, telemetryEndpoint, type StatValues } from './telemetry.js';

export interface PodKey {
  cluster: string;
  namespace: string;
  name: string;
}

export interface PortSample {
  stats: StatValues;
  readAt: string;
  rates: Rates | null;
}

/** Every port of a pod read once: what rankings and pod totals need. */
export interface PodReading {
  ports: { portId: number; sample: PortSample }[];
  totals: StatValues & { readAt: string };
  rates: Rates | null;
}

export interface DpdkLoaders {
  /** The DPDK view of a pod; null when the pod does not exist or carries no exporter. */
  pod: DataLoader<PodKey, PodDpdkModel | null, string>;
  /** Running DPDK pods of a cluster, by namespace and name. */
  clusterPods: DataLoader<string, PodDpdkModel[]>;
  /** One telemetry command's reply value. */
  command: DataLoader<{ pod: PodDpdkModel; command: string }, unknown, string>;
  /** `/ethdev/list` of a pod. */
  ports: DataLoader<PodDpdkModel, number[], string>;
  /** `/ethdev/stats,<port>` with rates against the kept sample. */
  sample: DataLoader<{ pod: PodDpdkModel; portId: number }, PortSample, string>;
  reading: DataLoader<PodDpdkModel, PodReading, string>;
}

export function podId(pod: { clusterName: string; namespace: string; podName: string }): string {
  return JSON.stringify([pod.clusterName, pod.namespace, pod.podName]);
}

/** The DPDK view of a Pod object; null when it carries no telemetry exporter. */
export function toPodDpdk(cluster: string, pod: Pod): PodDpdkModel | null {
  const endpoint = telemetryEndpoint(pod);
  if (!endpoint) return null;
  const namespace = pod.metadata.namespace ?? '';
  return {
    clusterName: cluster,
    namespace,
    podName: pod.metadata.name,
    uid: pod.metadata.uid ?? '',
    nodeName: text(pod.spec?.nodeName),
    marker: endpoint.marker,
    telemetryPort: endpoint.port,
    endpoint: telemetryPath({ cluster, namespace, pod: pod.metadata.name, port: endpoint.port }),
    networks: podNetworkStatus(pod),
  };
}

/** A failure as the batch value of its key, so one pod's failure does not fail the others. */
function settle<T>(cluster: string, work: Promise<T>): Promise<T | ClusterError> {
  return work.catch((err: unknown) => telemetryFailure(cluster, err));
}

function sumStats(list: readonly StatValues[]): StatValues {
  const out = {} as StatValues;
  for (const field of STAT_FIELDS) out[field] = list.reduce((sum, s) => sum + s[field], 0);
  return out;
}

export function createDpdkLoaders(kube: KubeLoaders, reader: TelemetryReader, rates: RateTracker, signal?: AbortSignal): DpdkLoaders {
  const pod = new DataLoader<PodKey, PodDpdkModel | null, string>(
    async (keys) => {
      const byCluster = new Map<string, PodKey[]>();
      for (const k of keys) byCluster.set(k.cluster, [...(byCluster.get(k.cluster) ?? []), k]);
      const found = new Map<string, Pod | null | ClusterError>();
      const id = (k: PodKey) => JSON.stringify([k.cluster, k.namespace, k.name]);
      await Promise.all(
        [...byCluster].map(async ([cluster, clusterKeys]) => {
          try {
            if (clusterKeys.length === 1) {
              const [k] = clusterKeys;
              found.set(id(k), await kube.get<Pod>(Resources.pods).load({ cluster, namespace: k.namespace, name: k.name }));
              return;
            }
            // Several pods of one cluster: one LIST of the cluster's pods (shared with clusterPods).
            const pods = await kube.list<Pod>(Resources.pods).load({ cluster });
            const byName = new Map(pods.map((p) => [JSON.stringify([cluster, p.metadata.namespace ?? '', p.metadata.name]), p]));
            for (const k of clusterKeys) found.set(id(k), byName.get(id(k)) ?? null);
          } catch (err) {
            for (const k of clusterKeys) found.set(id(k), toClusterError(cluster, err));
          }
        }),
      );
      return keys.map((k) => {
        const p = found.get(id(k)) ?? null;
        return p instanceof ClusterError || p === null ? p : toPodDpdk(k.cluster, p);
      });
    },
    { cacheKeyFn: (k) => JSON.stringify([k.cluster, k.namespace, k.name]) },
  );

  const clusterPods = perCluster(async (cluster) => {
    const pods = await kube.list<Pod>(Resources.pods).load({ cluster });
    return pods
      .filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
      .map((p) => toPodDpdk(cluster, p))
      .filter((p): p is PodDpdkModel => p !== null)
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.podName.localeCompare(b.podName));
  });

  const command = new DataLoader<{ pod: PodDpdkModel; command: string }, unknown, string>(
    (keys) =>
      Promise.all(
        keys.map(({ pod: p, command: cmd }) =>
          reader
            .command({ cluster: p.clusterName, namespace: p.namespace, pod: p.podName, port: p.telemetryPort }, cmd, signal)
            .catch((err: unknown) => telemetryFailure(p.clusterName, err)),
        ),
      ),
    { cacheKeyFn: (k) => JSON.stringify([podId(k.pod), k.command]) },
  );

  const ports = new DataLoader<PodDpdkModel, number[], string>(
    (pods) => Promise.all(pods.map((p) => settle(p.clusterName, command.load({ pod: p, command: '/ethdev/list' }).then(mapPortList)))),
    { cacheKeyFn: podId },
  );

  const sample = new DataLoader<{ pod: PodDpdkModel; portId: number }, PortSample, string>(
    (keys) =>
      Promise.all(
        keys.map(({ pod: p, portId }) =>
          settle(
            p.clusterName,
            command.load({ pod: p, command: `/ethdev/stats,${portId}` }).then((reply): PortSample => {
              const stats = mapStats(reply);
              const at = Date.now();
              const key = JSON.stringify([p.clusterName, p.namespace, p.podName, p.uid, portId]);
              return { stats, readAt: new Date(at).toISOString(), rates: rates.record(key, { at, stats }) };
            }),
          ),
        ),
      ),
    { cacheKeyFn: (k) => JSON.stringify([podId(k.pod), k.portId]) },
  );

  const reading = new DataLoader<PodDpdkModel, PodReading, string>(
    (pods) =>
      Promise.all(
        pods.map((p) =>
          settle(
            p.clusterName,
            (async (): Promise<PodReading> => {
              const ids = await ports.load(p);
              const samples = await Promise.all(ids.map(async (portId) => ({ portId, sample: await sample.load({ pod: p, portId }) })));
              const readAt = samples.map((s) => s.sample.readAt).sort().at(-1) ?? new Date().toISOString();
              return {
                ports: samples,
                totals: { ...sumStats(samples.map((s) => s.sample.stats)), readAt },
                rates: sumRates(samples.map((s) => s.sample.rates)),
              };
            })(),
          ),
        ),
      ),
    { cacheKeyFn: podId },
  );

  return { pod, clusterPods, command, ports, sample, reading };
}
