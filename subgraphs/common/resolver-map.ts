// The resolver map @apollo/subgraph's buildSubgraphSchema takes. 2.14 (the last line whose engines
// allow Node 20) does not export the type, so it is derived from the function's parameter.
import type { buildSubgraphSchema } from '@apollo/subgraph';

type SchemaModule = Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number];

/** Each subgraph types its resolvers with codegen's `Resolvers`, then passes them as this generic map. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export type GraphQLResolverMap<TContext = unknown> = NonNullable<Extract<SchemaModule, { typeDefs: unknown }>['resolvers']>;
