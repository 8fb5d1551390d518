// Operating fleetgraph itself, as Prometheus sees it: /metrics on the gateway and on every subgraph
// with per-cluster health and breaker state, API requests by cluster/verb/kind, watch-cache sync state
// and staleness, where reads were answered (the cache hit ratio), subscription counts — labelled by
// cluster and kind, never by node or pod. Every metric the Grafana dashboard and the alerting rules in
// deploy/ use is one these processes export.
import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';
import { dashboardExpressions } from '../../scripts/grafana-dashboard.js';
import { DOMAINS } from '../../subgraphs/domains.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ settings: { pollIntervalMs: 100 }, deadlineMs: 3000 });
});
afterAll(async () => {
  await stack?.stop();
});

const scrape = async (url: string) => (await (await request(new URL('/metrics', url))).body.text());
/** The value of the one sample `name{labels…}` (labels in any order, all given ones must match). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe('/metrics', () => {
  it('per cluster: health, requests by verb and kind, watch caches and where reads were answered', async () => {
    const ptp = '{ clusters(labels: [{ key: "role", value: "edge" }]) { name nodes { name ptp { syncState } } } }';
    expect((await stack.query(ptp)).errors).toBeUndefined();
    expect((await stack.query(ptp)).errors).toBeUndefined(); // warm: from the watch caches
    const text = await scrape(stack.subgraphUrls.timing);
    expect(sample(text, 'fleetgraph_cluster_up', { cluster: 'du-001' })).toBe(1);
    expect(sample(text, 'fleetgraph_cluster_circuit_open', { cluster: 'du-001' })).toBe(0);
    expect(sample(text, 'fleetgraph_cluster_latency_seconds', { cluster: 'du-001' })).toBeGreaterThan(0);
    expect(sample(text, 'fleetgraph_kube_requests_total', { cluster: 'du-001', verb: 'list', kind: 'nodes', code: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'fleetgraph_kube_requests_total', { cluster: 'du-001', verb: 'proxy', kind: 'pods', code: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'fleetgraph_kube_request_seconds_count', { verb: 'list', kind: 'nodes' })).toBeGreaterThanOrEqual(12);
    expect(sample(text, 'fleetgraph_watch_cache_synced', { cluster: 'du-001', kind: 'ptp.openshift.io/ptpconfigs' })).toBe(1);
    expect(sample(text, 'fleetgraph_watch_cache_staleness_seconds', { cluster: 'du-001', kind: 'ptp.openshift.io/ptpconfigs' })).toBeGreaterThanOrEqual(0);
    // The second query read the PTP objects from the watch caches: cache hits.
    expect(sample(text, 'fleetgraph_kube_reads_total', { kind: 'ptp.openshift.io/ptpconfigs', source: 'watch_cache' })).toBeGreaterThanOrEqual(12);
    expect(sample(text, 'fleetgraph_kube_reads_total', { kind: 'ptp.openshift.io/ptpconfigs', source: 'api' })).toBeGreaterThanOrEqual(12);
    // Low cardinality: clusters and kinds, never a node, a pod or a namespace.
    expect(text).not.toMatch(/du-001-sno|linuxptp-daemon|openshift-ptp"/);
  });

  it('an unreachable cluster is 0, and its breaker opens', async () => {
    await stack.control('PUT', '/clusters/du-004/faults', { unreachable: true });
    try {
      await waitUntil('the du-004 breaker to open', async () => {
        await stack.query('{ cluster(name: "du-004") { nodes { name } } }');
        return sample(await scrape(stack.subgraphUrls.fleet), 'fleetgraph_cluster_circuit_open', { cluster: 'du-004' }) === 1;
      }, 30_000, 100);
      const text = await scrape(stack.subgraphUrls.fleet);
      expect(sample(text, 'fleetgraph_cluster_up', { cluster: 'du-004' })).toBe(0);
      expect(sample(text, 'fleetgraph_kube_requests_total', { cluster: 'du-004', verb: 'list', kind: 'nodes', code: '0' })).toBeGreaterThanOrEqual(1);
    } finally {
      await stack.control('DELETE', '/clusters/du-004/faults');
    }
  });

  it('counts subscriptions on the gateway and on the subgraph that holds them', async () => {
    const client = createClient({ url: stack.gatewayUrl.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const errors: unknown[] = [];
    const stop = client.subscribe({ query: 'subscription { ptpClockStateChanged(cluster: "du-002") { currentState } }' }, { next: () => undefined, error: (e) => errors.push(e), complete: () => undefined });
    try {
      await waitUntil('the timing subgraph to hold the subscription', async () => {
        if (errors.length) throw new Error(JSON.stringify(errors));
        return sample(await scrape(stack.subgraphUrls.timing), 'fleetgraph_subgraph_subscriptions', { subgraph: 'timing' }) === 1;
      });
      expect(sample(await scrape(stack.gatewayUrl), 'fleetgraph_subscriptions_active')).toBe(1);
      expect(sample(await scrape(stack.subgraphUrls.fleet), 'fleetgraph_subgraph_subscriptions', { subgraph: 'fleet' })).toBe(0);
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('exports every metric the dashboard and the alerting rules use', async () => {
    const exported = new Set<string>();
    for (const url of [stack.gatewayUrl, ...DOMAINS.map((d) => stack.subgraphUrls[d.name])]) {
      for (const [, name] of (await scrape(url)).matchAll(/^# TYPE (\S+) (\w+)/gm)) exported.add(name);
    }
    const alerts = readFileSync('deploy/prometheus/fleetgraph-alerts.yaml', 'utf8');
    const used = new Set([...[...dashboardExpressions(), alerts].join('\n').matchAll(/\bfleetgraph_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')));
    expect([...used].filter((name) => !exported.has(name)).sort()).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
  });
});
