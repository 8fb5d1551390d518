// Runs the sriov subgraph alone (compose.yaml).
import { runStandalone } from '../common/standalone.js';
import { startSriovSubgraph } from './server.js';

await runStandalone(4003, startSriovSubgraph);
