// The provisioningStateChanged feed over the shared watch cache: initial fills are not events, updates
// that change state or message are, deletes end with DELETED; filters by cluster, name and state.
import { provisioningTransitions, type TransitionCaches } from '../../subgraphs/o2ims/events.js';
import type { FleetChange } from '../../subgraphs/kube/watch-cache-registry.js';
import type { ProvisioningRequestObject } from '../../subgraphs/o2ims/upstream.js';
import type { ProvisioningTransitionModel } from '../../subgraphs/o2ims/transitions.js';
import { nephioWith, ocmPending } from './o2ims-fixtures.js';

function fakeCaches() {
  let listener: ((c: FleetChange<ProvisioningRequestObject>) => void) | undefined;
  const caches = {
    cache: () => {
      throw new Error('not used without a cluster');
    },
    subscribe: (_ref: unknown, l: (c: FleetChange<ProvisioningRequestObject>) => void) => {
      listener = l;
      return () => (listener = undefined);
    },
  } as unknown as TransitionCaches;
  return { caches, emit: (c: FleetChange<ProvisioningRequestObject>) => listener!(c), subscribed: () => listener !== undefined };
}

async function take(it: AsyncIterableIterator<ProvisioningTransitionModel>, n: number): Promise<ProvisioningTransitionModel[]> {
  const out: ProvisioningTransitionModel[] = [];
  while (out.length < n) out.push((await it.next()).value as ProvisioningTransitionModel);
  return out;
}

describe('provisioningTransitions', () => {
  it('turns cache changes into transitions, skipping the initial fill and writes that change nothing', async () => {
    const f = fakeCaches();
    const it = provisioningTransitions(f.caches, { name: 'provisioning-request-sample' }, { now: () => new Date('2025-02-01T00:00:00Z') });
    const received = nephioWith('progressing', 'Cluster provisioning request received');
    const rendered = nephioWith('progressing', 'Cluster instance rendering completed');
    const fulfilled = nephioWith('fulfilled', 'Cluster resource created');
    const first = it.next();
    f.emit({ cluster: 'hub-1', type: 'add', object: received, initial: true });
    f.emit({ cluster: 'hub-1', type: 'update', object: rendered, old: received });
    f.emit({ cluster: 'hub-1', type: 'update', object: { ...rendered, metadata: { ...rendered.metadata, resourceVersion: '9' } }, old: rendered });
    f.emit({ cluster: 'hub-2', type: 'add', object: ocmPending() }); // another name: filtered out
    f.emit({ cluster: 'hub-1', type: 'update', object: fulfilled, old: rendered });
    f.emit({ cluster: 'hub-1', type: 'delete', object: fulfilled });
    const events = [(await first).value as ProvisioningTransitionModel, ...(await take(it, 2))];
    expect(events.map((e) => `${e.change} ${e.previousState}→${e.state} ${e.message}`)).toEqual([
      'CHANGED PROGRESSING→PROGRESSING Cluster instance rendering completed',
      'CHANGED PROGRESSING→FULFILLED Cluster resource created',
      'DELETED FULFILLED→FULFILLED Cluster resource created',
    ]);
    expect(events[2].time).toBe('2025-02-01T00:00:00.000Z');
    await it.return!();
    expect(f.subscribed()).toBe(false);
  });

  it('filters on the new state, and maps a new request without status in its cluster\'s schema', async () => {
    const f = fakeCaches();
    const it = provisioningTransitions(f.caches, { states: ['PENDING'] });
    const pending = ocmPending();
    const fresh: ProvisioningRequestObject = { ...ocmPending(), metadata: { name: 'fresh' }, status: undefined };
    const next = it.next();
    f.emit({ cluster: 'hub-2', type: 'update', object: pending, old: { ...pending, status: { provisioningStatus: { provisioningPhase: 'failed' } } } });
    f.emit({ cluster: 'hub-2', type: 'add', object: fresh });
    const [a, b] = [(await next).value as ProvisioningTransitionModel, ...(await take(it, 1))];
    expect([a.name, a.change, a.previousState, a.state, a.request.schemaVariant]).toEqual(['123e4567-e89b-12d3-a456-426614174000', 'CHANGED', 'FAILED', 'PENDING', 'OPENSHIFT']);
    expect([b.name, b.change, b.previousState, b.state, b.request.schemaVariant]).toEqual(['fresh', 'ADDED', null, 'PENDING', 'OPENSHIFT']);
    await it.return!();
  });
});
