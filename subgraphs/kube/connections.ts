// The connections to one API server, as client-go keeps them: HTTP/2 when the server offers it (ALPN),
// so every call and every watch of the cluster shares one TLS connection (one handshake, ~46 KiB of
// native TLS state instead of one per open watch); HTTP/1.1 otherwise, with a pool of keep-alive
// connections (a watch holds one of its own).
//
// undici's Pool cannot be told the protocol before it connects: a burst of calls on a cold cluster
// would open one connection each. So the first call connects through an h2-capable Client while the
// calls that arrive meanwhile wait here; the server's ALPN answer then sends them (and every later call)
// to that Client's one HTTP/2 connection, or to an HTTP/1.1 Pool. After a failed connection the next
// waiting call tries again (and fails with the client's error if it cannot connect either).
//
// A stuck HTTP/2 connection heals like an HTTP/1.1 one: on HTTP/1.1 a call abandoned at its deadline
// closes its socket, so the next call dials afresh; on HTTP/2 it only resets its stream and the session
// stays. So calls that end without an answer are counted, and after STUCK_AFTER of them in a row with no
// answer between, the connection is asked for an HTTP/2 PING, as client-go's health check does: the
// server's framer answers a PING at once however busy its handlers are, so an answer means the server
// is slow, not the connection stuck (the calls' own deadlines and the breaker deal with that). No answer
// within the ping timeout: the connection is retired and the next call opens a new one; watches on it
// end and their reflectors re-list on the new connection.
//
// A GOAWAY from the server (shutting down, or rebalancing as kube-apiserver's --goaway-chance does) is
// handled here, not by undici: undici 7's handler fails only the first call in flight and replays the
// others on a new connection while the old stream may still answer them, and on a client already
// destroyed it trips an assertion inside the session's event handler, which ends the process. Here the
// connection is dropped like a retired one (its calls fail with a retryable error, as undici's own
// handler fails them by destroying the socket) and the next call dials a new one.
import type { ClientHttp2Session } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { SecureContext } from 'node:tls';
import { Client, Dispatcher, Pool, buildConnector, errors } from 'undici';

export type WireProtocol = 'h2' | 'http/1.1';

export interface ConnectionStats {
  /** What the server agreed on the last connection (null before the first one). */
  protocol: WireProtocol | null;
  /** TLS (or TCP) connections open now. */
  open: number;
  /** Connections opened so far: each one a TLS handshake. */
  opened: number;
  /** HTTP/2 connections dropped because calls on them went unanswered (STUCK_AFTER in a row). */
  retired: number;
  /** PINGs answered by connections whose calls went unanswered (a busy server, not a stuck connection). */
  pingsAnswered: number;
  /** HTTP/2 connections the server ended with a GOAWAY. */
  goaways: number;
}

export interface ClusterConnectionsOptions {
  /** `https://host:port` of the API server. */
  origin: string;
  secureContext: SecureContext;
  servername?: string;
  rejectUnauthorized: boolean;
  /** Offer HTTP/2 (default true); false = HTTP/1.1 only, as `DISABLE_HTTP2` does for client-go. */
  http2?: boolean;
  keepAliveTimeout?: number;
  keepAliveMaxTimeout?: number;
  /** Time to connect (TCP + TLS), ms. Default 10,000. */
  connectTimeout?: number;
  /** How long a PING to a connection whose calls went unanswered may take before it is retired, ms. Default 10,000. */
  pingTimeout?: number;
}

/** Calls in flight on one HTTP/2 connection: below what API servers allow (Go's default, 250). */
const MAX_STREAMS = 128;

/** Calls in a row that ended without an answer (deadline, reset) before an HTTP/2 connection is retired. */
export const STUCK_AFTER = 3;

/**
 * The HTTP/2 session undici runs on a socket it was given (it keeps it under a symbol of that name);
 * undefined if a later undici keeps it elsewhere (then an unanswered connection is retired unasked).
 */
function sessionOf(socket: object | undefined): ClientHttp2Session | undefined {
  if (!socket) return undefined;
  const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'http2Session');
  const session = key && (socket as Record<symbol, unknown>)[key];
  return session && typeof (session as ClientHttp2Session).ping === 'function' ? (session as ClientHttp2Session) : undefined;
}

/** undici's handler methods, both APIs (legacy onHeaders… and onResponseStart…). */
const HANDLER_METHODS = [
  'onConnect', 'onUpgrade', 'onHeaders', 'onData', 'onComplete', 'onError', 'onBodySent', 'onRequestSent', 'onResponseStarted',
  'onRequestStart', 'onRequestUpgrade', 'onResponseStart', 'onResponseData', 'onResponseEnd', 'onResponseError',
] as const;

