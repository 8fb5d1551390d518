// One client WebSocket speaking the graphql-ws protocol (graphql-transport-ws), with the same close
// codes and messages as graphql-ws's own server. We implement the server side here instead of using
// graphql-ws's `useServer` because that runs and serializes every subscription on its own; here a
// group's result is serialized once and written to every member as a pre-built frame, and the
// outbound buffer of each socket is checked before every write (slow consumers are closed).
import type { IncomingMessage } from 'node:http';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType, parseMessage, type Message, type SubscribeMessage } from 'graphql-ws';
import type WebSocket from 'ws';
import type { RawData } from 'ws';
import { log } from '../../lib/log.js';
import type { Authenticate, Authorize, Principal } from './auth.js';
import { SubscriptionErrorCode, WsCloseCode, formatError, subscriptionError } from './errors.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { SubscriptionLimits } from './options.js';
import { checkVariables, prepareSubscription } from './prepare.js';
import type { GroupMember } from './subscription-group.js';
import type { SubscriptionHub } from './subscription-hub.js';

export interface ConnectionDeps {
  hub: SubscriptionHub;
  limits: SubscriptionLimits;
  metrics: SubscriptionMetrics;
  authenticate: Authenticate;
  authorize: Authorize;
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
    this.framePrefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  deliver(payloadJson: string): boolean {
    return this.connection.write(this.framePrefix + payloadJson + '}');
  }

  fail(errors: readonly GraphQLFormattedError[]): void {
    this.connection.endSubscription(this, errors);
  }
}

export class ClientConnection {
  private initReceived = false;
  private acknowledged = false;
  private closed = false;
  private principal: Principal | null = null;
  /** id → subscription; null while the subscription is being prepared/authorized. */
  private readonly subscriptions = new Map<string, ClientSubscription | null>();
  private readonly openedAt = Date.now();
  private idleSince = Date.now();
  private alive = true;
  private initTimer: NodeJS.Timeout | undefined;
  private request: IncomingMessage | null;

