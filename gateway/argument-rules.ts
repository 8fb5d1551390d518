// Argument values the gateway checks before any subgraph work, by argument (or input field) name, for
// every field of every subgraph: one clear BAD_USER_INPUT for the whole request instead of one
// identical error per cluster, or a bad value silently ignored. The convention: an argument of one of
// these names means the same thing wherever it appears in the SDL. Add a name here when a domain
// introduces a shared argument (e.g. `window` / `duration` for OVS); a rule returns why a value is
// bad, or null. Null values and absent arguments are never checked (GraphQL handles nullability).
import { parseDurationWithReason } from '../lib/duration.js';
import { parseLabelSelectorWithReason } from '../lib/label-selector.js';

/** Why `value` is not acceptable, or null. `value` is the JSON value the client sent (literal or variable). */
export type ArgumentRule = (value: unknown) => string | null;

function durationRule(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return parseDurationWithReason(value).error ?? null;
}

export const ARGUMENT_RULES: Readonly<Record<string, ArgumentRule>> = {
  /** Kubernetes label selector syntax (lib/label-selector.ts), as the API server accepts it. */
  labelSelector: (value) => {
    if (typeof value !== 'string') return null;
    const { error } = parseLabelSelectorWithReason(value);
    return error === undefined ? null : `${JSON.stringify(value)} is not a Kubernetes label selector: ${error}`;
  },
  /** A PromQL duration (`5m`, `1h30m`), 1 s to 30 d: the window of a windowed statistic (OVS). */
  window: durationRule,
  duration: durationRule,
  /** A count of results: an integer ≥ 0. */
  limit: (value) => (typeof value === 'number' && (!Number.isInteger(value) || value < 0) ? `must be an integer ≥ 0, got ${value}` : null),
  /** A duration threshold in seconds (ODA registry check): an integer ≥ 0. */
  olderThanSeconds: (value) => (typeof value === 'number' && (!Number.isInteger(value) || value < 0) ? `must be an integer ≥ 0 (seconds), got ${value}` : null),
};
