// Resolvers of the cni subgraph (typed by codegen from schema/cni.graphql). Every cluster read goes
// through the request's per-cluster loaders; a failing cluster throws a coded error for its own field
// only; fleet-wide root fields go through the shared fan-out. A cluster without Multus answers empty
// lists; a NAD whose config does not parse fails its `config` field only.
import { cniSummary } from './summary.js';
import { GraphQLError } from 'graphql';
import { fanOut, withErrorEntries } from '../kube/fan-out.js';
import { fromCluster } from '../kube/errors.js';
import { checkedEvents } from '../kube/subscription-target.js';
import type { CniContext } from './context.js';
import { podNetworkEvents as subscribeEvents } from './events.js';
import type { Resolvers } from './generated/types.js';
import type { CniEventCategory, NadModel, PodNetworkEventModel, PodRef } from './models.js';
import { interfacesExpected, mapPodNetworks, missingNetworks, networksComplete } from './pod-networks.js';
import { resolveNad } from './pod-events.js';
import { networkReadiness } from './readiness.js';
import { podNetworkEvents, selectEvents, summarizeByPlugin, type ClusterSummaryInput } from './sources.js';

/** The most Events one field answers. */
export const MAX_LIMIT = 1000;

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function selection(args: { since?: string | null; categories?: readonly CniEventCategory[] | null; limit?: number | null }) {
  const limit = args.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw badInput(`limit must be an integer between 0 and ${MAX_LIMIT}, got ${limit}`);
  let since: number | null = null;
  if (args.since !== undefined && args.since !== null) {
    since = Date.parse(args.since);
    if (Number.isNaN(since)) throw badInput(`since must be an ISO-8601 time, got ${JSON.stringify(args.since)}`);
  }
  return { since, categories: args.categories ?? null, limit };
}

function nadNamed(nads: readonly NadModel[], namespace: string | null, name: string | null): NadModel | null {
  return nads.find((n) => n.namespace === namespace && n.name === name) ?? null;
}

async function podEvents(ctx: CniContext, pod: PodRef): Promise<PodNetworkEventModel[]> {
  const key = { cluster: pod.clusterName, namespace: pod.namespace, name: pod.name };
  const [raw, nads, found] = await Promise.all([ctx.loaders.podEvents.load(key), ctx.loaders.nads.load(pod.clusterName), ctx.loaders.pod.load(key)]);
  const podNodes = new Map(found?.spec?.nodeName ? [[`${pod.namespace}/${pod.name}`, found.spec.nodeName]] : []);
  return podNetworkEvents(pod.clusterName, raw, { nads, podNodes });
}

async function clusterSummary(ctx: CniContext, cluster: string): Promise<ClusterSummaryInput> {
  const [network, pods, events, raw] = await Promise.all([
    ctx.loaders.network.load(cluster),
    ctx.loaders.pods.load(cluster),
    ctx.loaders.events.load(cluster),
    ctx.loaders.rawEvents.load(cluster),
  ]);
  const byPod = new Map<string, typeof raw>();
  for (const e of raw) {
    const uid = e.involvedObject?.uid ?? '';
    byPod.set(uid, [...(byPod.get(uid) ?? []), e]);
  }
  let missing = 0;
  const readiness: number[] = [];
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (pod.spec?.hostNetwork || phase === 'Succeeded' || phase === 'Failed') continue;
    const networks = mapPodNetworks(cluster, pod);
    if (!networksComplete(networks)) missing++;
    const r = networkReadiness(pod, byPod.get(pod.metadata.uid ?? '') ?? [], interfacesExpected(networks));
    if (r.secondsToNetworks !== null) readiness.push(r.secondsToNetworks);
  }
  return { clusterName: cluster, plugin: network.primary.plugin, podsWithMissingNetworks: missing, events, readinessSeconds: readiness };
}

