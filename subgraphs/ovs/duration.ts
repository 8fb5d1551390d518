// Durations as PromQL writes them (`30s`, `5m`, `1h30m`, `1d`): parsed strictly, with a message that
// says what to send, and written back in canonical form so the PromQL we send is what the user asked.
import { GraphQLError } from 'graphql';

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

export const DEFAULT_MAX_WINDOW_MS = 30 * 24 * 3600_000;

function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/** `1h30m` → 5,400,000. Throws BAD_USER_INPUT (naming `argument`) for anything else. */
export function parseDuration(text: string, argument = 'duration', bounds: DurationBounds = {}): number {
  const hint = 'use a number and a unit, largest unit first, e.g. 30s, 5m, 1h30m, 1d (units ms, s, m, h, d, w, y)';
  if (typeof text !== 'string' || text.trim() === '') throw badInput(`${argument} is empty; ${hint}`, argument);
  const s = text.trim();
  let ms = 0;
  let pos = 0;
  let lastRank = -1;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) throw badInput(`${argument} "${text}" is not a duration; ${hint}`, argument);
    const rank = UNITS.findIndex(([unit]) => unit === m[2]);
    if (rank <= lastRank) throw badInput(`${argument} "${text}": units must go from largest to smallest, each once (e.g. 1h30m); ${hint}`, argument);
    lastRank = rank;
    ms += Number(m[1]) * UNITS[rank][1];
    pos = PART.lastIndex;
  }
  if (!Number.isSafeInteger(ms)) throw badInput(`${argument} "${text}" is too long`, argument);
  const min = bounds.minMs ?? 1000;
  const max = bounds.maxMs ?? DEFAULT_MAX_WINDOW_MS;
  if (ms < min) throw badInput(`${argument} "${text}" is shorter than ${formatDuration(min)}`, argument);
  if (ms > max) throw badInput(`${argument} "${text}" is longer than ${formatDuration(max)}`, argument);
  return ms;
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

/**
 * The subquery step for per-second series (CPU %, counter rates) over a window: about 100 points,
 * never finer than 1 s, rounded to whole seconds (Prometheus aligns subquery steps to multiples of
 * the step, so equal windows give equal answers).
 */
export function subqueryStepMs(windowMs: number): number {
  return Math.max(1000, Math.round(windowMs / 100 / 1000) * 1000);
}
