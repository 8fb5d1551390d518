// Error codes and close codes the subscription server sends, and error formatting identical to what
// Apollo Server does for HTTP responses (so a subscription event's errors look like a query's).
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CloseCode } from 'graphql-ws';

/** `extensions.code` values of errors produced by the subscription server itself. */
export const SubscriptionErrorCode = {
  /** The owning subgraph could not be reached, or the connection to it was lost for good. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** The owning subgraph answered the subscription with an `error` message. */
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  /** The owning subgraph ended the subscription (`complete`); the gateway never ends one on its own. */
  SUBSCRIPTION_COMPLETED: 'SUBSCRIPTION_COMPLETED',
  /** After a supergraph reload the operation is no longer valid. */
  SUBSCRIPTION_SCHEMA_RELOAD: 'SUBSCRIPTION_SCHEMA_RELOAD',
  /** A per-connection or per-gateway subscription limit was reached. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** Events arrived faster than entity resolution could keep up with; the subscription was ended. */
  SUBSCRIPTION_OVERLOADED: 'SUBSCRIPTION_OVERLOADED',
  /** The `authorize` hook refused the operation. */
  FORBIDDEN: 'FORBIDDEN',
  /** Queries and mutations are served over HTTP, not over the WebSocket. */
  OPERATION_NOT_SUPPORTED: 'OPERATION_NOT_SUPPORTED',
  // Apollo Server's codes, used for the same situations as on HTTP.
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type SubscriptionErrorCode = (typeof SubscriptionErrorCode)[keyof typeof SubscriptionErrorCode];

/** WebSocket close codes: graphql-ws's protocol codes plus the gateway's own. */
export const WsCloseCode = {
  ...CloseCode,
  /** Gateway going away (shutdown) or a connection's maximum lifetime reached: reconnect. */
  GoingAway: 1001,
  /** Idle timeout (no subscriptions). */
  NormalClosure: 1000,
  /** Inbound message larger than maxPayloadBytes (set by `ws` itself). */
  MessageTooBig: 1009,
  /** Connection limit reached: try again later. */
  TryAgainLater: 1013,
  /** The client read too slowly; its outbound buffer exceeded maxBufferedBytes. */
  SlowConsumer: 4413,
} as const;

export function subscriptionError(
  code: SubscriptionErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

function ensureGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof Error) return new GraphQLError(error.message, { originalError: error });
  return new GraphQLError(`Unexpected error value: ${String(error)}`);
}

/** Apollo Server's enrichError: every error gets a code (INTERNAL_SERVER_ERROR by default), no stack. */
export function formatError(error: unknown): GraphQLFormattedError {
  const graphqlError = ensureGraphQLError(error);
  const extensions: Record<string, unknown> = {
    ...graphqlError.extensions,
    code: graphqlError.extensions.code ?? SubscriptionErrorCode.INTERNAL_SERVER_ERROR,
  };
  delete extensions.http;
  return { ...graphqlError.toJSON(), extensions };
}

/**
 * Errors received from a subgraph over graphql-ws (already JSON): keep message, path and the
 * subgraph's own code (like the query path does), name the subgraph, default the code.
 */
export function upstreamErrors(
  errors: readonly GraphQLFormattedError[],
  serviceName: string,
  defaultCode: SubscriptionErrorCode,
): GraphQLFormattedError[] {
  return errors.map((e) => ({
    ...e,
    extensions: { ...e.extensions, code: e.extensions?.code ?? defaultCode, serviceName },
  }));
}
