// Runs the gateway as its own process (compose.yaml, the Helm chart, `npm start`'s child). Config from
// lib/config.ts (PORT, HOST, SUBGRAPH_<NAME>_URL, POLICY_FILE, PRINCIPAL_SIGNING_KEY, JWT_*, limits,
// INTROSPECTION, GRAPHIQL, ALLOWED_ORIGINS, TLS_*, REDIS_URL, WS_*, OTEL_* …), read once here. It refuses
// to start without an access policy and a principal signing key. Under a launcher (an IPC channel), it
// reports `{type: 'ready', url}` once listening.
import { readFileSync } from 'node:fs';
import { limitHeapGrowth } from '../lib/heap-growth.js';
import { readGatewayConfig, requirePolicyFile, requirePrincipalKey } from '../lib/config.js';
import { log, setLogLevel } from '../lib/log.js';
import { SUPERGRAPH_PATH } from '../lib/paths.js';
import { onShutdown } from '../lib/shutdown.js';
import { startTracing } from '../lib/tracing.js';
import { DOMAINS } from '../subgraphs/domains.js';
import { startGateway } from './server.js';

// Before any work: the old generation grows to 1.5× the live heap, not V8's 4× (lib/heap-growth.ts).
limitHeapGrowth();

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
    graphiql: config.graphiql && { headers: config.graphiqlHeaders },
    access: { policyFile: requirePolicyFile(config.policyFile), jwt: config.jwt },
    principalKey: requirePrincipalKey(config.principalKey),
    limits: config.operationLimits,
    trustedDocuments: config.trustedDocumentsFile,
    allowedOrigins: config.allowedOrigins,
    tls: config.tls && { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) },
    redisUrl: config.redisUrl,
    inflightDedup: config.inflightDedup,
    passThrough: config.passThrough,
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
