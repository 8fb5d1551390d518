// A simulator runtime for scenario tests: the demo fleet in memory stores and a clock the test moves.
import { generateFleet } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET, type SimClusterSpec } from '../../simulator/fleet/model.js';
import { memoryCluster } from '../../simulator/fleet/load.js';
import { telemetryFor } from '../../simulator/exporters/index.js';
import { schedulerFor } from '../../simulator/scenarios/index.js';
import type { SimCluster, SimulatorRuntime } from '../../simulator/cluster.js';

export interface TestRuntime extends SimulatorRuntime {
  readonly clusters: Map<string, SimCluster>;
  cluster(name: string): SimCluster;
  /** Move the clock forward and run the scenario steps that became due. */
  advance(ms: number): void;
  added: SimClusterSpec[];
  removed: string[];
}

export function testRuntime(start = Date.UTC(2025, 5, 2, 9, 0, 0)): TestRuntime {
  let now = start;
  const clusters = new Map<string, SimCluster>();
  const runtime: TestRuntime = {
    clusters,
    added: [],
    removed: [],
    now: () => now,
    async addCluster(spec) {
      const c = memoryCluster(spec);
      clusters.set(spec.name, c);
      runtime.added.push(spec);
      return c;
    },
    async removeCluster(name) {
      if (!clusters.delete(name)) throw new Error(`no cluster ${name}`);
      runtime.removed.push(name);
    },
    cluster(name) {
      const c = clusters.get(name);
      if (!c) throw new Error(`no cluster ${name}`);
      return c;
    },
    advance(ms) {
      const target = now + ms;
      // Step in scheduler-sized increments so chained steps run at their own times.
      while (now < target) {
        now = Math.min(target, now + 100);
        schedulerFor(runtime).tick();
      }
    },
  };
  for (const spec of generateFleet(DEMO_FLEET)) {
    const c = memoryCluster(spec);
    telemetryFor(c, () => now);
    clusters.set(spec.name, c);
  }
  return runtime;
}
