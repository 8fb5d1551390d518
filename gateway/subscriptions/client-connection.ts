// One client WebSocket of the subscription server: its socket (keep-alive, idle timeout, maximum
// lifetime, the slow-consumer check before every write), its subscriptions as members of groups, and
// the wiring of its two other jobs: the graphql-ws protocol (ws-protocol.ts) and admission
// (admission.ts: authenticate, quotas, validation, authorize). We implement the server side instead of
// using graphql-ws's `useServer` because that runs and serializes every subscription on its own; here
// a group's result is serialized once and written to every member as a pre-built frame.
import type { IncomingMessage } from 'node:http';
import type { DocumentNode, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type WebSocket from 'ws';
import type { RawData } from 'ws';
import { log } from '../../lib/log.js';
import { audit, summarize, type AuditRecord } from '../audit.js';
import { AuthenticationRefused } from '../auth/refused.js';
import type { SubscriptionAdmission } from './admission.js';
import type { Principal } from './auth.js';
import { SubscriptionErrorCode, WsCloseCode, formatError } from './errors.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { SubscriptionLimits } from './options.js';
import type { EventFrames, GroupMember } from './subscription-group.js';
import type { SubscriptionHub } from './subscription-hub.js';
import { GraphQLWsProtocol, nextFramePrefix, type InitRefusal, type ProtocolHandler, type ProtocolTransport } from './ws-protocol.js';

/** A WebSocket close reason is at most 123 bytes. */
const closeReason = (message: string) => (Buffer.byteLength(message) <= 123 ? message : `${Buffer.from(message).subarray(0, 120).toString()}…`);

export interface ConnectionDeps {
  hub: SubscriptionHub;
  limits: SubscriptionLimits;
  metrics: SubscriptionMetrics;
  admission: SubscriptionAdmission;
  onClosed: (connection: ClientConnection) => void;
}

/** One subscription of this connection, as a member of a group. */
class ClientSubscription implements GroupMember {
  /** JSON-encoded id, computed once: every frame to this subscription starts with it. */
  private readonly framePrefix: string;

  constructor(
    readonly id: string,
    private readonly connection: ClientConnection,
  ) {
    this.framePrefix = nextFramePrefix(id);
  }

  deliver(event: EventFrames): boolean {
    return this.connection.write(event.frame(this.framePrefix));
  }

  fail(errors: readonly GraphQLFormattedError[]): void {
    this.connection.endSubscription(this, errors);
  }
}

export class ClientConnection implements ProtocolHandler, ProtocolTransport {
  private closed = false;
  private principal: Principal | null = null;
  /** id → subscription; null while the subscription is being prepared/authorized. */
  private readonly subscriptions = new Map<string, ClientSubscription | null>();
  private readonly openedAt = Date.now();
  private idleSince = Date.now();
  private alive = true;
  /**
   * This connection's next keep-alive ping. Each connection keeps its own phase (the first ping at a
   * random point of the first interval), so 10,000 connections are not pinged in one loop, and 10,000
   * pongs do not come back at once, while an event is being written to them.
   */
  private nextPingAt: number;
  private request: IncomingMessage | null;
  private readonly protocol: GraphQLWsProtocol;
  private readonly remote: string | undefined;

  constructor(
    private readonly socket: WebSocket,
    request: IncomingMessage,
    private readonly deps: ConnectionDeps,
  ) {
    this.request = request;
    this.nextPingAt = this.openedAt + Math.random() * deps.limits.keepAliveMs;
    this.remote = request.socket.remoteAddress;
    deps.metrics.add('connections', 1);
    socket.on('close', () => this.cleanup());
    socket.on('error', (err) => log.warn({ err: err.message }, 'subscription client socket error'));
    socket.on('pong', () => {
      this.alive = true;
    });
    const acceptsProtocol = GraphQLWsProtocol.accepts(socket.protocol);
    this.protocol = new GraphQLWsProtocol(this, this, acceptsProtocol ? deps.limits.connectionInitTimeoutMs : 0);
    if (!acceptsProtocol) {
      this.close(WsCloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    socket.on('message', (data: RawData) => {
      this.protocol.receive(String(data)).catch((err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'subscription message handling failed');
        this.close(WsCloseCode.InternalServerError, 'Internal server error');
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get activeSubscriptions(): number {
    return this.subscriptions.size;
  }

  /**
   * Called periodically by the server: keep-alive pings, idle timeout, maximum lifetime.
   * One sweep for all connections instead of three timers per connection.
   */
  sweep(now: number): void {
    if (this.closed) return;
    const { idleTimeoutMs, maxLifetimeMs } = this.deps.limits;
    if (maxLifetimeMs > 0 && now - this.openedAt >= maxLifetimeMs) {
      this.close(WsCloseCode.GoingAway, 'Maximum connection lifetime reached; reconnect');
      return;
    }
    // The credential expired, or the access policy changed what it grants: its subscriptions end now.
    const principal = this.principal;
    if (principal?.expiresAt !== undefined && now >= principal.expiresAt) {
      this.refuseOpen(WsCloseCode.Unauthorized, 'UNAUTHENTICATED', 'The token has expired; reconnect with a new one.');
      return;
    }
    if (principal && !this.deps.admission.stillValid(principal)) {
      this.refuseOpen(WsCloseCode.Forbidden, 'FORBIDDEN', 'The access policy changed; reconnect.');
      return;
    }
    if (idleTimeoutMs > 0 && this.protocol.acknowledged && this.subscriptions.size === 0 && now - this.idleSince >= idleTimeoutMs) {
      this.close(WsCloseCode.NormalClosure, 'Idle timeout');
      return;
    }
    if (this.deps.limits.keepAliveMs > 0 && now >= this.nextPingAt) {
      if (!this.alive) {
        this.socket.terminate();
        return;
      }
      this.alive = false;
      this.nextPingAt = now + this.deps.limits.keepAliveMs;
      this.socket.ping();
    }
  }

  /**
   * Writes one frame unless the client has stopped reading: a socket whose unsent bytes exceed the
   * limit is closed instead, so a slow client cannot make the gateway buffer without bound. The frame
   * is text, or already UTF-8 encoded (a shared event frame: sent as a text message all the same).
   */
  write(frame: string | Buffer): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    if (this.socket.bufferedAmount > this.deps.limits.maxBufferedBytes) {
      this.deps.metrics.count('slowConsumerDisconnects');
      log.warn({ buffered: this.socket.bufferedAmount }, 'closing slow subscription client');
      this.close(WsCloseCode.SlowConsumer, `Slow consumer: more than ${this.deps.limits.maxBufferedBytes} bytes unread`);
      // The close frame waits behind the unread data; do not wait for the client to read it.
      setTimeout(() => this.socket.terminate(), 1_000).unref();
      return false;
    }
    this.socket.send(frame, { binary: false });
    return true;
  }

  /** A control frame (ack, pong, error): not subject to the slow-consumer check, like graphql-ws's server. */
  send(frame: string): void {
    if (!this.closed && this.socket.readyState === this.socket.OPEN) this.socket.send(frame);
  }

  /** Ends one subscription with an `error` message (upstream ended, overload, schema reload). */
  endSubscription(subscription: ClientSubscription, errors: readonly GraphQLFormattedError[]): void {
    if (this.subscriptions.get(subscription.id) !== subscription) return;
    this.forget(subscription.id);
    this.deps.hub.leave(subscription);
    this.protocol.sendError(subscription.id, errors);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.cleanup();
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  // ProtocolHandler: what the graphql-ws messages mean for this connection.

  async onInit(connectionParams: Record<string, unknown>): Promise<true | InitRefusal> {
    const request = this.request;
    this.request = null;
    const principal = await this.deps.admission.authenticate(connectionParams, request);
    if (principal instanceof AuthenticationRefused) {
      audit(this.auditRecord({ code: principal.code, reason: principal.message }), { closeCode: principal.closeCode, outcome: 'refused' });
      return { code: principal.closeCode, reason: closeReason(principal.message) };
    }
    if (this.closed) return { code: WsCloseCode.Forbidden, reason: 'Forbidden' };
    this.principal = principal;
    this.idleSince = Date.now();
    return true;
  }

  hasOperation(id: string): boolean {
    return this.subscriptions.has(id);
  }

  onComplete(id: string): void {
    const subscription = this.subscriptions.get(id);
    this.forget(id);
    if (subscription) this.deps.hub.leave(subscription);
  }

  async onSubscribe(id: string, payload: SubscribePayload): Promise<void> {
    const principal = this.principal!; // set before the protocol acknowledged the connection
    const { admission, metrics, hub } = this.deps;
    const overQuota = admission.quota(this.subscriptions.size);
    if (overQuota) {
      this.reject(id, [overQuota], payload);
      return;
    }
    this.subscriptions.set(id, null);
    const prepared = admission.prepare(payload);
    if (prepared.kind === 'refused') {
      this.forget(id);
      this.reject(id, prepared.errors, payload, prepared.document);
      return;
    }
    const decision = await admission.authorize(principal, prepared, () => !this.closed && this.subscriptions.has(id));
    if (decision.kind === 'abandoned') return;
    if (decision.kind === 'refused') {
      this.forget(id);
      this.reject(id, decision.errors, payload, prepared.prepared.document);
      return;
    }
    const subscription = new ClientSubscription(id, this);
    this.subscriptions.set(id, subscription);
    metrics.add('clientSubscriptions', 1);
    const joinErrors = hub.join(subscription, { prepared: decision.prepared, variables: decision.variables, principal });
    if (joinErrors) {
      this.forget(id);
      this.protocol.sendError(id, joinErrors);
    }
  }

  /** Removes an id from this connection and keeps the gauges and idle clock right. */
  private forget(id: string): void {
    const subscription = this.subscriptions.get(id);
    if (!this.subscriptions.delete(id)) return;
    if (subscription) this.deps.metrics.add('clientSubscriptions', -1);
    if (this.subscriptions.size === 0) this.idleSince = Date.now();
  }

  private reject(id: string, errors: readonly GraphQLError[], payload?: SubscribePayload, document?: DocumentNode): void {
    const formatted = errors.map(formatError);
    const code = String(formatted[0]?.extensions?.code ?? SubscriptionErrorCode.INTERNAL_SERVER_ERROR);
    this.deps.metrics.countError(code);
    const operation = document && summarize(document, payload?.operationName, (payload?.variables ?? {}) as Record<string, unknown>);
    audit(this.auditRecord({ code, reason: formatted[0]?.message, operation }), { outcome: 'refused' });
    this.protocol.sendError(id, formatted);
  }

  private auditRecord(fields: Partial<AuditRecord>): AuditRecord {
    return { entrance: 'ws', subject: this.principal?.subject, remote: this.remote, ...fields };
  }

  /** Ends the connection (and its subscriptions) because its principal no longer holds. */
  private refuseOpen(closeCode: number, code: string, reason: string): void {
    audit(this.auditRecord({ code, reason }), { closeCode, outcome: 'refused' });
    this.close(closeCode, reason);
  }

  /** Leaves every group; idempotent (runs on close() and on the socket's close event). */
  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.protocol.stop();
    this.request = null;
    for (const [id, subscription] of this.subscriptions) {
      this.subscriptions.delete(id);
      if (subscription) {
        this.deps.metrics.add('clientSubscriptions', -1);
        this.deps.hub.leave(subscription);
      }
    }
    this.deps.metrics.add('connections', -1);
    this.deps.onClosed(this);
  }
}
