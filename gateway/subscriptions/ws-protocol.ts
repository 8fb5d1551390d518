// The graphql-ws protocol (graphql-transport-ws) as a server speaks it, with the same close codes and
// reasons as graphql-ws's own server: message parsing and validation (graphql-ws's parser), the
// connection state machine (awaiting init → initialising → acknowledged), ping/pong, the init timeout,
// and the encoding of outbound messages. What a connection_init or a subscribe *means* (who is this,
// may they run it) is the handler's business (client-connection.ts, admission.ts).
import type { GraphQLFormattedError } from 'graphql';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType, parseMessage, type Message, type SubscribePayload } from 'graphql-ws';
import { WsCloseCode } from './errors.js';

export type ProtocolState = 'awaiting-init' | 'initialising' | 'acknowledged';

/** How the protocol reaches the socket. */
export interface ProtocolTransport {
  /** Sends a control frame (ack, pong, error) if the socket is open. */
  send(frame: string): void;
  close(code: number, reason: string): void;
  readonly isClosed: boolean;
}

/** What the connection does with the protocol's messages. */
export interface ProtocolHandler {
  /** connection_init: true acknowledges the connection, false refuses it (4403 Forbidden). */
  onInit(connectionParams: Record<string, unknown>): Promise<boolean>;
  /** A subscribe after the ack, with an id this connection does not use. */
  onSubscribe(id: string, payload: SubscribePayload): Promise<void>;
  onComplete(id: string): void;
  /** Whether an id is in use (running, or still being admitted). */
  hasOperation(id: string): boolean;
}

/** `{"id":…,"type":"next","payload":` — every `next` frame of one subscription starts with it. */
export function nextFramePrefix(id: string): string {
  return `{"id":${JSON.stringify(id)},"type":"next","payload":`;
}

export function errorFrame(id: string, errors: readonly GraphQLFormattedError[]): string {
  return JSON.stringify({ id, type: MessageType.Error, payload: errors });
}

export class GraphQLWsProtocol {
  private current: ProtocolState = 'awaiting-init';
  private initTimer: NodeJS.Timeout | undefined;

  /** The subprotocol a client must ask for; anything else is closed with 4406. */
  static accepts(subprotocol: string): boolean {
    return subprotocol === GRAPHQL_TRANSPORT_WS_PROTOCOL;
  }

  constructor(
    private readonly transport: ProtocolTransport,
    private readonly handler: ProtocolHandler,
    connectionInitTimeoutMs: number,
  ) {
    if (connectionInitTimeoutMs > 0) {
      this.initTimer = setTimeout(() => {
        if (this.current === 'awaiting-init') this.transport.close(WsCloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
      }, connectionInitTimeoutMs);
    }
  }

  get state(): ProtocolState {
    return this.current;
  }

  get acknowledged(): boolean {
    return this.current === 'acknowledged';
  }

  /** One inbound text frame. */
  async receive(data: string): Promise<void> {
    if (this.transport.isClosed) return;
    let message: Message;
    try {
      message = parseMessage(data);
    } catch {
      this.transport.close(WsCloseCode.BadRequest, 'Invalid message received');
      return;
    }
    switch (message.type) {
      case MessageType.ConnectionInit:
        return this.onConnectionInit(message.payload ?? {});
      case MessageType.Ping:
        this.transport.send(JSON.stringify(message.payload ? { type: MessageType.Pong, payload: message.payload } : { type: MessageType.Pong }));
        return;
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        if (!this.acknowledged) {
          this.transport.close(WsCloseCode.Unauthorized, 'Unauthorized');
          return;
        }
        if (this.handler.hasOperation(message.id)) {
          this.transport.close(WsCloseCode.SubscriberAlreadyExists, `Subscriber for ${message.id} already exists`);
          return;
        }
        return this.handler.onSubscribe(message.id, message.payload);
      case MessageType.Complete:
        this.handler.onComplete(message.id);
        return;
      default:
        this.transport.close(WsCloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  sendError(id: string, errors: readonly GraphQLFormattedError[]): void {
    this.transport.send(errorFrame(id, errors));
  }

  /** The connection is gone: no more timers. */
  stop(): void {
    clearTimeout(this.initTimer);
  }

  private async onConnectionInit(connectionParams: Record<string, unknown>): Promise<void> {
    if (this.current !== 'awaiting-init') {
      this.transport.close(WsCloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
      return;
    }
    this.current = 'initialising';
    clearTimeout(this.initTimer);
    const accepted = await this.handler.onInit(connectionParams);
    if (this.transport.isClosed) return;
    if (!accepted) {
      this.transport.close(WsCloseCode.Forbidden, 'Forbidden');
      return;
    }
    this.current = 'acknowledged';
    this.transport.send(JSON.stringify({ type: MessageType.ConnectionAck }));
  }
}
