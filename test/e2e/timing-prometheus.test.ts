// Node.ptp through a REAL Prometheus: Prometheus scrapes the simulator's per-cluster metrics pages
// (file_sd from the control API's /prometheus/targets.json, label `cluster`), the fleet file points
// every cluster at it (a fleet-wide Prometheus), and the timing subgraph answers from PromQL: one
// query per cluster, no pod-proxy request. Skipped, saying why, only when no prometheus binary exists.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import { WatchCacheRegistry } from '../../subgraphs/kube/watch-cache-registry.js';
import { parsePrometheusText } from '../../subgraphs/metrics/text-format.js';
import { startTimingSubgraph, type RunningTimingSubgraph } from '../../subgraphs/timing/server.js';
import { accessOver, startOptions } from '../helpers/fleet-access.js';
import type { FleetAccess } from '../../subgraphs/common/fleet-access.js';
import { findPrometheus, freePort } from '../helpers/prometheus.js';
import { waitUntil } from '../helpers/wait.js';

const PROMETHEUS = findPrometheus();
if (!PROMETHEUS) console.warn('timing-prometheus.test.ts: SKIPPED, no prometheus binary ($PROMETHEUS_BIN or `prometheus` on PATH; Debian package `prometheus`)');
const describeWithPrometheus = PROMETHEUS ? describe : describe.skip;

const EDGES = 4;
const PTP_CLUSTERS = Array.from({ length: EDGES }, (_, i) => `du-${String(i + 1).padStart(3, '0')}`);

