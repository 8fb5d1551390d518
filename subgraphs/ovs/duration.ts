// Durations of the OVS arguments and settings: lib/duration.ts's strict PromQL syntax, refused as
// BAD_USER_INPUT naming the argument; and the subquery step a window's per-second series use.
import { GraphQLError } from 'graphql';
import { DEFAULT_MAX_DURATION_MS, formatDuration, parseDurationWithReason, type DurationBounds } from '../../lib/duration.js';

export { formatDuration, type DurationBounds };
export const DEFAULT_MAX_WINDOW_MS = DEFAULT_MAX_DURATION_MS;

/** `1h30m` → 5,400,000. Throws BAD_USER_INPUT (naming `argument`) for anything else. */
export function parseDuration(text: string, argument = 'duration', bounds: DurationBounds = {}): number {
  const r = parseDurationWithReason(text, bounds);
  if (r.error !== undefined) throw new GraphQLError(`${argument} ${r.error}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
  return r.ms;
}

/**
 * The subquery step for per-second series (CPU %, counter rates) over a window: about 100 points,
 * never finer than 1 s, rounded to whole seconds (Prometheus aligns subquery steps to multiples of
 * the step, so equal windows give equal answers).
 */
export function subqueryStepMs(windowMs: number): number {
  return Math.max(1000, Math.round(windowMs / 100 / 1000) * 1000);
}
