// What one principal may see of the fleet, from the access rules its signed principal carries
// (lib/access-rules.ts): which clusters (fleet labels matching a rule's filters) and, per cluster, which
// namespaces (the union of the matching rules'; all when one matching rule names none). The request's
// views of the registry and the watch caches (cluster-view.ts, watch-cache-view.ts) and its loaders
// ask it; shared caches and feeds hold everything, this decides what each caller gets.
import { accessRulesOf, type AccessRule } from '../../lib/access-rules.js';
import type { Principal } from '../../lib/principal.js';
import { matchesFilters } from './labels.js';

/** Namespaces seen in one cluster: null = all of them. */
export type NamespaceSet = ReadonlySet<string> | null;

export class Visibility {
  /** No rules: every cluster and namespace (no policy configured). */
  static readonly everything = new Visibility(null);

  static of(principal: Principal): Visibility {
    const rules = accessRulesOf(principal);
    return rules === null ? Visibility.everything : new Visibility(rules);
  }

  /** The same rules, the same key: what a shared per-caller memory (a summary's change clock) is keyed by. */
  readonly key: string;

  private constructor(private readonly rules: readonly AccessRule[] | null) {
    this.key = rules === null ? '' : JSON.stringify(rules);
  }

  get unrestricted(): boolean {
    return this.rules === null;
  }

  /** Whether a cluster with these fleet labels may be seen at all. */
  cluster(labels: Readonly<Record<string, string>>): boolean {
    return this.rules === null || this.rules.some((r) => matchesFilters(labels, r.clusters ?? []));
  }

  /** The namespaces that may be seen in a cluster with these labels (null = all; empty = the cluster is not visible). */
  namespaces(labels: Readonly<Record<string, string>>): NamespaceSet {
    if (this.rules === null) return null;
    const seen = new Set<string>();
    for (const rule of this.rules) {
      if (!matchesFilters(labels, rule.clusters ?? [])) continue;
      if (!rule.namespaces) return null;
      for (const n of rule.namespaces) seen.add(n);
    }
    return seen;
  }
}
