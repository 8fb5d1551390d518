// WatchCache against the simulator over HTTPS: initial list, live changes, a forced 410 (history
// compacted while the watch was down) answered by a relist whose diff includes a delete that
// happened during the disconnect, a dropped watch resumed without relisting, bookmarks that keep a
// quiet kind's resourceVersion fresh, and fleet-wide subscriptions following a cluster that joins.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import type { KubeObject as SimObject } from '../../simulator/types.js';
import { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import { Resources } from '../../subgraphs/kube/resources.js';
import { WatchCacheRegistry, type FleetChange } from '../../subgraphs/kube/watch-cache-registry.js';
import type { WatchCache, WatchChange } from '../../subgraphs/kube/watch-cache.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import { edgeSpec, testFleet } from '../helpers/sim-specs.js';

const PTP = 'ptp.openshift.io/ptpconfigs';

let sim: Simulator;
let dir: string;
let registry: ClusterRegistry;
let caches: WatchCacheRegistry;

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(sim.controlUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json().catch(() => undefined);
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function ptpConfig(name: string, interfaceName = 'ens5f0'): SimObject {
  return {
    apiVersion: 'ptp.openshift.io/v1',
    kind: 'PtpConfig',
    metadata: { name, namespace: 'openshift-ptp', managedFields: [{ manager: 'kubectl', operation: 'Apply' }] },
    spec: { profile: [{ name: 'p', interface: interfaceName }], recommend: [] },
  };
}

const store = (cluster: string) => sim.clusters.get(cluster)!.store;
const names = (cache: WatchCache<KubeObject>) => cache.list().map((o) => o.metadata.name).sort();
const summary = (changes: WatchChange<KubeObject>[]) => changes.map((c) => `${c.type} ${c.object.metadata.name}`);

function record(cache: WatchCache<KubeObject>): WatchChange<KubeObject>[] {
  const changes: WatchChange<KubeObject>[] = [];
  cache.on('change', (_o, _old, change) => changes.push(change));
  return changes;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-watch-'));
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: testFleet(), bookmarkIntervalMs: 150 });
  registry = new ClusterRegistry({ kubeconfigPaths: [sim.kubeconfigPath], fleetFilePath: sim.fleetFilePath });
});

beforeEach(() => {
  caches = new WatchCacheRegistry(registry, { backoff: { initialMs: 30, maxMs: 300 } });
});

afterEach(async () => {
  await caches.stop();
  for (const name of sim.clusters.keys()) await control('DELETE', `/clusters/${name}/faults`);
});