/** The same handler, telling `answered` when the response starts and `unanswered` when the call ends before it. */
function observed(handler: Dispatcher.DispatchHandler, answered: () => void, unanswered: () => void): Dispatcher.DispatchHandler {
  const h = handler as unknown as Record<string, (...args: unknown[]) => unknown>;
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of HANDLER_METHODS) if (typeof h[name] === 'function') out[name] = (...args) => h[name](...args);
  let started = false;
  const start = (name: 'onHeaders' | 'onResponseStart' | 'onUpgrade' | 'onRequestUpgrade') => {
    if (!out[name]) return;
    out[name] = (...args) => {
      if (!started) answered();
      started = true;
      return h[name](...args);
    };
  };
  const fail = (name: 'onError' | 'onResponseError') => {
    if (!out[name]) return;
    out[name] = (...args) => {
      if (!started) unanswered();
      started = true;
      return h[name](...args);
    };
  };
  start('onHeaders'); start('onResponseStart'); start('onUpgrade'); start('onRequestUpgrade');
  fail('onError'); fail('onResponseError');
  return out as unknown as Dispatcher.DispatchHandler;
}

type Held = [Dispatcher.DispatchOptions, Dispatcher.DispatchHandler];

/** Tells a handler its call failed, whichever of undici's handler APIs it implements. */
function failHandler(handler: Dispatcher.DispatchHandler, err: Error): void {
  if (handler.onResponseError) handler.onResponseError({ abort() {}, pause() {}, resume() {}, paused: false, aborted: true, reason: err } as unknown as Dispatcher.DispatchController, err);
  else handler.onError?.(err);
}

/**
 * On HTTP/2 every stream stands alone, so a write (POST, PATCH) need not wait for the calls beside it.
 * undici holds a non-idempotent request until nothing else is in flight on the client — with a watch
 * open on the shared connection that is forever. Marking it idempotent only lifts that hold (undici
 * itself never retries a call).
 */
function h2Independent(options: Dispatcher.DispatchOptions): Dispatcher.DispatchOptions {
  return options.idempotent === true ? options : { ...options, idempotent: true };
}

export class ClusterConnections extends Dispatcher {
  private mode: WireProtocol | 'unknown';
  /** The h2-capable client is connecting and we will hear how (through its connector). */
  private connecting = false;
  private held: Held[] = [];
  private client: Client;
  private http1?: Pool;
  private readonly counts: ConnectionStats = { protocol: null, open: 0, opened: 0, retired: 0, pingsAnswered: 0, goaways: 0 };
  private closed = false;
  /** HTTP/2 calls in a row that ended without an answer (reset by any answer). */
  private unanswered = 0;
  /** The h2 client's current socket (its session answers PINGs) and whether a PING is out. */
  private socket?: object;
  private pinging = false;
  private readonly http2: boolean;

  constructor(private readonly options: ClusterConnectionsOptions) {
    super();
    const https = new URL(options.origin).protocol === 'https:';
    this.http2 = (options.http2 ?? true) && https;
    this.mode = this.http2 ? 'unknown' : 'http/1.1';
    this.client = this.newClient();
  }

  private newClient(): Client {
    const options = this.options;
    const http2 = this.http2;
    const tls = { secureContext: options.secureContext, servername: options.servername, rejectUnauthorized: options.rejectUnauthorized };
    const base = buildConnector({ ...tls, allowH2: http2, timeout: options.connectTimeout ?? 10_000 });
    const client: Client = new Client(options.origin, {
      connect: (opts, callback) =>
        base(opts, (err, socket) => {
          if (err || !socket) {
            // The client fails what it holds first; the next waiting call then starts a new connection.
            callback(err ?? new Error('no socket'), null);
            this.verdict(null);
            return;
          }
          this.track(socket);
          this.socket = socket;
          this.verdict((socket as TLSSocket).alpnProtocol === 'h2' ? 'h2' : 'http/1.1');
          callback(null, socket);
          // undici has started its HTTP/2 session on the socket (synchronously, in the callback).
          this.takeGoAway(client, sessionOf(socket));
        }),
      allowH2: http2,
      // Streams in flight on the one HTTP/2 connection (undici's default of 1 would serialise them);
      // while the protocol is unknown the client is given one call only, so HTTP/1.1 never pipelines.
      pipelining: http2 ? MAX_STREAMS : 1,
      keepAliveTimeout: options.keepAliveTimeout,
      keepAliveMaxTimeout: options.keepAliveMaxTimeout,
    });
    return client;
  }

  /** The session's GOAWAY is handled by goneAway instead of undici (see the header). */
  private takeGoAway(client: Client, session: ClientHttp2Session | undefined): void {
    if (!session) return;
    session.removeAllListeners('goaway');
    session.on('goaway', (code: number) => this.goneAway(client, code));
  }

  /** The server sent GOAWAY on this client's connection: later calls go to a new connection, this one ends. */
  private goneAway(client: Client, code: number): void {
    if (client === this.client && !this.closed) {
      this.counts.goaways++;
      this.replaceClient();
    }
    void client.destroy(new errors.InformationalError(`HTTP/2: "GOAWAY" frame received with code ${code}`)).catch(() => undefined);
  }

