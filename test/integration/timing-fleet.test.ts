// The timing subgraph against the simulated fleet over real HTTPS: fleet-wide PTP state equal to what
// the daemons' metrics endpoints show through the pod proxy, request cost per cluster (simulator
// counters; a PromQL stub for the Prometheus path), absent operator vs unreachable cluster, and the
// GM-loss subscription LOCKED → HOLDOVER → FREERUN → LOCKED over graphql-ws.
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { stringify } from 'yaml';
import { DEFAULT_DOMAIN_SETTINGS } from '../../lib/config.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { generateFleet } from '../../simulator/fleet/generate.js';
import type { SimClusterSpec } from '../../simulator/fleet/model.js';
import type { KubeObject } from '../../simulator/types.js';
import { telemetryFor } from '../../simulator/exporters/telemetry.js';
import { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import { WatchCacheRegistry } from '../../subgraphs/kube/watch-cache-registry.js';
import { parsePrometheusText } from '../../subgraphs/metrics/text-format.js';
import type { MetricSample } from '../../subgraphs/metrics/types.js';
import { startTimingSubgraph, type RunningTimingSubgraph } from '../../subgraphs/timing/server.js';
import { accessOver, startOptions } from '../helpers/fleet-access.js';
import { waitUntil } from '../helpers/wait.js';

const EDGES = 6;
/** du-006 becomes a 4-node PTP cluster (no status.matchList on that site: recommend rules are evaluated). */
const MULTI = 'du-006';
const MULTI_EXTRA_NODES = 3;
/** du-003: a T-BC with events enabled and holdOverTimeout 5 s. */
const GM_SITE = 'du-003';

interface GqlResponse {
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Clones the single node of an edge site (Node, NodePtpDevice, linuxptp-daemon pod) into a multi-node PTP cluster. */
function multiNode(spec: SimClusterSpec, extra: number): SimClusterSpec {
  const objects: KubeObject[] = [...spec.objects];
  const node = spec.objects.find((o) => o.kind === 'Node')!;
  const device = spec.objects.find((o) => o.kind === 'NodePtpDevice')!;
  const daemon = spec.objects.find((o) => o.kind === 'Pod' && o.metadata.labels?.app === 'linuxptp-daemon')!;
  for (let i = 1; i <= extra; i++) {
    const name = `${spec.name}-worker-${i}`;
    objects.push({ ...node, metadata: { ...node.metadata, name, uid: `${node.metadata.uid}-${i}`, labels: { ...node.metadata.labels, 'kubernetes.io/hostname': name } } });
    objects.push({ ...device, metadata: { ...device.metadata, name, uid: `${device.metadata.uid}-${i}` } });
    objects.push({
      ...daemon,
      metadata: { ...daemon.metadata, name: `${daemon.metadata.name}-${i}`, uid: `${daemon.metadata.uid}-${i}` },
      spec: { ...(daemon.spec as object), nodeName: name },
    });
  }
  return { ...spec, objects };
}

/**
 * A fleet-wide "Prometheus" for the Prometheus path: answers instant queries that are one vector
 * selector (`=`, `=~` matchers) from the simulator's per-cluster metrics page, with the `cluster`
 * label file_sd would add. Counts queries per cluster. The e2e test does the same with a real Prometheus.
 */
async function promqlStub(controlUrl: string) {
  const queries: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const query = new URLSearchParams(body).get('query') ?? '';
      queries.push(query);
      const matchers = [...query.matchAll(/(\w+)\s*(=~|=)\s*"((?:[^"\\]|\\.)*)"/g)].map(([, label, op, raw]) => {
        const value = JSON.parse(`"${raw}"`) as string;
        return { label, test: op === '=' ? (v: string) => v === value : (v: string) => new RegExp(`^(?:${value})$`).test(v) };
      });
      const cluster = matchers.find((m) => m.label === 'cluster');
      const clusterName = /cluster\s*=\s*"([^"]+)"/.exec(query)?.[1] ?? '';
      const page = cluster ? await (await fetch(`${controlUrl}/metrics/${clusterName}`)).text() : '';
      const now = Date.now() / 1000;
      const result = parsePrometheusText(page)
        .samples.map((s): MetricSample => ({ ...s, labels: { ...s.labels, cluster: clusterName } }))
        .filter((s) => matchers.every((m) => m.test(m.label === '__name__' ? s.name : (s.labels[m.label] ?? ''))))
        .map((s) => ({ metric: { __name__: s.name, ...s.labels }, value: [now, String(s.value)] }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let sim: Simulator;
let dir: string;
let registry: ClusterRegistry;
let caches: WatchCacheRegistry;
let timing: RunningTimingSubgraph;
let tls: Agent;

async function gql(url: string, query: string, variables?: Record<string, unknown>): Promise<GqlResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as GqlResponse;
}

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(sim.controlUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

type Counters = Record<string, Record<string, number>>;

/** Requests per cluster by verb (list, get, watch, proxy …). */
/**
 * Repeats `query` until one run asks the API servers for no LIST or GET: the watch caches behind it
 * have all listed (their first LISTs may wait behind the per-cluster concurrency limit).
 */
async function untilWarm(url: string, query: string, variables: Record<string, unknown>): Promise<void> {
  await waitUntil(
    'a query answered from warm watch caches',
    async () => {
      await control('POST', '/counters/reset');
      await gql(url, query, variables);
      return Object.values(byVerb(await control('GET', '/counters'))).every((v) => !v.list && !v.get);
    },
    undefined,
    50,
  );
}

function byVerb(counters: Counters): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [cluster, counts] of Object.entries(counters)) {
    for (const [key, n] of Object.entries(counts)) {
      const verb = key.split(' ')[0];
      (out[cluster] ??= {})[verb] = (out[cluster][verb] ?? 0) + n;
    }
  }
  return out;
}

