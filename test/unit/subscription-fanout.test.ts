// A group of identical subscriptions: one execution and one serialization per event for all
// members, events in order, terminal errors after queued events, and a bounded event queue.
import type { GraphQLFormattedError } from 'graphql';
import { SubscriptionMetrics } from '../../gateway/subscriptions/metrics.js';
import { prepareSubscription, type PreparedSubscription } from '../../gateway/subscriptions/prepare.js';
import { EventFrames, SubscriptionGroup, type GroupMember } from '../../gateway/subscriptions/subscription-group.js';
import { waitUntil } from '../helpers/wait.js';
import { fakeStatusSubgraph, serviceMap, unitSnapshot } from '../helpers/subscription-unit-supergraph.js';

const snapshot = unitSnapshot();
const prepared = prepareSubscription(snapshot, `subscription { batch { seq nodes { name } } }`).prepared as PreparedSubscription;

class Member implements GroupMember {
  frames: string[] = [];
  failures: (readonly GraphQLFormattedError[])[] = [];
  deliver(event: EventFrames): boolean {
    this.frames.push(event.json);
    return true;
  }
  fail(errors: readonly GraphQLFormattedError[]): void {
    this.failures.push(errors);
  }
}

function group(delay?: () => Promise<void>, maxPendingEvents = 100, which: PreparedSubscription = prepared) {
  const status = fakeStatusSubgraph(delay);
  const metrics = new SubscriptionMetrics();
  const ended: SubscriptionGroup[] = [];
  const g = new SubscriptionGroup('key', which, {}, { scope: 'public' }, {
    metrics,
    dataSources: () => serviceMap(status.source),
    maxPendingEvents,
    onEnded: (x) => ended.push(x),
  });
  return { g, status, metrics, ended };
}

const event = (seq: number) => ({ data: { batch: { seq, nodes: [{ __typename: 'Node', id: String(seq) }] } } });

it('encodes one frame per event and subscription id, shared by every member with that id', () => {
  const frames = new EventFrames('{"data":{"x":1}}');
  const a = frames.frame('{"id":"1","type":"next","payload":');
  expect(frames.frame('{"id":"1","type":"next","payload":')).toBe(a);
  expect(a.toString()).toBe('{"id":"1","type":"next","payload":{"data":{"x":1}}}');
  expect(JSON.parse(frames.frame('{"id":"7","type":"next","payload":').toString())).toEqual({ id: '7', type: 'next', payload: { data: { x: 1 } } });
});

describe('SubscriptionGroup', () => {
  it('writes every event of a change feed, identical or not', async () => {
    const { g } = group();
    const member = new Member();
    g.add(member);
    g.onEvent(event(1), performance.now());
    g.onEvent(event(1), performance.now());
    await waitUntil('both events', () => member.frames.length === 2);
  });

  it('periodic (root field with intervalMs): never writes a result identical to the previous one to a member that has it; a member that joined since gets it', async () => {
    const { g, metrics } = group(undefined, 100, { ...prepared, periodic: true });
    const early = new Member();
    g.add(early);
    g.onEvent(event(1), performance.now());
    g.onEvent(event(1), performance.now()); // a periodic tick with nothing new
    await waitUntil('two executions', () => metrics.snapshot().eventExecutions === 2);
    expect(early.frames.map((f) => JSON.parse(f).data.batch.seq)).toEqual([1]);
    const late = new Member();
    g.add(late);
    g.onEvent(event(1), performance.now());
    await waitUntil('the late member has the current result', () => late.frames.length === 1);
    g.onEvent(event(2), performance.now());
    await waitUntil('the change at both', () => early.frames.length === 2 && late.frames.length === 2);
    expect(early.frames.map((f) => JSON.parse(f).data.batch.seq)).toEqual([1, 2]);
    expect(late.frames.map((f) => JSON.parse(f).data.batch.seq)).toEqual([1, 2]);
  });

  it('executes each event once and writes the same serialized payload to every member, in order', async () => {
    // The first event's entity fetch is slower than the second's: order must still hold.
    let calls = 0;
    const { g, status, metrics } = group(() => new Promise((r) => setTimeout(r, ++calls === 1 ? 30 : 0)));
    const members = Array.from({ length: 50 }, () => new Member());
    members.forEach((m) => g.add(m));
    g.onEvent(event(1), performance.now());
    g.onEvent(event(2), performance.now());
    await waitUntil('both events at every member', () => members.every((m) => m.frames.length === 2));

    expect(status.requests).toHaveLength(2);
    expect(metrics.snapshot()).toMatchObject({ eventExecutions: 2, eventsDelivered: 100 });
    const [first] = members;
    expect(first.frames.map((f) => JSON.parse(f).data.batch.seq)).toEqual([1, 2]);
    for (const m of members) {
      // Same string instances: serialized once per group, not per member.
      expect(m.frames[0]).toBe(first.frames[0]);
      expect(m.frames[1]).toBe(first.frames[1]);
    }
  });

  it('delivers queued events before a terminal upstream error', async () => {
    const { g, ended } = group(() => new Promise((r) => setTimeout(r, 10)));
    const m = new Member();
    g.add(m);
    g.onEvent(event(1), performance.now());
    g.onEnd([{ message: 'Subgraph "feed" ended the subscription.', extensions: { code: 'SUBSCRIPTION_COMPLETED' } }]);
    await waitUntil('the terminal error', () => m.failures.length === 1);
    expect(m.frames).toHaveLength(1);
    expect(m.failures).toEqual([[{ message: 'Subgraph "feed" ended the subscription.', extensions: { code: 'SUBSCRIPTION_COMPLETED' } }]]);
    expect(ended).toEqual([g]);
  });

  it('ends the group with SUBSCRIPTION_OVERLOADED instead of queueing without bound', async () => {
    let release = () => {};
    const blocked = new Promise<void>((r) => (release = r));
    const { g, status, metrics } = group(() => blocked, 3);
    const m = new Member();
    g.add(m);
    for (let seq = 1; seq <= 10; seq++) g.onEvent(event(seq), performance.now());
    expect(m.failures.map((f) => f[0].extensions?.code)).toEqual(['SUBSCRIPTION_OVERLOADED']);
    release();
    // The queued events run as microtasks and find the group ended: none starts an execution.
    await new Promise((r) => setImmediate(r));
    expect(status.requests).toHaveLength(0);
    expect(m.frames).toEqual([]);
    expect(metrics.snapshot().errorsByCode).toEqual({ SUBSCRIPTION_OVERLOADED: 1 });
  });

  it('stops working for members that left', async () => {
    const { g, status } = group();
    const m = new Member();
    g.add(m);
    expect(g.remove(m)).toBe(true);
    g.detach();
    // A group that still has its member gets the same event at the same time: once it delivered,
    // the detached group would have too.
    const control = group();
    const watcher = new Member();
    control.g.add(watcher);
    g.onEvent(event(1), performance.now());
    control.g.onEvent(event(1), performance.now());
    await waitUntil('the control group to deliver', () => watcher.frames.length === 1);
    expect(status.requests).toHaveLength(0);
    expect(m.frames).toEqual([]);
  });
});