export const resolvers: Resolvers<CniContext> = {
  Query: {
    async cniEvents(_parent, args, ctx) {
      const chosen = selection(args);
      const { results, errors } = await fanOut(ctx.registry, { clusters: args.clusters }, (cluster) => ctx.loaders.events.load(cluster));
      return withErrorEntries(selectEvents(results.flatMap((r) => r.value), chosen), errors);
    },
    async cniSummary(_parent, args, ctx) {
      const { results, errors } = await fanOut(ctx.registry, { clusters: args.clusters }, (cluster) => clusterSummary(ctx, cluster));
      return withErrorEntries(summarizeByPlugin(results.map((r) => r.value), Date.now()), errors);
    },
  },

  Subscription: {
    podNetworkEvent: {
      // An unknown cluster is one NOT_FOUND rather than a feed that never speaks.
      subscribe: (_parent, args, ctx) => checkedEvents(ctx, { cluster: args.cluster }, () => subscribeEvents(ctx.feed, args)),
      resolve: (event: unknown, _args: unknown, ctx: CniContext) => {
        ctx.renew();
        return event as PodNetworkEventModel;
      },
    },
  },

  FleetSummary: {
    __resolveReference: (ref) => ({ selector: ref.selector }),
    cni: (s, _args, ctx) => cniSummary(ctx, s.selector),
  },

  Cluster: {
    __resolveReference: (ref) => ({ name: ref.name }),
    network: (cluster, _args, ctx) => (ctx.registry.has(cluster.name) ? fromCluster(cluster.name, () => ctx.loaders.network.load(cluster.name)) : null),
  },

  ClusterNetwork: {
    primaryPlugin: (n) => n.primary.plugin,
    pluginName: (n) => n.primary.pluginName,
    detectedBy: (n) => n.primary.source,
    rule: (n) => n.primary.rule,
    otherSignals: (n) => n.primary.otherSignals,
    attachmentDefinitions: (n, args, ctx) =>
      fromCluster(n.clusterName, async () => (await ctx.loaders.nads.load(n.clusterName)).filter((d) => !args.namespace || d.namespace === args.namespace)),
    events: async (n, args, ctx) => {
      const chosen = selection(args);
      return fromCluster(n.clusterName, async () => selectEvents(await ctx.loaders.events.load(n.clusterName), chosen));
    },
  },

  NetworkAttachmentDefinition: {
    config: (n) => {
      if (n.config.ok) return n.config.config;
      throw new GraphQLError(`cluster ${n.clusterName}: ${n.config.error}`, { extensions: { code: 'UPSTREAM_ERROR', reason: 'InvalidNadConfig', cluster: n.clusterName } });
    },
  },

  Pod: {
    __resolveReference: (ref) => ({ clusterName: ref.clusterName, namespace: ref.namespace, name: ref.name }),
    networks: (pod, _args, ctx) =>
      fromCluster(pod.clusterName, async () => {
        if (!ctx.registry.has(pod.clusterName)) return null;
        const found = await ctx.loaders.pod.load({ cluster: pod.clusterName, namespace: pod.namespace, name: pod.name });
        return found ? mapPodNetworks(pod.clusterName, found) : null;
      }),
    networkEvents: async (pod, args, ctx) => {
      const chosen = selection(args);
      if (!ctx.registry.has(pod.clusterName)) return null;
      return fromCluster(pod.clusterName, async () => selectEvents(await podEvents(ctx, pod), chosen));
    },
    networkReadiness: (pod, _args, ctx) =>
      fromCluster(pod.clusterName, async () => {
        if (!ctx.registry.has(pod.clusterName)) return null;
        const key = { cluster: pod.clusterName, namespace: pod.namespace, name: pod.name };
        const [found, raw] = await Promise.all([ctx.loaders.pod.load(key), ctx.loaders.podEvents.load(key)]);
        return found ? networkReadiness(found, raw, interfacesExpected(mapPodNetworks(pod.clusterName, found))) : null;
      }),
  },

  PodNetworks: {
    requested: (m) => {
      if (m.requests.ok) return m.requests.requests;
      throw new GraphQLError(`cluster ${m.clusterName}: ${m.requests.error}`, { extensions: { code: 'UPSTREAM_ERROR', reason: 'InvalidNetworksAnnotation', cluster: m.clusterName } });
    },
    missing: (m) => {
      if (m.requests.ok) return missingNetworks(m);
      throw new GraphQLError(`cluster ${m.clusterName}: ${m.requests.error}`, { extensions: { code: 'UPSTREAM_ERROR', reason: 'InvalidNetworksAnnotation', cluster: m.clusterName } });
    },
    complete: (m) => networksComplete(m),
  },

  PodNetworkRequest: {
    attachmentDefinition: (r, _args, ctx) => fromCluster(r.clusterName, async () => nadNamed(await ctx.loaders.nads.load(r.clusterName), r.namespace, r.name)),
  },

  PodNetworkAttachment: {
    vf: (a) => (a.pciAddress && a.nodeName ? { clusterName: a.clusterName, nodeName: a.nodeName, pciAddress: a.pciAddress } : null),
  },

  CniEvent: {
    id: (e) => `${e.clusterName}/${e.namespace}/${e.eventName}`,
    pod: (e) => ({ clusterName: e.clusterName, namespace: e.namespace, name: e.podName }),
    nodeName: (e, _args, ctx) =>
      e.nodeName ?? fromCluster(e.clusterName, async () => (await ctx.loaders.podNodes.load(e.clusterName)).get(`${e.namespace}/${e.podName}`) ?? null),
    node: async (e, _args, ctx) => {
      const name = e.nodeName ?? (await fromCluster(e.clusterName, async () => (await ctx.loaders.podNodes.load(e.clusterName)).get(`${e.namespace}/${e.podName}`) ?? null));
      return name ? { clusterName: e.clusterName, name } : null;
    },
    network: (e) => e.network?.name ?? null,
    nadNamespace: (e) => e.network?.nadNamespace ?? null,
    nadName: (e) => e.network?.nadName ?? null,
    attachmentDefinition: (e, _args, ctx) =>
      e.network
        ? fromCluster(e.clusterName, async () => resolveNad(e.network!, e.namespace, await ctx.loaders.nads.load(e.clusterName)))
        : null,
  },

  CniPluginSummary: {
    clusters: (s) => s.clusterNames.map((name) => ({ name })),
  },
};
