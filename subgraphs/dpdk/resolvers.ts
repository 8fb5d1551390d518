// Resolvers of the dpdk subgraph (typed by codegen from schema/dpdk.graphql). Finding pods fails per
// cluster (a coded error on the field that needed the cluster); reading telemetry fails per pod (a coded
// error naming the pod, `extensions.pod`), and in rankings such a pod is a null entry at the end.
import { GraphQLError } from 'graphql';
import { fromCluster, toGraphQLError } from '../kube/errors.js';
import { withErrorEntries } from '../kube/fan-out.js';
import type { DpdkContext } from './context.js';
import type { DpdkPodOrder, Resolvers } from './generated/types.js';
import type { PodReading } from './loaders.js';
import type { NodeDpdkModel, PodDpdkModel } from './models.js';
import { drops, mapLinkStatus, mapPortInfo, mapXstats, pciAddressOf, STAT_FIELDS, type StatValues } from './telemetry.js';

/** A telemetry failure of one pod: the cluster error's extensions plus `pod: namespace/name`. */
function podError(err: unknown, pod: PodDpdkModel): GraphQLError {
  const base = toGraphQLError(err, pod.clusterName);
  return new GraphQLError(base.message, {
    originalError: err instanceof Error ? err : undefined,
    extensions: { ...base.extensions, pod: `${pod.namespace}/${pod.podName}` },
  });
}

async function fromPod<T>(pod: PodDpdkModel, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw podError(err, pod);
  }
}

function withDrops(stats: StatValues & { readAt: string }) {
  return { ...stats, drops: drops(stats) };
}

function rankValue(reading: PodReading, order: DpdkPodOrder): number {
  const t = reading.totals;
  switch (order) {
    case 'MISSED':
      return t.imissed;
    case 'ERRORS':
      return t.ierrors + t.oerrors;
    case 'NOMBUF':
      return t.rx_nombuf;
    case 'DROP_RATE':
      return reading.rates?.drops ?? -1;
    default:
      return drops(t);
  }
}

interface Readings {
  read: { pod: PodDpdkModel; reading: PodReading }[];
  failed: GraphQLError[];
}

async function readAll(ctx: DpdkContext, pods: readonly PodDpdkModel[]): Promise<Readings> {
  const results = await ctx.loaders.reading.loadMany(pods);
  const out: Readings = { read: [], failed: [] };
  results.forEach((r, i) => {
    if (r instanceof Error) out.failed.push(podError(r, pods[i]));
    else out.read.push({ pod: pods[i], reading: r });
  });
  return out;
}

/** Highest first (ties by namespace/name), at most `limit`; pods that could not be read as errors at the end. */
async function ranked(ctx: DpdkContext, pods: readonly PodDpdkModel[], order: DpdkPodOrder, limit: number | null | undefined) {
  const { read, failed } = await readAll(ctx, pods);
  read.sort(
    (a, b) =>
      rankValue(b.reading, order) - rankValue(a.reading, order) ||
      a.pod.namespace.localeCompare(b.pod.namespace) ||
      a.pod.podName.localeCompare(b.pod.podName),
  );
  const top = limit !== null && limit !== undefined && limit >= 0 ? read.slice(0, limit) : read;
  return withErrorEntries(top.map((r) => r.pod), failed);
}

async function totalsOf(ctx: DpdkContext, pods: readonly PodDpdkModel[]) {
  const { read } = await readAll(ctx, pods);
  if (read.length === 0) return null;
  const sum = {} as StatValues;
  for (const field of STAT_FIELDS) sum[field] = read.reduce((s, r) => s + r.reading.totals[field], 0);
  const readAt = read.map((r) => r.reading.totals.readAt).sort().at(-1)!;
  return withDrops({ ...sum, readAt });
}

function nodesOf(clusterName: string, pods: readonly PodDpdkModel[]): NodeDpdkModel[] {
  const byNode = new Map<string, PodDpdkModel[]>();
  for (const p of pods) if (p.nodeName) byNode.set(p.nodeName, [...(byNode.get(p.nodeName) ?? []), p]);
  return [...byNode]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([nodeName, list]) => ({ clusterName, nodeName, pods: list }));
}

