// Transitions for the provisioningStateChanged subscription: what changed between two cached states.
import { isTerminal, transitionMatches, transitionOf } from '../../subgraphs/o2ims/transitions.js';
import { mapProvisioningRequest } from '../../subgraphs/o2ims/sources.js';
import { nephioFulfilled, nephioWith } from './o2ims-fixtures.js';

describe('transitionOf', () => {
  const at = (state: string, message: string) => mapProvisioningRequest('hub-1', nephioWith(state, message));

  it('reports creation, state or message changes and deletion, not writes that change neither', () => {
    const first = at('progressing', 'Cluster provisioning request received');
    expect(transitionOf(undefined, first, '2025-01-31T13:51:05Z')).toMatchObject({ change: 'ADDED', previousState: null, state: 'PROGRESSING', message: 'Cluster provisioning request received', time: '2025-01-31T13:51:00Z' });
    const rendered = at('progressing', 'Cluster instance rendering completed');
    expect(transitionOf(first, rendered, 'now')).toMatchObject({ change: 'CHANGED', previousState: 'PROGRESSING', state: 'PROGRESSING', previousMessage: 'Cluster provisioning request received' });
    expect(transitionOf(rendered, { ...rendered, resourceVersion: '99' }, 'now')).toBeNull();
    const done = mapProvisioningRequest('hub-1', nephioFulfilled());
    const t = transitionOf(rendered, done, 'now')!;
    expect([t.previousState, t.state, isTerminal(t)]).toEqual(['PROGRESSING', 'FULFILLED', true]);
    const gone = transitionOf(done, undefined, '2025-02-01T00:00:00Z')!;
    expect(gone).toMatchObject({ change: 'DELETED', state: 'FULFILLED', time: '2025-02-01T00:00:00Z' });
    expect(isTerminal(gone)).toBe(true);
    expect(transitionOf(undefined, undefined, 'now')).toBeNull();
  });

  it('filters by request name and states', () => {
    const t = transitionOf(undefined, at('failed', 'Cluster resource creation failed reached timeout'), 'now')!;
    expect(transitionMatches(t, {})).toBe(true);
    expect(transitionMatches(t, { name: 'provisioning-request-sample', states: ['FAILED', 'FULFILLED'] })).toBe(true);
    expect(transitionMatches(t, { name: 'other' })).toBe(false);
    expect(transitionMatches(t, { states: ['FULFILLED'] })).toBe(false);
  });
});
