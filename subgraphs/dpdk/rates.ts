// Per-second rates from two reads of the same port's counters. DPDK counters are cumulative since the
// application started, so a rate needs an earlier sample: the subgraph keeps the last two kept reads per
// pod and port in a bounded LRU (in memory, per replica; a replica's first read of a port gives no rate).
//  - A read at least `minIntervalMs` after the latest kept read is compared with it and kept.
//  - A read sooner than that is compared with the kept read before (so the window is never shorter than
//    `minIntervalMs`, whatever the query rate: one query's several subgraph fetches, a busy dashboard)
//    and not kept; without such an earlier read it gives no rate.
//  - A kept read older than `maxAgeMs` gives no rate (an average over hours says little).
//  - A counter that went down (the application restarted) gives no rate; the history starts over.
import { STAT_FIELDS, drops, type StatValues } from './telemetry.js';

export interface Sample {
  /** ms since the epoch */
  at: number;
  stats: StatValues;
}

export interface Rates extends StatValues {
  windowSeconds: number;
  since: string;
  until: string;
  drops: number;
}

export interface RateTrackerOptions {
  /** Samples kept (pods × ports). Default 4096. */
  capacity?: number;
  /** Default 1000. */
  minIntervalMs?: number;
  /** Default 600000 (10 min). */
  maxAgeMs?: number;
}

/** Rates between two samples; null when the window is empty or a counter went down. */
export function ratesBetween(before: Sample, after: Sample): Rates | null {
  const seconds = (after.at - before.at) / 1000;
  if (!(seconds > 0)) return null;
  const out = {} as StatValues;
  for (const field of STAT_FIELDS) {
    const delta = after.stats[field] - before.stats[field];
    if (delta < 0) return null;
    out[field] = delta / seconds;
  }
  return {
    ...out,
    drops: drops(out),
    windowSeconds: seconds,
    since: new Date(before.at).toISOString(),
    until: new Date(after.at).toISOString(),
  };
}

/** Some counter is lower than before: the application restarted. */
export function wentDown(before: StatValues, after: StatValues): boolean {
  return STAT_FIELDS.some((field) => after[field] < before[field]);
}

/** Sums rates of several ports (null when any has none). */
export function sumRates(list: readonly (Rates | null)[]): Rates | null {
  if (list.length === 0 || list.some((r) => r === null)) return null;
  const rates = list as Rates[];
  const out = {} as StatValues;
  for (const field of STAT_FIELDS) out[field] = rates.reduce((sum, r) => sum + r[field], 0);
  return {
    ...out,
    drops: drops(out),
    windowSeconds: Math.max(...rates.map((r) => r.windowSeconds)),
    since: rates.map((r) => r.since).sort()[0],
    until: rates.map((r) => r.until).sort().at(-1)!,
  };
}

interface History {
  /** The kept read before `latest` (at least minIntervalMs older). */
  previous?: Sample;
  latest: Sample;
}

export class RateTracker {
  private readonly history = new Map<string, History>();
  private readonly capacity: number;
  private readonly minIntervalMs: number;
  private readonly maxAgeMs: number;

  constructor(options: RateTrackerOptions = {}) {
    this.capacity = options.capacity ?? 4096;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.maxAgeMs = options.maxAgeMs ?? 600_000;
  }

  get size(): number {
    return this.history.size;
  }

  /** Records a read of `key` and returns the rates against a kept read (null when none is usable). */
  record(key: string, sample: Sample): Rates | null {
    const h = this.history.get(key);
    if (!h) {
      this.keep(key, { latest: sample });
      return null;
    }
    const usable = (kept: Sample | undefined) => kept !== undefined && sample.at - kept.at <= this.maxAgeMs;
    if (sample.at - h.latest.at >= this.minIntervalMs) {
      const rates = usable(h.latest) ? ratesBetween(h.latest, sample) : null;
      // A restart (counters went down) or a stale read: the history starts over from this read.
      this.keep(key, rates ? { previous: h.latest, latest: sample } : { latest: sample });
      return rates;
    }
    // Too soon after the latest kept read: compare with the one before, keep nothing (unless restarted).
    if (wentDown(h.latest.stats, sample.stats)) {
      this.keep(key, { latest: sample });
      return null;
    }
    return usable(h.previous) ? ratesBetween(h.previous!, sample) : null;
  }

  private keep(key: string, h: History): void {
    this.history.delete(key); // re-insert: Map order is recency
    this.history.set(key, h);
    while (this.history.size > this.capacity) this.history.delete(this.history.keys().next().value!);
  }
}
