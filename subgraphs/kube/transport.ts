// HTTPS to one API server: undici requests over the cluster's connections (connections.ts: one HTTP/2
// connection when the server offers it, else a keep-alive HTTP/1.1 pool) whose TLS (CA, client
// certificate) and headers (token, basic auth, impersonation) come from the cluster's KubeConfig
// (ClusterAuth), and the answer read as text or JSON. No policy here (deadline, breaker, health: resilience.ts). Credentials
// live only in request headers: never in errors or logs.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';
import { request, type Dispatcher } from 'undici';
import { ClusterAuth, sameTls, type TlsMaterial } from './auth.js';
import { ClusterConnections, type ConnectionStats } from './connections.js';
import { SpanKind, inSpan, injectTraceContext } from '../../lib/tracing.js';
import { ClusterError, errorFromResponse, errorFromTransport } from './errors.js';
import { kubeMetrics } from './kube-metrics.js';
import { requestShape } from './request-shape.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SendOptions {
  signal: AbortSignal;
  body?: string;
  contentType?: string;
  accept?: string;
  /** The answer fails after this long without a byte of its body, ms (0 = never). */
  bodyTimeout?: number;
}

/** The status and the unread body of an answer. */
export interface Sent {
  status: number;
  body: Dispatcher.ResponseData['body'];
}

export const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
} as const;

/**
 * One TLS context per distinct (CA, client certificate, key), shared by every connection and every
 * cluster that uses it: given `ca`/`cert`/`key`, Node would parse them again for each connection (and
 * the simulator's clusters, like a fleet behind one CA, share one).
 */
const secureContexts = new Map<string, SecureContext>();
export function secureContextFor(tls: TlsMaterial): SecureContext {
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

export interface TransportOptions {
  /** Offer HTTP/2 to the API server (default true); false = HTTP/1.1 only. */
  http2?: boolean;
}

export class ClusterTransport {
  private readonly baseUrl: string;
  private readonly auth: ClusterAuth;
  private agent?: ClusterConnections;
  private agentTls?: TlsMaterial;
  private closed = false;
  /** Connections of agents replaced since (rotated credentials), so the counts never go back. */
  private readonly replaced = { opened: 0, retired: 0, pingsAnswered: 0, goaways: 0 };

  constructor(
    private readonly cluster: string,
    /** API server URL; may carry a path prefix. */
    server: string,
    kubeConfig: KubeConfig,
    /** Use this dispatcher instead of the cluster's own connections (tests). */
    private readonly injectedDispatcher?: Dispatcher,
    private readonly options: TransportOptions = {},
  ) {
    this.baseUrl = server.replace(/\/+$/, '');
    this.auth = new ClusterAuth(kubeConfig);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The cluster's connections: protocol, open now, opened so far (each a TLS handshake). */
  connectionStats(): ConnectionStats {
    const now = this.agent?.stats() ?? { protocol: null, open: 0, opened: 0, retired: 0, pingsAnswered: 0, goaways: 0 };
    const r = this.replaced;
    return { ...now, opened: now.opened + r.opened, retired: now.retired + r.retired, pingsAnswered: now.pingsAnswered + r.pingsAnswered, goaways: now.goaways + r.goaways };
  }

  closedError(): ClusterError {
    return new ClusterError('CLUSTER_UNREACHABLE', this.cluster, `cluster ${this.cluster}: client closed`);
  }

  /**
   * Sends one request; the body is left to the caller. Transport failures are ClusterErrors. Counted
   * and timed (to the response headers) by cluster, verb and kind, and traced as a client span with
   * the path template, never the path (kube-metrics.ts, request-shape.ts).
   */
  async send(method: Method, path: string, options: SendOptions): Promise<Sent> {
    if (this.closed) throw this.closedError();
    const shape = requestShape(method, path);
    const attributes = { 'http.request.method': method, 'url.template': shape.template, 'fleetgraph.cluster': this.cluster, 'k8s.verb': shape.verb, 'k8s.kind': shape.kind };
    return inSpan(`${method} ${shape.template}`, attributes, async (span) => {
      const auth = await this.auth.material();
      const headers: Record<string, string> = {
        accept: options.accept ?? 'application/json',
        'user-agent': 'fleetgraph',
        ...auth.headers,
      };
      if (options.contentType) headers['content-type'] = options.contentType;
      injectTraceContext(headers);
      const started = performance.now();
      try {
        const response = await request(this.baseUrl + path, {
          method,
          headers,
          body: options.body,
          signal: options.signal,
          dispatcher: this.dispatcherFor(auth.tls),
          bodyTimeout: options.bodyTimeout,
        });
        kubeMetrics.request(this.cluster, shape.verb, shape.kind, response.statusCode, (performance.now() - started) / 1000);
        span?.setAttribute('http.response.status_code', response.statusCode);
        if (response.statusCode >= 400) span?.setStatus({ code: 2 });
        return { status: response.statusCode, body: response.body };
      } catch (err) {
        kubeMetrics.request(this.cluster, shape.verb, shape.kind, 0, undefined);
        throw errorFromTransport(this.cluster, err);
      }
    }, SpanKind.CLIENT);
  }

  /** The answer's text; a non-2xx answer is its coded ClusterError. `answered` is called when the headers arrive. */
  async readText(method: Method, path: string, options: SendOptions, answered: () => void): Promise<string> {
    const sent = await this.send(method, path, options);
    answered();
    let text: string;
    try {
      text = await sent.body.text();
    } catch (err) {
      throw errorFromTransport(this.cluster, err);
    }
    if (sent.status < 200 || sent.status > 299) throw errorFromResponse(this.cluster, sent.status, text);
    return text;
  }

  async readJson<T>(method: Method, path: string, options: SendOptions, answered: () => void): Promise<T> {
    const text = await this.readText(method, path, options, answered);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ClusterError('UPSTREAM_ERROR', this.cluster, `cluster ${this.cluster}: malformed JSON from ${path.split('?')[0]}`);
    }
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

  private dispatcherFor(tls: TlsMaterial): Dispatcher {
    if (this.injectedDispatcher) return this.injectedDispatcher;
    if (this.agent && this.agentTls && sameTls(this.agentTls, tls)) return this.agent;
    const previous = this.agent;
    this.agent = new ClusterConnections({
      origin: new URL(this.baseUrl).origin,
      secureContext: secureContextFor(tls),
      servername: tls.servername,
      rejectUnauthorized: tls.rejectUnauthorized,
      http2: this.options.http2,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
    });
    if (previous) {
      const before = previous.stats();
      for (const key of ['opened', 'retired', 'pingsAnswered', 'goaways'] as const) this.replaced[key] += before[key];
    }
    this.agentTls = tls;
    // Credentials rotated (exec plugin): let requests in flight finish on the old connections.
    void previous?.close().catch(() => undefined);
    return this.agent;
  }
}