/** The daemon's metrics page through the API server's pod proxy, as `kubectl get --raw` fetches it. */
async function rawProxy(cluster: string, path: string): Promise<string> {
  const res = await request(sim.serverUrl(cluster) + path, { headers: { authorization: `Bearer ${sim.tokens(cluster).admin.token}` }, dispatcher: tls });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${text}`);
  return text;
}

const PTP_CLUSTERS = Array.from({ length: EDGES }, (_, i) => `du-${String(i + 1).padStart(3, '0')}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'timing-fleet-'));
  const specs = generateFleet({ seed: 1, hubs: 1, regionals: 1, edges: EDGES }).map((s) => (s.name === MULTI ? multiNode(s, MULTI_EXTRA_NODES) : s));
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs });
  tls = new Agent({ connect: { ca: sim.caPem } });
  registry = new ClusterRegistry({ kubeconfigPaths: [sim.kubeconfigPath], fleetFilePath: sim.fleetFilePath });
  caches = new WatchCacheRegistry(registry);
  timing = await startTimingSubgraph(accessOver(registry, caches), startOptions({ pollIntervalMs: 100 }));
});

afterAll(async () => {
  await timing?.stop();
  await caches?.stop();
  await registry?.close();
  await sim?.stop();
  await tls?.close();
  rmSync(dir, { recursive: true, force: true });
});

const NODE_QUERY = `{
  ptpNodes {
    clusterName nodeName syncState offsetNs clockClass encoding profiles
    read { source endpoint readAt }
    clocks { process interface stateValue state offsetNs maxOffsetNs pathDelayNs faulty }
    processes { name config status restartCount clockClass }
  }
}`;

