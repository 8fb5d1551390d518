// Runs one subscription event through @apollo/gateway's own query-plan executor, so entity
// resolution, batching, @requires, rewrites, @skip/@include conditions, error paths, null bubbling
// and result shaping (aliases, __typename, fragments) are exactly those of queries.
//
// executeQueryPlan cannot be given initial data, and it refuses Subscription nodes. So the prepared
// plan is `Sequence [primary, rest]` and the primary fetch is answered from the event: the service map
// wraps the owning subgraph's data source so that the one request for the primary operation returns
// the event payload instead of going over the network; every other request (rest) goes through.
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { PreparedSubscription } from './prepare.js';

type RequestContext = Parameters<typeof executeQueryPlan>[2];
type ProcessOptions = Parameters<GraphQLDataSource['process']>[0];
type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** One upstream event as received over graphql-ws (`next` payload). */
export interface UpstreamEvent {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/** Answers the primary fetch with the event; forwards anything else to the real data source. */
class EventReplaySource implements GraphQLDataSource {
  private replayed = false;

  constructor(
    private readonly operation: string,
    private readonly event: UpstreamEvent,
    private readonly serviceName: string,
    private readonly next: GraphQLDataSource | undefined,
  ) {}

  async process(options: ProcessOptions): Promise<GatewayResponse> {
    if (!this.replayed && options.request.query === this.operation) {
      this.replayed = true;
      return { data: this.event.data ?? null, errors: this.event.errors, extensions: this.event.extensions };
    }
    if (!this.next) throw new Error(`Couldn't find service with name "${this.serviceName}"`);
    return this.next.process(options);
  }
}

const silentLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

export interface EventExecutionInput {
  prepared: PreparedSubscription;
  /** The client's variables (all of them: rest fetches and @skip/@include conditions may use them). */
  variables: Record<string, unknown>;
  /** The event; owned by this call (executeQueryPlan merges into it). */
  event: UpstreamEvent;
  dataSources: ServiceMap;
  /** Passed to data sources as `context` (e.g. a willSendRequest that forwards the principal). */
  context: Record<string, unknown>;
}

export async function executeEvent(input: EventExecutionInput): Promise<ExecutionResult> {
  const { prepared, variables, event, dataSources, context } = input;
  const primaryService = prepared.primary.serviceName;
  const serviceMap: ServiceMap = Object.create(dataSources) as ServiceMap;
  serviceMap[primaryService] = new EventReplaySource(prepared.primary.operation, event, primaryService, dataSources[primaryService]);

  // Only the fields executeQueryPlan and RemoteGraphQLDataSource read are meaningful here.
  const requestContext = {
    request: { query: prepared.query, operationName: prepared.operationName, variables },
    logger: silentLogger,
    context,
    metrics: {},
    document: prepared.document,
    operation: prepared.definition,
    operationName: prepared.operationName ?? null,
    source: prepared.query,
    schema: prepared.snapshot.apiGraphQLSchema,
  } as unknown as RequestContext;

  return executeQueryPlan(
    prepared.eventPlan,
    serviceMap,
    requestContext,
    prepared.operationContext,
    prepared.snapshot.supergraphGraphQLSchema,
    prepared.snapshot.apiSchema,
  );
}
