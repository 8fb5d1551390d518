// Resolvers of the timing subgraph (typed by codegen from schema/timing.graphql).
// Cluster failures become GraphQL errors with extensions.code / extensions.cluster on the field that
// needed the cluster; a cluster without the PTP operator is null with no error.
import type { GraphQLError } from 'graphql';
import { ClusterError, toGraphQLError } from '../kube/errors.js';
import { fanOut, withErrorEntries } from '../kube/fan-out.js';
import type { LabelFilter } from '../kube/labels.js';
import { checkedEvents } from '../kube/subscription-target.js';
import type { TimingContext } from './context.js';
import type { Resolvers } from './generated/types.js';
import type { ClusterPtpModel, NodePtpModel } from './models.js';
import { encodingOf, stateSeverity } from './ptp-metrics.js';
import { eventPublisherEnabled, mapNodePtpDevice, mapOperatorConfig, mapPtpConfig } from './sources.js';

/** Worst first: state severity, then beyond threshold (faulty included), then largest |offset| (unknown after known), then names. */
export function compareNodePtp(a: NodePtpModel, b: NodePtpModel): number {
  const bySeverity = stateSeverity(b.syncState) - stateSeverity(a.syncState);
  if (bySeverity) return bySeverity;
  if (a.beyondThreshold !== b.beyondThreshold) return a.beyondThreshold ? -1 : 1;
  const oa = a.offsetNs === null ? -1 : Math.abs(a.offsetNs);
  const ob = b.offsetNs === null ? -1 : Math.abs(b.offsetNs);
  if (oa !== ob) return ob - oa;
  return a.clusterName.localeCompare(b.clusterName) || a.nodeName.localeCompare(b.nodeName);
}

function graphqlError(err: unknown, cluster: string): GraphQLError {
  return toGraphQLError(err, cluster);
}

interface ClusterNodes {
  nodes: NodePtpModel[];
  errors: ClusterError[];
}

/** Every node of a cluster with a NodePtpDevice, read in one batch. Throws when none could be read. */
async function clusterNodes(parent: ClusterPtpModel, ctx: TimingContext): Promise<ClusterNodes> {
  const keys = parent.objects.devices.map((d) => ({ cluster: parent.clusterName, node: d.metadata.name }));
  const results = await ctx.loaders.nodePtp.loadMany(keys);
  const nodes: NodePtpModel[] = [];
  const errors: ClusterError[] = [];
  for (const r of results) {
    if (r instanceof ClusterError) errors.push(r);
    else if (r instanceof Error) errors.push(new ClusterError('UPSTREAM_ERROR', parent.clusterName, r.message, { cause: r }));
    else if (r?.metricsError) errors.push(r.metricsError); // these lists rank by metrics
    else if (r) nodes.push(r);
  }
  if (errors.length > 0 && nodes.length === 0) throw graphqlError(errors[0], parent.clusterName);
  return { nodes: nodes.sort(compareNodePtp), errors };
}

/** A metric field of a node: its value, or the error that kept the node's metrics from being read. */
function metric<T>(p: NodePtpModel, value: T): T {
  if (p.metricsError) throw graphqlError(p.metricsError, p.clusterName);
  return value;
}

function nodeRef(clusterName: string, name: string) {
  return { clusterName, name };
}