describe('fleet-wide PTP state', () => {
  it('one query returns every edge node with the values its daemon metrics endpoint shows through the pod proxy', async () => {
    const frozen = Date.now();
    const clocks = [...sim.clusters.values()].map((c) => telemetryFor(c));
    for (const t of clocks) t.clock = () => frozen;
    // The snapshots pre-warmed at start hold values from before the freeze: read afresh.
    timing.reader.clearSnapshots();
    try {
      const res = await gql(timing.url, NODE_QUERY);
      expect(res.errors).toBeUndefined();
      const nodes = res.data.ptpNodes as any[];
      expect(new Set(nodes.map((n) => n.clusterName))).toEqual(new Set(PTP_CLUSTERS));
      expect(nodes).toHaveLength(EDGES + MULTI_EXTRA_NODES);
      expect(nodes.filter((n) => n.clusterName === MULTI).map((n) => n.profiles)).toEqual(Array(MULTI_EXTRA_NODES + 1).fill(['boundary']));
      const encodings = new Set(nodes.map((n) => n.encoding));
      expect(encodings).toEqual(new Set(['EVENTS', 'DAEMON'])); // both encodings are in the fleet

      for (const n of nodes) {
        expect(n.read.source).toBe('POD_PROXY');
        const raw = parsePrometheusText(await rawProxy(n.clusterName, n.read.endpoint)).samples.filter((s) => s.labels.node === n.nodeName);
        const value = (name: string, labels: Record<string, string>) =>
          raw.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
        for (const c of n.clocks) {
          expect(c.stateValue ?? undefined).toBe(value('openshift_ptp_clock_state', { process: c.process, iface: c.interface }));
          const offset = value('openshift_ptp_offset_ns', { process: c.process, iface: c.interface });
          expect(c.faulty).toBe(offset === 999999);
          expect(c.offsetNs ?? undefined).toBe(c.faulty ? undefined : offset);
          expect(c.pathDelayNs ?? undefined).toBe(value('openshift_ptp_delay_ns', { process: c.process, iface: c.interface }));
        }
        expect(n.clockClass).toBe(value('openshift_ptp_clock_class', { process: 'ptp4l' }));
        for (const p of n.processes.filter((x: any) => x.config)) {
          expect(p.restartCount).toBe(value('openshift_ptp_process_restart_count', { process: p.name, config: p.config }));
        }
        expect(n.clocks.length).toBeGreaterThanOrEqual(2);
        expect(n.syncState).toBe('LOCKED');
      }
    } finally {
      for (const t of clocks) t.clock = Date.now;
    }
  });

  it('a cluster without the PTP operator is ptp null with no error; so is a node without a daemon', async () => {
    const res = await gql(
      timing.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Cluster { name ptp { nodesTotal } } ... on Node { name ptp { syncState } } } }`,
      {
        reps: [
          { __typename: 'Cluster', name: 'hub-1' },
          { __typename: 'Cluster', name: 'regional-east' },
          { __typename: 'Node', clusterName: 'regional-east', name: 'regional-east-worker-0' },
          { __typename: 'Cluster', name: 'du-001' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { name: 'hub-1', ptp: null },
      { name: 'regional-east', ptp: null },
      { name: 'regional-east-worker-0', ptp: null },
      { name: 'du-001', ptp: { nodesTotal: 1 } },
    ]);
  });

  it('Cluster.ptp summarises configs, locked nodes, offsets and grandmaster-capable nodes', async () => {
    const res = await gql(
      timing.url,
      `{ _entities(representations: [{__typename: "Cluster", name: "${MULTI}"}, {__typename: "Cluster", name: "du-001"}]) { ... on Cluster { name ptp {
          nodesTotal nodesLocked avgAbsOffsetNs maxAbsOffsetNs nodesBeyondThreshold encoding
          grandmasterCapableNodes { clusterName name }
          operatorConfig { eventPublisherEnabled }
          configs { name matchSource matches { nodeName profile } profiles { name thresholds { holdOverTimeoutSeconds source } } }
      } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const [multi, gm] = res.data._entities;
    expect(multi.ptp).toMatchObject({ nodesTotal: 4, nodesLocked: 4, nodesBeyondThreshold: 0, grandmasterCapableNodes: [] });
    expect(multi.ptp.configs[0].matchSource).toBe('EVALUATED');
    expect(multi.ptp.configs[0].matches).toHaveLength(4);
    expect(multi.ptp.maxAbsOffsetNs).toBeLessThan(100);
    expect(gm.ptp.grandmasterCapableNodes).toEqual([{ clusterName: 'du-001', name: 'du-001-sno' }]);
  });
});

describe('request cost', () => {
  const FLEET_NODE_PTP = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Node { clusterName name ptp { syncState offsetNs clockClass } } } }`;
  let nodeReps: { __typename: string; clusterName: string; name: string }[];

  beforeAll(async () => {
    // Every node of the fleet (PTP or not), as the gateway would send them after a fleet query.
    nodeReps = [];
    for (const name of registry.names()) {
      const { items } = await registry.client(name).list({ group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false });
      for (const n of items) nodeReps.push({ __typename: 'Node', clusterName: name, name: n.metadata.name });
    }
  });

  it('pod-proxy fallback: warm, a fleet-wide Node.ptp query makes no request at all: metrics from each cluster\'s snapshot, readAt within the bound', async () => {
    await untilWarm(timing.url, FLEET_NODE_PTP, { reps: nodeReps });
    await control('POST', '/counters/reset');
    const res = await gql(timing.url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Node { clusterName name ptp { syncState offsetNs clockClass read { readAt } } } } }`, { reps: nodeReps });
    expect(res.errors).toBeUndefined();
    const withPtp = res.data._entities.filter((e: any) => e.ptp !== null);
    expect(withPtp).toHaveLength(EDGES + MULTI_EXTRA_NODES);
    expect(withPtp.every((e: any) => e.ptp.syncState === 'LOCKED')).toBe(true);
    const verbs = byVerb(await control('GET', '/counters'));
    for (const cluster of registry.names()) {
      const v = verbs[cluster] ?? {};
      expect({ cluster, list: v.list ?? 0, get: v.get ?? 0, proxy: v.proxy ?? 0 }).toEqual({ cluster, list: 0, get: 0, proxy: 0 });
    }
    // The answer says how old its values are: never older than the staleness bound (10 s by default).
    for (const e of withPtp) expect(Date.now() - Date.parse(e.ptp.read.readAt)).toBeLessThan(DEFAULT_DOMAIN_SETTINGS.metricsMaxAgeMs + 5_000);
    console.log(`timing: pod-proxy fleet-wide Node.ptp (${nodeReps.length} nodes, ${registry.size} clusters), warm:`, JSON.stringify(verbs));
  });

  it('pod-proxy fallback with snapshots off (METRICS_MAX_AGE_MS=0): one proxy read per daemon pod per query and no list/get', async () => {
    const uncached = await startTimingSubgraph(accessOver(registry, caches), startOptions({ metricsMaxAgeMs: 0 }));
    try {
      await untilWarm(uncached.url, FLEET_NODE_PTP, { reps: nodeReps });
      await control('POST', '/counters/reset');
      const res = await gql(uncached.url, FLEET_NODE_PTP, { reps: nodeReps });
      expect(res.errors).toBeUndefined();
      const verbs = byVerb(await control('GET', '/counters'));
      for (const cluster of registry.names()) {
        const v = verbs[cluster] ?? {};
        expect({ cluster, list: v.list ?? 0, get: v.get ?? 0 }).toEqual({ cluster, list: 0, get: 0 });
        const daemons = cluster === MULTI ? MULTI_EXTRA_NODES + 1 : PTP_CLUSTERS.includes(cluster) ? 1 : 0;
        expect({ cluster, proxy: v.proxy ?? 0 }).toEqual({ cluster, proxy: daemons });
      }
    } finally {
      await uncached.stop();
    }
  });

  it('Prometheus: one PromQL query per PTP cluster answers every node, and the API servers see no request', async () => {
    const stub = await promqlStub(sim.controlUrl);
    const fleetFile = join(dir, 'fleet-prometheus.yaml');
    writeFileSync(fleetFile, stringify({ prometheusUrl: stub.url }));
    const promRegistry = new ClusterRegistry({ kubeconfigPaths: [sim.kubeconfigPath], fleetFilePath: fleetFile });
    const promCaches = new WatchCacheRegistry(promRegistry);
    const promTiming = await startTimingSubgraph(accessOver(promRegistry, promCaches), startOptions());
    try {
      await control('POST', '/counters/reset');
      const cold = await gql(promTiming.url, FLEET_NODE_PTP, { reps: nodeReps });
      expect(cold.errors).toBeUndefined();
      const coldVerbs = byVerb(await control('GET', '/counters'));
      for (const cluster of registry.names()) {
        // Cold: the watch caches' first LIST per PTP kind (three), plus nodes where recommend rules are evaluated.
        expect(coldVerbs[cluster]?.list ?? 0).toBeLessThanOrEqual(cluster === MULTI ? 4 : 3);
        expect(coldVerbs[cluster]?.proxy ?? 0).toBe(0);
      }
      await untilWarm(promTiming.url, FLEET_NODE_PTP, { reps: nodeReps });
      await control('POST', '/counters/reset');
      stub.queries.length = 0;
      const res = await gql(promTiming.url, FLEET_NODE_PTP, { reps: nodeReps });
      expect(res.errors).toBeUndefined();
      const withPtp = res.data._entities.filter((e: any) => e.ptp !== null);
      expect(withPtp).toHaveLength(EDGES + MULTI_EXTRA_NODES);
      expect(withPtp.every((e: any) => e.ptp.syncState === 'LOCKED')).toBe(true);
      // Warm: every value from the clusters' metric snapshots, no PromQL query at all.
      expect(stub.queries).toHaveLength(0);
      // Past the snapshots: one query per PTP cluster (the 4-node cluster included), each with the cluster matcher of a fleet-wide Prometheus.
      const uncached = await startTimingSubgraph(accessOver(promRegistry, promCaches), startOptions({ metricsMaxAgeMs: 0 }));
      try {
        expect((await gql(uncached.url, FLEET_NODE_PTP, { reps: nodeReps })).errors).toBeUndefined();
      } finally {
        await uncached.stop();
      }
      expect(stub.queries).toHaveLength(PTP_CLUSTERS.length);
      expect(stub.queries.filter((q) => q.includes(`cluster="${MULTI}"`))).toHaveLength(1);
      const verbs = byVerb(await control('GET', '/counters'));
      for (const cluster of registry.names()) expect({ cluster, ...(verbs[cluster] ?? {}) }).toEqual({ cluster, ...(verbs[cluster]?.watch ? { watch: verbs[cluster].watch } : {}) });
      console.log(`timing: Prometheus fleet-wide Node.ptp (${nodeReps.length} nodes, ${registry.size} clusters), warm: ${stub.queries.length} PromQL queries, API requests ${JSON.stringify(verbs)}; cold API requests ${JSON.stringify(coldVerbs)}`);

      const src = await gql(promTiming.url, `{ ptpNodes(clusters: ["${MULTI}"]) { nodeName read { source endpoint } } }`);
      expect(src.data.ptpNodes.map((n: any) => n.read.source)).toEqual(Array(MULTI_EXTRA_NODES + 1).fill('PROMETHEUS'));
    } finally {
      await promTiming.stop();
      await promCaches.stop();
      await promRegistry.close();
      await stub.close();
    }
  });
});