  /** The next call dials a new connection. */
  private replaceClient(): void {
    this.unanswered = 0;
    this.socket = undefined;
    this.client = this.newClient();
  }

  stats(): ConnectionStats {
    return { ...this.counts };
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.mode === 'h2') return this.dispatchH2(options, handler);
    if (this.mode === 'http/1.1') return this.pool().dispatch(options, handler);
    if (!this.connecting) {
      this.connecting = true;
      return this.client.dispatch(options, handler);
    }
    this.held.push([options, handler]);
    return true;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const done = this.shutdown((d) => d.close());
    if (!callback) return done;
    void done.then(callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    const err = typeof errOrCallback === 'function' ? null : (errOrCallback ?? null);
    const cb = typeof errOrCallback === 'function' ? errOrCallback : callback;
    const done = this.shutdown((d) => d.destroy(err));
    if (!cb) return done;
    void done.then(cb);
  }

  /** The server answered the connection with this protocol (null: the connection failed). */
  private verdict(protocol: WireProtocol | null): void {
    if (protocol) this.counts.protocol = protocol;
    // A server that stops offering h2 (a proxy put in front) moves every later call to HTTP/1.1 connections.
    if (protocol === 'http/1.1' || (protocol === 'h2' && this.mode === 'unknown')) this.mode = protocol;
    if (this.mode === 'unknown') {
      // The connection failed: the next waiting call tries again (the client fails it if it cannot connect).
      const next = this.held.shift();
      this.connecting = next !== undefined;
      if (next) this.forward(...next);
      return;
    }
    this.connecting = false;
    const held = this.held;
    this.held = [];
    for (const [options, handler] of held) this.forward(options, handler);
  }

  private forward(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    try {
      if (this.mode === 'http/1.1') this.pool().dispatch(options, handler);
      else if (this.mode === 'h2') this.dispatchH2(options, handler);
      else this.client.dispatch(options, handler);
    } catch (err) {
      failHandler(handler, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private dispatchH2(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const client = this.client;
    const watched = observed(
      handler,
      () => {
        if (client === this.client) this.unanswered = 0;
      },
      () => {
        if (client === this.client && ++this.unanswered >= STUCK_AFTER) this.checkAlive(client);
      },
    );
    return client.dispatch(h2Independent(options), watched);
  }

  /** A PING on the connection the last calls went unanswered on: answered, it stays; else it is retired. */
  private checkAlive(client: Client): void {
    if (this.pinging) return;
    const session = sessionOf(this.socket);
    if (!session || session.destroyed || session.closed) return this.retire(client);
    this.pinging = true;
    let settled = false;
    const settle = (alive: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.pinging = false;
      if (client !== this.client) return;
      if (alive) {
        this.unanswered = 0;
        this.counts.pingsAnswered++;
      } else this.retire(client);
    };
    const timer = setTimeout(() => settle(false), this.options.pingTimeout ?? 10_000);
    timer.unref();
    try {
      if (!session.ping((err) => settle(!err))) settle(false);
    } catch {
      settle(false);
    }
  }

  /** Drops the HTTP/2 connection every recent call went unanswered on; the next call dials a new one. */
  private retire(stuck: Client): void {
    if (this.closed || stuck !== this.client) return;
    this.counts.retired++;
    this.replaceClient();
    void stuck.destroy(new Error('HTTP/2 connection retired: calls on it went unanswered')).catch(() => undefined);
  }

  private pool(): Pool {
    if (!this.http1) {
      const o = this.options;
      const base = buildConnector({ secureContext: o.secureContext, servername: o.servername, rejectUnauthorized: o.rejectUnauthorized, timeout: o.connectTimeout ?? 10_000 });
      this.http1 = new Pool(o.origin, {
        connect: (opts, callback) =>
          base(opts, (err, socket) => {
            if (socket) {
              this.track(socket);
              this.counts.protocol ??= 'http/1.1';
            }
            if (err) callback(err, null);
            else callback(null, socket!);
          }),
        keepAliveTimeout: o.keepAliveTimeout,
        keepAliveMaxTimeout: o.keepAliveMaxTimeout,
      });
      if (this.closed) void this.http1.close();
    }
    return this.http1;
  }

  private track(socket: { once(event: 'close', listener: () => void): unknown }): void {
    this.counts.opened++;
    this.counts.open++;
    socket.once('close', () => {
      this.counts.open--;
    });
  }

  private async shutdown(end: (d: Dispatcher) => Promise<void>): Promise<void> {
    this.closed = true;
    // Calls still waiting for the first connection go to the client, which now finishes or fails them.
    const held = this.held;
    this.held = [];
    for (const [options, handler] of held) this.forward(options, handler);
    await Promise.all([end(this.client), this.http1 ? end(this.http1) : undefined].map((p) => p?.catch(() => undefined)));
  }
}
