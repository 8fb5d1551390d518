// Resolvers of the oda subgraph (typed by codegen from schema/oda.graphql). Every cluster read goes
// through the request's per-cluster loaders (warm watch caches: 0 requests); a failing cluster throws a
// coded error for its own field only; a cluster without the ODA CRDs answers empty lists with no error.
// A component whose status is malformed keeps its metadata; only its status fields throw.
import { odaSummary } from './summary.js';
import { GraphQLError } from 'graphql';
import { fanOut, withErrorEntries } from '../kube/fan-out.js';
import { fromCluster } from '../kube/errors.js';
import type { LabelFilter } from '../kube/labels.js';
import { checkedEvents } from '../kube/subscription-target.js';
import type { OdaContext } from './context.js';
import { componentChanges, exposedApiChanges } from './events.js';
import { checkTextFilters, matchesComponent, matchesSpecification } from './filters.js';
import type { Resolvers } from './generated/types.js';
import type { OdaComponentModel, OdaComponentStatusModel, OdaFindingModel, OdaSpecification } from './models.js';
import { componentOf, declaredApiInstances, declaredDependentInstances, providerOf, registryCounts, registryFindings, type RegistryObjects } from './registry.js';

const DEFAULT_OLDER_THAN_SECONDS = 300;

/** The operator-written status, or the coded error saying why it cannot be read. */
function statusOf(c: OdaComponentModel): OdaComponentStatusModel | null {
  if (c.statusError === null) return c.status;
  throw new GraphQLError(`Component ${c.namespace}/${c.name} in cluster ${c.clusterName}: status is malformed: ${c.statusError}`, {
    extensions: { code: 'UPSTREAM_ERROR', reason: 'MalformedStatus', cluster: c.clusterName },
  });
}

function olderThan(value: number | null | undefined): number {
  const seconds = value ?? DEFAULT_OLDER_THAN_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new GraphQLError(`"olderThanSeconds" must be an integer ≥ 0, got ${seconds}`, { extensions: { code: 'BAD_USER_INPUT', argument: 'olderThanSeconds' } });
  }
  return seconds;
}

/** One cluster's registry objects (empty without the ODA CRDs). Throws ClusterError. */
async function objectsOf(ctx: OdaContext, cluster: string): Promise<RegistryObjects> {
  const [components, exposedApis, dependentApis] = await Promise.all([
    ctx.loaders.components.load(cluster),
    ctx.loaders.exposedApis.load(cluster),
    ctx.loaders.dependentApis.load(cluster),
  ]);
  return { components: components ?? [], exposedApis: exposedApis ?? [], dependentApis: dependentApis ?? [] };
}

async function findingsOf(ctx: OdaContext, cluster: string, seconds: number): Promise<OdaFindingModel[]> {
  return registryFindings(await objectsOf(ctx, cluster), { now: ctx.now(), olderThanSeconds: seconds, notReadySince: ctx.reader.clock.notReadySince });
}

const selection = (args: { clusters?: readonly string[] | null; clusterLabels?: readonly LabelFilter[] | null }) => ({
  clusters: args.clusters ?? null,
  labels: (args.clusterLabels ?? null) as LabelFilter[] | null,
});

const firstTmfId = (specifications: readonly OdaSpecification[]) => specifications.find((s) => s.tmfApiId)?.tmfApiId ?? null;

