// checkedEvents: a subscription's cluster/node arguments checked before its first event.
import { eventIterator } from '../../subgraphs/kube/async-queue.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import type { KubeLoaders } from '../../subgraphs/kube/loaders.js';
import { checkedEvents, type TargetLookup } from '../../subgraphs/kube/subscription-target.js';

function lookup(nodes: (cluster: string, name: string) => Promise<object | null>): TargetLookup {
  const kube = { get: () => ({ load: ({ cluster, name }: { cluster: string; name: string }) => nodes(cluster, name) }) } as unknown as KubeLoaders;
  return { registry: { has: (name: string) => name === 'du-001' }, kube };
}

/** A source whose events the test pushes; counts opens and closes. */
function source() {
  const state = { opened: 0, closed: 0, push: (_n: number) => undefined as void };
  const open = () => {
    state.opened++;
    return eventIterator<number>((push) => {
      state.push = push;
      return () => void state.closed++;
    });
  };
  return { state, open };
}

describe('checkedEvents', () => {
  it('an unknown cluster: the first next() rejects with NOT_FOUND and nothing is opened', async () => {
    const { state, open } = source();
    const it = checkedEvents(lookup(async () => null), { cluster: 'nope', node: 'x' }, open);
    await expect(it.next()).rejects.toMatchObject({ code: 'NOT_FOUND', cluster: 'nope', message: 'unknown cluster "nope"' });
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(state.opened).toBe(0);
  });

  it('a node the cluster does not have: the source opened for the check is closed, and next() rejects once', async () => {
    const { state, open } = source();
    const it = checkedEvents(lookup(async () => null), { cluster: 'du-001', node: 'nope' }, open);
    await expect(it.next()).rejects.toMatchObject({ code: 'NOT_FOUND', cluster: 'du-001', message: 'unknown node "nope" in cluster "du-001"' });
    expect(state).toMatchObject({ opened: 1, closed: 1 });
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('a node that exists: events flow, including those pushed while the check ran', async () => {
    const { state, open } = source();
    let answer!: (node: object) => void;
    const it = checkedEvents(lookup(() => new Promise((resolve) => (answer = resolve))), { cluster: 'du-001', node: 'sno' }, open);
    const first = it.next();
    state.push(1); // before the check has answered
    answer({ metadata: { name: 'sno' } });
    expect(await first).toEqual({ value: 1, done: false });
    state.push(2);
    expect(await it.next()).toEqual({ value: 2, done: false });
    await it.return!();
    expect(state.closed).toBe(1);
  });

  it('a cluster that cannot answer now does not fail the subscription: it waits for the cluster like any subscriber', async () => {
    const { state, open } = source();
    const down = async () => {
      throw new ClusterError('CLUSTER_UNREACHABLE', 'du-001', 'cluster du-001 unreachable');
    };
    const it = checkedEvents(lookup(down), { cluster: 'du-001', node: 'sno' }, open);
    const first = it.next();
    state.push(7);
    expect(await first).toEqual({ value: 7, done: false });
    await it.return!();
  });

  it('without a node, or without a cluster, nothing is looked up', async () => {
    let lookups = 0;
    const counting = lookup(async () => {
      lookups++;
      return null;
    });
    for (const target of [{ cluster: 'du-001' }, { node: 'sno' }, {}]) {
      const { state, open } = source();
      const it = checkedEvents(counting, target, open);
      const next = it.next();
      state.push(1);
      expect(await next).toEqual({ value: 1, done: false });
      await it.return!();
    }
    expect(lookups).toBe(0);
  });
});
