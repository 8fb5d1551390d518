// Pure mapping of a cluster's upstream objects to the cni models: its NADs, its pod-network Events
// correlated (pod → node, network → NAD), event selection newest first, and the fleet-wide summary per
// primary plugin. Detection and parsing rules live in primary-cni.ts, nad-config.ts, pod-events.ts and
// readiness.ts; unit tests: test/unit/cni-*.test.ts.
import { mapNad } from './nad-config.js';
import { correlatePodNetworkEvent } from './pod-events.js';
import { FAILURE_CATEGORIES, type CniEventCategory, type CniPlugin, type NadModel, type PluginSummaryModel, type PodNetworkEventModel } from './models.js';
import type { EventObject, NetworkAttachmentDefinitionObject } from './upstream.js';

const byKey = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) =>
  a.namespace === b.namespace ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.namespace < b.namespace ? -1 : 1;

/** A cluster's NADs, by namespace then name. */
export function mapNads(clusterName: string, objects: readonly NetworkAttachmentDefinitionObject[]): NadModel[] {
  return objects.map((o) => mapNad(clusterName, o)).sort(byKey);
}

/** Pod `namespace/name` → spec.nodeName, for Events that name no host. */
export type PodNodes = ReadonlyMap<string, string>;

/** The pod-network Events among a cluster's Events, correlated; others are left out. */
export function podNetworkEvents(clusterName: string, events: readonly EventObject[], ctx: { nads?: readonly NadModel[]; podNodes?: PodNodes } = {}): PodNetworkEventModel[] {
  const out: PodNetworkEventModel[] = [];
  for (const e of events) {
    const pod = `${e.involvedObject?.namespace ?? e.metadata.namespace ?? ''}/${e.involvedObject?.name ?? ''}`;
    const m = correlatePodNetworkEvent(e, { clusterName, nads: ctx.nads, podNodeName: ctx.podNodes?.get(pod) ?? null });
    if (m) out.push(m);
  }
  return out;
}

export interface EventSelection {
  /** Only Events whose last occurrence is at or after this time (ms). */
  since?: number | null;
  categories?: readonly CniEventCategory[] | null;
  limit?: number | null;
}

function lastMs(e: PodNetworkEventModel): number {
  return e.lastTime ? Date.parse(e.lastTime) : 0;
}

/** Newest first (by last occurrence; then cluster, namespace, Event name for a stable order), filtered, limited. */
export function selectEvents(events: readonly PodNetworkEventModel[], selection: EventSelection = {}): PodNetworkEventModel[] {
  const categories = selection.categories?.length ? new Set(selection.categories) : null;
  const since = selection.since ?? null;
  const chosen = events.filter((e) => (!categories || categories.has(e.category)) && (since === null || lastMs(e) >= since));
  chosen.sort(
    (a, b) =>
      lastMs(b) - lastMs(a) ||
      a.clusterName.localeCompare(b.clusterName) ||
      a.namespace.localeCompare(b.namespace) ||
      a.eventName.localeCompare(b.eventName),
  );
  return selection.limit === null || selection.limit === undefined ? chosen : chosen.slice(0, selection.limit);
}

export interface ClusterSummaryInput {
  clusterName: string;
  plugin: CniPlugin;
  podsWithMissingNetworks: number;
  events: readonly PodNetworkEventModel[];
  /** secondsToNetworks of the cluster's measured pods. */
  readinessSeconds: readonly number[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Per primary plugin: clusters, pods with missing networks, failures in the window, readiness spread. */
/** Failure Events (FAILURE_CATEGORIES) last seen in the window before `now`. */
export function recentFailures(events: readonly PodNetworkEventModel[], now: number, windowMs = 3_600_000): PodNetworkEventModel[] {
  return events.filter((e) => FAILURE_CATEGORIES.has(e.category) && lastMs(e) >= now - windowMs);
}

export function summarizeByPlugin(clusters: readonly ClusterSummaryInput[], now: number, windowMs = 3_600_000): PluginSummaryModel[] {
  const groups = new Map<CniPlugin, ClusterSummaryInput[]>();
  for (const c of clusters) groups.set(c.plugin, [...(groups.get(c.plugin) ?? []), c]);
  return [...groups.entries()]
    .map(([plugin, members]) => {
      const failures = recentFailures(members.flatMap((m) => m.events), now, windowMs);
      const byCategory = new Map<CniEventCategory, { events: number; occurrences: number }>();
      for (const e of failures) {
        const c = byCategory.get(e.category) ?? { events: 0, occurrences: 0 };
        byCategory.set(e.category, { events: c.events + 1, occurrences: c.occurrences + e.count });
      }
      const readiness = members.flatMap((m) => m.readinessSeconds).sort((a, b) => a - b);
      return {
        plugin,
        clusterNames: members.map((m) => m.clusterName).sort(),
        podsWithMissingNetworks: members.reduce((n, m) => n + m.podsWithMissingNetworks, 0),
        failureEvents: failures.length,
        failureOccurrences: failures.reduce((n, e) => n + e.count, 0),
        failuresByCategory: [...byCategory.entries()].map(([category, v]) => ({ category, ...v })).sort((a, b) => b.occurrences - a.occurrences || a.category.localeCompare(b.category)),
        readinessP50: percentile(readiness, 50),
        readinessP95: percentile(readiness, 95),
        readinessMax: readiness.length > 0 ? readiness[readiness.length - 1] : null,
      };
    })
    .sort((a, b) => b.clusterNames.length - a.clusterNames.length || a.plugin.localeCompare(b.plugin));
}
