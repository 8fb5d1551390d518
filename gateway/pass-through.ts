// Single-fetch pass-through: a query the planner answers with one fetch from one subgraph, asking it for
// exactly what the client asked (same shape: selection-shape.ts), is answered with that subgraph's data
// as it comes, without @apollo/gateway's result shaping (which re-walks every value of the answer: ~30 %
// of the gateway's CPU on the bench's distinct queries). Everything else — several fetches, entities,
// rewrites, introspection, mutations, fields whose type differs per subgraph — goes to the gateway's
// own executor, unchanged. Errors are reported as the gateway reports them (`extensions.serviceName`,
// DOWNSTREAM_SERVICE_ERROR when the subgraph gave no code); variables are checked as it checks them.
import { getOperationAST, getVariableValues, GraphQLError, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ERRORS, errorCodeDef, operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import { QueryPlanner, type FetchNode } from '@apollo/query-planner';
import { Counter, Registry } from 'prom-client';
import { log } from '../lib/log.js';
import { selectionShape, type ShapeRules } from './selection-shape.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { Lru } from './subscriptions/lru.js';

type Executor = NonNullable<Awaited<ReturnType<ApolloGateway['load']>>['executor']>;
type RequestContext = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;

/** The kind of a fetch made for a client's operation (the enum's value; the package exports only its type). */
const INCOMING_OPERATION = 'incoming operation' as GraphQLDataSourceRequestKind.INCOMING_OPERATION;

/** What Apollo Server needs of a gateway: ApolloGateway's surface, its executor wrapped. */
export type PassThroughGateway = Pick<ApolloGateway, 'load' | 'onSchemaLoadOrUpdate' | 'stop'> & {
  /** `fleetgraph_gateway_pass_through_total{path="direct"|"executor"}`: how queries were answered (for /metrics). */
  readonly registry: Registry;
};

export interface PassThroughOptions {
  /** The data source of a subgraph (the gateway's own buildService: same pool, same principal header). */
  dataSource(serviceName: string): GraphQLDataSource;
  /** Off: every query runs through @apollo/gateway's executor (GATEWAY_PASS_THROUGH=false). */
  enabled?: boolean;
  /** Decisions remembered (per query text and operation name). Default 1,000. */
  cacheSize?: number;
}

interface Direct {
  fetch: FetchNode;
  definition: OperationDefinitionNode;
  /** Root response keys and whether their field is non-null (what a failed fetch leaves). */
  root: { key: string; nonNull: boolean }[];
}

/** `@join__field(…, type: …)`: fields whose subgraph type differs from the supergraph's; null when the supergraph hides anything (@inaccessible). */
function retypedFields(sdl: string): Set<string> | null {
  if (sdl.includes('@inaccessible')) return null;
  const retyped = new Set<string>();
  for (const d of parse(sdl).definitions) {
    if (d.kind !== 'ObjectTypeDefinition' && d.kind !== 'ObjectTypeExtension' && d.kind !== 'InterfaceTypeDefinition' && d.kind !== 'InterfaceTypeExtension') continue;
    for (const f of d.fields ?? []) {
      if (f.directives?.some((dir) => dir.name.value === 'join__field' && dir.arguments?.some((a) => a.name.value === 'type'))) retyped.add(`${d.name.value}.${f.name.value}`);
    }
  }
  return retyped;
}

/** One supergraph's planner and shape rules; decisions cached per query. */
class Planner {
  private readonly planner: QueryPlanner;
  private readonly apiSchema: Schema;
  private readonly schema: GraphQLSchema;
  private readonly rules: ShapeRules | null;
  private readonly decisions: Lru<string, Direct | null>;

  constructor(sdl: string, cacheSize: number) {
    const supergraph = Supergraph.build(sdl);
    this.planner = new QueryPlanner(supergraph);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    const retyped = retypedFields(sdl);
    this.rules = retyped && { schema: this.schema, retyped };
    this.decisions = new Lru(cacheSize);
  }

  get graphQLSchema(): GraphQLSchema {
    return this.schema;
  }

  /** How to answer this request directly, or null for the gateway's executor. */
  decide(rc: RequestContext): Direct | null {
    if (!this.rules || !rc.document || !rc.queryHash) return null;
    const name = rc.request.operationName ?? undefined;
    const key = `${rc.queryHash}\u0000${name ?? ''}`;
    const known = this.decisions.get(key);
    if (known !== undefined) return known;
    let decision: Direct | null = null;
    try {
      decision = this.plan(rc.document, name);
    } catch {
      decision = null; // the gateway's executor reports whatever is wrong with it
    }
    this.decisions.set(key, decision);
    return decision;
  }

  private plan(document: DocumentNode, name: string | undefined): Direct | null {
    const definition = getOperationAST(document, name);
    if (!definition || definition.operation !== 'query') return null;
    const plan = this.planner.buildQueryPlan(operationFromDocument(this.apiSchema, document, { operationName: name }));
    const fetch = plan.node;
    if (fetch?.kind !== 'Fetch' || fetch.requires?.length || fetch.inputRewrites?.length || fetch.outputRewrites?.length || fetch.contextRewrites?.length) return null;
    const fetchDocument = fetch.operationDocumentNode ?? parse(fetch.operation);
    const fetchDefinition = getOperationAST(fetchDocument, fetch.operationName);
    if (!fetchDefinition) return null;
    const wanted = selectionShape(document, definition, this.rules!);
    if (wanted === null || wanted !== selectionShape(fetchDocument, fetchDefinition, this.rules!)) return null;
    const queryType = this.schema.getQueryType()!;
    const root = definition.selectionSet.selections.flatMap((s) => {
      if (s.kind !== 'Field') return []; // same-type fragments: their fields are in the fetch alike
      const field = queryType.getFields()[s.name.value];
      return [{ key: s.alias?.value ?? s.name.value, nonNull: field?.type.toString().endsWith('!') ?? false }];
    });
    return { fetch, definition, root };
  }
}

/** The gateway's wrapping of a subgraph's error (as @apollo/gateway's executeQueryPlan does it). */
function downstreamError(error: GraphQLError, serviceName: string): GraphQLError {
  const message = error.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = { originalError: error, path: error.path, extensions: { ...error.extensions, serviceName } };
  const codeDef = errorCodeDef(error);
  if (!codeDef && error.extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

export function withPassThrough(inner: ApolloGateway, options: PassThroughOptions): PassThroughGateway {
  const enabled = options.enabled ?? true;
  let planner: Planner | undefined;
  const sources = new Map<string, GraphQLDataSource>();
  const dataSource = (name: string) => {
    let source = sources.get(name);
    if (!source) sources.set(name, (source = options.dataSource(name)));
    return source;
  };
  inner.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    if (!enabled) return;
    try {
      planner = new Planner(coreSupergraphSdl, options.cacheSize ?? 1000);
    } catch (err) {
      planner = undefined;
      log.warn({ err: (err as Error).message }, 'pass-through: supergraph not usable, every query goes through the gateway executor');
    }
  });

  async function direct(rc: RequestContext, p: Planner, d: Direct): Promise<ExecutionResult> {
    const provided = rc.request.variables ?? {};
    const definitions = d.definition.variableDefinitions ?? [];
    if (definitions.length) {
      const { errors } = getVariableValues(p.graphQLSchema, definitions, provided);
      if (errors?.length) return { errors };
    }
    const variables: Record<string, unknown> = Object.create(null);
    for (const name of d.fetch.variableUsages ?? []) if (Object.hasOwn(provided, name) && provided[name] !== undefined) variables[name] = provided[name];
    try {
      const source = dataSource(d.fetch.serviceName);
      // Our data source keeps a data-only answer as text (raw-json.ts); any other takes the usual way.
      const fetch = source instanceof SubgraphDataSource ? source.processDirect.bind(source) : source.process.bind(source);
      const response = await fetch({
        kind: INCOMING_OPERATION,
        request: { query: d.fetch.operation, variables, operationName: d.fetch.operationName },
        incomingRequestContext: rc,
        context: rc.context,
        document: d.fetch.operationDocumentNode,
        pathInIncomingRequest: [],
      });
      const errors = (response.errors ?? []).map((e) => downstreamError(e instanceof GraphQLError ? e : new GraphQLError(e.message, { path: e.path, extensions: e.extensions }), d.fetch.serviceName));
      const data = (response.data ?? null) as Record<string, unknown> | null;
      return errors.length ? { errors, data } : { data };
    } catch (err) {
      // The fetch failed as a whole (e.g. SUBGRAPH_UNAVAILABLE): every root field is null, as the gateway answers it.
      const error = err instanceof GraphQLError ? err : new GraphQLError((err as Error).message, { originalError: err as Error });
      const data = d.root.some((r) => r.nonNull) ? null : Object.fromEntries(d.root.map((r) => [r.key, null]));
      return { errors: [error], data };
    }
  }

  const registry = new Registry();
  const answered = new Counter({
    name: 'fleetgraph_gateway_pass_through_total',
    help: 'Queries and mutations by how they were answered: direct (one subgraph fetch passed through) or executor (@apollo/gateway plans, fetches and shapes)',
    labelNames: ['path'],
    registers: [registry],
  });
  return {
    registry,
    onSchemaLoadOrUpdate: (callback) => inner.onSchemaLoadOrUpdate(callback),
    stop: () => inner.stop(),
    async load(loadOptions) {
      const loaded = await inner.load(loadOptions);
      const executor = loaded.executor;
      if (!executor || !enabled) return loaded;
      return {
        ...loaded,
        executor: (rc: RequestContext) => {
          const p = planner;
          const d = p?.decide(rc);
          answered.inc({ path: p && d ? 'direct' : 'executor' });
          return p && d ? direct(rc, p, d) : executor(rc);
        },
      };
    },
  };
}
