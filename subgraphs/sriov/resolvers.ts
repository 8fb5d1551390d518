// Resolvers of the sriov subgraph (typed by codegen from schema/sriov.graphql). Every cluster read goes
// through the request's per-cluster loaders; a failing cluster throws a coded error for its own field
// only. A cluster without the SR-IOV operator, or a node without a node state, is null with no error.
import { GraphQLError, GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import { fromCluster } from '../kube/errors.js';
import { checkedEvents } from '../kube/subscription-target.js';
import type { SriovContext } from './context.js';
import type { Resolvers } from './generated/types.js';
import type { NodeSriovModel, VfTotalsModel } from './models.js';
import { deviceKey } from '../kube/multus.js';
import { syncStatusChanges } from './events.js';
import { comparePolicies, mapNetwork, mapPolicy, nodeResources, parseIpam, sumResources, vfCounts, vfIndex } from './sources.js';

async function statesOf(ctx: SriovContext, cluster: string): Promise<Map<string, NodeSriovModel> | null> {
  if (!ctx.registry.has(cluster)) return null;
  return ctx.loaders.states.load(cluster);
}

async function resourcesOf(ctx: SriovContext, node: NodeSriovModel) {
  const inputs = await ctx.loaders.resourceInputs.load(node.clusterName);
  return nodeResources(node, { ...inputs, nodeObject: inputs.nodes.get(node.nodeName) ?? null });
}

async function countsOf(ctx: SriovContext, totals: VfTotalsModel) {
  const { allocations } = await ctx.loaders.pods.load(totals.clusterName);
  return vfCounts(totals.nodes, allocations);
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

export const resolvers: Resolvers<SriovContext> = {
  JSON: JSONScalar,

  Subscription: {
    sriovSyncStatusChanged: {
      // An unknown cluster, or a node the cluster does not have, is one NOT_FOUND rather than a watch that never speaks.
      subscribe: (_parent, args, ctx) => checkedEvents(ctx, args, () => syncStatusChanges(ctx.watchCaches, { cluster: args.cluster, node: args.node })),
      resolve: (event: unknown, _args: unknown, ctx: SriovContext) => {
        ctx.renew();
        return event as never;
      },
    },
  },

  FleetSummary: {
    __resolveReference: (ref) => ({ selector: ref.selector }),
    sriov: (s, _args, ctx) => ctx.summary.part(s.selector, ctx.registry),
  },

  Cluster: {
    __resolveReference: (ref) => ({ name: ref.name }),
    sriov: (cluster, _args, ctx) =>
      fromCluster(cluster.name, async () => {
        const states = await statesOf(ctx, cluster.name);
        return states ? { clusterName: cluster.name, nodes: [...states.values()] } : null;
      }),
  },

  Node: {
    __resolveReference: (ref) => ({ clusterName: ref.clusterName, name: ref.name }),
    sriov: (node, _args, ctx) => fromCluster(node.clusterName, async () => (await statesOf(ctx, node.clusterName))?.get(node.name) ?? null),
  },

  NodeSriov: {
    node: (n) => ({ clusterName: n.clusterName, name: n.nodeName }),
    vfs: (n) => ({ clusterName: n.clusterName, nodes: [n] }),
    resources: (n, _args, ctx) => fromCluster(n.clusterName, () => resourcesOf(ctx, n)),
    allocations: (n, _args, ctx) =>
      fromCluster(n.clusterName, async () => {
        const { allocations } = await ctx.loaders.pods.load(n.clusterName);
        return [...allocations.values()]
          .filter((a) => a.nodeName === n.nodeName)
          .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.podName.localeCompare(b.podName) || (a.interface ?? '').localeCompare(b.interface ?? ''));
      }),
  },

  SriovVfTotals: {
    total: (t) => vfCounts(t.nodes, new Map()).total,
    configured: (t) => vfCounts(t.nodes, new Map()).configured,
    allocated: (t, _args, ctx) => fromCluster(t.clusterName, async () => (await countsOf(ctx, t)).allocated),
    free: (t, _args, ctx) => fromCluster(t.clusterName, async () => (await countsOf(ctx, t)).free),
  },

  SriovVirtualFunction: {
    __resolveReference: (ref, ctx) =>
      fromCluster(ref.clusterName, async () => {
        const node = (await statesOf(ctx, ref.clusterName))?.get(ref.nodeName);
        return node ? (vfIndex([node]).get(deviceKey(ref.nodeName, ref.pciAddress)) ?? null) : null;
      }),
    allocation: (vf, _args, ctx) =>
      fromCluster(vf.clusterName, async () => {
        const { allocations } = await ctx.loaders.pods.load(vf.clusterName);
        return allocations.get(deviceKey(vf.nodeName, vf.pciAddress)) ?? null;
      }),
  },

  SriovVfAllocation: {
    pod: (a) => ({ clusterName: a.clusterName, namespace: a.namespace, name: a.podName }),
    vf: (a, _args, ctx) =>
      fromCluster(a.clusterName, async () => {
        const node = (await statesOf(ctx, a.clusterName))?.get(a.nodeName);
        return node ? (vfIndex([node]).get(deviceKey(a.nodeName, a.pciAddress)) ?? null) : null;
      }),
  },

  ClusterSriov: {
    policies: (c, _args, ctx) =>
      fromCluster(c.clusterName, async () => ((await ctx.loaders.policies.load(c.clusterName)) ?? []).map(mapPolicy).sort(comparePolicies)),
    networks: (c, _args, ctx) =>
      fromCluster(c.clusterName, async () =>
        ((await ctx.loaders.networks.load(c.clusterName)) ?? []).map((n) => mapNetwork(c.clusterName, n)).sort((a, b) => a.name.localeCompare(b.name)),
      ),
    nodesTotal: (c) => c.nodes.length,
    nodesInSync: (c) => c.nodes.filter((n) => n.inSync).length,
    nodesOutOfSync: (c) => c.nodes.filter((n) => !n.inSync).length,
    outOfSyncNodes: (c) => c.nodes.filter((n) => !n.inSync),
    vfs: (c) => ({ clusterName: c.clusterName, nodes: c.nodes }),
    resources: (c, _args, ctx) => fromCluster(c.clusterName, async () => sumResources(await Promise.all(c.nodes.map((n) => resourcesOf(ctx, n))))),
  },

  SriovNetwork: {
    ipam: (n) => {
      const parsed = parseIpam(n.ipamText ?? null);
      if (!parsed) return null;
      if (parsed.ok) return parsed.value;
      throw new GraphQLError(`SriovNetwork ${n.namespace}/${n.name} in cluster ${n.clusterName}: spec.ipam is not valid JSON (${parsed.error})`, {
        extensions: { code: 'UPSTREAM_ERROR', reason: 'InvalidJSON', cluster: n.clusterName },
      });
    },
    attachmentDefinition: (n, _args, ctx) =>
      fromCluster(n.clusterName, async () => {
        const nads = (await ctx.loaders.attachmentDefinitions.load(n.clusterName)) ?? [];
        const nad = nads.find((d) => d.metadata.namespace === n.networkNamespace && d.metadata.name === n.name);
        if (!nad) return null;
        return {
          namespace: nad.metadata.namespace ?? n.networkNamespace,
          name: nad.metadata.name,
          resource: nad.metadata.annotations?.['k8s.v1.cni.cncf.io/resourceName'] ?? null,
        };
      }),
  },

  SriovSyncStatusEvent: {
    node: (e) => ({ clusterName: e.clusterName, name: e.nodeName }),
  },
};