describe('unreachable cluster', () => {
  it('answers null plus a CLUSTER_UNREACHABLE error for that cluster; the others still answer', async () => {
    // The API server goes away: new connections are reset and the open watches drop with it.
    await control('PUT', '/clusters/du-002/faults', { unreachable: true });
    await control('POST', '/clusters/du-002/drop-watches');
    try {
      const query = `{ _entities(representations: [{__typename: "Cluster", name: "du-002"}, {__typename: "Node", clusterName: "du-002", name: "du-002-sno"}, {__typename: "Node", clusterName: "du-001", name: "du-001-sno"}]) {
            ... on Cluster { name ptp { nodesTotal } } ... on Node { name ptp { syncState } } } }`;
      // Until a call to the cluster has failed, its watch caches are all we know: allow the caches a moment to notice.
      const res = await waitUntil(
        'the unreachable cluster to answer null',
        async () => {
          const r = await gql(timing.url, query);
          return r.data._entities[0].ptp === null ? r : undefined;
        },
        undefined,
        50,
      );
      expect(res.data._entities[0]).toEqual({ name: 'du-002', ptp: null });
      expect(res.data._entities[1]).toEqual({ name: 'du-002-sno', ptp: null });
      expect(res.data._entities[2].ptp.syncState).toBe('LOCKED');
      expect(res.errors?.length).toBeGreaterThanOrEqual(2);
      for (const e of res.errors!) expect(e.extensions).toMatchObject({ code: 'CLUSTER_UNREACHABLE', cluster: 'du-002' });

      const fleet = await gql(timing.url, '{ ptpNodes { clusterName syncState } }');
      const list = fleet.data.ptpNodes as ({ clusterName: string } | null)[];
      expect(list.filter((n) => n === null)).toHaveLength(1);
      expect(list[list.length - 1]).toBeNull();
      expect(list.filter((n) => n !== null).map((n) => n!.clusterName)).not.toContain('du-002');
      expect(fleet.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'CLUSTER_UNREACHABLE', cluster: 'du-002' }) })]);
    } finally {
      await control('DELETE', '/clusters/du-002/faults');
    }
  });
});

