// One cluster's API client: HTTPS over a keep-alive undici Agent whose TLS comes from that cluster's
// KubeConfig, with a per-cluster deadline, concurrency limit and circuit breaker (cockatiel), and a
// health record every call updates. Credentials live only in request headers: never in errors or logs.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { Agent, request, type Dispatcher } from 'undici';
import { ClusterAuth, sameTls, type TlsMaterial } from './auth.js';
import { ClusterError, errorFromResponse, errorFromTransport, notClusterFault, type ClusterErrorCode } from './errors.js';
import type { KubeList, KubeObject, VersionInfo, WatchEvent } from './objects.js';
import {
  apiVersionOf,
  collectionPath,
  listPath,
  objectPath,
  watchPath,
  type ResourceRef,
} from './resources.js';

export interface ClusterHealth {
  /** The last call got an answer from the API server (before any call: false, with lastContact null). */
  reachable: boolean;
  /** Time to the response headers of the last answered call, ms. */
  latencyMs: number | null;
  lastContact: Date | null;
  /** The last call's cluster-level failure (unreachable, timeout, forbidden, 5xx), without credentials; null after a success. */
  error: string | null;
  errorCode: ClusterErrorCode | null;
}

export interface ClusterClientOptions {
  name: string;
  /** API server URL; may carry a path prefix. */
  server: string;
  kubeConfig: KubeConfig;
  /** Deadline of one call (a list includes all its pages), ms. Default 5000. */
  deadlineMs?: number;
  /** Concurrent calls to this cluster; more wait in a queue (within the deadline). Default 8. */
  concurrency?: number;
  /** Consecutive cluster-level failures that open the circuit. Default 5. */
  failuresToOpen?: number;
  /** How long an open circuit refuses calls before one trial call, ms. Default 5000. */
  halfOpenAfterMs?: number;
  /** Page size of lists (`limit`). Default 500. */
  pageSize?: number;
  /** Use this dispatcher instead of a per-cluster Agent (tests). */
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  /** The caller gave up (e.g. the GraphQL request was cancelled). */
  signal?: AbortSignal;
}

export interface ListOptions extends CallOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; every `continue` page is followed. Defaults to the client's pageSize. */
  limit?: number;
}

export interface ListResult<T> {
  items: T[];
  /** The list's resourceVersion: where a watch resumes. */
  resourceVersion: string;
}

export interface WatchOptions extends CallOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  /** Default true. */
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** The stream fails with CLUSTER_TIMEOUT after this long without a byte, ms (half-open TCP). 0 = never. */
  idleTimeoutMs?: number;
}

/** A watch stream: events until the server ends it (iteration ends) or it fails (iteration throws ClusterError). */
export interface WatchStream<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  /** Ends the stream; iteration then ends without error. */
  close(): void;
}

/** The read side of a cluster, as loaders and watch caches use it (tests substitute fakes). */
export interface ClusterReader {
  readonly name: string;
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, options?: ListOptions): Promise<ListResult<T>>;
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, options?: CallOptions): Promise<T | null>;
  watch<T extends KubeObject = KubeObject>(ref: ResourceRef, options?: WatchOptions): Promise<WatchStream<T>>;
  /** The last call's view of the cluster (ClusterClient has it; test fakes may not). */
  readonly health?: ClusterHealth;
  readonly deadlineMs?: number;
}

/** The last call to the cluster failed for a cluster-level reason: cached data may be stale, ask again. */
export function clusterLooksDown(health: ClusterHealth | undefined): boolean {
  return health !== undefined && !health.reachable && health.errorCode !== null;
}

interface Sent {
  status: number;
  body: Dispatcher.ResponseData['body'];
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface SendOptions {
  signal: AbortSignal;
  body?: string;
  contentType?: string;
  accept?: string;
  bodyTimeout?: number;
}

const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
} as const;

/**
 * One TLS context per distinct (CA, client certificate, key), shared by every connection and every
 * cluster that uses it: given `ca`/`cert`/`key`, Node would parse them again for each connection, and
 * a cold fleet query opens several connections per cluster (watches hold their own).
 */
