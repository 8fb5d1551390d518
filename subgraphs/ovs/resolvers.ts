// Resolvers of the ovs subgraph (typed by codegen from schema/ovs.graphql). Reads go through the
// request's loaders (one read per cluster per metric group); cluster failures become GraphQL errors
// with extensions.code / extensions.cluster on the field that needed the cluster; a cluster that is not
// OVN-Kubernetes is `ovs: null` with no error.
import { GraphQLError } from 'graphql';
import { ClusterError, toGraphQLError } from '../kube/errors.js';
import { fanOut, selectClusters, withErrorEntries } from '../kube/fan-out.js';
import type { LabelFilter } from '../kube/labels.js';
import { checkedEvents } from '../kube/subscription-target.js';
import { levelRank } from './alerts.js';
import { defaultStat, metricDef, OVS_METRICS, statApplies, unitOf } from './catalogue.js';
import type { OvsContext } from './context.js';
import { formatDuration, parseDuration } from './duration.js';
import { prometheusRequired } from './errors.js';
import type { Resolvers } from './generated/types.js';
import type { OvsAlertLevel, OvsAlertModel } from './models.js';

const MAX_TOP_LIMIT = 100;

function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

function nodeRef(clusterName: string, name: string) {
  return { clusterName, name };
}

function byLevels(alerts: readonly OvsAlertModel[], levels: readonly OvsAlertLevel[] | null | undefined): OvsAlertModel[] {
  const wanted = levels?.length ? new Set(levels) : undefined;
  return alerts.filter((a) => !wanted || wanted.has(a.level));
}

function bySeverity(a: OvsAlertModel, b: OvsAlertModel): number {
  return levelRank(b.level) - levelRank(a.level) || a.id.localeCompare(b.id);
}

/** Windowed fields read Prometheus only: without one, PROMETHEUS_REQUIRED before any work. */
function requirePrometheus(ctx: OvsContext, cluster: string, field: string): void {
  if (!ctx.reader.usesPrometheus(cluster)) throw prometheusRequired([cluster], field);
}

async function windowsOf(ctx: OvsContext, cluster: string, duration: string, field: string) {
  const windowMs = parseDuration(duration, 'duration');
  requirePrometheus(ctx, cluster, field);
  try {
    return await ctx.loaders.windows.load({ cluster, windowMs });
  } catch (err) {
    throw toGraphQLError(err, cluster);
  }
}

async function clusterAlerts(ctx: OvsContext, cluster: string): Promise<OvsAlertModel[]> {
  try {
    return await ctx.loaders.alerts.load(cluster);
  } catch (err) {
    throw toGraphQLError(err, cluster);
  }
}

const COUNTERS = OVS_METRICS.filter((d) => d.kind === 'counter').map((d) => d.id).join(', ');
const WITH_DIMENSION = OVS_METRICS.filter((d) => d.dimension).map((d) => `${d.id} (${d.dimension})`).join(', ');

