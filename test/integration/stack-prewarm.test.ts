// Pre-warm, as an operator sees it: right after start the stack syncs every kind its domains read on
// every cluster (progress on the gateway's /readyz and /metrics), each cluster over one HTTP/2
// connection; what it cost is one LIST and one WATCH per kind per cluster; the dashboard's first
// fleet query then needs no LIST, WATCH or GET at all; a cluster that joins is pre-warmed too.
import { request } from 'undici';
import type { SyncProgress } from '../../subgraphs/kube/watch-cache-registry.js';
import { edgeSpec } from '../helpers/sim-specs.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

type Sync = SyncProgress;

let stack: TestStack;
beforeAll(async () => {
  // A generous per-cluster deadline: on a loaded machine a LIST cut at the default deadline is retried,
  // and the counts below are about what pre-warm asks, not about retries.
  stack = await startTestStack({ waitForPrewarm: false, deadlineMs: 15_000 });
});
afterAll(async () => {
  await stack?.stop();
});

async function readyz(): Promise<{ status: string; subgraphs: { name: string; sync?: Sync }[] }> {
  const res = await request(new URL('/readyz', stack.gatewayUrl));
  return (await res.body.json()) as { status: string; subgraphs: { name: string; sync?: Sync }[] };
}

async function metrics(): Promise<string> {
  return (await request(new URL('/metrics', stack.gatewayUrl))).body.text();
}

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('pre-warm', () => {
  it('syncs every pre-warmed kind on every cluster under the sync budget, with progress on /readyz and /metrics', async () => {
    // Ready while syncing: a query answers synced clusters from cache and asks the rest.
    expect((await readyz()).status).toBe('ready');
    const synced = await waitUntil(
      'fully synced',
      async () => {
        const sync = (await readyz()).subgraphs.find((s) => s.name === 'fleet')?.sync;
        return sync && sync.watching + sync.notServed === sync.caches ? sync : undefined;
      },
      60_000,
    );
    const clusters = (await stack.clusterNames()).length;
    expect(synced.clusters).toBe(clusters);
    expect(synced.kinds).toEqual(
      expect.arrayContaining([
        '/v1/nodes',
        'ptp.openshift.io/v1/ptpconfigs',
        'sriovnetwork.openshift.io/v1/sriovnetworknodestates',
        'k8s.cni.cncf.io/v1/network-attachment-definitions',
        '/v1/pods (app=ovnkube-node)',
        'o2ims.provisioning.oran.org/v1alpha1/provisioningrequests',
      ]),
    );
    expect(synced.synced).toBe(synced.caches);
    expect(synced.fullySyncedAfterMs).toEqual(expect.any(Number));
    expect(synced.budget).toMatchObject({ concurrency: 64, inFlight: 0 });
    expect(synced.budget!.granted).toBeGreaterThanOrEqual(synced.caches);

    const text = await metrics();
    expect(sample(text, 'fleetgraph_prewarm_caches{state="synced"}')).toBe(synced.caches);
    expect(sample(text, 'fleetgraph_prewarm_caches{state="queued"}')).toBe(0);
    expect(sample(text, 'fleetgraph_prewarm_fully_synced_seconds')).toBeCloseTo(synced.fullySyncedAfterMs! / 1000, 3);
    // One HTTP/2 connection per cluster for every LIST and WATCH of it (and one TLS handshake each).
    expect(sample(text, 'fleetgraph_cluster_connections{protocol="h2"}')).toBe(clusters);
    expect(sample(text, 'fleetgraph_cluster_connections{protocol="http/1.1"}')).toBe(0);
    expect(sample(text, 'fleetgraph_cluster_connections_opened_total')).toBe(clusters);
  });

  it('cost one LIST and one WATCH per kind per cluster, over one connection each; the first fleet query then costs no LIST, WATCH or GET', async () => {
    const counters = (await stack.counters()) as Record<string, Record<string, number>>;
    for (const [cluster, byKey] of Object.entries(counters)) {
      for (const [key, n] of Object.entries(byKey)) {
        // Pods are pre-warmed in two scopes (timing's linuxptp daemons, ovs's ovnkube-node pods): one path,
        // two caches; the metric-snapshot pre-warm reads the daemon pods too, through their cache, or with
        // a LIST of its own if it comes while that cache is between its LIST and its watch.
        const [min, max] = key === 'list /pods' ? [2, 3] : key === 'watch /pods' ? [2, 2] : [1, 1];
        if (key.startsWith('list ') || key.startsWith('watch ')) expect({ cluster, key, within: n >= min && n <= max }).toEqual({ cluster, key, within: true });
      }
      expect(byKey['list /nodes']).toBe(1);
    }
    const connections = (await stack.control('GET', '/connections')) as { clusters: Record<string, { open: number; opened: number; h2: number }> };
    for (const name of await stack.clusterNames()) expect({ name, ...connections.clusters[name] }).toEqual({ name, open: 1, opened: 1, h2: 1, http1: 0 });

    await stack.control('POST', '/counters/reset');
    const res = await stack.query('{ clusters { name nodes { name ptp { syncState } sriov { syncStatus } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.clusters.find((c: { name: string }) => c.name === 'du-001').nodes[0].ptp.syncState).toBe('LOCKED');
    const after = (await stack.counters()) as Record<string, Record<string, number>>;
    const verbs = Object.values(after).flatMap((byKey) => Object.keys(byKey).map((k) => k.split(' ')[0]));
    expect(verbs.filter((v) => v === 'list' || v === 'watch' || v === 'get')).toEqual([]);
  });

  it('pre-warms a cluster that joins', async () => {
    const before = (await readyz()).subgraphs.find((s) => s.name === 'fleet')!.sync!;
    await stack.inProcess!.simulator!.addCluster(edgeSpec('du-900'));
    const after = await waitUntil(
      'du-900 synced',
      async () => {
        const sync = (await readyz()).subgraphs.find((s) => s.name === 'fleet')?.sync;
        return sync && sync.clusters === before.clusters + 1 && sync.watching + sync.notServed === sync.caches ? sync : undefined;
      },
      60_000,
    );
    expect(after.caches).toBeGreaterThan(before.caches);
    const counters = (await stack.counters()) as Record<string, Record<string, number>>;
    expect(counters['du-900']['list /nodes']).toBe(1);
    expect(counters['du-900']['watch /nodes']).toBe(1);
  });
});