const secureContexts = new Map<string, SecureContext>();
function secureContextFor(tls: TlsMaterial): SecureContext {
  const key = createHash('sha256')
    .update(JSON.stringify([tls.ca ?? null, tls.cert ?? null, tls.key ?? null]))
    .digest('hex');
  let context = secureContexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: tls.ca, cert: tls.cert, key: tls.key });
    secureContexts.set(key, context);
  }
  return context;
}

export class ClusterClient implements ClusterReader {
  readonly name: string;
  readonly deadlineMs: number;
  readonly concurrency: number;
  private readonly baseUrl: string;
  private readonly auth: ClusterAuth;
  private readonly pageSize: number;
  private readonly injectedDispatcher?: Dispatcher;
  private agent?: Agent;
  private agentTls?: TlsMaterial;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policy: IPolicy;
  private readonly failuresToOpen: number;
  private readonly state: ClusterHealth = { reachable: false, latencyMs: null, lastContact: null, error: null, errorCode: null };
  private lastFault?: ClusterError;
  private closed = false;

  constructor(options: ClusterClientOptions) {
    this.name = options.name;
    this.baseUrl = options.server.replace(/\/+$/, '');
    this.auth = new ClusterAuth(options.kubeConfig);
    this.deadlineMs = options.deadlineMs ?? 5000;
    this.concurrency = options.concurrency ?? 8;
    this.pageSize = options.pageSize ?? 500;
    this.injectedDispatcher = options.dispatcher;
    this.failuresToOpen = options.failuresToOpen ?? 5;
    // Only failures that say the cluster is unwell count; a 404 or a bad selector does not.
    const clusterFault = handleWhen((err) => (err instanceof ClusterError ? err.isClusterFault : err instanceof TaskCancelledError));
    this.breaker = circuitBreaker(clusterFault, {
      halfOpenAfter: options.halfOpenAfterMs ?? 5000,
      breaker: new ConsecutiveBreaker(this.failuresToOpen),
    });
    // Outermost breaker, then the deadline (which includes waiting for a concurrency slot), then the slot.
    this.policy = wrap(
      this.breaker,
      timeout(this.deadlineMs, TimeoutStrategy.Aggressive),
      bulkhead(this.concurrency, 10_000),
    );
  }

  /** A snapshot of this cluster's health as the last call saw it. */
  get health(): ClusterHealth {
    return { ...this.state };
  }

  get circuitOpen(): boolean {
    return this.breaker.state === CircuitState.Open || this.breaker.state === CircuitState.Isolated;
  }