describe('clock-state subscription', () => {
  let ws: Client;
  afterEach(async () => {
    await ws?.dispose();
  });

  it('sees LOCKED → HOLDOVER, HOLDOVER → FREERUN after holdOverTimeout, then LOCKED again, from one feed', async () => {
    const wsUrl = timing.url.replace('http://', 'ws://');
    ws = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    type Ev = { eventType: string; process: string | null; interface: string | null; previousState: string; currentState: string; offsetNs: number | null; time: string; source: string; node: { clusterName: string; name: string } };
    const events: Ev[] = [];
    const classes: { previousClockClass: number | null; clockClass: number | null }[] = [];
    let fail: (err: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const subscribe = (query: string, sink: (data: any) => void) =>
      ws.subscribe({ query }, { next: (r) => (r.errors ? fail(new Error(JSON.stringify(r.errors))) : sink(r.data)), error: fail, complete: () => undefined });
    const stops = [
      subscribe(
        `subscription { ptpClockStateChanged(cluster: "${GM_SITE}") { eventType resourceAddress process interface previousState currentState offsetNs time source node { clusterName name } } }`,
        (d) => events.push(d.ptpClockStateChanged),
      ),
      subscribe(`subscription { ptpClockClassChanged(cluster: "${GM_SITE}") { previousClockClass clockClass process } }`, (d) => classes.push(d.ptpClockClassChanged)),
      subscribe(`subscription { ptpClockStateChanged(cluster: "${GM_SITE}", states: [FREERUN]) { currentState } }`, () => undefined),
    ];
    // Three subscribers, one feed.
    await waitUntil('three subscriptions', () => timing.activeSubscriptions() >= 3);
    expect(timing.feeds.activeFeeds()).toEqual([GM_SITE]);
    await timing.feeds.feed(GM_SITE).baseline();
    await control('POST', '/counters/reset');
    const pollsBefore = timing.feeds.feed(GM_SITE).polls;

    const timeScale = 10;
    const started = Date.now();
    await control('POST', '/scenarios/ptp-gm-loss', { cluster: GM_SITE, timeScale, recoverAfterSeconds: 15 });

    const ptp4l = () => events.filter((e) => e.process === 'ptp4l');
    const deadline = Date.now() + 15_000;
    while (!ptp4l().some((e) => e.currentState === 'LOCKED') && Date.now() < deadline) {
      await Promise.race([new Promise((r) => setTimeout(r, 50)), failed]);
    }
    const transitions = ptp4l().map((e) => `${e.previousState}->${e.currentState}`);
    expect(transitions).toEqual(['LOCKED->HOLDOVER', 'HOLDOVER->FREERUN', 'FREERUN->LOCKED']);
    const [holdover, freerun, locked] = ptp4l();
    expect(holdover).toMatchObject({ eventType: 'event.sync.ptp-status.ptp-state-change', interface: 'ens5fx', source: 'POD_PROXY', node: { clusterName: GM_SITE, name: `${GM_SITE}-sno` } });
    // HOLDOVER lasts holdOverTimeout (5 s) / timeScale = 500 ms; each edge is seen within one poll cycle
    // (100 ms interval + the read, longer on a busy machine).
    const holdoverMs = Date.parse(freerun.time) - Date.parse(holdover.time);
    expect(holdoverMs).toBeGreaterThanOrEqual(500 - 350);
    expect(holdoverMs).toBeLessThanOrEqual(500 + 700);
    expect(Date.parse(locked.time) - started).toBeGreaterThanOrEqual(1500 - 50);
    expect(events.filter((e) => e.eventType === 'event.sync.sync-status.synchronization-state-change').map((e) => e.currentState)).toEqual(['HOLDOVER', 'FREERUN', 'LOCKED']);
    expect(classes.map((c) => c.clockClass)).toEqual(expect.arrayContaining([135, 248, 6]));

    // One feed polled the cluster: proxy reads match its polls, not polls × subscribers.
    const polls = timing.feeds.feed(GM_SITE).polls - pollsBefore;
    const proxy = byVerb(await control('GET', '/counters'))[GM_SITE]?.proxy ?? 0;
    expect(proxy).toBeGreaterThanOrEqual(polls - 1);
    expect(proxy).toBeLessThanOrEqual(polls + 1);
    console.log(`timing: GM loss on ${GM_SITE}: ${transitions.join(', ')}; holdover ${holdoverMs} ms; ${polls} polls, ${proxy} proxy reads for 3 subscribers`);

    for (const stop of stops) stop();
    await waitUntil('the feed to stop', () => timing.feeds.activeFeeds().length === 0);
  }, 30_000);

  it('refuses a subscription to an unknown cluster with NOT_FOUND', async () => {
    ws = createClient({ url: timing.url.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const errors = await new Promise<readonly { message: string; extensions?: Record<string, unknown> }[]>((resolve, reject) => {
      ws.subscribe(
        { query: 'subscription { ptpClockStateChanged(cluster: "no-such-cluster") { currentState } }' },
        { next: (r) => (r.errors ? resolve(r.errors) : reject(new Error('unexpected event'))), error: (e) => resolve(e as never), complete: () => undefined },
      );
    });
    expect(errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', cluster: 'no-such-cluster' });
    expect(timing.feeds.activeFeeds()).toEqual([]);
  });
});