export const resolvers: Resolvers<OdaContext> = {
  Query: {
    async odaComponents(_parent, args, ctx) {
      checkTextFilters(args, ['id', 'name', 'functionalBlock']);
      const { results, errors } = await fanOut(ctx.registry, selection(args), async (cluster) => (await ctx.loaders.components.load(cluster)) ?? []);
      return withErrorEntries(results.flatMap((r) => r.value.filter((c) => matchesComponent(c, args))), errors);
    },
    async odaExposedApis(_parent, args, ctx) {
      checkTextFilters(args, ['specification']);
      const { results, errors } = await fanOut(ctx.registry, selection(args), async (cluster) => (await ctx.loaders.exposedApis.load(cluster)) ?? []);
      const apis = results
        .flatMap((r) => r.value)
        .filter((a) => (args.specification ? matchesSpecification(a.specifications, args.specification) : true))
        .filter((a) => (args.ready === null || args.ready === undefined ? true : a.ready === args.ready));
      return withErrorEntries(apis, errors);
    },
    async odaRegistryCheck(_parent, args, ctx) {
      const seconds = olderThan(args.olderThanSeconds);
      const { results, errors } = await fanOut(ctx.registry, selection(args), (cluster) => findingsOf(ctx, cluster, seconds));
      return withErrorEntries(
        results.flatMap((r) => r.value),
        errors,
      );
    },
  },

  Subscription: {
    odaComponentChanged: {
      // An unknown cluster is one NOT_FOUND rather than a watch that never speaks.
      subscribe: (_parent, args, ctx) => checkedEvents(ctx, { cluster: args.cluster }, () => componentChanges(ctx.feeds, args)),
      resolve: (event: unknown, _args: unknown, ctx: OdaContext) => {
        ctx.renew();
        return event as never;
      },
    },
    odaExposedApiChanged: {
      subscribe: (_parent, args, ctx) => {
        checkTextFilters(args, ['specification']);
        return checkedEvents(ctx, { cluster: args.cluster }, () => exposedApiChanges(ctx.feeds, args));
      },
      resolve: (event: unknown, _args: unknown, ctx: OdaContext) => {
        ctx.renew();
        return event as never;
      },
    },
  },

  FleetSummary: {
    __resolveReference: (ref) => ({ selector: ref.selector }),
    oda: (s, _args, ctx) => odaSummary(ctx, s.selector),
  },

  Cluster: {
    __resolveReference: (ref) => ({ name: ref.name }),
    odaComponents: (cluster, args, ctx) =>
      fromCluster(cluster.name, async () => {
        if (!ctx.registry.has(cluster.name)) return null;
        return ((await ctx.loaders.components.load(cluster.name)) ?? []).filter((c) => matchesComponent(c, args));
      }),
    odaExposedApis: (cluster, args, ctx) =>
      fromCluster(cluster.name, async () => {
        checkTextFilters(args, ['specification']);
        if (!ctx.registry.has(cluster.name)) return null;
        return ((await ctx.loaders.exposedApis.load(cluster.name)) ?? []).filter(
          (a) =>
            (!args.namespace || a.namespace === args.namespace) &&
            (!args.specification || matchesSpecification(a.specifications, args.specification)) &&
            (args.ready === null || args.ready === undefined || a.ready === args.ready),
        );
      }),
    odaDependentApis: (cluster, args, ctx) =>
      fromCluster(cluster.name, async () => {
        if (!ctx.registry.has(cluster.name)) return null;
        return ((await ctx.loaders.dependentApis.load(cluster.name)) ?? []).filter((d) => !args.namespace || d.namespace === args.namespace);
      }),
    odaRegistry: (cluster, _args, ctx) =>
      fromCluster(cluster.name, async () => (ctx.registry.has(cluster.name) ? registryCounts(cluster.name, await objectsOf(ctx, cluster.name)) : null)),
    odaRegistryCheck: (cluster, args, ctx) =>
      fromCluster(cluster.name, async () => {
        const seconds = olderThan(args.olderThanSeconds);
        return ctx.registry.has(cluster.name) ? findingsOf(ctx, cluster.name, seconds) : null;
      }),
  },

  OdaComponent: {
    cluster: (c) => ({ name: c.clusterName }),
    exposedApis: (c, args, ctx) =>
      fromCluster(c.clusterName, async () => {
        const apis = (await ctx.loaders.exposedApis.load(c.clusterName)) ?? [];
        return declaredApiInstances(c, apis)
          .filter((i) => !args.segment || i.declared.segment === args.segment)
          .map((i) => ({ ...i, component: c }));
      }),
    dependentApis: (c, args, ctx) =>
      fromCluster(c.clusterName, async () => {
        const deps = (await ctx.loaders.dependentApis.load(c.clusterName)) ?? [];
        return declaredDependentInstances(c, deps).filter((i) => !args.segment || i.declared.segment === args.segment);
      }),
    deploymentStatus: (c) => statusOf(c)?.deploymentStatus ?? null,
    deploymentStatusText: (c) => statusOf(c)?.deploymentStatusText ?? null,
    status: (c) => statusOf(c),
    findings: (c, args, ctx) =>
      fromCluster(c.clusterName, async () => {
        const seconds = olderThan(args.olderThanSeconds);
        return (await findingsOf(ctx, c.clusterName, seconds)).filter((f) => f.namespace === c.namespace && f.componentName === c.name);
      }),
  },

  OdaComponentApi: {
    segment: (i) => i.declared.segment,
    name: (i) => i.declared.name,
    id: (i) => i.declared.id,
    apiType: (i) => i.declared.apiType,
    apiSDO: (i) => i.declared.apiSDO,
    specifications: (i) => i.declared.specifications,
    implementation: (i) => i.declared.implementation,
    path: (i) => i.declared.path,
    port: (i) => i.declared.port,
    developerUI: (i) => i.declared.developerUI,
    required: (i) => i.declared.required,
    gateway: (i) => i.declared.gateway,
    // the entry the operator wrote: unreadable when the component's status is malformed
    status: (i) => (statusOf(i.component) === null ? null : i.status),
  },

  OdaComponentDependentApi: {
    segment: (i) => i.declared.segment,
    name: (i) => i.declared.name,
    id: (i) => i.declared.id,
    apiType: (i) => i.declared.apiType,
    specifications: (i) => i.declared.specifications,
    required: (i) => i.declared.required,
  },

  OdaExposedApi: {
    cluster: (a) => ({ name: a.clusterName }),
    tmfApiId: (a) => firstTmfId(a.specifications),
    component: (a, _args, ctx) => fromCluster(a.clusterName, async () => componentOf(a, (await ctx.loaders.components.load(a.clusterName)) ?? [])),
  },

  OdaDependentApi: {
    cluster: (d) => ({ name: d.clusterName }),
    tmfApiId: (d) => firstTmfId(d.specifications),
    component: (d, _args, ctx) => fromCluster(d.clusterName, async () => componentOf(d, (await ctx.loaders.components.load(d.clusterName)) ?? [])),
    resolvedTo: (d, _args, ctx) => fromCluster(d.clusterName, async () => providerOf(d, (await ctx.loaders.exposedApis.load(d.clusterName)) ?? [])),
  },
};
