// Prometheus metrics of one process's fleet access, read when scraped: pre-warm progress (pre-warmed
// watch caches by state, time to fully synced), the sync budget, every watch cache, and the connections
// to API servers (open by protocol, opened = TLS handshakes). Served at a subgraph's /metrics, and at
// the gateway's when everything runs in one process.
import { Counter, Gauge, Registry } from 'prom-client';
import type { WireProtocol } from './connections.js';
import type { WatchCacheRegistry } from './watch-cache-registry.js';

/** What the metrics read of the cluster registry (ClusterRegistry has it). */
export interface ConnectionSource {
  readonly size: number;
  connectionTotals(): { open: Record<WireProtocol, number>; opened: number; retired: number };
}

export function fleetAccessMetrics(clusters: ConnectionSource, caches: WatchCacheRegistry): Registry {
  const registry = new Registry();
  const progress = () => caches.progress();
  new Gauge({
    name: 'fleetgraph_clusters',
    help: 'Clusters in the fleet (kubeconfig contexts)',
    registers: [registry],
    collect() {
      this.set(clusters.size);
    },
  });
  new Gauge({
    name: 'fleetgraph_prewarm_caches',
    help: 'Pre-warmed watch caches (clusters × pre-warmed kinds) by state: synced, queued for the sync budget, listing, retrying after an error',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const p = progress();
      this.set({ state: 'synced' }, p.synced);
      this.set({ state: 'queued' }, p.queued);
      this.set({ state: 'listing' }, p.listing);
      this.set({ state: 'retrying' }, p.retrying);
    },
  });
  new Gauge({
    name: 'fleetgraph_prewarm_fully_synced_seconds',
    help: 'Time from the start of pre-warming until every pre-warmed cache had synced once (absent until then)',
    registers: [registry],
    collect() {
      this.reset();
      const ms = progress().fullySyncedAfterMs;
      if (ms !== null) this.set(ms / 1000);
    },
  });
  new Gauge({
    name: 'fleetgraph_watch_caches',
    help: 'Watch caches of this process (pre-warmed or started by a query)',
    registers: [registry],
    collect() {
      this.set(progress().allCaches);
    },
  });
  new Gauge({
    name: 'fleetgraph_sync_budget',
    help: 'The fleet-wide sync budget: slots, LISTs in flight, LISTs queued',
    labelNames: ['what'],
    registers: [registry],
    collect() {
      const b = progress().budget;
      this.reset();
      if (!b) return;
      this.set({ what: 'slots' }, b.concurrency);
      this.set({ what: 'in_flight' }, b.inFlight);
      this.set({ what: 'queued' }, b.queued);
    },
  });
  new Counter({
    name: 'fleetgraph_sync_budget_grants_total',
    help: 'LISTs granted a slot of the sync budget, and of those the ones moved ahead because a query waited',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const b = progress().budget;
      this.reset();
      if (!b) return;
      this.inc({ kind: 'all' }, b.granted);
      this.inc({ kind: 'promoted' }, b.promoted);
    },
  });
  new Gauge({
    name: 'fleetgraph_cluster_connections',
    help: 'Open connections to API servers, by protocol (HTTP/2 carries every call and watch of a cluster on one)',
    labelNames: ['protocol'],
    registers: [registry],
    collect() {
      const { open } = clusters.connectionTotals();
      this.set({ protocol: 'h2' }, open.h2);
      this.set({ protocol: 'http/1.1' }, open['http/1.1']);
    },
  });
  new Counter({
    name: 'fleetgraph_cluster_connections_opened_total',
    help: 'Connections opened to API servers (each a TLS handshake)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(clusters.connectionTotals().opened);
    },
  });
  new Counter({
    name: 'fleetgraph_cluster_connections_retired_total',
    help: 'HTTP/2 connections to API servers dropped because several calls in a row on them went unanswered (a stuck connection; the next call dials a new one)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(clusters.connectionTotals().retired);
    },
  });
  return registry;
}
