// The oda root fields' filters: which components and APIs an argument selects, and the check that
// refuses a filter that would silently match nothing.
import { GraphQLError } from 'graphql';
import type { OdaComponentModel, OdaDeploymentStatus, OdaSpecification } from './models.js';

const TMF_ID = /^TMF\d{3,4}$/i;

/**
 * `TMF620` matches a specification whose URL names that TM Forum API; anything else is a
 * case-insensitive substring of a specification URL.
 */
export function matchesSpecification(specifications: readonly OdaSpecification[], wanted: string): boolean {
  const w = wanted.trim();
  if (TMF_ID.test(w)) return specifications.some((s) => s.tmfApiId?.toUpperCase() === w.toUpperCase());
  return specifications.some((s) => (s.url ?? '').toLowerCase().includes(w.toLowerCase()));
}

export interface ComponentFilter {
  id?: string | null;
  name?: string | null;
  functionalBlock?: string | null;
  status?: readonly OdaDeploymentStatus[] | null;
  namespace?: string | null;
}

const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

export function matchesComponent(c: OdaComponentModel, f: ComponentFilter): boolean {
  if (f.namespace && c.namespace !== f.namespace) return false;
  if (f.id && !same(c.componentId, f.id)) return false;
  if (f.name && !same(c.componentName, f.name) && !same(c.name, f.name)) return false;
  if (f.functionalBlock && !same(c.functionalBlock, f.functionalBlock)) return false;
  if (f.status?.length) {
    const status = c.status?.deploymentStatus;
    if (!status || !f.status.includes(status)) return false;
  }
  return true;
}

/** An empty text filter would match everything or nothing: refused as BAD_USER_INPUT, once for the request. */
export function checkTextFilters(args: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) {
    const value = args[name];
    if (typeof value === 'string' && value.trim() === '') {
      throw new GraphQLError(`"${name}" must not be empty (omit it to not filter)`, { extensions: { code: 'BAD_USER_INPUT', argument: name } });
    }
  }
}
