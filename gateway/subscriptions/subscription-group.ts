// Client subscriptions with the same operation, variables and authorization scope form a group: the
// group runs the plan's `rest` once per upstream event, serializes the result once, and writes the
// same JSON to every member. Events are processed in order; a bounded queue protects memory when a
// subgraph resolving entities is slower than the event rate.
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import type { ServiceMap } from '@apollo/gateway';
import type { Principal } from './auth.js';
import { SubscriptionErrorCode, formatError, subscriptionError } from './errors.js';
import { executeEvent, type UpstreamEvent } from './event-executor.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { PreparedSubscription } from './prepare.js';
import type { UpstreamListener, UpstreamStream } from './upstream-stream.js';

/**
 * One event's result, serialized once per group; the `next` frame for a subscription id is encoded once
 * per event and shared as one Buffer by every member with that id (dashboards mostly all use "1").
 */
export class EventFrames {
  private readonly frames = new Map<string, Buffer>();

  constructor(readonly json: string) {}

  /** `prefix` is the frame up to its payload (`{"id":…,"type":"next","payload":`). */
  frame(prefix: string): Buffer {
    let frame = this.frames.get(prefix);
    if (!frame) {
      frame = Buffer.from(prefix + this.json + '}');
      this.frames.set(prefix, frame);
    }
    return frame;
  }
}

/** A client's subscription as the group sees it (implemented by the connection). */
export interface GroupMember {
  /** Writes one `next` message with this event's payload; false when the client is gone. */
  deliver(event: EventFrames): boolean;
  /** Ends the subscription with an `error` message (the group has already forgotten the member). */
  fail(errors: readonly GraphQLFormattedError[]): void;
}

export interface GroupDeps {
  metrics: SubscriptionMetrics;
  dataSources: (prepared: PreparedSubscription) => ServiceMap;
  maxPendingEvents: number;
  /** The group ended on its own (upstream ended, overload, reload); the hub forgets it. */
  onEnded: (group: SubscriptionGroup) => void;
}

/** Serialized like Apollo Server serializes a response (errors formatted, no stack traces). */
export function serializeResult(result: ExecutionResult): string {
  const body: Record<string, unknown> = {};
  if (result.errors && result.errors.length > 0) body.errors = result.errors.map(formatError);
  if (result.data !== undefined) body.data = result.data;
  if (result.extensions !== undefined) body.extensions = result.extensions;
  return JSON.stringify(body);
}

export class SubscriptionGroup implements UpstreamListener {
  private readonly members = new Set<GroupMember>();
  private upstream: UpstreamStream | null = null;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private ended = false;
  private readonly context: Record<string, unknown>;
  /** The last payload written, and the members that have it: an identical result is not written twice to anyone. */
  private lastPayload?: string;
  private haveLast = new WeakSet<GroupMember>();

  constructor(
    readonly key: string,
    /** Replaced on a supergraph reload when the operation is still valid. */
    public prepared: PreparedSubscription,
    readonly variables: Record<string, unknown>,
    readonly principal: Principal,
    private readonly deps: GroupDeps,
  ) {
    this.context = { principal };
    deps.metrics.add('groups', 1);
  }

  get size(): number {
    return this.members.size;
  }

  get upstreamKey(): string | undefined {
    return this.upstream?.key;
  }

  add(member: GroupMember): void {
    this.members.add(member);
  }

  /** Returns true when the group became empty (the caller then calls detach()). */
  remove(member: GroupMember): boolean {
    this.members.delete(member);
    return this.members.size === 0;
  }

  /** Listens to `next` instead of the current upstream (a reload that changed the primary fetch). */
  attach(next: UpstreamStream): void {
    const previous = this.upstream;
    this.upstream = next;
    next.add(this);
    previous?.remove(this);
  }

  /** The last member left: stop listening, forget the group. */
  detach(): void {
    if (this.ended) return;
    this.ended = true;
    this.deps.metrics.add('groups', -1);
    const upstream = this.upstream;
    this.upstream = null;
    upstream?.remove(this);
  }

  onEvent(event: UpstreamEvent, receivedAt: number): void {
    if (this.ended) return;
    if (this.pending >= this.deps.maxPendingEvents) {
      this.end([
        formatError(
          subscriptionError(
            SubscriptionErrorCode.SUBSCRIPTION_OVERLOADED,
            `More than ${this.deps.maxPendingEvents} events were waiting for entity resolution; the subscription was ended.`,
          ),
        ),
      ]);
      return;
    }
    this.pending++;
    this.queue = this.queue.then(() => this.process(event, receivedAt));
  }

  onEnd(errors: GraphQLFormattedError[]): void {
    // The upstream already detached us; deliver what is queued first, then the terminal error.
    this.upstream = null;
    this.queue = this.queue.then(() => this.end(errors));
  }

  /** Ends every member with these errors (upstream ended, overload, schema reload). */
  end(errors: readonly GraphQLFormattedError[]): void {
    if (this.ended) return;
    this.detach();
    this.deps.onEnded(this);
    const members = [...this.members];
    this.members.clear();
    const code = String(errors[0]?.extensions?.code ?? SubscriptionErrorCode.INTERNAL_SERVER_ERROR);
    this.deps.metrics.countError(code, members.length);
    for (const member of members) member.fail(errors);
  }

  private async process(event: UpstreamEvent, receivedAt: number): Promise<void> {
    this.pending--;
    if (this.ended || this.members.size === 0) return;
    let payload: string;
    try {
      const result = await executeEvent({
        prepared: this.prepared,
        variables: this.variables,
        event,
        dataSources: this.deps.dataSources(this.prepared),
        context: this.context,
      });
      payload = serializeResult(result);
    } catch (error) {
      payload = JSON.stringify({ errors: [formatError(error)], data: null });
    }
    this.deps.metrics.count('eventExecutions');
    if (this.ended) return;
    // A periodic subscription (its root field takes `intervalMs`: a tick per interval, e.g.
    // fleetSummaryChanged) sends a result only when it changed; members that joined since still get it,
    // so a late subscriber sees the current state. Change feeds get every event.
    if (!this.prepared.periodic || payload !== this.lastPayload) {
      this.lastPayload = payload;
      this.haveLast = new WeakSet();
    }
    let delivered = 0;
    const frames = new EventFrames(payload);
    // A change feed's members get every event: only a periodic one keeps track of who has the last.
    const periodic = this.prepared.periodic;
    for (const member of this.members) {
      if (periodic) {
        if (this.haveLast.has(member)) continue;
        this.haveLast.add(member);
      }
      if (member.deliver(frames)) delivered++;
    }
    this.deps.metrics.count('eventsDelivered', delivered);
    this.deps.metrics.fanoutSeconds.observe((performance.now() - receivedAt) / 1000);
  }
}
