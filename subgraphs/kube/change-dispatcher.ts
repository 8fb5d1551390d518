// Hands a watch cache's changes to its listeners without letting one of them hold up the watch loop
// (client-go gives each informer handler its own buffer for the same reason). A listener is called in
// order, inline while it keeps up. A listener may return a promise (it writes to a socket, calls
// something): until it settles, that listener's next changes wait in its own queue, and the loop goes
// on reading the stream and updating the store. A queue is bounded (`maxQueued`, default 10,000):
//   overflow → the listener is detached, its queued changes are dropped, `onOverflow(dropped)` tells it,
//   a warning is logged (cluster, kind, dropped) and `overflows` counts it.
// A listener that fell that far behind holds a wrong picture; detaching it (rather than silently
// dropping some changes) lets it start over from the store, as an informer relists. A listener that
// throws is isolated: the others and the loop go on.
import { log } from '../../lib/log.js';
import type { WatchChange } from './object-store.js';

/** What a listener returns is ignored, unless it is a promise: then its next changes wait for it. */
export type ChangeListener<T> = (change: WatchChange<T>) => unknown;

export interface ListenOptions {
  /** Changes that may wait for this listener; more detach it. Default: the dispatcher's. */
  maxQueued?: number;
  /** The listener was detached after falling behind by `dropped` changes. */
  onOverflow?: (dropped: number) => void;
}

interface Slot<T> {
  listener: ChangeListener<T>;
  queue: WatchChange<T>[];
  busy: boolean;
  maxQueued: number;
  onOverflow?: (dropped: number) => void;
  detached: boolean;
}

export const DEFAULT_MAX_QUEUED_CHANGES = 10_000;

export class ChangeDispatcher<T> {
  private readonly slots = new Set<Slot<T>>();
  /** Listeners detached for falling behind. */
  overflows = 0;

  constructor(
    /** Named in the overflow warning. */
    private readonly source: { cluster: string; kind: string },
    private readonly maxQueued = DEFAULT_MAX_QUEUED_CHANGES,
  ) {}

  get listenerCount(): number {
    return this.slots.size;
  }

  /** Changes waiting for slow listeners, in all. */
  get queued(): number {
    let n = 0;
    for (const slot of this.slots) n += slot.queue.length;
    return n;
  }

  add(listener: ChangeListener<T>, options: ListenOptions = {}): () => void {
    const slot: Slot<T> = { listener, queue: [], busy: false, maxQueued: options.maxQueued ?? this.maxQueued, onOverflow: options.onOverflow, detached: false };
    this.slots.add(slot);
    return () => this.detach(slot);
  }

  emit(change: WatchChange<T>): void {
    for (const slot of this.slots) {
      if (!slot.busy) {
        this.deliver(slot, change);
        continue;
      }
      slot.queue.push(change);
      if (slot.queue.length > slot.maxQueued) this.overflow(slot);
    }
  }

  private deliver(slot: Slot<T>, change: WatchChange<T>): void {
    let result: unknown;
    try {
      result = slot.listener(change);
    } catch {
      return; // a failing listener must not break the cache for the others
    }
    if (result instanceof Promise || (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function')) {
      slot.busy = true;
      const next = () => {
        slot.busy = false;
        this.drain(slot);
      };
      (result as PromiseLike<unknown>).then(next, next);
    }
  }

  private drain(slot: Slot<T>): void {
    while (!slot.detached && !slot.busy && slot.queue.length > 0) this.deliver(slot, slot.queue.shift()!);
  }

  private overflow(slot: Slot<T>): void {
    const dropped = slot.queue.length;
    this.detach(slot);
    this.overflows++;
    log.warn(
      { cluster: this.source.cluster, kind: this.source.kind, dropped, maxQueued: slot.maxQueued },
      'watch cache: a listener fell behind and was detached; its queued changes were dropped',
    );
    try {
      slot.onOverflow?.(dropped);
    } catch {
      // the listener's own affair
    }
  }

  private detach(slot: Slot<T>): void {
    slot.detached = true;
    slot.queue.length = 0;
    this.slots.delete(slot);
  }
}
