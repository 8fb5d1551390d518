// PTP events pushed by each node's cloud-event-proxy (O-RAN O-Cloud Notification API v2, REST on the
// linuxptp-daemon pod's :9043) as a doorbell for the PTP feed: while a cluster's feed runs, each node's
// sync-state, lock-state, os-clock-sync-state and clock-class publishers are subscribed with an
// EndpointUri on this subgraph (`<CALLBACK_BASE_URL>/ptp-events/<token>`, the token unguessable and
// one per cluster); a POST there wakes the cluster's poll, which reads the state the usual way. So a
// GM loss reaches subscribers within a read, not up to a poll interval, and the poll stays the one
// source of truth: a lost or late event costs at most one poll interval, a forged one a read.
//
// Registration goes through the API server's pod proxy (POST/DELETE pods/proxy, i.e. create/delete on
// `pods/proxy`), after each poll for the nodes not yet registered with their current daemon pod:
// subscriptions live with the pod (emptyDir storage), so a new pod UID means register again. Only
// clusters whose PtpOperatorConfig enables the event publisher with the v2 API (apiVersion 2.x; the
// legacy 1.0 API is served by a sidecar in the consumer's own pod) are asked. Several replicas behind one
// callback URL share their tokens through `relay` (event-push-relay.ts). A failed registration is retried after
// `retryAfterMs`; meanwhile the cluster is polled as before. Subscriptions to our callback base with a
// token no longer held (a process that did not stop cleanly) are deleted when a node registers.
import { randomBytes } from 'node:crypto';
import { log } from '../../lib/log.js';
import type { ClusterClient } from '../kube/client.js';
import type { Pod } from '../kube/objects.js';
import { proxyPath } from '../kube/resources.js';
import type { EventPushRelay } from './event-push-relay.js';
import type { PtpObjects } from './models.js';
import { PTP_NAMESPACE } from './upstream.js';

/** The cloud-event-proxy REST API v2 on the daemon pod. */
export const EVENT_API_PORT = 9043;
const API_BASE = '/api/ocloudNotifications/v2';

/** The publishers the feed's events come from, per node (domain-models §1.4). */
export function publisherAddresses(node: string): string[] {
  const base = `/cluster/node/${node}`;
  return [`${base}/sync/sync-status/sync-state`, `${base}/sync/ptp-status/lock-state`, `${base}/sync/sync-status/os-clock-sync-state`, `${base}/sync/ptp-status/clock-class`];
}

/** Whether a cluster's operator publishes events on the v2 REST API. */
export function publishesV2(objects: PtpObjects): boolean {
  const events = objects.operatorConfig?.spec?.ptpEventConfig;
  return events?.enableEventPublisher === true && /^[2-9]/.test(events.apiVersion ?? '');
}

export interface EventPushOptions {
  client(cluster: string): ProxyClient;
  /** The base URL clusters post to (no trailing slash); read when registering, so `self` can resolve after listen. */
  callbackBaseUrl: () => string;
  /** An event arrived for `cluster`. */
  onEvent: (cluster: string) => void;
  /** Pause before a node whose registration failed is tried again, ms. Default 30000. */
  retryAfterMs?: number;
  /** Shares the tokens with the other replicas behind the same callback URL (event-push-relay.ts). */
  relay?: EventPushRelay;
  now?: () => number;
}

type PodRef = { namespace: string; name: string };
type ProxyClient = Pick<ClusterClient, 'sendRaw'>;

interface NodeRegistration {
  podUid: string;
  pod: PodRef;
  /** SubscriptionIds, once registered. */
  ids: string[];
  failedAt?: number;
  pending: boolean;
}

interface ClusterRegistration {
  token: string;
  nodes: Map<string, NodeRegistration>;
  /** When the relay last heard this replica claim the token (renewed hourly; retried after each poll until it did). */
  claimedAt?: number;
  claiming?: boolean;
}

const RECLAIM_MS = 3_600_000;

interface SubscriptionInfo {
  SubscriptionId?: string;
  EndpointUri?: string;
  ResourceAddress?: string;
}

export interface EventPushStats {
  clusters: number;
  nodesRegistered: number;
  registrationFailures: number;
  eventsReceived: number;
  /** Events for another replica's token, passed on through the relay. */
  eventsRelayed: number;
  unknownTokens: number;
}

