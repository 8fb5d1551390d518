// Bench child: one gateway in front of the same subgraphs, for the throughput comparison.
// argv: KIND SUPERGRAPH_FILE SUBGRAPH_URLS_JSON
//   fleetgraph: gateway/server.ts startGateway (what `npm start` runs)
//   fleetgraph-executor: the same with the single-fetch pass-through off (every query through @apollo/gateway's executor)
//   apollo:     stock ApolloServer + ApolloGateway, defaults (default fetcher), startStandaloneServer
//   hive:       Hive Gateway, programmatic createGatewayRuntime over the same supergraph SDL
// The supergraph's join__graph URLs are rewritten to the running subgraphs' URLs for all three.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { serveParent } from '../lib/child.js';

const [kind, supergraphFile, urlsJson] = process.argv.slice(2);
const subgraphUrls = JSON.parse(urlsJson) as Record<string, string>;
const supergraphSdl = readFileSync(supergraphFile, 'utf8').replace(
  /join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g,
  (whole, name: string) => (subgraphUrls[name] ? `join__graph(name: "${name}", url: "${subgraphUrls[name]}")` : whole),
);

let url: string;
let stop: () => Promise<void>;

if (kind === 'fleetgraph' || kind === 'fleetgraph-executor') {
  const { startGateway } = await import('../../gateway/server.js');
  // One client identity sends every request: the per-identity rate limit (its own test) is off, as the
  // compared gateways have none; RATE_LIMIT_PER_SECOND etc. still apply when set.
  const { operationLimitsFrom } = await import('../../lib/config.js');
  const gw = await startGateway({ supergraphSdl, subgraphUrls, port: 0, passThrough: kind === 'fleetgraph', limits: { rateLimitPerSecond: 0, ...operationLimitsFrom(process.env) } });
  url = gw.url;
  stop = () => gw.stop();
} else if (kind === 'apollo') {
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const { ApolloGateway } = await import('@apollo/gateway');
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } }));
  url = url.replace(/\/$/, '/graphql').replace('localhost', '127.0.0.1');
  stop = () => server.stop();
} else if (kind === 'hive') {
  const { createGatewayRuntime } = await import('@graphql-hive/gateway');
  const gateway = createGatewayRuntime({ supergraph: supergraphSdl, logging: 'error' });
  const server = http.createServer(gateway);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await gateway.dispose();
  };
} else {
  throw new Error(`unknown gateway kind ${kind}`);
}

serveParent({ url, kind }, {}, () => stop());
