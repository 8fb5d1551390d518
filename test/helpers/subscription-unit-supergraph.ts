// A two-subgraph supergraph for unit tests of the subscription executor, with fake in-memory data
// sources (no network): `feed` owns Subscription.batch whose event lists Node entities, `status`
// resolves Node.name/status. Data sources record every request they get.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { GraphQLDataSource, ServiceMap } from '@apollo/gateway';
import { SupergraphSnapshot } from '../../gateway/subscriptions/supergraph-snapshot.js';

const FEED = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { ping: Int }
type Subscription { batch(site: String): Batch! }
type Batch { seq: Int! nodes: [Node!] }
type Node @key(fields: "id") { id: ID! }
`;

const STATUS = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { pong: Int }
type Node @key(fields: "id") { id: ID! name: String! status: String }
`;

export function unitSnapshot(): SupergraphSnapshot {
  const result = composeServices([
    { name: 'feed', url: 'http://feed.invalid/graphql', typeDefs: parse(FEED) },
    { name: 'status', url: 'http://status.invalid/graphql', typeDefs: parse(STATUS) },
  ]);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return new SupergraphSnapshot(result.supergraphSdl, 1, {}, 100);
}

export interface RecordedRequest {
  query: string;
  variables: Record<string, unknown>;
}

type Process = GraphQLDataSource['process'];
type Response = Awaited<ReturnType<Process>>;

/**
 * The status subgraph in memory: resolves `_entities` for Node representations. Node "broken" has no
 * name (a non-null field) and yields an error, as a failing resolver would.
 */
export function fakeStatusSubgraph(delay: () => Promise<void> = async () => {}): { source: GraphQLDataSource; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const source: GraphQLDataSource = {
    async process(options): Promise<Response> {
      const variables = (options.request.variables ?? {}) as Record<string, unknown>;
      requests.push({ query: options.request.query ?? '', variables });
      await delay();
      const reps = (variables.representations ?? []) as { id: string }[];
      const errors: { message: string; path: (string | number)[] }[] = [];
      const entities = reps.map((r, i) => {
        if (r.id === 'broken') {
          errors.push({ message: `status of ${r.id} unavailable`, path: ['_entities', i, 'name'] });
          return null;
        }
        return { name: `node-${r.id}`, status: r.id === '2' ? 'degraded' : 'ok' };
      });
      return { data: { _entities: entities }, ...(errors.length ? { errors } : {}) };
    },
  };
  return { source, requests };
}

export function serviceMap(status: GraphQLDataSource): ServiceMap {
  const unused: GraphQLDataSource = {
    process: () => Promise.reject(new Error('the feed subgraph is never fetched over HTTP by subscriptions')),
  };
  return { feed: unused, status };
}