export class PtpEventPush {
  private readonly clusters = new Map<string, ClusterRegistration>();
  private readonly byToken = new Map<string, string>();
  private readonly retryAfterMs: number;
  private readonly now: () => number;
  private counts = { registrationFailures: 0, eventsReceived: 0, eventsRelayed: 0, unknownTokens: 0 };
  private readonly releasing = new Set<Promise<void>>();

  constructor(private readonly options: EventPushOptions) {
    this.retryAfterMs = options.retryAfterMs ?? 30_000;
    this.now = options.now ?? Date.now;
    options.relay?.onForward((token) => {
      if (this.wakeHolder(token)) this.counts.eventsReceived++;
    });
  }

  /** After a poll of `cluster`: registers the nodes whose daemon pod has no subscriptions yet (not awaited by the poll). */
  reconcile(cluster: string, objects: PtpObjects, daemonPods: ReadonlyMap<string, Pod>): void {
    if (!publishesV2(objects)) return void this.release(cluster);
    let reg = this.clusters.get(cluster);
    if (!reg) {
      reg = { token: randomBytes(24).toString('base64url'), nodes: new Map() };
      this.clusters.set(cluster, reg);
      this.byToken.set(reg.token, cluster);
    }
    const relay = this.options.relay;
    if (relay && !reg.claiming && (reg.claimedAt === undefined || this.now() - reg.claimedAt > RECLAIM_MS)) {
      const claim = reg;
      claim.claiming = true;
      void relay.claim(claim.token).then((ok) => {
        claim.claiming = false;
        if (ok) claim.claimedAt = this.now();
        // Released while the claim was on its way: take it back.
        if (this.clusters.get(cluster) !== claim) void relay.release(claim.token);
      });
    }
    for (const node of [...reg.nodes.keys()]) if (!daemonPods.has(node)) reg.nodes.delete(node); // pod gone: its subscriptions went with it
    for (const [node, pod] of daemonPods) {
      const uid = pod.metadata.uid ?? pod.metadata.name;
      const known = reg.nodes.get(node);
      if (known?.podUid === uid && (known.pending || known.ids.length > 0)) continue;
      if (known?.podUid === uid && known.failedAt !== undefined && this.now() - known.failedAt < this.retryAfterMs) continue;
      const entry: NodeRegistration = { podUid: uid, pod: { namespace: pod.metadata.namespace ?? PTP_NAMESPACE, name: pod.metadata.name }, ids: [], pending: true };
      reg.nodes.set(node, entry);
      void this.register(cluster, reg, node, entry);
    }
  }

  /** The cluster's feed stopped: its subscriptions are deleted (best effort) and its token forgotten. */
  release(cluster: string): Promise<void> {
    const reg = this.clusters.get(cluster);
    if (!reg) return Promise.resolve();
    this.clusters.delete(cluster);
    this.byToken.delete(reg.token);
    const unclaimed = this.options.relay?.release(reg.token);
    const client = this.options.client(cluster);
    const deletions = [...reg.nodes.values()].flatMap((n) => n.ids.map((id) => this.deleteSubscription(client, n.pod, id, cluster)));
    const done = Promise.all([...deletions, unclaimed]).then(() => undefined);
    this.releasing.add(done);
    void done.finally(() => this.releasing.delete(done));
    return done;
  }

  /**
   * A POST to `/ptp-events/<token>`: `local` when this replica holds the token (its cluster's poll wakes),
   * `relayed` when another replica does (told through the relay), undefined for a token nobody holds.
   */
  async receive(token: string): Promise<'local' | 'relayed' | undefined> {
    if (this.wakeHolder(token)) {
      this.counts.eventsReceived++;
      return 'local';
    }
    if (this.options.relay && (await this.options.relay.forward(token))) {
      this.counts.eventsRelayed++;
      return 'relayed';
    }
    this.counts.unknownTokens++;
    return undefined;
  }

  /** Whether this replica, or another one through the relay, holds `token`. */
  async knows(token: string): Promise<boolean> {
    return this.byToken.has(token) || ((await this.options.relay?.claimed(token)) ?? false);
  }

  /** Wakes the cluster of `token` if this replica holds it. */
  private wakeHolder(token: string): boolean {
    const cluster = this.byToken.get(token);
    if (cluster === undefined) return false;
    this.options.onEvent(cluster);
    return true;
  }

