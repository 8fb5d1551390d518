// One cluster's API client, composed as client-go composes its REST client: a transport (HTTPS over
// one HTTP/2 connection, or keep-alive HTTP/1.1 ones, with the cluster's TLS and credentials: transport.ts), a resilience policy
// (breaker, deadline, bulkhead: resilience.ts) that records the cluster's health (health.ts), and watch
// streams (watch-stream.ts). This file is the Kubernetes API on top: list (every page), get, raw and
// JSON reads, create, patch, delete, watch.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import type { ConnectionStats } from './connections.js';
import { ClusterError, notClusterFault } from './errors.js';
import { HealthRecord, type ClusterHealth } from './health.js';
import type { KubeList, KubeObject, KubeStatus, VersionInfo } from './objects.js';
import { ClusterPolicy, type ResilienceOptions } from './resilience.js';
import { apiVersionOf, collectionPath, listPath, objectPath, watchPath, withQuery, withTypeMeta, type ResourceRef } from './resources.js';
import { ClusterTransport, PATCH_TYPES, type Method } from './transport.js';
import { openWatch, type WatchStream } from './watch-stream.js';

export { clusterLooksDown, type ClusterHealth } from './health.js';
export type { WatchStream } from './watch-stream.js';

export interface ClusterClientOptions extends ResilienceOptions {
  name: string;
  /** API server URL; may carry a path prefix. */
  server: string;
  kubeConfig: KubeConfig;
  /** Page size of lists (`limit`). Default 500. */
  pageSize?: number;
  /** Use this dispatcher instead of the cluster's own connections (tests). */
  dispatcher?: Dispatcher;
  /** Offer HTTP/2 to the API server (default true: one connection for every call and watch); false = HTTP/1.1 only. */
  http2?: boolean;
}

export interface CallOptions {
  /** The caller gave up (e.g. the GraphQL request was cancelled). */
  signal?: AbortSignal;
}

export interface WriteOptions extends CallOptions {
  /** `dryRun=All`: the server validates and answers as it would, and stores nothing. */
  dryRun?: boolean;
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

function withDryRun(path: string, options: WriteOptions): string {
  return options.dryRun ? withQuery(path, { dryRun: 'All' }) : path;
}

export class ClusterClient implements ClusterReader {
  readonly name: string;
  private readonly pageSize: number;
  private readonly transport: ClusterTransport;
  private readonly healthRecord = new HealthRecord();
  private readonly policy: ClusterPolicy;

  constructor(options: ClusterClientOptions) {
    this.name = options.name;
    this.pageSize = options.pageSize ?? 500;
    this.transport = new ClusterTransport(options.name, options.server, options.kubeConfig, options.dispatcher, { http2: options.http2 });
    this.policy = new ClusterPolicy(options.name, this.healthRecord, options);
  }

  get deadlineMs(): number {
    return this.policy.deadlineMs;
  }

  get concurrency(): number {
    return this.policy.concurrency;
  }

  /** A snapshot of this cluster's health as the last call saw it. */
  get health(): ClusterHealth {
    return this.healthRecord.snapshot();
  }

  get circuitOpen(): boolean {
    return this.policy.circuitOpen;
  }

  /** This cluster's connections: the protocol the server agreed, how many are open, how many were opened (TLS handshakes). */
  connectionStats(): ConnectionStats {
    return this.transport.connectionStats();
  }

