// What one request may cost the gateway and the clusters behind it, with safe defaults (README
// "Operation limits"). Every limit is enforced before validation and execution; a refusal is a coded
// 4xx answer, never a 5xx.

export interface OperationLimits {
  /** GraphQL tokens in one document (the lexer counts them before anything parses it). */
  maxTokens: number;
  /** Nested field levels (root fields are level 1), fragments expanded. */
  maxDepth: number;
  /** Aliased fields in one operation, fragments expanded. */
  maxAliases: number;
  /** Fields at the root of one operation (aliases count). */
  maxRootFields: number;
  /** Estimated fan-out cost (cost.ts): clusters × fields per cluster, list fields multiplying their subtree. */
  maxCost: number;
  /** Clusters a fleet-wide list is assumed to touch when the query does not name them (the cost model's fleet size). */
  costFleetSize: number;
  /** Items a nested list field is assumed to return when it has no `limit` (nodes of a cluster, pods of a node …). */
  costListSize: number;
  /** Largest request body, bytes. */
  maxBodyBytes: number;
  /** An HTTP operation not answered by then is cut off with 408 QUERY_TIMEOUT, ms (0 = none). */
  queryTimeoutMs: number;
  /** Sustained operations per second per identity (HTTP requests and subscribe messages; 0 = no limit). */
  rateLimitPerSecond: number;
  /** Operations one identity may send at once above the sustained rate. */
  rateLimitBurst: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxTokens: 5_000,
  maxDepth: 20,
  maxAliases: 30,
  maxRootFields: 20,
  // The edge-site join across every domain over the fleet by label (test/integration/edge-site-join) is
  // ~330,000 by this model; multiplying entity nesting (nodes { pods { node { pods … } } }) is millions.
  maxCost: 500_000,
  costFleetSize: 100,
  costListSize: 10,
  maxBodyBytes: 256 * 1024,
  queryTimeoutMs: 30_000,
  rateLimitPerSecond: 50,
  rateLimitBurst: 200,
};

/** The `extensions.code` of an operation refused for what it would cost. */
export const OPERATION_TOO_COMPLEX = 'OPERATION_TOO_COMPLEX';
