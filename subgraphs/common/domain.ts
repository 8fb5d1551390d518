// What every domain folder exports from its domain.ts: how codegen types its resolvers and how the
// subgraph starts. The manifest (subgraphs/domains.ts) lists the domains; everything that runs or
// generates a domain (the launcher, subgraphs/run.ts, the supergraph, codegen, compose.yaml) reads it.
import type { DomainSettings } from '../../lib/config.js';
import type { PrincipalCodec } from '../../lib/principal.js';
import type { FleetAccess } from './fleet-access.js';
import type { RunningSubgraph } from './serve.js';

export interface DomainStartOptions {
  host: string;
  /** 0 = a random free port. */
  port: number;
  /** The settings every domain understands (poll interval, pod-proxy concurrency …). */
  settings: DomainSettings;
  /** How the subgraph reads (and, with the stack's key, verifies) the gateway's principal: pass it to startSubgraph. */
  principals: PrincipalCodec;
  /** REDIS_URL: state the replicas of a domain share (timing: which replica holds a PTP event token); unset: this process alone. */
  redisUrl?: string;
}

/** Starts the domain's subgraph over the process's fleet access. Every domain has exactly this signature. */
export type StartDomain = (access: FleetAccess, options: DomainStartOptions) => Promise<RunningSubgraph>;

export interface DomainCodegen {
  /** Name of the context type exported by subgraphs/<name>/context.ts. */
  contextType: string;
  /** GraphQL type → `../models.js#TypeName` (the parent type its resolvers receive). */
  mappers: Record<string, string>;
}

/**
 * One rule of the Kubernetes RBAC this domain needs on every managed cluster (a ClusterRole rule: the
 * Helm chart renders `fleetgraph-<domain>` from it, and the README lists it as what to grant). Exactly
 * what the domain's readers, loaders, watch caches and feeds ask for: a watch cache needs list + watch,
 * a loader's single-name read get, a pod-proxy scrape get on pods/proxy.
 */
export interface RbacRule {
  /** '' is the core group. */
  apiGroups?: readonly string[];
  /** Plurals, or plural/subresource (pods/proxy). */
  resources?: readonly string[];
  /** Paths such as /version (non-resource rules have no apiGroups/resources). */
  nonResourceURLs?: readonly string[];
  verbs: readonly ('get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete')[];
  /**
   * Needed only by an opt-in feature: the chart grants the rule only with
   * `managedClusterRbac.features.<feature>: true` (e.g. `ptpEventPush`, timing's event subscriptions).
   */
  feature?: string;
}

export interface DomainModule {
  codegen: DomainCodegen;
  start: StartDomain;
  /** The least-privilege RBAC this domain needs on each managed cluster (chart, README, can-i test). */
  rbac: readonly RbacRule[];
}

/** What a domain needs of its process beyond the cluster registry. */
export interface DomainNeeds {
  /** Shared watch caches (every domain that reads CRs or subscribes to them). */
  watchCaches: boolean;
  /** A metrics source: Prometheus/Thanos where the fleet file configures one, else exporters through the pod proxy. */
  metrics: boolean;
}

export interface DomainEntry {
  name: string;
  /** Default port (the gateway is 4000). */
  port: number;
  /** The SDL file in schema/ (the contract). */
  sdl: string;
  needs: DomainNeeds;
  /** Loads the domain's code (only the processes that run it pay for it). */
  load(): Promise<DomainModule>;
}

/** One manifest line: `domain('timing', 4002, { metrics: true }, () => import('./timing/domain.js'))`. */
export function domain(name: string, port: number, needs: Partial<DomainNeeds>, load: () => Promise<{ default: DomainModule }>): DomainEntry {
  return {
    name,
    port,
    sdl: `${name}.graphql`,
    needs: { watchCaches: needs.watchCaches ?? true, metrics: needs.metrics ?? false },
    load: async () => (await load()).default,
  };
}
