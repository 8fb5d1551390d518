// Runs the dpdk subgraph alone (compose.yaml).
import { runStandalone } from '../common/standalone.js';
import { startDpdkSubgraph } from './server.js';

await runStandalone(4004, startDpdkSubgraph);
