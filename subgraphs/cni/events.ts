// The feed behind `podNetworkEvent`: the shared watch cache of pod Events per cluster (one LIST+WATCH per
// cluster whatever the number of subscribers; it resumes after 410 Gone and dropped watches, and its
// listeners are bounded, see kube/watch-cache.ts), and one process-wide feed that correlates each change
// once for every subscriber: the NAD it names (the shared NAD cache) and, for Events that name no host
// (Multus, OVN-Kubernetes), the pod's node (one pod GET, remembered in a bounded LRU). A repeat of an
// Event (count up) is delivered as the same Event again; the initial list is not delivered.
import { LRUCache } from 'lru-cache';
import { log } from '../../lib/log.js';
import { eventIterator } from '../kube/async-queue.js';
import type { ClusterReader } from '../kube/client.js';
import { Resources } from '../kube/resources.js';
import type { FleetChange } from '../kube/watch-cache-registry.js';
import type { CniEventCategory, PodNetworkEventModel } from './models.js';
import { correlatePodNetworkEvent, isPodNetworkEvent } from './pod-events.js';
import { POD_EVENTS_SELECTOR, type CniReader } from './reader.js';
import { mapNads } from './sources.js';
import type { EventObject, TimedPod } from './upstream.js';

export interface PodNetworkEventFilter {
  cluster?: string | null;
  namespace?: string | null;
  categories?: readonly CniEventCategory[] | null;
}

type Listener = (event: PodNetworkEventModel) => void;

/** Pods' nodes seen recently (a pod keeps its node for its whole life). */
const NODE_CACHE = { max: 10_000, ttl: 10 * 60_000 };

export class PodNetworkEventFeed {
  private readonly fleetListeners = new Set<Listener>();
  private readonly clusterListeners = new Map<string, Set<Listener>>();
  private readonly detachers = new Map<string, () => void>();
  private readonly nodes = new LRUCache<string, string>(NODE_CACHE);
  /** Changes of one cluster are correlated in arrival order. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly reader: CniReader,
    private readonly clients: { client(name: string): ClusterReader },
  ) {}

  /**
   * Subscribes `listener` to one cluster's (or, with null, every cluster's, including clusters that join
   * later) pod-network Events. Throws NOT_FOUND for an unknown cluster. Returns the unsubscribe function.
   */
  subscribe(cluster: string | null, listener: Listener): () => void {
    const key = cluster ?? '*';
    if (cluster === null) this.fleetListeners.add(listener);
    else {
      const set = this.clusterListeners.get(cluster) ?? new Set();
      set.add(listener);
      this.clusterListeners.set(cluster, set);
    }
    if (!this.detachers.has(key)) {
      try {
        this.detachers.set(key, cluster === null ? this.attachFleet() : this.attachCluster(cluster));
      } catch (err) {
        this.unsubscribe(cluster, listener);
        throw err;
      }
    }
    return () => this.unsubscribe(cluster, listener);
  }

  private unsubscribe(cluster: string | null, listener: Listener): void {
    const key = cluster ?? '*';
    const set = cluster === null ? this.fleetListeners : this.clusterListeners.get(cluster);
    set?.delete(listener);
    if (set && set.size === 0) {
      if (cluster !== null) this.clusterListeners.delete(cluster);
      this.detachers.get(key)?.();
      this.detachers.delete(key);
    }
  }

  private attachFleet(): () => void {
    return this.reader.caches.subscribe<EventObject>(Resources.events, (change) => this.onChange(change, this.fleetListeners), {
      scope: { fieldSelector: POD_EVENTS_SELECTOR },
    });
  }

  private attachCluster(cluster: string): () => void {
    const cache = this.reader.eventCache(cluster);
    return cache.on('change', (_object, _old, change) => {
      if (!change.initial) this.onChange({ ...change, cluster }, this.clusterListeners.get(cluster) ?? new Set());
    });
  }

  private onChange(change: FleetChange<EventObject>, listeners: ReadonlySet<Listener>): void {
    if (change.type === 'delete' || !isPodNetworkEvent(change.object)) return;
    const previous = this.queues.get(change.cluster) ?? Promise.resolve();
    const next = previous
      .then(() => this.correlate(change.cluster, change.object))
      .then((event) => {
        for (const listener of listeners) listener(event);
      })
      .catch((err: unknown) => log.warn({ cluster: change.cluster, err: (err as Error).message }, 'cni: a pod-network event could not be correlated'));
    this.queues.set(change.cluster, next);
    void next.finally(() => {
      if (this.queues.get(change.cluster) === next) this.queues.delete(change.cluster);
    });
  }

  /** Correlates one Event with the cluster's NADs and its pod's node (each best effort: the Event still goes out). */
  private async correlate(cluster: string, object: EventObject): Promise<PodNetworkEventModel> {
    const nads = await this.reader.nads(cluster).then(
      (items) => mapNads(cluster, items),
      () => [],
    );
    const io = object.involvedObject ?? {};
    const podKey = `${cluster}/${io.namespace ?? ''}/${io.name ?? ''}`;
    let node = object.source?.host || this.nodes.get(podKey) || null;
    if (!node && io.name) {
      const pod = await this.clients
        .client(cluster)
        .get<TimedPod>(Resources.pods, io.namespace, io.name)
        .catch(() => null);
      node = pod?.spec?.nodeName ?? null;
      if (node) this.nodes.set(podKey, node);
    }
    return correlatePodNetworkEvent(object, { clusterName: cluster, nads, podNodeName: node })!;
  }
}

/** The events of one subscription, filtered; for an unknown cluster, subscribe throws NOT_FOUND. */
export function podNetworkEvents(feed: PodNetworkEventFeed, filter: PodNetworkEventFilter, options: { signal?: AbortSignal } = {}): AsyncIterableIterator<PodNetworkEventModel> {
  const categories = filter.categories?.length ? new Set(filter.categories) : null;
  return eventIterator<PodNetworkEventModel>(
    (push) =>
      feed.subscribe(filter.cluster ?? null, (event) => {
        if (filter.namespace && event.namespace !== filter.namespace) return;
        if (categories && !categories.has(event.category)) return;
        push(event);
      }),
    { signal: options.signal, maxBuffered: 1000 },
  );
}