export const resolvers: Resolvers<OvsContext> = {
  Query: {
    async ovsTop(_parent, args, ctx) {
      const def = metricDef(args.metric);
      const stat = args.stat ?? defaultStat(def);
      if (!statApplies(def, stat)) throw badInput(`stat ${stat} applies to counters only (${COUNTERS}); ${def.id} is not one`, 'stat');
      const windowMs = parseDuration(args.window ?? '5m', 'window');
      const limit = args.limit ?? 10;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOP_LIMIT) throw badInput(`limit must be an integer from 1 to ${MAX_TOP_LIMIT}, got ${limit}`, 'limit');
      if (args.dimension !== undefined && args.dimension !== null && !def.dimension) {
        throw badInput(`${def.id} has no dimension; dimension applies to ${WITH_DIMENSION}`, 'dimension');
      }
      const { clusters, errors } = selectClusters(ctx.registry, { clusters: args.clusters, labels: (args.clusterLabels ?? null) as LabelFilter[] | null });
      const result = await ctx.reader.ranking(clusters, { metric: def.id, stat, windowMs, limit, dimension: args.dimension ?? undefined });
      return { ...result.ranking, evaluatedAt: result.evaluatedAt, errors: [...errors, ...result.errors] };
    },

    async ovsAlerts(_parent, args, ctx) {
      const selection = { clusters: args.clusters, labels: (args.clusterLabels ?? null) as LabelFilter[] | null };
      const { results, errors } = await fanOut(ctx.registry, selection, (cluster) => ctx.loaders.alerts.load(cluster));
      const alerts = byLevels(results.flatMap((r) => r.value), args.levels).sort(bySeverity);
      return withErrorEntries(alerts, errors);
    },
  },

  Subscription: {
    ovsAlertChanged: {
      // An unknown cluster is one NOT_FOUND rather than a feed that never speaks.
      subscribe: (_parent, args, ctx) => checkedEvents(ctx, { cluster: args.cluster }, () => ctx.feeds.changes({ cluster: args.cluster, levels: args.levels })),
      resolve: (event: unknown) => event as never,
    },
  },

  FleetSummary: {
    __resolveReference: (ref) => ({ selector: ref.selector }),
    ovs: (s, _args, ctx) => ctx.summary.part(s.selector, ctx.registry),
  },

  Cluster: {
    __resolveReference: (ref) => ({ name: ref.name }),
    async ovs(cluster, _args, ctx) {
      try {
        const ovs = await ctx.loaders.pods.load(cluster.name);
        if (ovs.pods.length === 0) return null; // not OVN-Kubernetes
        return { clusterName: cluster.name, source: ctx.reader.usesPrometheus(cluster.name) ? 'PROMETHEUS' : 'POD_PROXY', nodeNames: ovs.pods.map((p) => p.nodeName) };
      } catch (err) {
        throw toGraphQLError(err, cluster.name);
      }
    },
  },

  Node: {
    __resolveReference: (ref) => ({ clusterName: ref.clusterName, name: ref.name }),
    async ovs(node, _args, ctx) {
      try {
        return await ctx.loaders.nodeOvs.load({ cluster: node.clusterName, node: node.name });
      } catch (err) {
        throw toGraphQLError(err, node.clusterName);
      }
    },
  },

  NodeOvs: {
    node: (p) => nodeRef(p.clusterName, p.nodeName),
    async window(p, args, ctx) {
      const { byNode, cluster } = await windowsOf(ctx, p.clusterName, args.duration, 'Node.ovs.window');
      const w = byNode.get(p.nodeName);
      if (!w) {
        throw toGraphQLError(
          new ClusterError('UPSTREAM_ERROR', p.clusterName, `cluster ${p.clusterName}: Prometheus has no OVS series of node ${p.nodeName} in the last ${cluster.window}`, { reason: 'NoSeries', clusterFault: false }),
          p.clusterName,
        );
      }
      return w;
    },
    async alerts(p, args, ctx) {
      return byLevels((await clusterAlerts(ctx, p.clusterName)).filter((a) => a.nodeName === p.nodeName), args.levels);
    },
  },

  ClusterOvs: {
    async nodes(p, _args, ctx) {
      const reads = await ctx.loaders.nodeOvs.loadMany(p.nodeNames.map((node) => ({ cluster: p.clusterName, node })));
      const nodes = reads.filter((r) => r !== null && !(r instanceof Error));
      const errors = reads.filter((r): r is Error => r instanceof Error).map((e) => toGraphQLError(e, p.clusterName));
      return withErrorEntries(nodes as Exclude<(typeof reads)[number], Error | null>[], errors);
    },
    async window(p, args, ctx) {
      return (await windowsOf(ctx, p.clusterName, args.duration, 'Cluster.ovs.window')).cluster;
    },
    async alerts(p, args, ctx) {
      return byLevels(await clusterAlerts(ctx, p.clusterName), args.levels);
    },
    thresholds(p, _args, ctx) {
      return ctx.reader.settings(p.clusterName);
    },
  },

  OvsWindow: {
    duration: (w) => w.window,
  },

  OvsWindowSeries: {
    min: (s) => s.stats.min,
    avg: (s) => s.stats.avg,
    max: (s) => s.stats.max,
    p95: (s) => s.stats.p95,
  },

  OvsClusterWindow: {
    duration: (w) => w.window,
  },

  OvsClusterWindowSeries: {
    min: (s) => s.stats.min,
    avg: (s) => s.stats.avg,
    max: (s) => s.stats.max,
    p95: (s) => s.stats.p95,
    worstNode: (s) => (s.worstNode ? nodeRef(s.clusterName, s.worstNode) : null),
  },

  OvsClusterCounterWindow: {
    worstNode: (c) => (c.worstNode ? nodeRef(c.clusterName, c.worstNode) : null),
  },

  OvsRanking: {
    entries: (r) => withErrorEntries(r.entries, r.errors as GraphQLError[]),
  },

  OvsRankEntry: {
    node: (e) => (e.nodeName ? nodeRef(e.clusterName, e.nodeName) : null),
  },

  OvsAlert: {
    node: (a) => nodeRef(a.clusterName, a.nodeName),
  },

  OvsThresholdSettings: {
    counterWindow: (s) => formatDuration(s.counterWindowMs),
  },

  OvsThreshold: {
    unit: (t) => {
      const def = metricDef(t.metric);
      return unitOf(def, def.kind === 'counter' ? 'INCREASE' : 'LAST');
    },
  },
};
