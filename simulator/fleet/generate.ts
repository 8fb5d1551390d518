// The deterministic fleet generator: hubs, regional clusters and single-node edge DU sites, every object
// in its upstream shape (shared/reference/domain-models.md). Each cluster draws from its own seeded
// stream, so the same options always give identical JSON and growing the fleet keeps existing clusters.
import type { FleetOptions, SimClusterSpec } from './model.js';
import { buildEdgeCluster } from './edge.js';
import { buildHubCluster } from './hub.js';
import type { SampleRequest } from './hub-provisioning.js';
import { buildRegionalCluster } from './regional.js';
import { edgeName, edgeProfile } from './profiles.js';

/** Reference "now" of generated fleets when FleetOptions.referenceTime is not given (keeps output stable). */
export const DEFAULT_REFERENCE_TIME = Date.UTC(2025, 5, 2, 8, 0, 0);

export const MAX_EDGES = 2000;

function validate(options: FleetOptions): void {
  const counts: [string, number, number][] = [
    ['hubs', options.hubs, 100],
    ['regionals', options.regionals, 1000],
    ['edges', options.edges, MAX_EDGES],
  ];
  for (const [field, value, max] of counts) {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new Error(`fleet: ${field} must be an integer between 0 and ${max}, got ${value}`);
    }
  }
  if (!Number.isInteger(options.seed)) throw new Error(`fleet: seed must be an integer, got ${options.seed}`);
}

/**
 * The stuck sample requests of hub h, named after the next free sites: hub-1 (Nephio) one still
 * installing and one timed out; hub-2 (O-Cloud Manager) one pending and one stalled in Porch.
 */
function sampleRequests(h: number, edges: number): { name: string; region: 'east' | 'west'; sample: SampleRequest }[] {
  if (h === 0) return [{ name: edgeName(edges), region: 'east', sample: 'progressing' }, { name: edgeName(edges + 1), region: 'west', sample: 'timedOut' }];
  if (h === 1) return [{ name: edgeName(edges + 2), region: 'east', sample: 'pending' }, { name: edgeName(edges + 3), region: 'west', sample: 'stalled' }];
  return [];
}

export function generateFleet(options: FleetOptions): SimClusterSpec[] {
  validate(options);
  const referenceTime = options.referenceTime ?? DEFAULT_REFERENCE_TIME;
  const { seed } = options;
  const clusters: SimClusterSpec[] = [];
  for (let h = 0; h < options.hubs; h++) {
    const edges = [];
    for (let e = h; e < options.edges; e += options.hubs) edges.push({ name: edgeName(e), region: edgeProfile(e).region });
    clusters.push(buildHubCluster({ seed, index: h, referenceTime, edges, samples: sampleRequests(h, options.edges) }));
  }
  for (let r = 0; r < options.regionals; r++) clusters.push(buildRegionalCluster({ seed, index: r, referenceTime }));
  for (let e = 0; e < options.edges; e++) clusters.push(buildEdgeCluster({ seed, index: e, referenceTime }));
  return clusters;
}

/**
 * One more edge site, as a fulfilled ProvisioningRequest creates it: the same shape as generated edges
 * (the profile cycles from `index`), named as the request asks.
 */
export function generateEdgeCluster(options: {
  seed: number;
  index: number;
  name?: string;
  labels?: Record<string, string>;
  referenceTime?: number;
  /** When set, the site was installed at this time (ms), e.g. just now by a ProvisioningRequest. */
  installedAt?: number;
}): SimClusterSpec {
  return buildEdgeCluster({
    seed: options.seed,
    index: options.index,
    name: options.name,
    labels: options.labels,
    referenceTime: options.referenceTime ?? DEFAULT_REFERENCE_TIME,
    installedAt: options.installedAt,
  });
}
