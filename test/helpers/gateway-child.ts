// A gateway in a process of its own, for tests that must watch its memory or survive its crash: started
// with `node --expose-gc --import tsx test/helpers/gateway-child.ts` and GATEWAY_CHILD_OPTIONS (JSON:
// subgraphUrls, principalKey, policyFile, limits). Over IPC it reports `{type:'ready', url}`, and answers
// `{type:'memory'}` with `{type:'memory', rss, heapUsed}` after a full garbage collection.
import { readFileSync } from 'node:fs';
import { startGateway, type GatewayOptions } from '../../gateway/server.js';
import { logLevelFrom } from '../../lib/config.js';
import { setLogLevel } from '../../lib/log.js';
import { SUPERGRAPH_PATH } from '../../lib/paths.js';

type ChildOptions = Pick<GatewayOptions, 'subgraphUrls' | 'principalKey' | 'limits'> & { policyFile: string };

// LOG_LEVEL as every entry point reads it (the fuzz run's thousands of audit lines stay out of the test output).
setLogLevel(logLevelFrom(process.env));
const options = JSON.parse(process.env.GATEWAY_CHILD_OPTIONS ?? '{}') as ChildOptions;
const gateway = await startGateway({
  supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
  subgraphUrls: options.subgraphUrls,
  port: 0,
  principalKey: options.principalKey,
  access: { policyFile: options.policyFile },
  limits: options.limits,
});
const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'memory') return;
  for (let i = 0; i < 3; i++) gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.send?.({ type: 'memory', rss, heapUsed, gc: Boolean(gc) });
});
process.on('disconnect', () => void gateway.stop().then(() => process.exit(0)));
process.send?.({ type: 'ready', url: gateway.url });