afterAll(async () => {
  await registry.close();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('initial list, then live ADDED / MODIFIED / DELETED, with managedFields stripped', async () => {
  const cache = caches.cache('edge-1', Resources.ptpConfigs);
  const changes = record(cache);
  expect(cache.synced).toBe(false);
  await cache.ready;
  expect(cache.synced).toBe(true);
  expect(names(cache)).toEqual(['du-boundary', 'du-slave']);
  expect(changes.every((c) => c.type === 'add' && c.initial)).toBe(true);
  changes.length = 0;

  store('edge-1').create(PTP, ptpConfig('live-1'));
  await waitFor('add', () => changes.length === 1);
  const served = await registry.client('edge-1').get(Resources.ptpConfigs, 'openshift-ptp', 'live-1');
  expect(served?.metadata.managedFields).toHaveLength(1);
  expect(cache.get('openshift-ptp', 'live-1')?.metadata.managedFields).toBeUndefined();

  store('edge-1').mutate(PTP, 'openshift-ptp', 'live-1', (o) => ({ ...o, spec: { profile: [{ name: 'p', interface: 'ens7f0' }], recommend: [] } }));
  await waitFor('update', () => changes.length === 2);
  expect(changes[1]).toMatchObject({ type: 'update', old: { spec: { profile: [{ interface: 'ens5f0' }] } }, object: { spec: { profile: [{ interface: 'ens7f0' }] } } });

  store('edge-1').delete(PTP, 'openshift-ptp', 'live-1');
  await waitFor('delete', () => changes.length === 3);
  expect(summary(changes)).toEqual(['add live-1', 'update live-1', 'delete live-1']);
  expect(cache.get('openshift-ptp', 'live-1')).toBeUndefined();
  expect(cache.resourceVersion).toBe(String(store('edge-1').resourceVersion));
});

test('forced 410: changes made while the watch was down and history compacted → relist with the right diff', async () => {
  const s = store('edge-1');
  s.create(PTP, ptpConfig('will-vanish'));
  s.create(PTP, ptpConfig('will-change'));
  const cache = caches.cache('edge-1', Resources.ptpConfigs);
  await cache.ready;
  const changes = record(cache);
  const listsBefore = cache.stats.lists;

  // Take the cluster down and cut the watch, so the cache cannot see the next changes as they happen.
  await control('PUT', '/clusters/edge-1/faults', { unreachable: true });
  await control('POST', '/clusters/edge-1/drop-watches');
  s.delete(PTP, 'openshift-ptp', 'will-vanish');
  s.mutate(PTP, 'openshift-ptp', 'will-change', (o) => ({ ...o, spec: { profile: [{ name: 'p', interface: 'ens9f0' }], recommend: [] } }));
  s.create(PTP, ptpConfig('appeared'));
  await control('POST', '/clusters/edge-1/compact');
  await waitFor('a failed reconnect', () => cache.lastError?.code === 'CLUSTER_UNREACHABLE');
  expect(changes).toEqual([]);

  await control('DELETE', '/clusters/edge-1/faults');
  await waitFor('relist diff', () => changes.length === 3);
  expect(cache.stats.relistsAfterGone).toBe(1);
  expect(cache.stats.lists).toBe(listsBefore + 1);
  expect(summary(changes).sort()).toEqual(['add appeared', 'delete will-vanish', 'update will-change']);
  expect(changes.find((c) => c.type === 'update')?.old).toMatchObject({ spec: { profile: [{ interface: 'ens5f0' }] } });
  expect(names(cache)).toEqual(['appeared', 'du-boundary', 'du-slave', 'will-change']);

  // The relist did not re-announce unchanged objects, and the watch goes on from the new list.
  s.delete(PTP, 'openshift-ptp', 'appeared');
  s.delete(PTP, 'openshift-ptp', 'will-change');
  await waitFor('live deletes after relist', () => changes.length === 5);
  expect(summary(changes).slice(3)).toEqual(['delete appeared', 'delete will-change']);
});

test('a dropped watch reconnects from its resourceVersion: no relist, nothing lost or duplicated', async () => {
  const cache = caches.cache('edge-1', Resources.ptpConfigs);
  await cache.ready;
  const changes = record(cache);
  const { lists, watches } = cache.stats;

  await control('POST', '/clusters/edge-1/drop-watches');
  store('edge-1').create(PTP, ptpConfig('after-drop'));
  await waitFor('add after reconnect', () => changes.length === 1);
  expect(summary(changes)).toEqual(['add after-drop']);
  expect(cache.stats.lists).toBe(lists);
  expect(cache.stats.watches).toBeGreaterThan(watches);
  // A later change is the sync point: a duplicate of the add would arrive before it.
  store('edge-1').delete(PTP, 'openshift-ptp', 'after-drop');
  await waitFor('delete', () => changes.some((c) => c.type === 'delete'));
  expect(summary(changes)).toEqual(['add after-drop', 'delete after-drop']);
});

test('bookmarks advance a quiet kind’s resourceVersion, so a reconnect after compaction needs no relist', async () => {
  const cache = caches.cache('edge-1', Resources.ptpConfigs);
  await cache.ready;
  const listedAt = Number(cache.resourceVersion);
  // Other kinds change: the cluster's resourceVersion moves on while PtpConfigs stay quiet.
  for (let i = 0; i < 3; i++) {
    store('edge-1').mutate('/nodes', undefined, 'edge-1-node', (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, touched: String(i) } } }));
  }
  const clusterRv = store('edge-1').resourceVersion;
  expect(clusterRv).toBeGreaterThan(listedAt);
  await waitFor('bookmark', () => Number(cache.resourceVersion) === clusterRv);
  expect(cache.stats.bookmarks).toBeGreaterThan(0);

  await control('POST', '/clusters/edge-1/compact');
  const { lists, watches } = cache.stats;
  await control('POST', '/clusters/edge-1/drop-watches');
  await waitFor('reconnect', () => cache.stats.watches > watches);
  // A change seen after the reconnect: had the resourceVersion been compacted away, a relist would come first.
  const changes = record(cache);
  store('edge-1').create(PTP, ptpConfig('after-compact'));
  await waitFor('the change after reconnect', () => changes.length === 1);
  expect(summary(changes)).toEqual(['add after-compact']);
  expect(cache.stats.relistsAfterGone).toBe(0);
  expect(cache.stats.lists).toBe(lists);
  store('edge-1').delete(PTP, 'openshift-ptp', 'after-compact');
});

test('one shared cache per (cluster, kind); fleet subscriptions follow a cluster that joins', async () => {
  expect(caches.cache('edge-1', Resources.ptpConfigs)).toBe(caches.cache('edge-1', Resources.ptpConfigs));
  const seen: FleetChange[] = [];
  const unsubscribe = caches.subscribe(Resources.ptpConfigs, (change) => seen.push(change));
  const stopWatching = registry.watchFiles({ debounceMs: 20 });
  try {
    await Promise.all(registry.names().map((name) => caches.cache(name, Resources.ptpConfigs).ready));
    expect(seen).toEqual([]); // initial lists are not changes
    // A plain Kubernetes cluster has no PTP operator: its cache is synced, empty and says why.
    const regional = caches.cache('regional-1', Resources.ptpConfigs);
    expect(regional).toMatchObject({ synced: true, notServed: true, size: 0 });
    expect(regional.lastError?.code).toBe('NOT_FOUND');

    await sim.addCluster(edgeSpec('edge-2'));
    await waitFor('registry reload', () => registry.has('edge-2'));
    const cache2 = caches.peek('edge-2', Resources.ptpConfigs);
    expect(cache2).toBeDefined();
    await cache2!.ready;
    store('edge-2').create(PTP, ptpConfig('on-new-cluster'));
    store('edge-1').create(PTP, ptpConfig('on-old-cluster'));
    await waitFor('changes from both clusters', () => seen.length === 2);
    expect(seen.map((c) => `${c.cluster} ${c.type} ${c.object.metadata.name}`).sort()).toEqual([
      'edge-1 add on-old-cluster',
      'edge-2 add on-new-cluster',
    ]);
  } finally {
    unsubscribe();
    stopWatching();
    store('edge-1').delete(PTP, 'openshift-ptp', 'on-old-cluster');
  }
});
