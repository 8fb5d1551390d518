// A domain's fleet access over a registry and watch caches a test made itself, and start options on a
// random port: how a test starts one subgraph alone, exactly as the launcher would.
import { DEFAULT_DOMAIN_SETTINGS, type DomainSettings } from '../../lib/config.js';
import type { DomainStartOptions } from '../../subgraphs/common/domain.js';
import type { FleetAccess } from '../../subgraphs/common/fleet-access.js';
import type { ClusterRegistry, WatchCacheRegistry } from '../../subgraphs/kube/index.js';
import { PrometheusSource } from '../../subgraphs/metrics/prometheus-source.js';

export function accessOver(registry: ClusterRegistry, watchCaches: WatchCacheRegistry): FleetAccess {
  return { registry, watchCaches, listCache: null, metrics: new PrometheusSource(registry) };
}

export function startOptions(settings: Partial<DomainSettings> = {}): DomainStartOptions {
  return { host: '127.0.0.1', port: 0, settings: { ...DEFAULT_DOMAIN_SETTINGS, ...settings } };
}
