// Resolvers of the o2ims subgraph (typed by codegen from schema/o2ims.graphql). Reads go through the
// request's per-cluster loaders (watch caches); a failing cluster throws a coded error for its own field
// only, and fleet-wide lists use the shared fan-out. Writes check the `o2ims:write` scope before any
// cluster is touched, validate the input (validation.ts) before anything is sent, and map the API
// server's refusals to coded errors.
import { o2imsSummary } from './summary.js';
import { GraphQLError, GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import { requireScope } from '../common/scopes.js';
import { ClusterError, fromCluster, toGraphQLError, unknownCluster } from '../kube/errors.js';
import { fanOut, withErrorEntries } from '../kube/fan-out.js';
import type { KubeObject } from '../kube/objects.js';
import { checkedEvents } from '../kube/subscription-target.js';
import type { O2imsContext } from './context.js';
import { provisioningTransitions } from './events.js';
import type { Resolvers } from './generated/types.js';
import { compareRequests } from './loaders.js';
import type { DeletePayloadModel, ProvisioningRequestModel, ProvisioningState } from './models.js';
import { O2imsResources } from './reader.js';
import { mapProvisioningRequest, schemaVariantOf } from './sources.js';
import { traceRequest } from './trace.js';
import { PR_GROUP, PR_VERSION, type ProvisioningRequestObject } from './upstream.js';
import { provisioningRequestBody, validateCreateInput, type InputProblem } from './validation.js';

/** The scope a caller needs to create or delete ProvisioningRequests. */
export const WRITE_SCOPE = 'o2ims:write';

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

/**
 * requireScope, answered as a field error: its `http.status` 403 would make the subgraph answer the
 * whole response with HTTP 403, which the gateway reports as "403: Forbidden" with the real message
 * buried in `extensions.response`.
 */
function requireWrite(ctx: O2imsContext): void {
  try {
    requireScope(ctx.principal, WRITE_SCOPE);
  } catch (err) {
    const e = err as GraphQLError;
    throw new GraphQLError(e.message, { extensions: { code: e.extensions?.code ?? 'FORBIDDEN', scope: WRITE_SCOPE } });
  }
}

function filterStates(requests: ProvisioningRequestModel[], states: readonly ProvisioningState[] | null | undefined): ProvisioningRequestModel[] {
  if (!states?.length) return requests;
  const wanted = new Set(states);
  return requests.filter((r) => wanted.has(r.state));
}

/** A cluster named by a mutation or a single-object query: NOT_FOUND unless the fleet has it. */
function knownCluster(ctx: O2imsContext, cluster: string): void {
  if (!ctx.registry.has(cluster)) throw toGraphQLError(unknownCluster(cluster), cluster);
}

async function requestsOf(ctx: O2imsContext, cluster: string) {
  if (!ctx.registry.has(cluster)) return null;
  return ctx.loaders.requests.load(cluster);
}

function badInput(cluster: string, problems: InputProblem[]): GraphQLError {
  const list = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  return new GraphQLError(`invalid ProvisioningRequest for ${cluster}: ${list}`, { extensions: { code: 'BAD_USER_INPUT', cluster, problems } });
}

function notManagementCluster(cluster: string): GraphQLError {
  return new GraphQLError(`cluster ${cluster} does not serve ProvisioningRequests (${PR_GROUP}/${PR_VERSION}): it is not a management cluster`, {
    extensions: { code: 'BAD_USER_INPUT', cluster },
  });
}

/** The API server's refusal of a write: 409 AlreadyExists is ALREADY_EXISTS; 422 keeps the server's message as BAD_USER_INPUT. */
function writeError(cluster: string, name: string, err: unknown): GraphQLError {
  if (err instanceof ClusterError && err.httpStatus === 409 && err.reason === 'AlreadyExists') {
    return new GraphQLError(`ProvisioningRequest "${name}" already exists on ${cluster}`, {
      originalError: err,
      extensions: { code: 'ALREADY_EXISTS', cluster, httpStatus: 409, reason: err.reason },
    });
  }
  return toGraphQLError(err, cluster);
}

function hasFinalizers(obj: KubeObject): boolean {
  const finalizers = (obj.metadata as { finalizers?: unknown }).finalizers;
  return Array.isArray(finalizers) && finalizers.length > 0;
}

function isObject(value: unknown): value is KubeObject {
  return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind !== 'Status' && typeof (value as KubeObject).metadata?.name === 'string';
}

export const resolvers: Resolvers<O2imsContext> = {
  JSON: JSONScalar,

  Query: {
    async provisioningRequests(_parent, args, ctx) {
      const { results, errors } = await fanOut(ctx.registry, { clusters: args.clusters }, async (cluster) => (await ctx.loaders.requests.load(cluster))?.requests ?? []);
      const requests = filterStates(results.flatMap((r) => r.value), args.states).sort(compareRequests);
      return withErrorEntries(requests, errors);
    },
    provisioningRequest(_parent, args, ctx) {
      knownCluster(ctx, args.cluster);
      return fromCluster(args.cluster, async () => (await ctx.loaders.requests.load(args.cluster))?.requests.find((r) => r.name === args.name) ?? null);
    },
  },

  Mutation: {
    async createProvisioningRequest(_parent, args, ctx) {
      requireWrite(ctx);
      const { cluster, input } = args;
      knownCluster(ctx, cluster);
      // Read first (from the watch cache): an unreachable cluster fails here, before anything is sent.
      const served = await fromCluster(cluster, () => ctx.loaders.requests.load(cluster));
      if (!served) throw notManagementCluster(cluster);
      const variant = served.variant ?? (await ctx.reader.crdVariant(cluster));
      const fields = {
        name: input.name,
        displayName: input.displayName,
        description: input.description,
        templateName: input.templateName,
        templateVersion: input.templateVersion,
        templateParameters: input.templateParameters,
      };
      const problems = validateCreateInput(fields, variant);
      if (problems.length) throw badInput(cluster, problems);
      let created: ProvisioningRequestObject;
      try {
        created = await ctx.reader.clusters.client(cluster).create(O2imsResources.provisioningRequests, provisioningRequestBody(fields, variant), { dryRun: args.dryRun });
      } catch (err) {
        throw writeError(cluster, input.name, err);
      }
      return { request: mapProvisioningRequest(cluster, created, variant), dryRun: args.dryRun };
    },

    async deleteProvisioningRequest(_parent, args, ctx) {
      requireWrite(ctx);
      const { cluster, name, dryRun } = args;
      knownCluster(ctx, cluster);
      const client = ctx.reader.clusters.client(cluster);
      const ref = O2imsResources.provisioningRequests;
      // The live object, not the cache: whether it is there and held by a finalizer decides the outcome.
      const current = await fromCluster(cluster, () => client.get<ProvisioningRequestObject>(ref, undefined, name));
      const payload = (outcome: DeletePayloadModel['outcome'], obj: ProvisioningRequestObject | null): DeletePayloadModel => ({
        clusterName: cluster,
        name,
        outcome,
        dryRun,
        request: obj ? mapProvisioningRequest(cluster, obj, schemaVariantOf(obj)) : null,
      });
      if (!current) return payload('ALREADY_GONE', null);
      if (current.metadata.deletionTimestamp) return payload('ALREADY_DELETING', current);
      let answer: unknown;
      try {
        answer = await client.delete(ref, undefined, name, { dryRun });
      } catch (err) {
        if (err instanceof ClusterError && err.httpStatus === 404) return payload('ALREADY_GONE', null);
        throw writeError(cluster, name, err);
      }
      if (!hasFinalizers(current)) return payload('DELETED', null);
      return payload('DELETION_STARTED', isObject(answer) ? (answer as ProvisioningRequestObject) : current);
    },
  },

  Subscription: {
    provisioningStateChanged: {
      // An unknown cluster is one NOT_FOUND rather than a feed that never speaks.
      subscribe: (_parent, args, ctx) =>
        checkedEvents(ctx, { cluster: args.cluster }, () => provisioningTransitions(ctx.watchCaches, { cluster: args.cluster, name: args.name, states: args.states })),
      resolve: (event: unknown, _args: unknown, ctx: O2imsContext) => {
        ctx.renew();
        return event as never;
      },
    },
  },

  FleetSummary: {
    __resolveReference: (ref) => ({ selector: ref.selector }),
    o2ims: (s, _args, ctx) => o2imsSummary(ctx, s.selector),
  },

  Cluster: {
    __resolveReference: (ref) => ({ name: ref.name }),
    provisioningRequests: (cluster, args, ctx) =>
      fromCluster(cluster.name, async () => {
        const served = await requestsOf(ctx, cluster.name);
        return served ? filterStates(served.requests, args.states) : null;
      }),
    async provisionedBy(cluster, _args, ctx) {
      const { requests, errors } = await ctx.loaders.fleetRequests.load('fleet');
      const match = requests.find((r) => (r.state === 'FULFILLED' || r.state === 'DELETING') && r.targetClusterName === cluster.name);
      if (match) return match;
      // Not found while a management cluster could not be read: it may hold the answer.
      if (errors.length) throw errors[0];
      return null;
    },
  },

  ProvisioningRequest: {
    __resolveReference: (ref, ctx) =>
      fromCluster(ref.clusterName, async () => (await requestsOf(ctx, ref.clusterName))?.requests.find((r) => r.name === ref.name) ?? null),
    cluster: (r) => ({ name: r.clusterName }),
    trace: (r, _args, ctx) =>
      fromCluster(r.clusterName, async () => {
        const [packageVariants, capiClusters] = await Promise.all([ctx.loaders.packageVariants.load(r.clusterName), ctx.loaders.capiClusters.load(r.clusterName)]);
        return traceRequest(r, { packageVariants, capiClusters, fleet: ctx.registry.names().map((name) => ({ name })) });
      }),
  },

  PackageVariantLink: {
    packageVariant: (l) => l.object,
  },
  CapiClusterLink: {
    capiCluster: (l) => l.object,
  },
  FleetClusterLink: {
    cluster: (l) => (l.object ? { name: l.object.name } : null),
  },

  ProvisioningStateEvent: {
    cluster: (t) => (t.state === 'FULFILLED' && t.request.targetClusterName ? { name: t.request.targetClusterName } : null),
  },
};