describeWithPrometheus('timing subgraph with a real Prometheus', () => {
  let dir: string;
  let sim: Simulator;
  let prometheus: ChildProcess;
  let promUrl: string;
  let promLog = '';
  let registry: ClusterRegistry;
  let caches: WatchCacheRegistry;
  let timing: RunningTimingSubgraph;
  let access: FleetAccess;

  const promql = async (query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success') throw new Error(`PromQL ${query}: ${JSON.stringify(body)}`);
    return body.data.result;
  };
  /** Instant queries Prometheus has served, from its own /metrics (prometheus_http_requests_total). */
  const queriesServed = async () =>
    parsePrometheusText(await (await fetch(`${promUrl}/metrics`)).text())
      .samples.filter((s) => s.name === 'prometheus_http_requests_total' && s.labels.handler === '/api/v1/query')
      .reduce((sum, s) => sum + s.value, 0);
  const gql = async (query: string) =>
    (await (await fetch(timing.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as {
      data?: any;
      errors?: unknown[];
    };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'timing-prometheus-'));
    sim = await startSimulator({ port: 0, controlPort: 0, dir, fleet: { seed: 1, hubs: 1, regionals: 1, edges: EDGES } });

    const targets = await (await fetch(`${sim.controlUrl}/prometheus/targets.json`)).json();
    writeFileSync(join(dir, 'targets.json'), JSON.stringify(targets));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
        scrape_configs: [{ job_name: 'fleetgraph-simulator', file_sd_configs: [{ files: [join(dir, 'targets.json')], refresh_interval: '1s' }] }],
      }),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS!,
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr!.on('data', (chunk: Buffer) => (promLog = (promLog + chunk.toString()).slice(-4000)));
    await waitUntil(`Prometheus ready (${promLog})`, async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined), 20_000);
    // Every edge site's daemon scraped at least once.
    await waitUntil('PTP series of every edge site', async () => {
      const clusters = new Set((await promql('openshift_ptp_clock_state')).map((r) => r.metric.cluster));
      return PTP_CLUSTERS.every((c) => clusters.has(c)) ? true : undefined;
    }, 20_000);

    writeFileSync(join(dir, 'fleet-prometheus.yaml'), stringify({ prometheusUrl: promUrl }));
    registry = new ClusterRegistry({ kubeconfigPaths: [sim.kubeconfigPath], fleetFilePath: join(dir, 'fleet-prometheus.yaml') });
    caches = new WatchCacheRegistry(registry);
    access = accessOver(registry, caches);
    // Metric snapshots off here: every query asks Prometheus (the shape of those queries is under test);
    // the last test turns them on.
    timing = await startTimingSubgraph(access, startOptions({ pollIntervalMs: 500, metricsMaxAgeMs: 0 }));
  }, 60_000);

  afterAll(async () => {
    await timing?.stop();
    await caches?.stop();
    await registry?.close();
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers Node.ptp of every edge site from PromQL, one query per cluster, with no pod-proxy request', async () => {
    const query = `{ ptpNodes { clusterName nodeName syncState offsetNs clockClass encoding read { source endpoint readAt } clocks { process interface state } } }`;
    // Warm the watch caches: repeat until one run asks the API servers nothing but watches.
    const counters = async () => (await (await fetch(`${sim.controlUrl}/counters`)).json()) as Record<string, Record<string, number>>;
    await waitUntil('a query answered from warm watch caches', async () => {
      await fetch(`${sim.controlUrl}/counters/reset`, { method: 'POST' });
      await gql(query);
      return Object.values(await counters()).every((c) => Object.keys(c).every((k) => k.startsWith('watch '))) || undefined;
    }, 10_000);
    await fetch(`${sim.controlUrl}/counters/reset`, { method: 'POST' });
    const before = await queriesServed();
    const res = await gql(query);
    const after = await queriesServed();

    expect(res.errors).toBeUndefined();
    const nodes = res.data.ptpNodes as any[];
    expect(nodes.map((n) => n.clusterName).sort()).toEqual(PTP_CLUSTERS);
    for (const n of nodes) {
      expect(n.read).toMatchObject({ source: 'PROMETHEUS', endpoint: promUrl });
      expect(n.syncState).toBe('LOCKED');
      expect(Math.abs(n.offsetNs)).toBeLessThan(100);
      expect(n.clocks.length).toBeGreaterThanOrEqual(2);
    }
    // The clock classes Prometheus holds for each site are the ones answered.
    const classes = await promql('openshift_ptp_clock_class{process="ptp4l"}');
    for (const n of nodes) {
      expect(n.clockClass).toBe(Number(classes.find((r) => r.metric.cluster === n.clusterName && r.metric.node === n.nodeName)?.value[1]));
    }

    const promQueries = after - before;
    expect(promQueries).toBe(PTP_CLUSTERS.length);
    const apiRequests = Object.values(await counters()).flatMap((c) => Object.entries(c).filter(([k]) => !k.startsWith('watch ')));
    expect(apiRequests).toEqual([]);
    expect(access.metrics.queries).toBeGreaterThanOrEqual(PTP_CLUSTERS.length);
    console.log(`timing e2e: ${nodes.length} nodes in ${registry.size} clusters from ${promQueries} PromQL queries, 0 API requests`);
  });

  it('follows a grandmaster loss through Prometheus', async () => {
    // du-003: T-BC, events on, holdOverTimeout 5 s.
    await fetch(`${sim.controlUrl}/scenarios/ptp-gm-loss`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cluster: 'du-003', recoverAfterSeconds: 30 }),
    });
    const holdover = await waitUntil('HOLDOVER through Prometheus', async () => {
      const res = await gql(`{ ptpNodes(clusters: ["du-003"]) { syncState clockClass clocks { process state faulty } read { source } } }`);
      const node = res.data?.ptpNodes?.[0];
      return node?.syncState === 'HOLDOVER' ? node : undefined;
    }, 10_000);
    expect(holdover.read.source).toBe('PROMETHEUS');
    expect(holdover.clockClass).toBe(135);
    expect(holdover.clocks.find((c: any) => c.process === 'ptp4l')).toMatchObject({ state: 'HOLDOVER', faulty: true });
    // It is the worst node of the fleet now.
    const fleet = await gql('{ ptpNodes(limit: 1) { clusterName syncState } }');
    expect(fleet.data.ptpNodes).toEqual([{ clusterName: 'du-003', syncState: 'HOLDOVER' }]);
  });

  it('with metric snapshots, a warm query asks Prometheus nothing and says when its values were read', async () => {
    // A bound longer than the test, so no background refresh falls into the measured query.
    const cached = await startTimingSubgraph(access, startOptions({ metricsMaxAgeMs: 60_000 }));
    try {
      const query = '{ ptpNodes { clusterName syncState read { source readAt } } }';
      const url = cached.url;
      const ask = async () => (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as { data?: any; errors?: unknown[] };
      const first = await ask(); // pre-warmed or read now: either way the snapshot exists afterwards
      expect(first.errors).toBeUndefined();
      const before = await queriesServed();
      const warm = await ask();
      const after = await queriesServed();
      expect(warm.errors).toBeUndefined();
      expect(after - before).toBe(0);
      expect(warm.data.ptpNodes.map((n: any) => n.clusterName).sort()).toEqual(PTP_CLUSTERS);
      for (const n of warm.data.ptpNodes) {
        expect(n.read.source).toBe('PROMETHEUS');
        expect(Date.now() - Date.parse(n.read.readAt)).toBeLessThan(60_000);
      }
    } finally {
      await cached.stop();
    }
  });
});
