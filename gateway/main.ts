// Runs the gateway as its own process (compose.yaml, the Helm chart, `npm start`'s child). Config from
// lib/config.ts (PORT, HOST, SUBGRAPH_<NAME>_URL, INTROSPECTION, REDIS_URL, WS_*, OTEL_* …), read once here.
// Under a launcher (an IPC channel), it reports `{type: 'ready', url}` once listening.
import { readFileSync } from 'node:fs';
import { readGatewayConfig } from '../lib/config.js';
import { log, setLogLevel } from '../lib/log.js';
import { SUPERGRAPH_PATH } from '../lib/paths.js';
import { onShutdown } from '../lib/shutdown.js';
import { startTracing } from '../lib/tracing.js';
import { DOMAINS } from '../subgraphs/domains.js';
import { startGateway } from './server.js';

try {
  const config = readGatewayConfig(DOMAINS);
  setLogLevel(config.logLevel);
  const tracing = startTracing(config.tracing);
  const gateway = await startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    port: config.port,
    host: config.host,
    introspection: config.introspection,
    redisUrl: config.redisUrl,
    inflightDedup: config.inflightDedup,
    subscriptions: { limits: config.subscriptionLimits },
  });
  onShutdown(async () => {
    await gateway.stop();
    await tracing.shutdown();
  });
  process.send?.({ type: 'ready', url: gateway.url });
} catch (err) {
  log.error({ err: (err as Error).message }, 'gateway failed to start');
  process.stderr.write(`gateway failed to start: ${(err as Error).message}\n`);
  process.exit(1);
}
