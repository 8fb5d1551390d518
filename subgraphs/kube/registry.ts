// The fleet: one entry per kubeconfig context (all, or a chosen set), with labels and settings from an
// optional fleet file, one KubeConfig object and one lazily created ClusterClient per cluster.
// Clusters come and go at run time (a fulfilled ProvisioningRequest adds one and rewrites the
// kubeconfig): `reload()` re-reads the files, `watchFiles()` does it on change, `on('change')` tells.
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { watchFiles } from '../../lib/watch-files.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient, type ClusterClientOptions } from './client.js';
import type { WireProtocol } from './connections.js';
import { unknownCluster } from './errors.js';
import { EMPTY_FLEET_FILE, mergedSettings, readFleetFile, type FleetFile, type SettingsByDomain } from './fleet-file.js';
import { loadContexts } from './kubeconfig.js';
import { matchesFilters, type LabelFilter } from './labels.js';

export const DEFAULT_DEADLINE_MS = 5000;
export const DEFAULT_CONCURRENCY = 8;

export interface ClusterEntry {
  /** The kubeconfig context name. */
  readonly name: string;
  /** API server URL, never with credentials. */
  readonly server: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly prometheusUrl?: string;
  readonly deadlineMs: number;
  readonly concurrency: number;
  readonly insecureSkipTlsVerify: boolean;
  /**
   * Per-domain settings from the fleet file (defaults → matching groups → cluster, deep-merged, frozen):
   * opaque here; each domain reads its own part (`domainSettings(entry, 'ovs')`) and parses it.
   */
  readonly settings: SettingsByDomain;
  /** This cluster's own KubeConfig: its context, cluster and user only. */
  readonly kubeConfig: KubeConfig;
}

export interface RegistryChange {
  added: string[];
  removed: string[];
  /** Credentials, server or fleet settings changed: the cluster's client was replaced. */
  updated: string[];
}

export interface ClusterFilter {
  labels?: readonly LabelFilter[] | null;
}

/** Client settings every cluster shares (deadline and concurrency come from the fleet file). */
export type SharedClientOptions = Omit<ClusterClientOptions, 'name' | 'server' | 'kubeConfig' | 'deadlineMs' | 'concurrency'>;

export interface ClusterRegistryOptions {
  /** Kubeconfig files in KUBECONFIG order. */
  kubeconfigPaths: readonly string[];
  fleetFilePath?: string;
  /** Only these contexts (default: every context). */
  contexts?: readonly string[];
  /** Used where neither the fleet file nor its defaults say. */
  defaults?: { deadlineMs?: number; concurrency?: number };
  client?: SharedClientOptions;
}

interface Loaded {
  entry: ClusterEntry;
  fingerprint: string;
}

export class ClusterRegistry {
  private entries = new Map<string, Loaded>();
  private readonly clients = new Map<string, ClusterClient>();
  private readonly events = new EventEmitter();
  private readonly options: ClusterRegistryOptions;
  private stopWatching?: () => void;
  /** Connections opened by clients since replaced or closed (the opened count never goes back). */
  private retiredOpened = 0;
  /** Stuck HTTP/2 connections dropped by clients closed since (so the counter never goes back). */
  private retiredStuck = 0;
  /** The last failed reload's error (the previous state stays in force); cleared by a good reload. */
  lastReloadError?: Error;

  constructor(options: ClusterRegistryOptions) {
    if (options.kubeconfigPaths.length === 0) throw new Error('no kubeconfig file given');
    this.options = { ...options, kubeconfigPaths: options.kubeconfigPaths.map((p) => resolve(p)) };
    this.entries = this.load();
  }

