// Everything derived from one supergraph SDL that subscriptions need: the API schema clients are
// validated against (the same one HTTP clients see), the query planner, subgraph URLs, and a plan
// cache. A reload builds a new snapshot; subscriptions keep a reference to the one they were planned on.
import { createHash } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import { Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { DocumentLimits } from '../limits/document-limits.js';
import { DEFAULT_OPERATION_LIMITS } from '../limits/options.js';
import { Lru } from './lru.js';
import type { PreparedSubscription } from './prepare.js';

export class SupergraphSnapshot {
  readonly sdlHash: string;
  readonly planner: QueryPlanner;
  /** federation-internals API schema: what operations are planned against. */
  readonly apiSchema: Schema;
  /** graphql-js API schema: what operations are validated against. */
  readonly apiGraphQLSchema: GraphQLSchema;
  /** graphql-js supergraph schema (with join directives): what the executor's rewrites need. */
  readonly supergraphGraphQLSchema: GraphQLSchema;
  /** Subgraph name → GraphQL URL (overrides from the gateway's configuration win). */
  readonly subgraphUrls: ReadonlyMap<string, string>;
  readonly plans: Lru<string, PreparedSubscription>;

  constructor(
    readonly sdl: string,
    readonly generation: number,
    urlOverrides: Record<string, string>,
    planCacheSize: number,
    /** The operation limits every subscription document must pass before it is validated and planned. */
    readonly documentLimits: DocumentLimits = DEFAULT_OPERATION_LIMITS,
  ) {
    this.sdlHash = createHash('sha256').update(sdl).digest('hex');
    const supergraph = Supergraph.build(sdl);
    this.planner = new QueryPlanner(supergraph);
    this.apiSchema = supergraph.apiSchema();
    this.apiGraphQLSchema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphGraphQLSchema = supergraph.schema.toGraphQLJSSchema();
    this.subgraphUrls = new Map(supergraph.subgraphsMetadata().map(({ name, url }) => [name, urlOverrides[name] ?? url]));
    this.plans = new Lru(planCacheSize);
  }

  /** The graphql-ws URL of a subgraph: same host, port and path as its HTTP URL. */
  webSocketUrl(serviceName: string): string {
    const http = this.subgraphUrls.get(serviceName);
    if (!http) throw new Error(`subgraph "${serviceName}" is not in the supergraph`);
    const url = new URL(http);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }
}