export const resolvers: Resolvers<TimingContext> = {
  Query: {
    async ptpNodes(_parent, args, ctx) {
      const selection = { clusters: args.clusters, labels: (args.clusterLabels ?? null) as LabelFilter[] | null };
      const { results, errors } = await fanOut(ctx.registry, selection, async (cluster, { report }) => {
        const objects = await ctx.loaders.objects.load(cluster);
        if (!objects) return [];
        const reads = await ctx.loaders.nodePtp.loadMany(objects.devices.map((d) => ({ cluster, node: d.metadata.name })));
        const nodes: NodePtpModel[] = [];
        // Pod-proxy reads fail per node: each distinct failure of a cluster is reported once.
        for (const r of reads) if (r instanceof Error) report(r);
        else if (r?.metricsError) report(r.metricsError); // filtered and ranked by metrics
        else if (r) nodes.push(r);
        return nodes;
      });
      const states = args.states?.length ? new Set(args.states) : undefined;
      let nodes = results.flatMap((r) => r.value).filter((n) => !states || states.has(n.syncState)).sort(compareNodePtp);
      if (args.limit !== undefined && args.limit !== null && args.limit >= 0) nodes = nodes.slice(0, args.limit);
      return withErrorEntries(nodes, errors);
    },
  },

  Subscription: {
    ptpClockStateChanged: {
      // An unknown cluster, or a node the cluster does not have, is one NOT_FOUND rather than a feed that never speaks.
      subscribe: (_parent, args, ctx) =>
        checkedEvents(ctx, args, () => ctx.feeds.clockStateChanges({ cluster: args.cluster, node: args.node, states: args.states })),
      resolve: (event: unknown) => event as never,
    },
    ptpClockClassChanged: {
      subscribe: (_parent, args, ctx) => checkedEvents(ctx, args, () => ctx.feeds.clockClassChanges({ cluster: args.cluster, node: args.node })),
      resolve: (event: unknown) => event as never,
    },
  },

  FleetSummary: {
    __resolveReference: (ref) => ({ selector: ref.selector }),
    timing: (s, _args, ctx) => ctx.summary.part(s.selector, ctx.registry),
  },

  Cluster: {
    __resolveReference: (ref) => ({ name: ref.name }),
    async ptp(cluster, _args, ctx) {
      try {
        const objects = await ctx.loaders.objects.load(cluster.name);
        return objects ? { clusterName: cluster.name, objects } : null;
      } catch (err) {
        throw graphqlError(err, cluster.name);
      }
    },
  },

  Node: {
    __resolveReference: (ref) => ({ clusterName: ref.clusterName, name: ref.name }),
    async ptp(node, _args, ctx) {
      try {
        return await ctx.loaders.nodePtp.load({ cluster: node.clusterName, node: node.name });
      } catch (err) {
        throw graphqlError(err, node.clusterName);
      }
    },
  },

  // Configuration fields answer from the model; metric fields carry the node's metrics error, if any.
  NodePtp: {
    node: (p) => nodeRef(p.clusterName, p.nodeName),
    syncState: (p) => metric(p, p.syncState),
    clockClass: (p) => metric(p, p.clockClass),
    offsetNs: (p) => metric(p, p.offsetNs),
    maxAbsOffsetNs: (p) => metric(p, p.maxAbsOffsetNs),
    beyondThreshold: (p) => metric(p, p.beyondThreshold),
    clocks: (p) => metric(p, p.clocks),
    ports: (p) => metric(p, p.ports),
    processes: (p) => metric(p, p.processes),
    read: (p) => metric(p, p.read),
  },

  ClusterPtp: {
    clusterName: (p) => p.clusterName,
    operatorConfig: (p) => (p.objects.operatorConfig ? mapOperatorConfig(p.objects.operatorConfig) : null),
    encoding: (p) => encodingOf(eventPublisherEnabled(p.objects.operatorConfig), []),
    async configs(p, _args, ctx) {
      try {
        const assignment = await ctx.loaders.assignment.load(p.clusterName);
        return assignment ? p.objects.configs.map((c) => mapPtpConfig(p.clusterName, c, assignment)) : [];
      } catch (err) {
        throw graphqlError(err, p.clusterName);
      }
    },
    devices: (p) => p.objects.devices.map(mapNodePtpDevice),
    async nodes(p, _args, ctx) {
      const { nodes, errors } = await clusterNodes(p, ctx);
      return withErrorEntries(nodes, errors.map((e) => graphqlError(e, p.clusterName)));
    },
    nodesTotal: (p) => p.objects.devices.length,
    async nodesLocked(p, _args, ctx) {
      return (await clusterNodes(p, ctx)).nodes.filter((n) => n.syncState === 'LOCKED').length;
    },
    async avgAbsOffsetNs(p, _args, ctx) {
      const offsets = (await clusterNodes(p, ctx)).nodes.map((n) => n.offsetNs).filter((o): o is number => o !== null);
      return offsets.length ? offsets.reduce((sum, o) => sum + Math.abs(o), 0) / offsets.length : null;
    },
    async maxAbsOffsetNs(p, _args, ctx) {
      const values = (await clusterNodes(p, ctx)).nodes.map((n) => n.maxAbsOffsetNs).filter((o): o is number => o !== null);
      return values.length ? Math.max(...values) : null;
    },
    async nodesBeyondThreshold(p, _args, ctx) {
      return (await clusterNodes(p, ctx)).nodes.filter((n) => n.beyondThreshold).length;
    },
    async grandmasterCapableNodes(p, _args, ctx) {
      return (await clusterNodes(p, ctx)).nodes.filter((n) => n.grandmasterCapable).map((n) => nodeRef(n.clusterName, n.nodeName));
    },
    async read(p, _args, ctx) {
      const reads = (await clusterNodes(p, ctx)).nodes.map((n) => n.read).filter((r) => r !== null);
      // The oldest read: what the summary is at least as fresh as.
      return reads.sort((a, b) => a.readAt.localeCompare(b.readAt))[0] ?? null;
    },
  },

  PtpClockStateEvent: {
    node: (e) => nodeRef(e.clusterName, e.nodeName),
  },

  PtpClockClassEvent: {
    node: (e) => nodeRef(e.clusterName, e.nodeName),
  },
};
