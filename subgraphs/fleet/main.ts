// Runs the fleet subgraph alone (compose.yaml).
import { runStandalone } from '../common/standalone.js';
import { startFleetSubgraph } from './server.js';

await runStandalone(4001, startFleetSubgraph);