  /** The EndpointUri a cluster's subscriptions carry (tests, status). */
  endpointOf(cluster: string): string | undefined {
    const reg = this.clusters.get(cluster);
    return reg && this.endpoint(reg.token);
  }

  stats(): EventPushStats {
    let nodesRegistered = 0;
    for (const reg of this.clusters.values()) for (const n of reg.nodes.values()) if (n.ids.length > 0) nodesRegistered++;
    return { clusters: this.clusters.size, nodesRegistered, ...this.counts };
  }

  /** Deletes every subscription still registered, and waits for the deletions already under way. */
  async stop(): Promise<void> {
    for (const cluster of [...this.clusters.keys()]) void this.release(cluster);
    await Promise.all([...this.releasing]);
  }

  private endpoint(token: string): string {
    return `${this.options.callbackBaseUrl()}/ptp-events/${token}`;
  }

  private path(pod: PodRef, rest: string): string {
    return proxyPath({ namespace: pod.namespace, name: pod.name, port: EVENT_API_PORT, path: `${API_BASE}${rest}` });
  }

  private async listSubscriptions(client: ProxyClient, pod: PodRef): Promise<SubscriptionInfo[]> {
    const list = JSON.parse(await client.sendRaw('GET', this.path(pod, '/subscriptions'), { accept: 'application/json' })) as unknown;
    return Array.isArray(list) ? (list as SubscriptionInfo[]) : [];
  }

  /** Best effort: a subscription that cannot be deleted now is the proxy's to drop with the pod. */
  private deleteSubscription(client: ProxyClient, pod: PodRef, id: string, cluster: string): Promise<void> {
    return client
      .sendRaw('DELETE', this.path(pod, `/subscriptions/${encodeURIComponent(id)}`), { accept: 'application/json' })
      .then(
        () => undefined,
        (err) => log.debug({ cluster, err: (err as Error).message }, 'ptp events: could not delete a subscription'),
      );
  }

  private async register(cluster: string, reg: ClusterRegistration, node: string, entry: NodeRegistration): Promise<void> {
    const client = this.options.client(cluster);
    const endpointUri = this.endpoint(reg.token);
    const ids: string[] = [];
    try {
      // One list per registration: it finds what an earlier process of ours left behind (same callback
      // base, a token nobody holds: each would cost the proxy a POST per event, answered 404), and the
      // ids of ours a lost answer hides (the 409 below).
      const existing = await this.listSubscriptions(client, entry.pod);
      const prefix = this.endpoint('');
      for (const s of existing) {
        if (s.SubscriptionId && s.EndpointUri?.startsWith(prefix) && s.EndpointUri !== endpointUri && !this.byToken.has(s.EndpointUri.slice(prefix.length))) {
          await client.sendRaw('DELETE', this.path(entry.pod, `/subscriptions/${encodeURIComponent(s.SubscriptionId)}`), { accept: 'application/json' });
        }
      }
      for (const address of publisherAddresses(node)) {
        const body = JSON.stringify({ ResourceAddress: address, EndpointUri: endpointUri });
        try {
          const created = JSON.parse(await client.sendRaw('POST', this.path(entry.pod, '/subscriptions'), { body, contentType: 'application/json', accept: 'application/json' })) as SubscriptionInfo;
          if (created.SubscriptionId) ids.push(created.SubscriptionId);
        } catch (err) {
          // 409: this endpoint already holds it (an answer we lost): its id, so release can delete it.
          if ((err as { httpStatus?: number }).httpStatus !== 409) throw err;
          const found = existing.find((s) => s.EndpointUri === endpointUri && s.ResourceAddress === address);
          if (found?.SubscriptionId) ids.push(found.SubscriptionId);
        }
      }
      entry.ids = ids;
      entry.failedAt = undefined;
    } catch (err) {
      this.counts.registrationFailures++;
      entry.failedAt = this.now();
      // All or nothing: what did get registered is deleted, and the next try registers every publisher.
      for (const id of ids) void this.deleteSubscription(client, entry.pod, id, cluster);
      log.debug({ cluster, node, err: (err as Error).message, retryInMs: this.retryAfterMs }, 'ptp events: registration failed; polling only');
    } finally {
      entry.pending = false;
    }
    // Released while registering: nothing may outlive the feed.
    if (this.clusters.get(cluster) !== reg) for (const id of entry.ids) void this.deleteSubscription(client, entry.pod, id, cluster);
  }
}