  get size(): number {
    return this.entries.size;
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** Clusters (sorted by name) whose fleet labels match every filter. */
  list(filter: ClusterFilter = {}): ClusterEntry[] {
    return this.names()
      .map((name) => this.entries.get(name)!.entry)
      .filter((entry) => matchesFilters(entry.labels, filter.labels ?? []));
  }

  get(name: string): ClusterEntry | undefined {
    return this.entries.get(name)?.entry;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry, or a NOT_FOUND ClusterError. */
  require(name: string): ClusterEntry {
    const entry = this.get(name);
    if (!entry) throw unknownCluster(name);
    return entry;
  }

  /** The cluster's client (created on first use); a NOT_FOUND ClusterError for an unknown name. */
  client(name: string): ClusterClient {
    const existing = this.clients.get(name);
    if (existing) return existing;
    const entry = this.require(name);
    const client = new ClusterClient({
      ...this.options.client,
      name: entry.name,
      server: entry.server,
      kubeConfig: entry.kubeConfig,
      deadlineMs: entry.deadlineMs,
      concurrency: entry.concurrency,
    });
    this.clients.set(name, client);
    return client;
  }

  /** Connections of every cluster client created so far: open now by protocol, opened (TLS handshakes). */
  connectionTotals(): { open: Record<WireProtocol, number>; opened: number; retired: number } {
    const totals = { open: { h2: 0, 'http/1.1': 0 }, opened: this.retiredOpened, retired: this.retiredStuck };
    for (const client of this.clients.values()) {
      const stats = client.connectionStats();
      totals.open[stats.protocol ?? 'http/1.1'] += stats.open;
      totals.opened += stats.opened;
      totals.retired += stats.retired;
    }
    return totals;
  }

  /**
   * Re-reads the kubeconfig and fleet files. On a read error the previous state stays and the error
   * is thrown. Emits `change` when clusters were added, removed or updated.
   */
  reload(): RegistryChange {
    let next: Map<string, Loaded>;
    try {
      next = this.load();
    } catch (err) {
      this.lastReloadError = err instanceof Error ? err : new Error(String(err));
      throw this.lastReloadError;
    }
    this.lastReloadError = undefined;
    const change: RegistryChange = { added: [], removed: [], updated: [] };
    for (const [name, loaded] of next) {
      const previous = this.entries.get(name);
      if (!previous) change.added.push(name);
      else if (previous.fingerprint !== loaded.fingerprint) change.updated.push(name);
    }
    for (const name of this.entries.keys()) if (!next.has(name)) change.removed.push(name);
    this.entries = next;
    for (const name of [...change.removed, ...change.updated]) {
      const client = this.clients.get(name);
      this.clients.delete(name);
      this.retiredOpened += client?.connectionStats().opened ?? 0;
      this.retiredStuck += client?.connectionStats().retired ?? 0;
      // Requests in flight on the old credentials may finish; watch caches reconnect with the new client.
      void client?.close({ graceful: true });
    }
    if (change.added.length || change.removed.length || change.updated.length) this.events.emit('change', change);
    return change;
  }

  /** Listens for cluster changes; returns the function that stops listening. */
  on(event: 'change', listener: (change: RegistryChange) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  /** Reloads when a kubeconfig or the fleet file changes on disk (lib/watch-files.ts). */
  watchFiles(options: { debounceMs?: number; onError?: (err: Error) => void } = {}): () => void {
    this.unwatchFiles();
    const files = [...this.options.kubeconfigPaths, ...(this.options.fleetFilePath ? [resolve(this.options.fleetFilePath)] : [])];
    const stop = watchFiles(
      files,
      () => {
        try {
          this.reload();
        } catch (err) {
          options.onError?.(err as Error);
        }
      },
      options,
    );
    this.stopWatching = stop;
    return () => this.unwatchFiles();
  }

  /** Stops watching files and closes every client. */
  async close(): Promise<void> {
    this.unwatchFiles();
    const clients = [...this.clients.values()];
    this.clients.clear();
    for (const c of clients) {
      this.retiredOpened += c.connectionStats().opened;
      this.retiredStuck += c.connectionStats().retired;
    }
    await Promise.all(clients.map((c) => c.close()));
  }

  private unwatchFiles(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  private load(): Map<string, Loaded> {
    const fleet: FleetFile = this.options.fleetFilePath ? readFleetFile(this.options.fleetFilePath) : EMPTY_FLEET_FILE;
    const contexts = loadContexts(this.options.kubeconfigPaths, this.options.contexts);
    const loaded = new Map<string, Loaded>();
    for (const context of contexts) {
      const own = fleet.clusters.get(context.name);
      const labels = Object.freeze({ ...fleet.defaults.labels, ...own?.labels });
      const entry: ClusterEntry = {
        name: context.name,
        server: context.server,
        labels,
        prometheusUrl: own?.prometheusUrl ?? fleet.defaults.prometheusUrl,
        deadlineMs: own?.deadlineMs ?? fleet.defaults.deadlineMs ?? this.options.defaults?.deadlineMs ?? DEFAULT_DEADLINE_MS,
        concurrency: own?.concurrency ?? fleet.defaults.concurrency ?? this.options.defaults?.concurrency ?? DEFAULT_CONCURRENCY,
        insecureSkipTlsVerify: context.insecureSkipTlsVerify,
        settings: mergedSettings(fleet, labels, own?.settings),
        kubeConfig: context.kubeConfig,
      };
      const settings = JSON.stringify([entry.labels, entry.prometheusUrl, entry.deadlineMs, entry.concurrency, entry.settings]);
      loaded.set(context.name, { entry: Object.freeze(entry), fingerprint: `${context.fingerprint}:${settings}` });
    }
    return loaded;
  }
}
