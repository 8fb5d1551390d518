// Subscriptions are filtered per event by the subscriber's principal, for every domain at once: the
// change feeds (watch caches, poll feeds) are shared by every subscriber and hold the whole fleet, and
// each subscription's event stream drops the events of clusters (and namespaces) its context's view
// does not see. By convention an event names its cluster in `clusterName` (or `cluster`) and, when it is
// about a namespaced object, its namespace in `namespace` — on the event itself or on the one object it
// carries (OVS: `{ kind, alert: { clusterName … } }`); for a restricted subscriber an event that names
// no cluster is dropped (fail closed), so a new domain that forgets the convention shows up as silent
// subscriptions in its restricted-user test, never as a leak.
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { log } from '../../lib/log.js';
import { ClusterView } from '../kube/cluster-view.js';

function stringField(value: unknown, name: string): string | undefined {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}

const clusterOf = (value: unknown) => stringField(value, 'clusterName') ?? stringField(value, 'cluster');

/** The cluster (and namespace) an event is about: its own fields, else those of the first object it carries that has one. */
export function eventTarget(event: unknown): { cluster: string; namespace?: string } | undefined {
  const holders = [event, ...(event && typeof event === 'object' ? Object.values(event) : [])];
  for (const holder of holders) {
    const cluster = clusterOf(holder);
    if (cluster !== undefined) return { cluster, namespace: stringField(holder, 'namespace') };
  }
  return undefined;
}

/** Whether `view` may see `event` (see the file comment for the convention). */
export function eventVisible(view: ClusterView, event: unknown): boolean {
  if (view.unrestricted) return true;
  const target = eventTarget(event);
  return target !== undefined && view.sees(target.cluster, target.namespace);
}

function filtered(source: AsyncIterable<unknown>, view: ClusterView, field: string): AsyncIterableIterator<unknown> {
  const iterator = source[Symbol.asyncIterator]();
  let warned = false;
  return {
    async next() {
      for (;;) {
        const result = await iterator.next();
        if (result.done || eventVisible(view, result.value)) return result;
        if (!warned && eventTarget(result.value) === undefined) {
          warned = true;
          log.warn({ field }, 'subscription event names no cluster: dropped for a restricted subscriber');
        }
      }
    },
    async return() {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(err?: unknown) {
      if (iterator.throw) return iterator.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && Symbol.asyncIterator in value;
}

/** Wraps every Subscription field's `subscribe` of `schema` so its events pass the subscriber's view (`ctx.registry`). */
export function filterSubscriptionEvents(schema: GraphQLSchema): void {
  const fields = schema.getSubscriptionType()?.getFields() ?? {};
  for (const field of Object.values(fields)) {
    const subscribe = field.subscribe;
    if (!subscribe) continue;
    const wrapped: GraphQLFieldResolver<unknown, unknown> = async (source, args, ctx, info) => {
      const stream: unknown = await subscribe(source, args, ctx, info);
      const registry = (ctx as { registry?: unknown } | null)?.registry;
      if (!(registry instanceof ClusterView) || registry.unrestricted || !isAsyncIterable(stream)) return stream;
      return filtered(stream, registry, field.name);
    };
    field.subscribe = wrapped;
  }
}
