// Simulator start-up benchmark: generate a fleet of N edge sites (plus the demo hub/regionals), load it
// into object stores, then start the whole simulator (HTTPS API + control API, port 0) on the same
// specs, and render every cluster's metrics page once. Prints elapsed seconds and RSS at each stage.
// Target (issue 2): 2,000 edges start in < 30 s and hold < 1.5 GB RSS.
//
//   npx tsx bench/sim-startup.ts --edges 2000 [--seed 1] [--hubs 1] [--regionals 2] [--no-server]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateFleet } from '../simulator/fleet/generate.js';
import { loadStore } from '../simulator/fleet/load.js';
import type { SimClusterSpec } from '../simulator/fleet/model.js';
import type { SimCluster } from '../simulator/cluster.js';
import type { ClusterStore } from '../simulator/store.js';

const { values } = parseArgs({
  options: {
    edges: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    hubs: { type: 'string', default: '1' },
    regionals: { type: 'string', default: '2' },
    'no-server': { type: 'boolean', default: false },
  },
});

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const started = performance.now();
let last = started;
function report(stage: string, extra = ''): void {
  const now = performance.now();
  const mem = process.memoryUsage();
  console.log(
    `${stage.padEnd(34)} ${((now - last) / 1000).toFixed(2).padStart(6)} s  (total ${((now - started) / 1000).toFixed(2).padStart(6)} s)  rss ${mb(mem.rss).padStart(8)}  heap ${mb(mem.heapUsed).padStart(8)}${extra ? `  ${extra}` : ''}`,
  );
  last = now;
}

const options = { seed: Number(values.seed), hubs: Number(values.hubs), regionals: Number(values.regionals), edges: Number(values.edges) };
console.log(`fleet: ${JSON.stringify(options)}  node ${process.version}`);
report('start');

const specs: SimClusterSpec[] = generateFleet(options);
const objectCount = specs.reduce((n, s) => n + s.objects.length, 0);
report('generateFleet', `${specs.length} clusters, ${objectCount} objects`);

let stores: ClusterStore[] | undefined = specs.map((s) => loadStore(s));
report('load into ClusterStores', `${stores.reduce((n, s) => n + s.resourceVersion - 1, 0)} creates`);
stores = undefined;

if (!values['no-server']) {
  let startSimulator: ((o: Record<string, unknown>) => Promise<{ clusters: ReadonlyMap<string, SimCluster>; controlUrl: string; stop(): Promise<void> }>) | undefined;
  try {
    const modulePath = '../simulator/simulator.js';
    ({ startSimulator } = (await import(modulePath)) as { startSimulator: typeof startSimulator });
  } catch (err) {
    console.log(`startSimulator not available (${(err as Error).message}); stores only`);
  }
  if (startSimulator) {
    const dir = await mkdtemp(join(tmpdir(), 'fleetgraph-bench-'));
    try {
      const sim = await startSimulator({ port: 0, controlPort: 0, dir, specs });
      report('startSimulator (port 0)', `${sim.clusters.size} clusters served`);
      const { renderClusterMetrics } = await import('../simulator/exporters/index.js');
      let bytes = 0;
      for (const c of sim.clusters.values()) bytes += renderClusterMetrics(c).length;
      report('render every metrics page once', `${mb(bytes)} of text`);
      const res = await fetch(`${sim.controlUrl}/metrics/du-${String(options.edges).padStart(3, '0')}`);
      report('one page via the control API', `HTTP ${res.status}, ${(await res.text()).length} bytes`);
      await sim.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
const peak = process.resourceUsage().maxRSS * 1024;
console.log(`elapsed ${((performance.now() - started) / 1000).toFixed(2)} s, peak RSS ${mb(peak)} (targets: < 30 s, < 1536 MB)`);
