// Turns a client's subscription document into what the executor runs: within the operation limits,
// parsed, validated against the
// API schema (same rules and error codes as HTTP), planned with @apollo/query-planner into
// `Subscription { primary, rest }`, and cached per supergraph by operation name + text.
import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { operationFromDocument, type Operation } from '@apollo/federation-internals';
import type { FetchNode, QueryPlan } from '@apollo/query-planner';
import { buildOperationContext } from '@apollo/gateway';
import { checkDocument } from '../limits/document-limits.js';
import { SubscriptionErrorCode, subscriptionError } from './errors.js';
import type { SupergraphSnapshot } from './supergraph-snapshot.js';

export type OperationContext = ReturnType<typeof buildOperationContext>;

export interface PreparedSubscription {
  readonly snapshot: SupergraphSnapshot;
  readonly query: string;
  readonly operationName: string | undefined;
  readonly document: DocumentNode;
  readonly definition: OperationDefinitionNode;
  /** The operation as the planner and the gateway's result shaping see it. */
  readonly operation: Operation;
  readonly operationContext: OperationContext;
  /** The fetch opened as a graphql-ws subscription on the owning subgraph. */
  readonly primary: FetchNode;
  /** primary.operation without its operation name: identical upstream streams share this text. */
  readonly upstreamOperation: string;
  /**
   * What runs for every event: the primary fetch (answered from the event, not re-fetched) followed
   * by `rest`, so @apollo/gateway's own executor merges, resolves entities and shapes the result.
   */
  readonly eventPlan: QueryPlan;
  /** Response name of the subscription's root field (for logs and error messages). */
  readonly rootField: string;
  /**
   * The root field takes an `intervalMs` argument: a periodic subscription (the subgraph sends a tick
   * per interval, e.g. fleetSummaryChanged), so the group writes a result only when it changed. Change
   * feeds (every event a change) have no such argument and get every event, identical or not.
   */
  readonly periodic: boolean;
}

/** The argument that makes a subscription periodic (see PreparedSubscription.periodic): one convention for every subgraph. */
export const PERIODIC_ARGUMENT = 'intervalMs';

export type PrepareResult = { prepared: PreparedSubscription; errors?: undefined } | { prepared?: undefined; errors: GraphQLError[] };

function withCode(error: GraphQLError, code: SubscriptionErrorCode): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/** `subscription Name(` → `subscription(`: operation names do not change what a subgraph streams. */
export function canonicalUpstreamOperation(operation: string): string {
  return operation.replace(/^subscription\s+[_A-Za-z][_0-9A-Za-z]*/, 'subscription');
}

export function prepareSubscription(snapshot: SupergraphSnapshot, query: string, operationName?: string | null): PrepareResult {
  const name = operationName ?? undefined;
  const cacheKey = `${name ?? ''}\u0000${query}`;
  const cached = snapshot.plans.get(cacheKey);
  if (cached) return { prepared: cached };

  // Tokens, nesting, depth, aliases, root fields and cost first (gateway/limits): a hostile document
  // never reaches validation or the planner.
  const checked = checkDocument(query, snapshot.documentLimits, snapshot.apiGraphQLSchema);
  if (checked.errors) return { errors: checked.errors };
  const document: DocumentNode = checked.document;
  const validationErrors = validate(snapshot.apiGraphQLSchema, document);
  if (validationErrors.length > 0) {
    return { errors: validationErrors.map((e) => withCode(e, SubscriptionErrorCode.GRAPHQL_VALIDATION_FAILED)) };
  }
  const definition = getOperationAST(document, name);
  if (!definition) {
    const message = name ? `Unknown operation named "${name}".` : 'Must provide operation name if query contains multiple operations.';
    return { errors: [subscriptionError(SubscriptionErrorCode.BAD_USER_INPUT, message)] };
  }
  if (definition.operation !== 'subscription') {
    return {
      errors: [
        subscriptionError(
          SubscriptionErrorCode.OPERATION_NOT_SUPPORTED,
          `Only subscriptions are served over WebSocket; send ${definition.operation} operations with HTTP POST to /graphql.`,
        ),
      ],
    };
  }

  let operation: Operation;
  let plan: QueryPlan;
  try {
    operation = operationFromDocument(snapshot.apiSchema, document, { operationName: name });
    plan = snapshot.planner.buildQueryPlan(operation);
  } catch (error) {
    const e = error instanceof GraphQLError ? error : new GraphQLError((error as Error).message);
    return { errors: [withCode(e, SubscriptionErrorCode.GRAPHQL_VALIDATION_FAILED)] };
  }
  const node = plan.node;
  if (node?.kind !== 'Subscription') {
    return { errors: [subscriptionError(SubscriptionErrorCode.INTERNAL_SERVER_ERROR, 'The query planner did not produce a subscription plan.')] };
  }

  const rootSelection = definition.selectionSet.selections[0];
  const rootField =
    rootSelection?.kind === 'Field' ? (rootSelection.alias?.value ?? rootSelection.name.value) : 'subscription';
  const rootDefinition = rootSelection?.kind === 'Field' ? snapshot.apiGraphQLSchema.getSubscriptionType()?.getFields()[rootSelection.name.value] : undefined;
  const periodic = rootDefinition?.args.some((a) => a.name === PERIODIC_ARGUMENT) ?? false;
  const prepared: PreparedSubscription = {
    snapshot,
    query,
    operationName: name,
    document,
    definition,
    operation,
    operationContext: buildOperationContext({ schema: snapshot.apiGraphQLSchema, operationDocument: document, operationName: name }),
    primary: node.primary,
    upstreamOperation: canonicalUpstreamOperation(node.primary.operation),
    eventPlan: {
      kind: 'QueryPlan',
      node: node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary,
    },
    rootField,
    periodic,
  };
  snapshot.plans.set(cacheKey, prepared);
  return { prepared };
}

/** Coerces variables like the gateway does for HTTP; errors carry BAD_USER_INPUT. */
export function checkVariables(prepared: PreparedSubscription, variables: Record<string, unknown>): GraphQLError[] {
  const definitions = prepared.definition.variableDefinitions ?? [];
  if (definitions.length === 0) return [];
  const { errors } = getVariableValues(prepared.snapshot.apiGraphQLSchema, definitions, variables);
  return (errors ?? []).map((e) => withCode(e, SubscriptionErrorCode.BAD_USER_INPUT));
}

/** The variables the primary fetch uses: part of the upstream deduplication key. */
export function primaryVariables(prepared: PreparedSubscription, variables: Record<string, unknown>): Record<string, unknown> {
  const used: Record<string, unknown> = {};
  for (const name of prepared.primary.variableUsages ?? []) {
    if (Object.prototype.hasOwnProperty.call(variables, name) && variables[name] !== undefined) used[name] = variables[name];
  }
  return used;
}