  /** Lists every page; items get `apiVersion`/`kind` filled in (the API server omits them in lists). */
  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, options: ListOptions = {}): Promise<ListResult<T>> {
    const limit = options.limit ?? this.pageSize;
    return this.policy.run(async (signal, answered) => {
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
            const page = await this.transport.readJson<KubeList<T>>('GET', path, { signal }, answered);
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
    return this.policy.run(async (signal, answered) => {
      try {
        return withTypeMeta(ref, await this.transport.readJson<T>('GET', objectPath(ref, namespace, name), { signal }, answered));
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
    return this.sendRaw('GET', path, options);
  }

  /**
   * Any method on any path, as text: a write to a pod's own API through the proxy (e.g. a
   * cloud-event-proxy subscription), same error rules as `getRaw`.
   */
  async sendRaw(method: Method, path: string, options: CallOptions & { accept?: string; body?: string; contentType?: string } = {}): Promise<string> {
    const proxied = /\/proxy(\/|$|\?)/.test(path);
    const send = { accept: options.accept ?? 'text/plain, */*', body: options.body, contentType: options.contentType };
    return this.policy.run(async (signal, answered) => {
      try {
        return await this.transport.readText(method, path, { signal, ...send }, answered);
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
    return this.policy.run((signal, answered) => this.transport.readJson<T>('GET', path, { signal }, answered), options.signal);
  }

  async version(options: CallOptions = {}): Promise<VersionInfo> {
    return this.getJson<VersionInfo>('/version', options);
  }

  /** Names of the API groups the server serves (`/apis`), e.g. to tell OpenShift (`config.openshift.io`). */
  async apiGroups(options: CallOptions = {}): Promise<string[]> {
    const body = await this.getJson<{ groups?: { name: string }[] }>('/apis', options);
    return (body.groups ?? []).map((g) => g.name);
  }

  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, object: T, options: WriteOptions = {}): Promise<T> {
    const body = JSON.stringify({ apiVersion: apiVersionOf(ref), kind: ref.kind, ...object });
    const path = withDryRun(collectionPath(ref, object.metadata.namespace), options);
    return this.policy.run((signal, answered) => this.transport.readJson<T>('POST', path, { signal, body, contentType: 'application/json' }, answered), options.signal);
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: WriteOptions & { type?: keyof typeof PATCH_TYPES; subresource?: 'status' } = {},
  ): Promise<T> {
    const path = withDryRun(objectPath(ref, namespace, name) + (options.subresource ? `/${options.subresource}` : ''), options);
    const body = JSON.stringify(patch);
    return this.policy.run(
      (signal, answered) => this.transport.readJson<T>('PATCH', path, { signal, body, contentType: PATCH_TYPES[options.type ?? 'merge'] }, answered),
      options.signal,
    );
  }

  /**
   * Deletes an object; NOT_FOUND when it does not exist. Answers what the server answered: the object
   * (still there with `deletionTimestamp` while finalizers hold it) or a Status.
   */
  async delete(ref: ResourceRef, namespace: string | undefined, name: string, options: WriteOptions = {}): Promise<KubeObject | KubeStatus | null> {
    const path = withDryRun(objectPath(ref, namespace, name), options);
    const text = await this.policy.run((signal, answered) => this.transport.readText('DELETE', path, { signal }, answered), options.signal);
    try {
      return JSON.parse(text) as KubeObject | KubeStatus;
    } catch {
      return null;
    }
  }

  /**
   * Opens a watch (bookmarks requested by default). Not subject to the concurrency limit or the breaker
   * (it holds its connection for minutes); the deadline covers the wait for the response headers.
   */
  async watch<T extends KubeObject = KubeObject>(ref: ResourceRef, options: WatchOptions = {}): Promise<WatchStream<T>> {
    return openWatch<T>({
      cluster: this.name,
      ref,
      path: watchPath(ref, options.namespace, {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: options.allowWatchBookmarks ?? true,
        timeoutSeconds: options.timeoutSeconds,
      }),
      transport: this.transport,
      health: this.healthRecord,
      deadlineMs: this.policy.deadlineMs,
      deadlineError: () => this.policy.deadlineError(),
      idleTimeoutMs: options.idleTimeoutMs,
      signal: options.signal,
    });
  }

  /**
   * Closes the connections. `graceful`: calls in flight finish first (open watches are cut after
   * `graceMs`); otherwise everything ends now, open watches included.
   */
  close(options: { graceful?: boolean; graceMs?: number } = {}): Promise<void> {
    return this.transport.close(options);
  }
}
