// Provisioning transitions for the provisioningStateChanged subscription, computed from two successive
// states of one request in the shared watch cache: a transition is a change of state or message
// (resourceVersion-only writes, finalizers and annotations are not), plus the request appearing and
// going away. Pure; events.ts (phase 2) feeds it the cache's ADDED / MODIFIED / DELETED.
import type { ProvisioningRequestModel, ProvisioningState } from './models.js';

export type TransitionChange = 'ADDED' | 'CHANGED' | 'DELETED';

export interface ProvisioningTransitionModel {
  clusterName: string;
  name: string;
  change: TransitionChange;
  /** Null when the request was just created. */
  previousState: ProvisioningState | null;
  /** The state now (for DELETED: the last state it had). */
  state: ProvisioningState;
  previousMessage: string | null;
  message: string | null;
  /** The operator's update time, or the time the change was seen when it wrote none. */
  time: string;
  /** The request after the change (before it, for DELETED). */
  request: ProvisioningRequestModel;
}

/**
 * The transition from `previous` to `next` (undefined = absent), seen at `seenAt` (ISO); null when
 * nothing a subscriber follows changed.
 */
export function transitionOf(
  previous: ProvisioningRequestModel | undefined,
  next: ProvisioningRequestModel | undefined,
  seenAt: string,
): ProvisioningTransitionModel | null {
  if (!previous && !next) return null;
  if (!next) {
    const p = previous!;
    return { clusterName: p.clusterName, name: p.name, change: 'DELETED', previousState: p.state, state: p.state, previousMessage: p.message, message: p.message, time: seenAt, request: p };
  }
  if (previous && previous.state === next.state && previous.message === next.message) return null;
  return {
    clusterName: next.clusterName,
    name: next.name,
    change: previous ? 'CHANGED' : 'ADDED',
    previousState: previous?.state ?? null,
    state: next.state,
    previousMessage: previous?.message ?? null,
    message: next.message,
    time: next.updateTime ?? seenAt,
    request: next,
  };
}

/** A subscriber's filter: a request name and/or the states it wants (empty = all). */
export function transitionMatches(t: ProvisioningTransitionModel, filter: { name?: string | null; states?: readonly ProvisioningState[] | null }): boolean {
  if (filter.name && t.name !== filter.name) return false;
  if (filter.states && filter.states.length > 0 && !filter.states.includes(t.state)) return false;
  return true;
}

/** Terminal states for a client that waits (`npm run provision -- wait`): fulfilled, failed; gone after deletion. */
export function isTerminal(t: ProvisioningTransitionModel): boolean {
  return t.change === 'DELETED' || t.state === 'FULFILLED' || t.state === 'FAILED';
}
