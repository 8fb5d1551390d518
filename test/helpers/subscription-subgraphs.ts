// Test-only subgraphs for the federated subscription executor, shaped like the real ones:
// - clock:     owns Subscription.clockChanged, whose event carries an entity `node: Node!`
//              (like timing's ptpClockStateChanged); also Query.lastClockEvent with the same shape,
//              so tests can compare a subscription event with the equivalent query response.
// - inventory: owns Node/Cluster core fields (like fleet); Node.labels fails for nodes named bad-*.
// - sites:     contributes Cluster.site, so `node { cluster { site { region } } }` needs two entity hops.
import { composeServices } from '@apollo/composition';
import { GraphQLError, parse } from 'graphql';
import type { GraphQLResolverMap } from '../../subgraphs/common/resolver-map.js';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/common/serve.js';
import { principalCodec } from '../../lib/principal.js';
import { Channel } from './subscription-channel.js';

export const CLOCK_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { lastClockEvent(cluster: ID): ClockEvent }
type Subscription {
  clockChanged(cluster: ID, states: [ClockState!]): ClockEvent!
}
enum ClockState { LOCKED HOLDOVER FREERUN }
type ClockEvent {
  seq: Int!
  cluster: ID!
  state: ClockState!
  offsetNs: Float
  "Resolves with an error when the event's note is 'boom' (an error raised by the owning subgraph)."
  note: String
  "Padding for payload-size and slow-consumer tests."
  blob: String
  node: Node!
}
type Node @key(fields: "clusterName name") {
  clusterName: ID!
  name: ID!
  clockState: ClockState
}
`;

export const INVENTORY_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { cluster(name: ID!): Cluster }
type Cluster @key(fields: "name") {
  name: ID!
  platform: String!
  nodes: [Node!]!
}
type Node @key(fields: "clusterName name") {
  clusterName: ID!
  name: ID!
  role: String!
  "Fails for nodes named bad-* (an error raised during entity resolution)."
  labels: [String!]
  cluster: Cluster!
}
`;

