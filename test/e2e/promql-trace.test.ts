// Issue 19: each PromQL query is a span of the request's trace. The timing subgraph answers Node.ptp
// from a REAL Prometheus scraping the simulator (fleet-wide, label `cluster`); tracing is on in this
// process (as OTEL_EXPORTER_OTLP_ENDPOINT turns it on in a deployed one) and exports to an in-process
// OTLP receiver. Skipped, saying why, only when no prometheus binary exists.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { tracingFrom } from '../../lib/config.js';
import { startTracing, type Tracing } from '../../lib/tracing.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import { WatchCacheRegistry } from '../../subgraphs/kube/watch-cache-registry.js';
import { startTimingSubgraph, type RunningTimingSubgraph } from '../../subgraphs/timing/server.js';
import { accessOver, startOptions } from '../helpers/fleet-access.js';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.js';
import { findPrometheus, startPrometheus, type RealPrometheus } from '../helpers/prometheus.js';
import { waitUntil } from '../helpers/wait.js';
import { describeIf } from '../helpers/skip.js';

const PROMETHEUS = findPrometheus();
const describeWithPrometheus = describeIf(PROMETHEUS ? undefined : 'no prometheus binary ($PROMETHEUS_BIN or `prometheus` on PATH; Debian package `prometheus`)', 'the PromQL span test');

const EDGES = ['du-001', 'du-002', 'du-003'];

describeWithPrometheus('PromQL spans', () => {
  let dir: string;
  let sim: Simulator;
  let prom: RealPrometheus;
  let receiver: OtlpReceiver;
  let tracing: Tracing;
  let registry: ClusterRegistry;
  let caches: WatchCacheRegistry;
  let timing: RunningTimingSubgraph;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'promql-trace-'));
    sim = await startSimulator({ port: 0, controlPort: 0, dir, fleet: { seed: 1, hubs: 1, regionals: 1, edges: EDGES.length } });
    prom = await startPrometheus({ bin: PROMETHEUS!, dir, controlUrl: sim.controlUrl });
    receiver = await startOtlpReceiver();
    tracing = startTracing(tracingFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' }, 'fleetgraph-timing'));
    writeFileSync(join(dir, 'fleet-prometheus.yaml'), stringify({ prometheusUrl: prom.url }));
    registry = new ClusterRegistry({ kubeconfigPaths: [sim.kubeconfigPath], fleetFilePath: join(dir, 'fleet-prometheus.yaml') });
    caches = new WatchCacheRegistry(registry);
    // snapshots off: each query asks Prometheus itself, under the request's trace
    timing = await startTimingSubgraph(accessOver(registry, caches), startOptions({ metricsMaxAgeMs: 0 }));
    // Ready when Prometheus has scraped every PTP node (each node's daemon is its own target, scraped
    // in its own time): every node of every edge answers with a reading. Those requests' spans are in
    // traces of their own.
    await waitUntil('a Prometheus reading of every PTP node', async () => {
      const nodes = (await ptpNodes()).data?.ptpNodes ?? [];
      return (EDGES.every((c) => nodes.some((n) => n.clusterName === c)) && nodes.every((n) => n.read?.source === 'PROMETHEUS')) || undefined;
    }, 60_000);
  }, 120_000);

  type PtpNodesAnswer = { data?: { ptpNodes: { clusterName: string; read: { source: string } | null }[] }; errors?: unknown };
  async function ptpNodes(headers: Record<string, string> = {}): Promise<PtpNodesAnswer> {
    const res = await fetch(timing.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ ptpNodes { clusterName nodeName syncState read { source } } }' }),
    });
    return (await res.json()) as PtpNodesAnswer;
  }

  afterAll(async () => {
    await timing?.stop();
    await caches?.stop();
    await registry?.close();
    await tracing?.shutdown();
    await receiver?.stop();
    await prom?.stop();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('puts one span per cluster query under the request, with the query text, cluster and samples', async () => {
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const body = await ptpNodes({ traceparent: `00-${traceId}-${clientSpanId}-01` });
    expect(body.errors).toBeUndefined();
    const answered = [...new Set(body.data!.ptpNodes.map((n) => n.clusterName))].sort();
    expect(answered).toEqual(EDGES);
    expect(new Set(body.data!.ptpNodes.map((n) => n.read?.source))).toEqual(new Set(['PROMETHEUS']));

    const spans = await waitUntil('the PromQL spans of every answered cluster', () => {
      const inTrace = receiver.spans.filter((s) => s.traceId === traceId);
      const promql = inTrace.filter((s) => s.name === 'promql query');
      return answered.every((c) => promql.some((s) => s.attributes['fleetgraph.cluster'] === c)) ? inTrace : undefined;
    }, 30_000);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const server = spans.filter((s) => s.kind === 2 /* SERVER */);
    expect(server.map((s) => s.parentSpanId)).toEqual([clientSpanId]);
    for (const span of spans.filter((s) => s.name === 'promql query')) {
      expect(span.kind).toBe(3); // CLIENT
      expect(span.attributes).toMatchObject({ 'db.system': 'prometheus', 'server.address': prom.url });
      expect(String(span.attributes['db.query.text'])).toContain(`cluster="${span.attributes['fleetgraph.cluster']}"`);
      expect(Number(span.attributes['fleetgraph.samples'])).toBeGreaterThan(0);
      // Up the tree to the subgraph's server span of this request.
      let up = span;
      while (up.parentSpanId && byId.has(up.parentSpanId)) up = byId.get(up.parentSpanId)!;
      expect(up).toBe(server[0]);
    }
  });
});
