// Bench child: the simulated fleet in its own process, so its memory is not counted as fleetgraph's.
// argv: EDGES HUBS REGIONALS SEED DIR
import { startSimulator } from '../../simulator/simulator.js';
import { serveParent } from '../lib/child.js';

const [edges, hubs, regionals, seed, dir] = process.argv.slice(2);
const started = performance.now();
const sim = await startSimulator({
  port: 0,
  controlPort: 0,
  dir,
  fleet: { edges: Number(edges), hubs: Number(hubs), regionals: Number(regionals), seed: Number(seed) },
});
serveParent(
  {
    kubeconfigPath: sim.kubeconfigPath,
    fleetFilePath: sim.fleetFilePath,
    controlUrl: sim.controlUrl,
    clusters: [...sim.clusters.keys()],
    startupMs: Math.round(performance.now() - started),
  },
  {},
  () => sim.stop(),
);
