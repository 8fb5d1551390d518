// The per-request probe behind Cluster.health, version and platform: one GET /version per cluster per
// request. Platform needs discovery (/apis: is config.openshift.io served?), which does not change while
// a cluster runs, so it is cached per cluster for a few minutes instead of asked on every request.
import DataLoader from 'dataloader';
import type { ClusterRegistry, VersionInfo } from '../kube/index.js';

export interface ClusterProbe {
  version: VersionInfo | null;
  openshift: boolean | null;
}

const PLATFORM_TTL_MS = 5 * 60_000;
const platformCache = new Map<string, { openshift: boolean; expires: number }>();

async function isOpenShift(registry: ClusterRegistry, cluster: string): Promise<boolean | null> {
  const cached = platformCache.get(cluster);
  if (cached && cached.expires > Date.now()) return cached.openshift;
  try {
    const groups = await registry.client(cluster).apiGroups();
    const openshift = groups.includes('config.openshift.io');
    platformCache.set(cluster, { openshift, expires: Date.now() + PLATFORM_TTL_MS });
    return openshift;
  } catch {
    return null;
  }
}

/** Failures are not thrown: they land in the client's health record, which Cluster.health reports. */
export function createProbeLoader(registry: ClusterRegistry): DataLoader<string, ClusterProbe> {
  return new DataLoader<string, ClusterProbe>((clusters) =>
    Promise.all(
      clusters.map(async (cluster) => {
        const version = await registry.client(cluster).version().catch(() => null);
        const openshift = version ? await isOpenShift(registry, cluster) : null;
        return { version, openshift };
      }),
    ),
  );
}