export const SITES_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { siteCount: Int! }
type Cluster @key(fields: "name") {
  name: ID!
  site: Site
}
type Site { id: ID! region: String! }
`;

export type ClockStateValue = 'LOCKED' | 'HOLDOVER' | 'FREERUN';

export interface ClockEventInput {
  seq: number;
  cluster: string;
  node: string;
  state: ClockStateValue;
  offsetNs?: number;
  note?: string;
  blob?: string;
}

type ClockEventModel = ClockEventInput;

interface ClockFeed {
  publish(event: ClockEventInput): void;
  /** The subgraph ends every open subscription (graphql-ws `complete`). */
  completeAll(): void;
  /** Subscriptions this subgraph instance has ever opened (a resubscribe shows up here). */
  subscriptionsOpened(): number;
}

export interface TestSubgraph extends RunningSubgraph {
  port: number;
}

export interface ClockSubgraph extends TestSubgraph, ClockFeed {}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** `sdl` lets a test restart the subgraph with a changed schema (same resolvers). */
export async function startClockSubgraph(port = 0, sdl = CLOCK_SDL): Promise<ClockSubgraph> {
  const channels = new Set<Channel<ClockEventModel>>();
  let opened = 0;
  let last: ClockEventModel | null = null;
  const filters = new WeakMap<Channel<ClockEventModel>, (e: ClockEventModel) => boolean>();

  const resolvers = {
    Query: {
      lastClockEvent: (_: unknown, args: { cluster?: string }) =>
        last && (!args.cluster || last.cluster === args.cluster) ? last : null,
    },
    Subscription: {
      clockChanged: {
        subscribe: (_: unknown, args: { cluster?: string | null; states?: ClockStateValue[] | null }) => {
          const channel: Channel<ClockEventModel> = new Channel(() => channels.delete(channel));
          filters.set(
            channel,
            (e) => (!args.cluster || e.cluster === args.cluster) && (!args.states || args.states.includes(e.state)),
          );
          channels.add(channel);
          opened++;
          return channel;
        },
        resolve: (event: ClockEventModel) => event,
      },
    },
    ClockEvent: {
      note: (e: ClockEventModel) => {
        if (e.note === 'boom') throw new GraphQLError('clock note unavailable', { extensions: { code: 'UPSTREAM_ERROR' } });
        return e.note ?? null;
      },
      node: (e: ClockEventModel) => ({ clusterName: e.cluster, name: e.node, state: e.state }),
    },
    Node: {
      __resolveReference: (ref: { clusterName: string; name: string }) => ({ ...ref, state: 'LOCKED' }),
      clockState: (n: { state?: ClockStateValue }) => n.state ?? null,
    },
  };

  const sub = await startSubgraph({
    principals: principalCodec(),
    name: 'clock',
    typeDefs: parse(sdl),
    resolvers: resolvers as unknown as GraphQLResolverMap<object>,
    context: () => ({}),
    port,
  });
  return {
    ...sub,
    port: portOf(sub.url),
    publish(event) {
      last = event;
      for (const channel of channels) if (filters.get(channel)?.(event)) channel.push(event);
    },
    completeAll() {
      for (const channel of [...channels]) channel.end();
    },
    subscriptionsOpened: () => opened,
  };
}

export interface InventorySubgraph extends TestSubgraph {
  /** `_entities` requests served (each is one batched fetch from the gateway). */
  entityFetches(): number;
}

export async function startInventorySubgraph(port = 0): Promise<InventorySubgraph> {
  let entityFetches = 0;
  const platformOf = (cluster: string) => (cluster.startsWith('hub') ? 'OpenShift' : 'SNO');
  const resolvers = {
    Query: {
      cluster: (_: unknown, { name }: { name: string }) => ({ name }),
    },
    Cluster: {
      __resolveReference: (ref: { name: string }) => ({ name: ref.name }),
      platform: (c: { name: string }) => platformOf(c.name),
      nodes: (c: { name: string }) => [{ clusterName: c.name, name: `${c.name}-n1` }],
    },
    Node: {
      __resolveReference: (ref: { clusterName: string; name: string }) => ref,
      role: (n: { name: string }) => (n.name.includes('master') ? 'master' : 'worker'),
      labels: (n: { name: string }) => {
        if (n.name.startsWith('bad-')) throw new GraphQLError(`labels of ${n.name} unavailable`, { extensions: { code: 'CLUSTER_UNREACHABLE' } });
        return [`site=${n.name}`];
      },
      cluster: (n: { clusterName: string }) => ({ name: n.clusterName }),
    },
  };
  const sub = await startSubgraph({
    principals: principalCodec(),
    name: 'inventory',
    typeDefs: parse(INVENTORY_SDL),
    resolvers: resolvers as unknown as GraphQLResolverMap<object>,
    context: () => ({}),
    port,
  });
  // Count batched entity fetches by wrapping the schema's _entities resolver.
  const entitiesField = sub.schema.getQueryType()?.getFields()._entities;
  const original = entitiesField?.resolve;
  if (entitiesField && original) {
    entitiesField.resolve = (...args) => {
      entityFetches++;
      return original(...args);
    };
  }
  return { ...sub, port: portOf(sub.url), entityFetches: () => entityFetches };
}

export async function startSitesSubgraph(port = 0): Promise<TestSubgraph> {
  const resolvers = {
    Query: { siteCount: () => 1 },
    Cluster: {
      __resolveReference: (ref: { name: string }) => ({ name: ref.name }),
      site: (c: { name: string }) => ({ id: `site-${c.name}`, region: c.name.startsWith('hub') ? 'core' : 'edge-west' }),
    },
  };
  const sub = await startSubgraph({
    principals: principalCodec(),
    name: 'sites',
    typeDefs: parse(SITES_SDL),
    resolvers: resolvers as unknown as GraphQLResolverMap<object>,
    context: () => ({}),
    port,
  });
  return { ...sub, port: portOf(sub.url) };
}

export const TEST_SUBGRAPH_SDLS: Record<string, string> = { clock: CLOCK_SDL, inventory: INVENTORY_SDL, sites: SITES_SDL };

/**
 * Composes test subgraphs (any subset, by name) into a supergraph SDL. The URLs written into it are
 * placeholders unless given: the gateway's subgraphUrls override them.
 */
export function composeTestSupergraph(sdls: Record<string, string> = TEST_SUBGRAPH_SDLS, urls: Record<string, string> = {}): string {
  const result = composeServices(
    Object.entries(sdls).map(([name, sdl]) => ({ name, url: urls[name] ?? `http://127.0.0.1:1/${name}`, typeDefs: parse(sdl) })),
  );
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}
