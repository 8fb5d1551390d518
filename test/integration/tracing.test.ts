// Issue 19 acceptance: one fleet query produces one connected trace across processes — the client's
// W3C traceparent → the gateway's operation span → its query-plan fetch spans → each subgraph's server
// span → loader batch and per-cluster read spans (cache hit or miss) → each Kubernetes API request
// (method, path template, cluster, status). The stack runs as `npm start` runs it (one process each),
// exporting OTLP/HTTP to a receiver in this test, as to an OpenTelemetry Collector.
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const QUERY = 'query FleetPtp { clusters(labels: [{ key: "role", value: "edge" }]) { name nodes { name ptp { syncState } sriov { syncStatus } } } }';

let receiver: OtlpReceiver;
let stack: TestStack;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // No pre-warm and no metric snapshots: the query itself makes the cluster requests whose spans are traced
  // (pre-warmed, they would be background traces of their own).
  stack = await startTestStack({ layout: 'processes', prewarm: false, settings: { metricsMaxAgeMs: 0 }, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' } });
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
});

async function tracedQuery(): Promise<{ traceId: string; clientSpanId: string; clusters: { name: string }[] }> {
  const traceId = randomBytes(16).toString('hex');
  const clientSpanId = randomBytes(8).toString('hex');
  const res = await request(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${clientSpanId}-01` },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await res.body.json()) as { data: { clusters: { name: string }[] }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return { traceId, clientSpanId, clusters: body.data.clusters };
}

const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);

/** The chain of span names from `span` up to the root of its trace. */
function ancestry(span: ReceivedSpan, all: ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(all.map((s) => [s.spanId, s]));
  const chain = [span];
  for (let s = span; s.parentSpanId && byId.has(s.parentSpanId); ) chain.push((s = byId.get(s.parentSpanId)!));
  return chain;
}

describe('OpenTelemetry traces', () => {
  it('connect the client, the gateway, every subgraph of the plan and each cluster request', async () => {
    const { traceId, clientSpanId, clusters } = await tracedQuery();
    expect(clusters).toHaveLength(12);
    // Spans arrive in batches from four processes (a parent after its children): wait for the node LISTs
    // and for every span's parent.
    await waitUntil('the whole trace', () => {
      const all = inTrace(traceId);
      const ids = new Set([clientSpanId, ...all.map((s) => s.spanId)]);
      const lists = all.filter((s) => s.service === 'fleetgraph-fleet' && s.name === 'GET /api/v1/nodes');
      return lists.length === clusters.length && all.every((s) => s.parentSpanId && ids.has(s.parentSpanId));
    }, 30_000);
    const spans = inTrace(traceId);
    const nodeLists = spans.filter((s) => s.service === 'fleetgraph-fleet' && s.name === 'GET /api/v1/nodes');

    // One root: the gateway's operation span, a child of the caller's span.
    const roots = spans.filter((s) => !spans.some((p) => p.spanId === s.parentSpanId));
    expect(roots.map((s) => [s.service, s.name, s.parentSpanId])).toEqual([['fleetgraph-gateway', 'query FleetPtp', clientSpanId]]);
    expect(roots[0].attributes['graphql.operation.type']).toBe('query');

    // One gateway.fetch per subgraph the plan asks, each with its subgraph's server span beneath it.
    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    expect([...new Set(fetches.map((s) => s.attributes.service))].sort()).toEqual(['fleet', 'sriov', 'timing']);
    for (const service of ['fleet', 'timing', 'sriov']) {
      const servers = spans.filter((s) => s.service === `fleetgraph-${service}` && s.kind === 2 /* SERVER */);
      expect(servers.length).toBeGreaterThan(0);
      for (const server of servers) expect(fetches.map((f) => f.spanId)).toContain(server.parentSpanId);
    }

    // Every cluster request: method, path template (no names), cluster, status; up the tree to the root.
    expect(nodeLists.map((s) => s.attributes['fleetgraph.cluster']).sort()).toEqual(clusters.map((c) => c.name).sort());
    for (const span of nodeLists) {
      expect(span.kind).toBe(3); // CLIENT
      expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.template': '/api/v1/nodes', 'http.response.status_code': 200, 'k8s.verb': 'list' });
      const chain = ancestry(span, spans).map((s) => `${s.service}:${s.name}`);
      expect(chain[1]).toBe('fleetgraph-fleet:list nodes'); // the per-cluster read: cache hit or miss
      expect(chain).toContain('fleetgraph-fleet:batch list nodes');
      expect(chain.at(-1)).toBe('fleetgraph-gateway:query FleetPtp');
    }
    const reads = spans.filter((s) => s.name === 'list nodes' && s.service === 'fleetgraph-fleet');
    expect(reads.every((s) => ['api', 'watch_cache', 'list_cache'].includes(String(s.attributes['fleetgraph.cache'])))).toBe(true);
    // PTP metrics through the daemon's pod proxy: one span per node, templated.
    const proxies = spans.filter((s) => s.service === 'fleetgraph-timing' && s.attributes['k8s.verb'] === 'proxy');
    expect(proxies.length).toBeGreaterThanOrEqual(12);
    expect(new Set(proxies.map((s) => s.attributes['url.template']))).toEqual(new Set(['/api/v1/namespaces/{namespace}/pods/{name}/proxy/{path}']));
  });

  it('says when a read was answered from a warm watch cache (and sends no request then)', async () => {
    await tracedQuery(); // warms the timing subgraph's watch caches
    const { traceId } = await tracedQuery();
    const reads = await waitUntil('timing reads of PtpConfigs', () => {
      const found = inTrace(traceId).filter((s) => s.service === 'fleetgraph-timing' && s.name === 'read ptpconfigs');
      return found.length >= 12 ? found : undefined;
    }, 30_000);
    expect(new Set(reads.map((s) => s.attributes['fleetgraph.cache']))).toEqual(new Set(['watch_cache']));
    const byParent = new Set(inTrace(traceId).map((s) => s.parentSpanId));
    for (const read of reads) expect(byParent.has(read.spanId)).toBe(false);
  });
});