  constructor(
    private readonly socket: WebSocket,
    request: IncomingMessage,
    private readonly deps: ConnectionDeps,
  ) {
    this.request = request;
    deps.metrics.add('connections', 1);
    socket.on('close', () => this.cleanup());
    socket.on('error', (err) => log.warn({ err: err.message }, 'subscription client socket error'));
    socket.on('pong', () => {
      this.alive = true;
    });
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      this.close(WsCloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    socket.on('message', (data: RawData) => {
      this.onMessage(data).catch((err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'subscription message handling failed');
        this.close(WsCloseCode.InternalServerError, 'Internal server error');
      });
    });
    const { connectionInitTimeoutMs } = deps.limits;
    if (connectionInitTimeoutMs > 0) {
      this.initTimer = setTimeout(() => {
        if (!this.initReceived) this.close(WsCloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
      }, connectionInitTimeoutMs);
    }
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
  sweep(now: number, pingDue: boolean): void {
    if (this.closed) return;
    const { idleTimeoutMs, maxLifetimeMs } = this.deps.limits;
    if (maxLifetimeMs > 0 && now - this.openedAt >= maxLifetimeMs) {
      this.close(WsCloseCode.GoingAway, 'Maximum connection lifetime reached; reconnect');
      return;
    }
    if (idleTimeoutMs > 0 && this.acknowledged && this.subscriptions.size === 0 && now - this.idleSince >= idleTimeoutMs) {
      this.close(WsCloseCode.NormalClosure, 'Idle timeout');
      return;
    }
    if (pingDue) {
      if (!this.alive) {
        this.socket.terminate();
        return;
      }
      this.alive = false;
      this.socket.ping();
    }
  }

  /**
   * Writes one frame unless the client has stopped reading: a socket whose unsent bytes exceed the
   * limit is closed instead, so a slow client cannot make the gateway buffer without bound.
   */
  write(frame: string): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    if (this.socket.bufferedAmount > this.deps.limits.maxBufferedBytes) {
      this.deps.metrics.count('slowConsumerDisconnects');
      log.warn({ buffered: this.socket.bufferedAmount }, 'closing slow subscription client');
      this.close(WsCloseCode.SlowConsumer, `Slow consumer: more than ${this.deps.limits.maxBufferedBytes} bytes unread`);
      // The close frame waits behind the unread data; do not wait for the client to read it.
      setTimeout(() => this.socket.terminate(), 1_000).unref();
      return false;
    }
    this.socket.send(frame);
    return true;
  }

  /** Ends one subscription with an `error` message (upstream ended, overload, schema reload). */
  endSubscription(subscription: ClientSubscription, errors: readonly GraphQLFormattedError[]): void {
    if (this.subscriptions.get(subscription.id) !== subscription) return;
    this.forget(subscription.id);
    this.deps.hub.leave(subscription);
    this.sendError(subscription.id, errors);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.cleanup();
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  private async onMessage(data: RawData): Promise<void> {
    if (this.closed) return;
    let message: Message;
    try {
      message = parseMessage(String(data));
    } catch {
      this.close(WsCloseCode.BadRequest, 'Invalid message received');
      return;
    }
    switch (message.type) {
      case MessageType.ConnectionInit:
        return this.onConnectionInit(message.payload ?? {});
      case MessageType.Ping:
        this.socket.send(JSON.stringify(message.payload ? { type: MessageType.Pong, payload: message.payload } : { type: MessageType.Pong }));
        return;
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        return this.onSubscribe(message);
      case MessageType.Complete: {
        const subscription = this.subscriptions.get(message.id);
        this.forget(message.id);
        if (subscription) this.deps.hub.leave(subscription);
        return;
      }
      default:
        this.close(WsCloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  private async onConnectionInit(connectionParams: Record<string, unknown>): Promise<void> {
    if (this.initReceived) {
      this.close(WsCloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
      return;
    }
    this.initReceived = true;
    clearTimeout(this.initTimer);
    const request = this.request;
    this.request = null;
    let principal: Principal | null;
    try {
      principal = request ? await this.deps.authenticate({ connectionParams, request }) : null;
    } catch (err) {
      // Never log connectionParams: they carry credentials.
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'subscription authentication failed');
      principal = null;
    }
    if (this.closed) return;
    if (!principal) {
      this.close(WsCloseCode.Forbidden, 'Forbidden');
      return;
    }
    this.principal = principal;
    this.acknowledged = true;
    this.idleSince = Date.now();
    this.socket.send(JSON.stringify({ type: MessageType.ConnectionAck }));
  }

  private async onSubscribe(message: SubscribeMessage): Promise<void> {
    const { id, payload } = message;
    if (!this.acknowledged || !this.principal) {
      this.close(WsCloseCode.Unauthorized, 'Unauthorized');
      return;
    }
    if (this.subscriptions.has(id)) {
      this.close(WsCloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
      return;
    }
    const { limits, metrics, hub } = this.deps;
    if (this.subscriptions.size >= limits.maxSubscriptionsPerConnection) {
      this.reject(id, [
        subscriptionError(
          SubscriptionErrorCode.TOO_MANY_SUBSCRIPTIONS,
          `This connection already has ${limits.maxSubscriptionsPerConnection} subscriptions (the limit).`,
          { limit: 'connection', max: limits.maxSubscriptionsPerConnection },
        ),
      ]);
      return;
    }
    const gatewayFull = () => metrics.value('clientSubscriptions') >= limits.maxSubscriptions;
    const tooManyOnGateway = () =>
      subscriptionError(SubscriptionErrorCode.TOO_MANY_SUBSCRIPTIONS, 'The gateway has reached its subscription limit; try again later.', {
        limit: 'gateway',
      });
    if (gatewayFull()) {
      this.reject(id, [tooManyOnGateway()]);
      return;
    }

    this.subscriptions.set(id, null);
    const variables = (payload.variables ?? {}) as Record<string, unknown>;
    const { prepared, errors } = prepareSubscription(hub.snapshot, payload.query, payload.operationName);
    const problems = prepared ? checkVariables(prepared, variables) : errors;
    if (!prepared || problems.length > 0) {
      this.forget(id);
      this.reject(id, problems);
      return;
    }
    let allowed: boolean | Error;
    try {
      allowed = await this.deps.authorize(this.principal, {
        document: prepared.document,
        operationName: prepared.operationName,
        variables,
        rootField: prepared.rootField,
        subgraph: prepared.primary.serviceName,
      });
    } catch (err) {
      allowed = err instanceof Error ? err : new Error(String(err));
    }
    // The client may have completed the id, or gone away, while we were authorizing.
    if (this.closed || !this.subscriptions.has(id)) return;
    if (allowed instanceof Error) {
      log.error({ err: allowed.message }, 'subscription authorize hook failed');
      this.forget(id);
      this.reject(id, [subscriptionError(SubscriptionErrorCode.INTERNAL_SERVER_ERROR, 'Authorization check failed.')]);
      return;
    }
    if (!allowed) {
      this.forget(id);
      this.reject(id, [subscriptionError(SubscriptionErrorCode.FORBIDDEN, 'Not authorized to run this subscription.')]);
      return;
    }
    if (gatewayFull()) {
      this.forget(id);
      this.reject(id, [tooManyOnGateway()]);
      return;
    }
    const subscription = new ClientSubscription(id, this);
    this.subscriptions.set(id, subscription);
    metrics.add('clientSubscriptions', 1);
    const joinErrors = hub.join(subscription, { prepared, variables, principal: this.principal });
    if (joinErrors) {
      this.forget(id);
      this.sendError(id, joinErrors);
    }
  }

  /** Removes an id from this connection and keeps the gauges and idle clock right. */
  private forget(id: string): void {
    const subscription = this.subscriptions.get(id);
    if (!this.subscriptions.delete(id)) return;
    if (subscription) this.deps.metrics.add('clientSubscriptions', -1);
    if (this.subscriptions.size === 0) this.idleSince = Date.now();
  }

  private reject(id: string, errors: readonly GraphQLError[]): void {
    const formatted = errors.map(formatError);
    this.deps.metrics.countError(String(formatted[0]?.extensions?.code ?? SubscriptionErrorCode.INTERNAL_SERVER_ERROR));
    this.sendError(id, formatted);
  }

  private sendError(id: string, errors: readonly GraphQLFormattedError[]): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ id, type: MessageType.Error, payload: errors }));
  }

  /** Leaves every group; idempotent (runs on close() and on the socket's close event). */
  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.initTimer);
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
