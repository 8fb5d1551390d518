// Resolvers of the fleet subgraph. Every read of a cluster goes through the request's loaders (one
// LIST per cluster per kind, or a warm watch cache); a failing cluster throws a coded error for its
// own field only, which GraphQL turns into a null there and one entry in `errors`.
import { Resources, fromCluster, toGraphQLError, unknownCluster, validateLabelFilters, type Node, type Pod } from '../kube/index.js';
import { GraphQLError } from 'graphql';
import { summarySelector } from '../common/summary.js';
import { failedEvents } from '../kube/subscription-target.js';
import type { Resolvers } from './generated/types.js';
import { summaryTicks } from './summary.js';
import type { FleetContext } from './context.js';
import type { ClusterModel, LabelModel, NodeModel, PodModel } from './models.js';
import { labelList, mapNode, mapPod } from './sources.js';

function labelValue(labels: LabelModel[], key: string): string | null {
  return labels.find((l) => l.key === key)?.value ?? null;
}

function entry(ctx: FleetContext, name: string) {
  const found = ctx.registry.get(name);
  if (!found) throw toGraphQLError(unknownCluster(name), name);
  return found;
}

async function nodesOf(ctx: FleetContext, cluster: string): Promise<NodeModel[]> {
  const nodes = await ctx.kube.list<Node>(Resources.nodes).load({ cluster });
  return nodes.map((n) => mapNode(cluster, n));
}

async function podsOf(ctx: FleetContext, cluster: string, namespace?: string | null, labelSelector?: string | null): Promise<PodModel[]> {
  const pods = await ctx.kube
    .list<Pod>(Resources.pods)
    .load({ cluster, namespace: namespace ?? undefined, labelSelector: labelSelector ?? undefined });
  return pods.map((p) => mapPod(cluster, p));
}

async function nodeByName(ctx: FleetContext, cluster: string, name: string): Promise<NodeModel | null> {
  const node = await ctx.kube.get<Node>(Resources.nodes).load({ cluster, name });
  return node ? mapNode(cluster, node) : null;
}

export const resolvers: Resolvers = {
  Query: {
    clusters: async (_root, { labels, capabilities }, ctx) => {
      validateLabelFilters(labels ?? []);
      const clusters = ctx.registry.list({ labels: labels ?? [] }).map((e): ClusterModel => ({ name: e.name }));
      if (!capabilities?.length) return clusters;
      // A cluster whose signals cannot be read has no known capability: left out (its `capabilities` field says why).
      const found = await ctx.capabilities.loadMany(clusters.map((c) => c.name));
      return clusters.filter((_c, i) => {
        const has = found[i];
        return Array.isArray(has) && capabilities.every((wanted) => has.some((h) => h.capability === wanted));
      });
    },
    cluster: (_root, { name }, ctx) => {
      entry(ctx, name);
      return { name };
    },
    fleetSummary: (_root, { labels }) => {
      validateLabelFilters(labels ?? []);
      return { selector: summarySelector(labels) };
    },
  },

  Subscription: {
    fleetSummaryChanged: {
      subscribe: (_root, { labels, intervalMs }) => {
        try {
          validateLabelFilters(labels ?? []);
          const interval = intervalMs ?? 1000;
          if (!Number.isInteger(interval) || interval < 100 || interval > 60_000) {
            throw new GraphQLError(`intervalMs must be an integer from 100 to 60000, got ${interval}`, { extensions: { code: 'BAD_USER_INPUT' } });
          }
          return summaryTicks(summarySelector(labels), interval);
        } catch (err) {
          return failedEvents(err as Error);
        }
      },
      resolve: (tick: { selector: string }) => tick,
    },
  },

  FleetSummary: {
    __resolveReference: (ref) => ({ selector: ref.selector }),
    clusters: async (s, _args, ctx) => (await ctx.summary.load(s.selector)).clusters,
    reachable: async (s, _args, ctx) => (await ctx.summary.load(s.selector)).reachable,
    unreachable: async (s, _args, ctx) => (await ctx.summary.load(s.selector)).unreachable,
    nodes: async (s, _args, ctx) => (await ctx.summary.load(s.selector)).nodes,
    computedAt: async (s, _args, ctx) => (await ctx.summary.load(s.selector)).computedAt,
  },

  SummaryCount: {
    clusters: (c) => c.clusters,
  },

  Cluster: {
    __resolveReference: (ref, ctx) => (ctx.registry.has(ref.name) ? { name: ref.name } : null),
    labels: (c, _args, ctx) => labelList({ ...entry(ctx, c.name).labels }),
    label: (c, { key }, ctx) => entry(ctx, c.name).labels[key] ?? null,
    server: (c, _args, ctx) => entry(ctx, c.name).server,
    version: async (c, _args, ctx) => (await ctx.probe.load(c.name)).version?.gitVersion ?? null,
    platform: async (c, _args, ctx) => {
      const { openshift } = await ctx.probe.load(c.name);
      return openshift === null ? null : openshift ? 'OPENSHIFT' : 'KUBERNETES';
    },
    capabilities: (c, _args, ctx) => fromCluster(c.name, () => ctx.capabilities.load(c.name)),
    health: async (c, _args, ctx) => {
      await ctx.probe.load(c.name);
      const health = ctx.registry.client(c.name).health;
      return {
        reachable: health.reachable,
        latencyMs: health.latencyMs,
        lastContact: health.lastContact?.toISOString() ?? null,
        error: health.error,
        errorCode: health.errorCode,
      };
    },
    nodes: (c, _args, ctx) => fromCluster(c.name, () => nodesOf(ctx, c.name)),
    node: (c, { name }, ctx) => fromCluster(c.name, () => nodeByName(ctx, c.name, name)),
    pods: (c, { namespace, labelSelector }, ctx) => fromCluster(c.name, () => podsOf(ctx, c.name, namespace, labelSelector)),
    workloads: (c, { kind }, ctx) =>
      fromCluster(c.name, async () =>
        (await podsOf(ctx, c.name))
          .filter((p) => p.cnf && (!kind || p.cnf.kind === kind))
          .map((p) => ({ kind: p.cnf!.kind, rule: p.cnf!.rule, pod: p })),
      ),
  },

  Node: {
    __resolveReference: (ref, ctx) => {
      if (!ctx.registry.has(ref.clusterName)) return null;
      return fromCluster(ref.clusterName, () => nodeByName(ctx, ref.clusterName, ref.name));
    },
    cluster: (n) => ({ name: n.clusterName }),
    label: (n, { key }) => labelValue(n.labels, key),
    // All pods of the cluster in one LIST (shared by every node of the request), then by node.
    pods: (n, _args, ctx) =>
      fromCluster(n.clusterName, async () => (await podsOf(ctx, n.clusterName)).filter((p) => p.nodeName === n.name)),
  },

  Pod: {
    __resolveReference: (ref, ctx) => {
      if (!ctx.registry.has(ref.clusterName)) return null;
      return fromCluster(ref.clusterName, async () => {
        const pod = await ctx.kube.get<Pod>(Resources.pods).load({ cluster: ref.clusterName, namespace: ref.namespace, name: ref.name });
        return pod ? mapPod(ref.clusterName, pod) : null;
      });
    },
    cluster: (p) => ({ name: p.clusterName }),
    label: (p, { key }) => labelValue(p.labels, key),
    node: (p, _args, ctx) => (p.nodeName ? fromCluster(p.clusterName, () => nodeByName(ctx, p.clusterName, p.nodeName!)) : null),
  },
};