export const resolvers: Resolvers<DpdkContext> = {
  FleetSummary: {
    __resolveReference: (ref) => ({ selector: ref.selector }),
    dpdk: (s, _args, ctx) => ctx.summary.part(s.selector, ctx.registry),
  },

  Cluster: {
    __resolveReference: (ref) => ({ name: ref.name }),
    dpdk: (c, _args, ctx) =>
      fromCluster(c.name, async () => {
        if (!ctx.registry.has(c.name)) return null;
        const pods = await ctx.loaders.clusterPods.load(c.name);
        return pods.length ? { clusterName: c.name, pods } : null;
      }),
  },

  Node: {
    __resolveReference: (ref) => ({ clusterName: ref.clusterName, name: ref.name }),
    dpdk: (n, _args, ctx) =>
      fromCluster(n.clusterName, async () => {
        if (!ctx.registry.has(n.clusterName)) return null;
        const pods = (await ctx.loaders.clusterPods.load(n.clusterName)).filter((p) => p.nodeName === n.name);
        return pods.length ? { clusterName: n.clusterName, nodeName: n.name, pods } : null;
      }),
  },

  Pod: {
    __resolveReference: (ref) => ({ clusterName: ref.clusterName, namespace: ref.namespace, name: ref.name }),
    dpdk: (p, _args, ctx) =>
      fromCluster(p.clusterName, async () => {
        if (!ctx.registry.has(p.clusterName)) return null;
        return ctx.loaders.pod.load({ cluster: p.clusterName, namespace: p.namespace, name: p.name });
      }),
  },

  PodDpdk: {
    pod: (p) => ({ clusterName: p.clusterName, namespace: p.namespace, name: p.podName }),
    node: (p) => (p.nodeName ? { clusterName: p.clusterName, name: p.nodeName } : null),
    version: (p, _args, ctx) =>
      fromPod(p, async () => {
        const info = (await ctx.loaders.command.load({ pod: p, command: '/info' })) as { version?: unknown } | null;
        return typeof info?.version === 'string' ? info.version : null;
      }),
    ports: (p, _args, ctx) => fromPod(p, async () => (await ctx.loaders.ports.load(p)).map((portId) => ({ pod: p, portId }))),
    totals: (p, _args, ctx) => fromPod(p, async () => withDrops((await ctx.loaders.reading.load(p)).totals)),
    rates: (p, _args, ctx) => fromPod(p, async () => (await ctx.loaders.reading.load(p)).rates),
  },

  DpdkPort: {
    portId: (port) => port.portId,
    name: (port, _args, ctx) => fromPod(port.pod, async () => mapPortInfo(await infoOf(ctx, port.pod, port.portId)).name),
    pciAddress: (port, _args, ctx) => fromPod(port.pod, async () => pciAddressOf(mapPortInfo(await infoOf(ctx, port.pod, port.portId)).name)),
    network: (port, _args, ctx) =>
      fromPod(port.pod, async () => {
        const pci = pciAddressOf(mapPortInfo(await infoOf(ctx, port.pod, port.portId)).name);
        const entry = pci ? port.pod.networks.find((n) => n.pciAddress?.toLowerCase() === pci) : undefined;
        return entry ? { name: entry.name, interface: entry.interface, mac: entry.mac, pciAddress: pci! } : null;
      }),
    vf: (port, _args, ctx) =>
      fromPod(port.pod, async () => {
        const pci = pciAddressOf(mapPortInfo(await infoOf(ctx, port.pod, port.portId)).name);
        return pci && port.pod.nodeName ? { clusterName: port.pod.clusterName, nodeName: port.pod.nodeName, pciAddress: pci } : null;
      }),
    stats: (port, _args, ctx) =>
      fromPod(port.pod, async () => {
        const s = await ctx.loaders.sample.load({ pod: port.pod, portId: port.portId });
        return withDrops({ ...s.stats, readAt: s.readAt });
      }),
    rates: (port, _args, ctx) => fromPod(port.pod, async () => (await ctx.loaders.sample.load({ pod: port.pod, portId: port.portId })).rates),
    link: (port, _args, ctx) =>
      fromPod(port.pod, async () => mapLinkStatus(await ctx.loaders.command.load({ pod: port.pod, command: `/ethdev/link_status,${port.portId}` }))),
    info: (port, _args, ctx) => fromPod(port.pod, async () => mapPortInfo(await infoOf(ctx, port.pod, port.portId))),
    xstats: (port, args, ctx) =>
      fromPod(port.pod, async () =>
        mapXstats(await ctx.loaders.command.load({ pod: port.pod, command: `/ethdev/xstats,${port.portId}` }), { hideZero: args.hideZero, prefix: args.prefix }),
      ),
  },

  NodeDpdk: {
    node: (n) => ({ clusterName: n.clusterName, name: n.nodeName }),
    podsTotal: (n) => n.pods.length,
    pods: (n, args, ctx) => ranked(ctx, n.pods, args.orderBy ?? 'DROPS', args.limit),
    totals: (n, _args, ctx) => totalsOf(ctx, n.pods),
  },

  ClusterDpdk: {
    podsTotal: (c) => c.pods.length,
    pods: (c, args, ctx) => ranked(ctx, c.pods, args.orderBy ?? 'DROPS', args.limit),
    nodes: (c) => nodesOf(c.clusterName, c.pods),
    totals: (c, _args, ctx) => totalsOf(ctx, c.pods),
  },
};

function infoOf(ctx: DpdkContext, pod: PodDpdkModel, portId: number): Promise<unknown> {
  return ctx.loaders.command.load({ pod, command: `/ethdev/info,${portId}` });
}
