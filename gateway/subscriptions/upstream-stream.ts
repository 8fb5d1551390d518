// One subscription on a subgraph, shared by every group of identical client subscriptions (same
// primary operation, primary variables, authorization scope and subgraph URL). It lives while it
// has listeners; the last listener leaving unsubscribes upstream.
import type { Client } from 'graphql-ws';
import type { GraphQLFormattedError } from 'graphql';
import { SubscriptionErrorCode, subscriptionError, formatError, upstreamErrors } from './errors.js';
import type { UpstreamEvent } from './event-executor.js';
import type { SubscriptionMetrics } from './metrics.js';

export interface UpstreamListener {
  /** The event is the listener's own copy (the executor merges into it). */
  onEvent(event: UpstreamEvent, receivedAt: number): void;
  /** The stream ended for good; the listener has already been detached. */
  onEnd(errors: GraphQLFormattedError[]): void;
}

export interface UpstreamRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

function describeClose(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) {
    const { code, reason } = err as { code: unknown; reason?: unknown };
    return reason ? `connection closed (${String(code)}: ${String(reason)})` : `connection closed (${String(code)})`;
  }
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return 'connection failed';
}

export class UpstreamStream {
  private readonly listeners: UpstreamListener[] = [];
  private unsubscribe: (() => void) | null = null;
  private ended = false;

  constructor(
    readonly key: string,
    readonly serviceName: string,
    private readonly client: Client,
    private readonly request: UpstreamRequest,
    private readonly metrics: SubscriptionMetrics,
    /** Called once when the stream stops (last listener left, or the upstream ended it). */
    private readonly onStopped: (stream: UpstreamStream) => void,
  ) {}

  get listenerCount(): number {
    return this.listeners.length;
  }

  add(listener: UpstreamListener): void {
    this.listeners.push(listener);
    if (!this.unsubscribe && !this.ended) this.start();
  }

  remove(listener: UpstreamListener): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
    if (this.listeners.length === 0) this.stop();
  }

  private start(): void {
    this.metrics.add('upstreamSubscriptions', 1);
    this.unsubscribe = this.client.subscribe<Record<string, unknown>>(this.request, {
      next: (event) => this.onNext(event as UpstreamEvent),
      error: (err) => this.end(this.errorsFor(err)),
      complete: () =>
        this.end([
          formatError(
            subscriptionError(
              SubscriptionErrorCode.SUBSCRIPTION_COMPLETED,
              `Subgraph "${this.serviceName}" ended the subscription.`,
              { serviceName: this.serviceName },
            ),
          ),
        ]),
    });
  }

  private onNext(event: UpstreamEvent): void {
    if (this.ended) return;
    const receivedAt = performance.now();
    this.metrics.count('eventsReceived');
    const listeners = this.listeners.slice();
    // Each listener merges entity data into its event, so all but the last get a copy.
    for (let i = 0; i < listeners.length; i++) {
      listeners[i].onEvent(i === listeners.length - 1 ? event : structuredClone(event), receivedAt);
    }
  }

  private errorsFor(err: unknown): GraphQLFormattedError[] {
    if (Array.isArray(err)) {
      return upstreamErrors(err as GraphQLFormattedError[], this.serviceName, SubscriptionErrorCode.UPSTREAM_ERROR);
    }
    return [
      formatError(
        subscriptionError(
          SubscriptionErrorCode.SUBGRAPH_UNAVAILABLE,
          `Subgraph "${this.serviceName}" is unavailable: ${describeClose(err)}.`,
          { serviceName: this.serviceName },
        ),
      ),
    ];
  }

  /** The upstream ended the stream: tell every listener, then forget it. */
  private end(errors: GraphQLFormattedError[]): void {
    if (this.ended) return;
    const listeners = this.listeners.splice(0);
    this.stop();
    for (const listener of listeners) listener.onEnd(errors);
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.unsubscribe) {
      this.metrics.add('upstreamSubscriptions', -1);
      const unsubscribe = this.unsubscribe;
      this.unsubscribe = null;
      unsubscribe();
    }
    this.onStopped(this);
  }
}
