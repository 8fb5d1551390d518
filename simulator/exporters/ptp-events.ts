// cloud-event-proxy's REST API v2 (O-RAN O-Cloud Notification API, domain-models §1.4) as the
// linuxptp-daemon pod of an events-mode node serves it on :9043, and its subscription store.
// Served only when the cluster's PtpOperatorConfig says ptpEventConfig.apiVersion 2.x; a '1.0' (OCP 4.16)
// proxy answers 404 for every v2 path, an events-off pod has nothing on :9043 (the proxy's 503).
// Subscriptions live with the pod (storageType emptyDir): deleting the daemon pod drops them.
import { randomUUID } from 'node:crypto';
import type { SimCluster } from '../cluster.js';
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import type { ClusterTelemetry } from './telemetry.js';
import { ptpCloudEvent, publisherAddresses, resourceAt } from './ptp-cloud-event.js';
import { unwatchSubscription, watchSubscription } from './ptp-event-push.js';
import { jsonResponse, METHOD_NOT_ALLOWED, NOT_FOUND, TEXT_TYPE, type Answer, type BackendRequest, type ProxyResponse } from './responses.js';

export const EVENTS_API_PATH = '/api/ocloudNotifications/v2';
/** How the proxy names itself in UriLocation (upstream: `http://localhost:<port><apiPath>`). */
const SELF = `http://localhost:9043${EVENTS_API_PATH}`;

/** A subscription as the v2 API writes it. */
export interface PtpSubscription {
  SubscriptionId: string;
  EndpointUri: string;
  UriLocation: string;
  ResourceAddress: string;
}

interface PodEvents {
  node: string;
  subscriptions: Map<string, PtpSubscription>;
  /** Publisher ids, made once per pod as the proxy registers its publishers at start. */
  publisherIds: string[];
}

class ClusterPtpEvents {
  private readonly pods = new Map<string, PodEvents>();

  constructor(private readonly cluster: SimCluster) {
    // emptyDir storage: a deleted pod takes its subscriptions with it (a new pod has a new uid)
    cluster.store.subscribe(K.pods, (event) => {
      if (event.type === 'DELETED') this.dropPod(podKey(event.object));
    });
  }

  of(pod: KubeObject, node: string): PodEvents {
    const key = podKey(pod);
    let events = this.pods.get(key);
    if (!events) {
      events = { node, subscriptions: new Map(), publisherIds: publisherAddresses(node).map(() => randomUUID()) };
      this.pods.set(key, events);
    }
    return events;
  }

  add(events: PodEvents, sub: PtpSubscription): void {
    events.subscriptions.set(sub.SubscriptionId, sub);
    watchSubscription({ cluster: this.cluster, node: events.node, subscription: sub });
  }

  remove(events: PodEvents, id: string): boolean {
    if (!events.subscriptions.delete(id)) return false;
    unwatchSubscription(id);
    return true;
  }

  clear(events: PodEvents): void {
    for (const id of [...events.subscriptions.keys()]) this.remove(events, id);
  }

  private dropPod(key: string): void {
    const events = this.pods.get(key);
    if (!events) return;
    this.clear(events);
    this.pods.delete(key);
  }

  dropAll(): void {
    for (const key of [...this.pods.keys()]) this.dropPod(key);
  }
}

function podKey(pod: KubeObject): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
}

const registry = new WeakMap<SimCluster, ClusterPtpEvents>();

function eventsOf(cluster: SimCluster): ClusterPtpEvents {
  let events = registry.get(cluster);
  if (!events) registry.set(cluster, (events = new ClusterPtpEvents(cluster)));
  return events;
}

/** Forget every subscription of the cluster and stop pushing its events (simulator stop, cluster removed). */
export function dropPtpEvents(cluster: SimCluster): void {
  registry.get(cluster)?.dropAll();
}

const error = (status: number, message: string): ProxyResponse => jsonResponse(status, { error: message });

