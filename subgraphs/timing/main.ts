// Runs the timing subgraph alone (compose.yaml).
import { runStandalone } from '../common/standalone.js';
import { startTimingSubgraph } from './server.js';

await runStandalone(4002, (o) => startTimingSubgraph({ registry: o.registry, caches: o.watchCaches, host: o.host, port: o.port }));
