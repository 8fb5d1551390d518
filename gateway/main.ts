// Runs the gateway alone (compose.yaml, or beside separately started subgraphs).
// Subgraph URLs: SUBGRAPH_<NAME>_URL, else http://127.0.0.1:<default port>/graphql.
import { readFileSync } from 'node:fs';
import { SUBGRAPHS } from '../schema/subgraphs.js';
import { SUPERGRAPH_PATH } from '../scripts/supergraph.js';
import { startGateway } from './server.js';
import { limitsFromEnv } from './subscriptions/index.js';
import { onShutdown } from '../lib/shutdown.js';

const subgraphUrls = Object.fromEntries(
  SUBGRAPHS.map((s) => [s.name, process.env[`SUBGRAPH_${s.name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${s.port}/graphql`]),
);

const gateway = await startGateway({
  supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
  subgraphUrls,
  port: Number(process.env.PORT ?? 4000),
  host: process.env.HOST ?? '127.0.0.1',
  introspection: process.env.INTROSPECTION !== 'false',
  subscriptions: { limits: limitsFromEnv() },
});
onShutdown(() => gateway.stop());
