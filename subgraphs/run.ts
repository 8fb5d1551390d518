// Runs one domain subgraph as its own process, as compose.yaml, the Helm chart and `npm start` deploy
// it: `tsx subgraphs/run.ts <domain> [--kubeconfig FILE] [--fleet-file FILE] [--context A,B]`.
// Config comes from lib/config.ts (PORT, HOST, KUBECONFIG, FLEET_FILE, PRINCIPAL_SIGNING_KEY, REDIS_URL, …), read once here.
// Under a launcher (an IPC channel), it reports `{type: 'ready', url}` once listening and exits when
// the launcher goes away.
import { limitHeapGrowth } from '../lib/heap-growth.js';
import { readSubgraphConfig, requirePrincipalKey } from '../lib/config.js';
import { principalCodec } from '../lib/principal.js';
import { log, setLogLevel } from '../lib/log.js';
import { onShutdown } from '../lib/shutdown.js';
import { startTracing } from '../lib/tracing.js';
import { openFleetAccess } from './common/fleet-access.js';
import { domainEntry } from './domains.js';

// Before any work: the old generation grows to 1.5× the live heap, not V8's 4× (lib/heap-growth.ts).
limitHeapGrowth();

const [name] = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (!name) {
  process.stderr.write('usage: tsx subgraphs/run.ts <domain> [--kubeconfig FILE] [--fleet-file FILE] [--context A,B]\n');
  process.exit(2);
}

try {
  const config = readSubgraphConfig(process.argv.slice(2));
  setLogLevel(config.logLevel);
  const tracing = startTracing(config.tracing);
  const entry = domainEntry(name);
  // Only the gateway's signed principal is trusted: without the stack's key this process does not start.
  const principals = principalCodec({ key: requirePrincipalKey(config.principalKey) });
  const access = openFleetAccess({ fleet: config.fleet, redisUrl: config.redisUrl, listCacheTtlMs: config.domain.listCacheTtlMs });
  const domain = await entry.load();
  const subgraph = await domain.start(access, { host: config.host, port: config.port ?? entry.port, settings: config.domain, principals, redisUrl: config.redisUrl });
  onShutdown(async () => {
    await subgraph.stop();
    await access.close();
    await tracing.shutdown();
  });
  process.send?.({ type: 'ready', url: subgraph.url });
} catch (err) {
  log.error({ subgraph: name, err: (err as Error).message }, 'subgraph failed to start');
  process.stderr.write(`${name} subgraph failed to start: ${(err as Error).message}\n`);
  process.exit(1);
}