  /** Lists every page; items get `apiVersion`/`kind` filled in (the API server omits them in lists). */
  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, options: ListOptions = {}): Promise<ListResult<T>> {
    const limit = options.limit ?? this.pageSize;
    return this.run(async (signal, answered) => {
      for (let attempt = 0; ; attempt++) {
        const items: T[] = [];
        let resourceVersion = '';
        let token: string | undefined;
        try {
          do {
            const path = listPath(ref, options.namespace, {
              labelSelector: options.labelSelector,
              fieldSelector: options.fieldSelector,
              limit,
              continue: token,
            });
            const page = await this.readJson<KubeList<T>>('GET', path, { signal }, answered);
            for (const item of page.items ?? []) items.push(withTypeMeta(ref, item));
            resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
            token = page.metadata?.continue || undefined;
          } while (token);
          return { items, resourceVersion };
        } catch (err) {
          // An expired continue token (410): the collection changed too much while paging. Start over once.
          if (token && attempt === 0 && err instanceof ClusterError && err.httpStatus === 410) continue;
          throw err;
        }
      }
    }, options.signal);
  }

  /** One object, or null when it does not exist (404). */
  async get<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    options: CallOptions = {},
  ): Promise<T | null> {
    return this.run(async (signal, answered) => {
      try {
        return withTypeMeta(ref, await this.readJson<T>('GET', objectPath(ref, namespace, name), { signal }, answered));
      } catch (err) {
        if (err instanceof ClusterError && err.httpStatus === 404) return null;
        throw err;
      }
    }, options.signal);
  }

  /**
   * Any path as text, e.g. a pod proxy to an exporter (see `proxyPath`). Through the proxy, an error
   * answer means the pod failed, not the API server: it counts neither for health nor the breaker.
   */
  async getRaw(path: string, options: CallOptions & { accept?: string } = {}): Promise<string> {
    const proxied = /\/proxy(\/|$|\?)/.test(path);
    return this.run(async (signal, answered) => {
      try {
        return await this.readText('GET', path, { signal, accept: options.accept ?? 'text/plain, */*' }, answered);
      } catch (err) {
        if (!proxied || !(err instanceof ClusterError) || err.httpStatus === undefined) throw err;
        // a 4xx behind the proxy (a real server answers 400 "address not allowed" for some pod IPs) is the
        // pod's or the proxy's refusal, not bad input of the GraphQL user
        throw notClusterFault(err, err.code === 'BAD_USER_INPUT' ? 'UPSTREAM_ERROR' : err.code);
      }
    }, options.signal);
  }

  /** Any path as JSON (e.g. discovery). */
  async getJson<T>(path: string, options: CallOptions = {}): Promise<T> {
    return this.run((signal, answered) => this.readJson<T>('GET', path, { signal }, answered), options.signal);
  }

  async version(options: CallOptions = {}): Promise<VersionInfo> {
    return this.getJson<VersionInfo>('/version', options);
  }

  /** Names of the API groups the server serves (`/apis`), e.g. to tell OpenShift (`config.openshift.io`). */
  async apiGroups(options: CallOptions = {}): Promise<string[]> {
    const body = await this.getJson<{ groups?: { name: string }[] }>('/apis', options);
    return (body.groups ?? []).map((g) => g.name);
  }

  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, object: T, options: CallOptions = {}): Promise<T> {
    const body = JSON.stringify({ apiVersion: apiVersionOf(ref), kind: ref.kind, ...object });
    return this.run(
      (signal, answered) =>
        this.readJson<T>('POST', collectionPath(ref, object.metadata.namespace), { signal, body, contentType: 'application/json' }, answered),
      options.signal,
    );
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: CallOptions & { type?: keyof typeof PATCH_TYPES; subresource?: 'status' } = {},
  ): Promise<T> {
    const path = objectPath(ref, namespace, name) + (options.subresource ? `/${options.subresource}` : '');
    const body = JSON.stringify(patch);
    return this.run(
      (signal, answered) => this.readJson<T>('PATCH', path, { signal, body, contentType: PATCH_TYPES[options.type ?? 'merge'] }, answered),
      options.signal,
    );
  }

  /** Deletes an object; NOT_FOUND when it does not exist. */
  async delete(ref: ResourceRef, namespace: string | undefined, name: string, options: CallOptions = {}): Promise<void> {
    await this.run((signal, answered) => this.readText('DELETE', objectPath(ref, namespace, name), { signal }, answered), options.signal);
  }

  /**
   * Opens a watch (bookmarks requested by default). Not subject to the concurrency limit or the breaker
   * (it holds its connection for minutes); the deadline covers the wait for the response headers.
   */
  async watch<T extends KubeObject = KubeObject>(ref: ResourceRef, options: WatchOptions = {}): Promise<WatchStream<T>> {
    if (this.closed) throw new ClusterError('CLUSTER_UNREACHABLE', this.name, `cluster ${this.name}: client closed`);
    const controller = new AbortController();
    const stop = () => controller.abort();
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.deadlineMs);
    const release = () => options.signal?.removeEventListener('abort', stop);
    const path = watchPath(ref, options.namespace, {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      resourceVersion: options.resourceVersion,
      allowWatchBookmarks: options.allowWatchBookmarks ?? true,
      timeoutSeconds: options.timeoutSeconds,
    });
    const started = performance.now();
    let sent: Sent;
    try {
      sent = await this.send('GET', path, { signal: controller.signal, bodyTimeout: options.idleTimeoutMs ?? 0 });
    } catch (err) {
      clearTimeout(timer);
      release();
      const error = timedOut
        ? this.deadlineError()
        : options.signal?.aborted
          ? new ClusterError('UPSTREAM_ERROR', this.name, `cluster ${this.name}: watch cancelled`)
          : errorFromTransport(this.name, err);
      if (!options.signal?.aborted) this.recordFailure(error);
      throw error;
    }
    clearTimeout(timer);
    const latency = performance.now() - started;
    if (sent.status !== 200) {
      const text = await sent.body.text().catch(() => '');
      release();
      const error = errorFromResponse(this.name, sent.status, text);
      this.recordAnswer(latency, error);
      throw error;
    }
    this.recordAnswer(latency, null);
    return this.eventStream<T>(ref, sent.body, controller, release);
  }

  /**
   * Closes the connections. `graceful`: calls in flight finish first (open watches are cut after
   * `graceMs`); otherwise everything ends now, open watches included.
   */
  async close(options: { graceful?: boolean; graceMs?: number } = {}): Promise<void> {
    this.closed = true;
    const agent = this.agent;
    this.agent = undefined;
    if (!agent) return;
    if (!options.graceful) {
      await agent.destroy().catch(() => undefined);
      return;
    }
    const cut = setTimeout(() => void agent.destroy().catch(() => undefined), options.graceMs ?? 30_000);
    cut.unref();
    await agent.close().catch(() => undefined);
    clearTimeout(cut);
  }

  private eventStream<T extends KubeObject>(
    ref: ResourceRef,
    body: Sent['body'],
    controller: AbortController,
    release: () => void,
  ): WatchStream<T> {
    const cluster = this.name;
    const state = this.state;
    async function* events(): AsyncGenerator<WatchEvent<T>> {
      let buffer = '';
      body.setEncoding('utf8');
      try {
        for await (const chunk of body as AsyncIterable<string>) {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line) yield parseEvent<T>(cluster, ref, line);
          }
          state.lastContact = new Date();
        }
        if (buffer.trim()) yield parseEvent<T>(cluster, ref, buffer.trim());
      } catch (err) {
        if (controller.signal.aborted) return;
        throw err instanceof ClusterError ? err : errorFromTransport(cluster, err);
      } finally {
        release();
        if (!body.destroyed) body.destroy();
      }
    }
    const iterable = events();
    return {
      [Symbol.asyncIterator]: () => iterable,
      close: () => controller.abort(),
    };
  }

  private dispatcherFor(tls: TlsMaterial): Dispatcher {
    if (this.injectedDispatcher) return this.injectedDispatcher;
    if (this.agent && this.agentTls && sameTls(this.agentTls, tls)) return this.agent;
    const previous = this.agent;
    this.agent = new Agent({
      connect: {
        secureContext: secureContextFor(tls),
        servername: tls.servername,
        rejectUnauthorized: tls.rejectUnauthorized,
      },
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
    });
    this.agentTls = tls;
    // Credentials rotated (exec plugin): let requests in flight finish on the old connections.
    void previous?.close().catch(() => undefined);
    return this.agent;
  }

  private async send(method: Method, path: string, options: SendOptions): Promise<Sent> {
    if (this.closed) throw new ClusterError('CLUSTER_UNREACHABLE', this.name, `cluster ${this.name}: client closed`);
    const auth = await this.auth.material();
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      'user-agent': 'fleetgraph',
      ...auth.headers,
    };
    if (options.contentType) headers['content-type'] = options.contentType;
    try {
      const response = await request(this.baseUrl + path, {
        method,
        headers,
        body: options.body,
        signal: options.signal,
        dispatcher: this.dispatcherFor(auth.tls),
        bodyTimeout: options.bodyTimeout,
      });
      return { status: response.statusCode, body: response.body };
    } catch (err) {
      throw errorFromTransport(this.name, err);
    }
  }

  private async readText(method: Method, path: string, options: SendOptions, answered: () => void): Promise<string> {
    const sent = await this.send(method, path, options);
    answered();
    let text: string;
    try {
      text = await sent.body.text();
    } catch (err) {
      throw errorFromTransport(this.name, err);
    }
    if (sent.status < 200 || sent.status > 299) throw errorFromResponse(this.name, sent.status, text);
    return text;
  }

  private async readJson<T>(method: Method, path: string, options: SendOptions, answered: () => void): Promise<T> {
    const text = await this.readText(method, path, options, answered);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ClusterError('UPSTREAM_ERROR', this.name, `cluster ${this.name}: malformed JSON from ${path.split('?')[0]}`);
    }
  }

  /** Runs one call under breaker → deadline → concurrency slot, and records health. */
  private async run<T>(op: (signal: AbortSignal, answered: () => void) => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
    const started = performance.now();
    let answeredAt: number | undefined;
    const answered = () => {
      answeredAt ??= performance.now();
    };
    // A signal of this call's own: cockatiel listens on the signal it is given, and a signal shared by
    // many calls (cockatiel's default, or one request's signal across the fleet) would collect listeners.
    const callSignal = callerSignal ? AbortSignal.any([callerSignal]) : new AbortController().signal;
    try {
      const value = await this.policy.execute(({ signal }) => op(signal, answered), callSignal);
      this.recordAnswer((answeredAt ?? performance.now()) - started, null);
      return value;
    } catch (err) {
      const error = this.classify(err, callerSignal);
      if (callerSignal?.aborted) throw error;
      if (answeredAt !== undefined && error.httpStatus !== undefined) this.recordAnswer(answeredAt - started, error);
      else this.recordFailure(error, err instanceof BrokenCircuitError);
      throw error;
    }
  }

  private classify(err: unknown, callerSignal?: AbortSignal): ClusterError {
    if (err instanceof ClusterError) return err;
    if (err instanceof TaskCancelledError) {
      if (callerSignal?.aborted) return new ClusterError('UPSTREAM_ERROR', this.name, `cluster ${this.name}: request cancelled`);
      return this.deadlineError();
    }
    if (err instanceof BrokenCircuitError) {
      const last = this.lastFault ? `; last failure: ${this.lastFault.message}` : '';
      return new ClusterError(
        'CLUSTER_UNREACHABLE',
        this.name,
        `cluster ${this.name}: not tried, circuit open after ${this.failuresToOpen} consecutive failures${last}`,
      );
    }
    if (err instanceof BulkheadRejectedError) {
      return new ClusterError('UPSTREAM_ERROR', this.name, `cluster ${this.name}: too many queued requests`);
    }
    return errorFromTransport(this.name, err);
  }

  private deadlineError(): ClusterError {
    return new ClusterError('CLUSTER_TIMEOUT', this.name, `cluster ${this.name}: no answer within the ${this.deadlineMs} ms deadline`);
  }

  /** The server answered (possibly with an error status). */
  private recordAnswer(latencyMs: number, error: ClusterError | null): void {
    this.state.reachable = true;
    this.state.latencyMs = Math.round(latencyMs * 10) / 10;
    this.state.lastContact = new Date();
    const counts = error !== null && (error.isClusterFault || error.code === 'FORBIDDEN');
    this.state.error = counts ? error.message : null;
    this.state.errorCode = counts ? error.code : null;
    if (counts) this.lastFault = error;
  }

  /** No answer: unreachable, deadline, or circuit open. */
  private recordFailure(error: ClusterError, circuitOpen = false): void {
    this.state.reachable = false;
    this.state.error = error.message;
    this.state.errorCode = error.code;
    if (!circuitOpen) this.lastFault = error;
  }
}

function withTypeMeta<T extends KubeObject>(ref: ResourceRef, obj: T): T {
  if (obj && typeof obj === 'object' && obj.kind === undefined) {
    obj.apiVersion ??= apiVersionOf(ref);
    obj.kind = ref.kind;
  }
  return obj;
}

function parseEvent<T extends KubeObject>(cluster: string, ref: ResourceRef, line: string): WatchEvent<T> {
  let event: WatchEvent<T>;
  try {
    event = JSON.parse(line) as WatchEvent<T>;
  } catch {
    throw new ClusterError('UPSTREAM_ERROR', cluster, `cluster ${cluster}: malformed watch event`);
  }
  if (event.type !== 'ERROR' && event.type !== 'BOOKMARK' && event.object) withTypeMeta(ref, event.object as T);
  return event;
}