function parseSubscription(body: Buffer | undefined): { ResourceAddress: string; EndpointUri: string } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body?.toString('utf8') ?? '');
  } catch {
    return 'marshalling error';
  }
  const { ResourceAddress, EndpointUri } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof ResourceAddress !== 'string' || ResourceAddress === '') return 'ResourceAddress is required';
  if (typeof EndpointUri !== 'string' || EndpointUri === '') return 'EndpointUri is required';
  let url: URL;
  try {
    url = new URL(EndpointUri);
  } catch {
    return `EndpointUri "${EndpointUri}" is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `EndpointUri "${EndpointUri}" is not an http(s) URL`;
  return { ResourceAddress, EndpointUri };
}

/** How long the endpoint check waits for the subscriber's answer. */
const ENDPOINT_CHECK_TIMEOUT_MS = 2000;

/**
 * Before subscribing an endpoint the proxy POSTs to it with no body and wants 204 back (rest-api v2
 * `createSubscription`); anything else is a 400 and no subscription. Undefined when the check passed.
 */
async function checkEndpoint(uri: string): Promise<ProxyResponse | undefined> {
  try {
    const res = await fetch(uri, { method: 'POST', headers: { 'Content-Type': 'application/json' }, signal: AbortSignal.timeout(ENDPOINT_CHECK_TIMEOUT_MS) });
    await res.arrayBuffer();
    return res.status === 204 ? undefined : error(400, 'return url validation check failed for create subscription.check endpointURI');
  } catch (err) {
    return error(400, `Post "${uri}": ${(err as Error).message}`);
  }
}

async function createSubscription(store: ClusterPtpEvents, events: PodEvents, body: Buffer | undefined): Promise<ProxyResponse> {
  const input = parseSubscription(body);
  if (typeof input === 'string') return error(400, input);
  if (!resourceAt(events.node, input.ResourceAddress)) return error(404, `resource "${input.ResourceAddress}" not found`);
  const duplicate = () => [...events.subscriptions.values()].some((s) => s.ResourceAddress === input.ResourceAddress && s.EndpointUri === input.EndpointUri);
  if (duplicate()) return error(409, 'subscription already exists');
  const refused = await checkEndpoint(input.EndpointUri);
  if (refused) return refused;
  if (duplicate()) return error(409, 'subscription already exists'); // created while we checked
  const id = randomUUID();
  const sub: PtpSubscription = { SubscriptionId: id, EndpointUri: input.EndpointUri, UriLocation: `${SELF}/subscriptions/${id}`, ResourceAddress: input.ResourceAddress };
  store.add(events, sub);
  return jsonResponse(201, sub);
}

function publishers(events: PodEvents): PtpSubscription[] {
  return publisherAddresses(events.node).map((address, i) => ({
    SubscriptionId: events.publisherIds[i],
    // the proxy registers its publishers with a placeholder endpoint of its own
    EndpointUri: `${SELF}/dummy`,
    UriLocation: `${SELF}/publishers/${events.publisherIds[i]}`,
    ResourceAddress: address,
  }));
}

/** The v2 API of the pod's cloud-event-proxy; undefined when nothing listens on :9043. */
export function servePtpEvents(cluster: SimCluster, tel: ClusterTelemetry, pod: KubeObject, req: BackendRequest): Answer | undefined {
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
  const ptp = tel.ptp(node);
  const config = ptp?.config;
  if (!ptp || !config?.eventsEnabled) return undefined;
  const path = req.url.pathname;
  if (!config.eventsApiVersion?.startsWith('2') || !path.startsWith(`${EVENTS_API_PATH}/`)) return NOT_FOUND;
  const rest = path.slice(EVENTS_API_PATH.length);
  const method = req.method;
  const store = eventsOf(cluster);
  const events = store.of(pod, node);
  const only = (allowed: string, answer: () => ProxyResponse): ProxyResponse => (method === allowed ? answer() : METHOD_NOT_ALLOWED);

  if (rest === '/health') return only('GET', () => ({ status: 200, contentType: TEXT_TYPE, body: 'OK' }));
  if (rest === '/publishers') return only('GET', () => jsonResponse(200, publishers(events)));
  if (rest === '/subscriptions') {
    if (method === 'GET') return jsonResponse(200, [...events.subscriptions.values()]);
    if (method === 'POST') return createSubscription(store, events, req.body);
    if (method === 'DELETE') {
      store.clear(events);
      return { status: 204, contentType: '', body: '' };
    }
    return METHOD_NOT_ALLOWED;
  }
  const byId = /^\/subscriptions\/([^/]+)$/.exec(rest);
  if (byId) {
    const id = decodeURIComponent(byId[1]);
    if (method === 'GET') {
      const sub = events.subscriptions.get(id);
      return sub ? jsonResponse(200, sub) : error(404, 'subscription not found');
    }
    if (method === 'DELETE') return store.remove(events, id) ? { status: 204, contentType: '', body: '' } : error(404, 'subscription not found');
    return METHOD_NOT_ALLOWED;
  }
  if (rest.endsWith('/CurrentState')) {
    // `.../v2/cluster/node/<node>/sync/ptp-status/lock-state/CurrentState`: the address lost its leading slash
    const address = decodeURIComponent(rest.slice(0, -'/CurrentState'.length));
    return only('GET', () => {
      const event = ptpCloudEvent(ptp, address, tel.now());
      return event ? jsonResponse(200, event) : error(404, `resource "${address}" not found`);
    });
  }
  return NOT_FOUND;
}
