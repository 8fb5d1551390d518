// The fleet-wide sync budget: at most `concurrency` watch-cache LISTs (first syncs and relists) in
// flight at once across every cluster of the process, so pre-warming 1,000 clusters × 6 kinds is a
// steady stream, not 6,000 LISTs (and their JSON parsing) at once. A cache that a query is waiting for
// goes to the head of the queue (`promote`); the time a LIST waits for its slot is not part of its
// cluster's deadline (the LIST's deadline starts when the slot is granted).

export interface SyncTicket {
  /** Resolves when the LIST may start; rejects when the signal given to `acquire` aborts first. */
  readonly granted: Promise<void>;
  readonly isGranted: boolean;
  /** Someone waits for this sync: it goes before every sync nobody waits for. */
  promote(): void;
  /** The LIST is done (or given up): frees the slot, or leaves the queue. Idempotent. */
  release(): void;
}

export interface SyncBudgetStats {
  concurrency: number;
  inFlight: number;
  queued: number;
  /** Slots granted so far. */
  granted: number;
  /** Of those, how many went ahead of the queue because a query waited. */
  promoted: number;
}

export const DEFAULT_SYNC_CONCURRENCY = 64;

class Ticket implements SyncTicket {
  readonly granted: Promise<void>;
  isGranted = false;
  urgent = false;
  done = false;
  resolve!: () => void;
  reject!: (err: Error) => void;

  constructor(
    private readonly budget: SyncBudget,
    private readonly onAbort?: AbortSignal,
  ) {
    this.granted = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.granted.catch(() => undefined);
    onAbort?.addEventListener('abort', this.abort, { once: true });
  }

  promote(): void {
    if (!this.isGranted && !this.done && !this.urgent) this.budget.promoteTicket(this);
  }

  release(): void {
    if (this.done) return;
    this.done = true;
    this.onAbort?.removeEventListener('abort', this.abort);
    this.budget.releaseTicket(this);
  }

  private readonly abort = () => {
    if (this.isGranted) return;
    this.reject(new Error('sync cancelled'));
    this.release();
  };
}

export class SyncBudget {
  readonly concurrency: number;
  private inFlight = 0;
  private readonly urgent: Ticket[] = [];
  private readonly normal: Ticket[] = [];
  private queuedCount = 0;
  private grantedCount = 0;
  private promotedCount = 0;

  constructor(concurrency: number = DEFAULT_SYNC_CONCURRENCY) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`sync concurrency must be an integer ≥ 1, got ${concurrency}`);
    this.concurrency = concurrency;
  }

  /** A place in the budget; `urgent` when a query is already waiting for this sync. */
  acquire(options: { signal?: AbortSignal; urgent?: boolean } = {}): SyncTicket {
    const ticket = new Ticket(this, options.signal);
    if (options.signal?.aborted) {
      ticket.reject(new Error('sync cancelled'));
      ticket.done = true;
      return ticket;
    }
    ticket.urgent = options.urgent ?? false;
    (ticket.urgent ? this.urgent : this.normal).push(ticket);
    this.queuedCount++;
    this.drain();
    return ticket;
  }

  stats(): SyncBudgetStats {
    return { concurrency: this.concurrency, inFlight: this.inFlight, queued: this.queuedCount, granted: this.grantedCount, promoted: this.promotedCount };
  }

  /** @internal */
  promoteTicket(ticket: Ticket): void {
    ticket.urgent = true;
    // The ticket stays in `normal` too; whichever queue reaches it first grants it, the other skips it.
    this.urgent.push(ticket);
    this.drain();
  }

  /** @internal */
  releaseTicket(ticket: Ticket): void {
    if (ticket.isGranted) this.inFlight--;
    else this.queuedCount--;
    this.drain();
  }

  private next(): Ticket | undefined {
    for (const queue of [this.urgent, this.normal]) {
      while (queue.length) {
        const ticket = queue.shift()!;
        if (!ticket.done && !ticket.isGranted) return ticket;
      }
    }
    return undefined;
  }

  private drain(): void {
    while (this.inFlight < this.concurrency) {
      const ticket = this.next();
      if (!ticket) return;
      ticket.isGranted = true;
      this.queuedCount--;
      this.inFlight++;
      this.grantedCount++;
      if (ticket.urgent) this.promotedCount++;
      ticket.resolve();
    }
  }
}
