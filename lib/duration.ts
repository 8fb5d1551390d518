// Durations as PromQL writes them (`30s`, `5m`, `1h30m`, `1d`): a strict parser that says what is wrong,
// and the canonical form. Neutral: the gateway checks `window` / `duration` arguments with it before any
// subgraph work, and the OVS domain builds its PromQL ranges from the same numbers.

const UNITS: readonly [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const PART = /(\d+)(ms|y|w|d|h|m|s)/y;

export interface DurationBounds {
  /** Smallest accepted duration, ms (default 1 s). */
  minMs?: number;
  /** Largest accepted duration, ms (default 30 d). */
  maxMs?: number;
}

export const DEFAULT_MIN_DURATION_MS = 1000;
export const DEFAULT_MAX_DURATION_MS = 30 * 24 * 3600_000;

export const DURATION_HINT = 'use a number and a unit, largest unit first, e.g. 30s, 5m, 1h30m, 1d (units ms, s, m, h, d, w, y)';

/** `1h30m` → { ms: 5,400,000 }, or { error } saying why not (without naming the argument). */
export function parseDurationWithReason(text: unknown, bounds: DurationBounds = {}): { ms: number; error?: undefined } | { ms?: undefined; error: string } {
  if (typeof text !== 'string' || text.trim() === '') return { error: `is empty; ${DURATION_HINT}` };
  const s = text.trim();
  let ms = 0;
  let pos = 0;
  let lastRank = -1;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return { error: `"${text}" is not a duration; ${DURATION_HINT}` };
    const rank = UNITS.findIndex(([unit]) => unit === m[2]);
    if (rank <= lastRank) return { error: `"${text}": units must go from largest to smallest, each once (e.g. 1h30m); ${DURATION_HINT}` };
    lastRank = rank;
    ms += Number(m[1]) * UNITS[rank][1];
    pos = PART.lastIndex;
  }
  if (!Number.isSafeInteger(ms)) return { error: `"${text}" is too long` };
  const min = bounds.minMs ?? DEFAULT_MIN_DURATION_MS;
  const max = bounds.maxMs ?? DEFAULT_MAX_DURATION_MS;
  if (ms < min) return { error: `"${text}" is shorter than ${formatDuration(min)}` };
  if (ms > max) return { error: `"${text}" is longer than ${formatDuration(max)}` };
  return { ms };
}

/** 5,400,000 → `1h30m` (canonical PromQL; 0 → `0s`). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`bad duration ${ms}`);
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of UNITS) {
    // Years are ambiguous to readers: stop at weeks unless the value is a whole number of years.
    if (unit === 'y' && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
