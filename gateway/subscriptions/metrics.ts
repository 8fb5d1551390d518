// Subscription metrics: Prometheus metrics in a registry of their own (merge it into /metrics), and
// the same numbers as plain synchronous values for tests and health pages (`snapshot()`).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface SubscriptionStats {
  /** Open client WebSocket connections. */
  connections: number;
  /** Active client subscriptions (what clients see). */
  clientSubscriptions: number;
  /** Groups of identical client subscriptions (each runs entity resolution once per event). */
  groups: number;
  /** Active upstream subscriptions to subgraphs (after deduplication). */
  upstreamSubscriptions: number;
  /** Open graphql-ws connections to subgraphs. */
  upstreamConnections: number;
  /** Events received from subgraphs. */
  eventsReceived: number;
  /** `next` messages written to client sockets. */
  eventsDelivered: number;
  /** Executions of the plan's `rest` (entity fetches) per group and event. */
  eventExecutions: number;
  /** Reconnects of upstream connections after a drop. */
  upstreamReconnects: number;
  /** Clients closed because they read too slowly. */
  slowConsumerDisconnects: number;
  /** Terminal `error` messages sent to clients, by extensions.code. */
  errorsByCode: Record<string, number>;
}

export class SubscriptionMetrics {
  readonly registry = new Registry();
  private readonly values: Omit<SubscriptionStats, 'errorsByCode'> = {
    connections: 0,
    clientSubscriptions: 0,
    groups: 0,
    upstreamSubscriptions: 0,
    upstreamConnections: 0,
    eventsReceived: 0,
    eventsDelivered: 0,
    eventExecutions: 0,
    upstreamReconnects: 0,
    slowConsumerDisconnects: 0,
  };
  private readonly errorsByCode: Record<string, number> = {};
  private readonly counters: Partial<Record<keyof SubscriptionStats, Counter>> = {};
  private readonly errors: Counter<'code'>;
  /** Seconds from receiving an upstream event to writing it to the group's last subscriber. */
  readonly fanoutSeconds: Histogram;

  constructor() {
    const gauges: [keyof SubscriptionStats, string, string][] = [
      ['connections', 'fleetgraph_ws_connections', 'Open client WebSocket connections'],
      ['clientSubscriptions', 'fleetgraph_subscriptions_active', 'Active client subscriptions'],
      ['groups', 'fleetgraph_subscription_groups_active', 'Groups of identical client subscriptions'],
      ['upstreamSubscriptions', 'fleetgraph_upstream_subscriptions_active', 'Active (deduplicated) subscriptions to subgraphs'],
      ['upstreamConnections', 'fleetgraph_upstream_connections', 'Open graphql-ws connections to subgraphs'],
    ];
    for (const [key, name, help] of gauges) {
      const values = this.values;
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(values[key as keyof typeof values]);
        },
      });
    }
    const counters: [keyof SubscriptionStats, string, string][] = [
      ['eventsReceived', 'fleetgraph_subscription_events_received_total', 'Events received from subgraphs'],
      ['eventsDelivered', 'fleetgraph_subscription_events_delivered_total', 'Event messages written to clients'],
      ['eventExecutions', 'fleetgraph_subscription_event_executions_total', 'Entity-resolution runs (once per group and event)'],
      ['upstreamReconnects', 'fleetgraph_upstream_reconnects_total', 'Upstream graphql-ws reconnects'],
      ['slowConsumerDisconnects', 'fleetgraph_ws_slow_consumer_disconnects_total', 'Clients closed for reading too slowly'],
    ];
    for (const [key, name, help] of counters) {
      this.counters[key] = new Counter({ name, help, registers: [this.registry] });
    }
    this.errors = new Counter({
      name: 'fleetgraph_subscription_errors_total',
      help: 'Terminal subscription errors sent to clients, by code',
      labelNames: ['code'],
      registers: [this.registry],
    });
    this.fanoutSeconds = new Histogram({
      name: 'fleetgraph_subscription_fanout_seconds',
      help: 'From an upstream event to its delivery to the last subscriber of a group',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  /** Gauges move both ways. */
  add(key: 'connections' | 'clientSubscriptions' | 'groups' | 'upstreamSubscriptions' | 'upstreamConnections', delta: number): void {
    this.values[key] += delta;
  }

  count(
    key: 'eventsReceived' | 'eventsDelivered' | 'eventExecutions' | 'upstreamReconnects' | 'slowConsumerDisconnects',
    n = 1,
  ): void {
    this.values[key] += n;
    this.counters[key]?.inc(n);
  }

  countError(code: string, n = 1): void {
    this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + n;
    this.errors.inc({ code }, n);
  }

  /** One current value, without copying the whole snapshot (hot path: every subscribe). */
  value(key: keyof Omit<SubscriptionStats, 'errorsByCode'>): number {
    return this.values[key];
  }

  snapshot(): SubscriptionStats {
    return { ...this.values, errorsByCode: { ...this.errorsByCode } };
  }
}
