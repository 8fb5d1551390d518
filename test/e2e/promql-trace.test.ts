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
    await waitUntil('PTP series of every edge site', async () => {
      const clusters = new Set((await prom.query('openshift_ptp_clock_state')).map((r) => r.metric.cluster));
      return EDGES.every((c) => clusters.has(c)) || undefined;
    }, 30_000);
    receiver = await startOtlpReceiver();
    tracing = startTracing(tracingFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' }, 'fleetgraph-timing'));
    writeFileSync(join(dir, 'fleet-prometheus.yaml'), stringify({ prometheusUrl: prom.url }));
    registry = new ClusterRegistry({ kubeconfigPaths: [sim.kubeconfigPath], fleetFilePath: join(dir, 'fleet-prometheus.yaml') });
    caches = new WatchCacheRegistry(registry);
    // snapshots off: each query asks Prometheus itself, under the request's trace
    timing = await startTimingSubgraph(accessOver(registry, caches), startOptions({ metricsMaxAgeMs: 0 }));
  }, 90_000);

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
    const res = await fetch(timing.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${clientSpanId}-01` },
      body: JSON.stringify({ query: '{ ptpNodes { clusterName nodeName syncState read { source } } }' }),
    });
    const body = (await res.json()) as { data?: { ptpNodes: { clusterName: string; read: { source: string } }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const answered = [...new Set(body.data!.ptpNodes.map((n) => n.clusterName))].sort();
    expect(answered).toEqual(EDGES);
    expect(new Set(body.data!.ptpNodes.map((n) => n.read.source))).toEqual(new Set(['PROMETHEUS']));

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
