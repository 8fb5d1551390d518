// fleetgraph's typed client for scripts: `createFleetgraphClient` and the typed documents of the
// README's operations (client/operations/*.graphql → client/generated/ by `npm run codegen`).
export { createFleetgraphClient, FleetgraphError, type FleetgraphClient, type FleetgraphClientOptions, type QueryResult } from './fleetgraph-client.js';
export * from './generated/graphql.js';
