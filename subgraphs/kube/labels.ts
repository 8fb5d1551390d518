// Label matching: the fleet's label filters (GraphQL `LabelFilter`) and Kubernetes label selector
// strings (parsed in lib/label-selector.ts, shared with the gateway), so list requests can be answered
// from a watch cache without asking the API server.
import { GraphQLError } from 'graphql';
import type { LabelFilter } from '../../lib/label-selector.js';

export type { LabelFilter, LabelOperator } from '../../lib/label-selector.js';
export { parseLabelSelector } from '../../lib/label-selector.js';

export function matchesFilter(labels: Readonly<Record<string, string>> | undefined, f: LabelFilter): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, f.key);
  const actual = has ? labels![f.key] : undefined;
  const values = f.values ?? (f.value !== undefined && f.value !== null ? [f.value] : []);
  switch (f.op ?? 'EQUALS') {
    case 'EQUALS':
      return has && actual === (f.value ?? values[0]);
    case 'NOT_EQUALS':
      return !has || actual !== (f.value ?? values[0]);
    case 'IN':
      return has && values.includes(actual!);
    case 'NOT_IN':
      return !has || !values.includes(actual!);
    case 'EXISTS':
      return has;
    case 'DOES_NOT_EXIST':
      return !has;
  }
}

/** A filter missing its value(s) would silently match nothing (or everything): refuse it as BAD_USER_INPUT. */
export function validateLabelFilters(filters: readonly LabelFilter[]): void {
  for (const f of filters) {
    const op = f.op ?? 'EQUALS';
    if ((op === 'EQUALS' || op === 'NOT_EQUALS') && (f.value === undefined || f.value === null)) {
      throw new GraphQLError(`label filter on "${f.key}": ${op} needs a value`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    if ((op === 'IN' || op === 'NOT_IN') && !f.values?.length) {
      throw new GraphQLError(`label filter on "${f.key}": ${op} needs values`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
  }
}

/** All filters must match (an empty list matches everything). */
export function matchesFilters(labels: Readonly<Record<string, string>> | undefined, filters: readonly LabelFilter[] = []): boolean {
  return filters.every((f) => matchesFilter(labels, f));
}
