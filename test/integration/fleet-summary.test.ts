// Issue 16 through the gateway on the demo fleet: Cluster.capabilities against what the simulator
// serves, every FleetSummary count equal to the count from that domain's own fleet query, warm
// summaries at 0 list/get requests, an unreachable cluster counted and named, and fleetSummaryChanged
// during a grandmaster loss and an SR-IOV reconcile (changed counts, coalesced, back to the start).
import { gatewayMetric, startTestStack, type TestStack } from '../helpers/stack.js';
import { SimClient, type ApiJson } from '../helpers/sim-client.js';
import { subscribe, wsClient } from '../helpers/subscription-harness.js';
import { waitUntil } from '../helpers/wait.js';

let stack: TestStack;
let sim: SimClient;
beforeAll(async () => {
  stack = await startTestStack();
  sim = new SimClient(stack.sim);
});
afterAll(async () => {
  sim?.close();
  await stack?.stop();
});

const COUNT = '{ count clusters { name } }';
const SUMMARY = `
  selector computedAt
  clusters ${COUNT} reachable ${COUNT} nodes unreachable { cluster { name } code }
  timing { sites ${COUNT} locked ${COUNT} holdover ${COUNT} freerun ${COUNT} unknown ${COUNT} nodes ${COUNT} nodesNotLocked ${COUNT} unreadable { cluster { name } code } computedAt }
  sriov { clusters ${COUNT} nodes ${COUNT} nodesOutOfSync ${COUNT} nodesFailed ${COUNT} nodesInProgress ${COUNT} vfsTotal vfsConfigured unreadable { cluster { name } code } computedAt }
  oda { clusters ${COUNT} components ${COUNT} notComplete ${COUNT} unknown ${COUNT} unreadable { cluster { name } code } computedAt }
  o2ims { clusters ${COUNT} requests ${COUNT} running ${COUNT} failed ${COUNT} fulfilled ${COUNT} deleting ${COUNT} unreadable { cluster { name } code } computedAt }
  cni { clusters ${COUNT} multus ${COUNT} failureEvents ${COUNT} failureOccurrences ${COUNT} unreadable { cluster { name } code } computedAt }
  ovs { alerts ${COUNT} critical ${COUNT} warning ${COUNT} info ${COUNT} nodesAlerting ${COUNT} unreadable { cluster { name } code } computedAt }
  dpdk { pods ${COUNT} podsWithDrops ${COUNT} podsUnreadable ${COUNT} unreadable { cluster { name } code } computedAt }
`;
const PARTS = ['timing', 'sriov', 'oda', 'o2ims', 'cni', 'ovs', 'dpdk'] as const;

type Count = { count: number; clusters: { name: string }[] };
const count = (byCluster: Map<string, number>): Count => {
  const clusters = [...byCluster].filter(([, n]) => n > 0).map(([name]) => ({ name })).sort((a, b) => a.name.localeCompare(b.name));
  return { count: [...byCluster.values()].reduce((a, b) => a + b, 0), clusters };
};
const SEVERITY: Record<string, number> = { LOCKED: 0, UNKNOWN: 1, HOLDOVER: 2, FREERUN: 3 };

/** The counts a dashboard would compute from each domain's own fleet queries. */
async function countsFromDomainQueries() {
  const ptp = await stack.query('{ ptpNodes { clusterName syncState } }');
  expect(ptp.errors).toBeUndefined();
  const worst = new Map<string, string>();
  const nodes = new Map<string, number>();
  const notLocked = new Map<string, number>();
  for (const n of ptp.data.ptpNodes as { clusterName: string; syncState: string }[]) {
    const w = worst.get(n.clusterName);
    if (!w || SEVERITY[n.syncState] > SEVERITY[w]) worst.set(n.clusterName, n.syncState);
    nodes.set(n.clusterName, (nodes.get(n.clusterName) ?? 0) + 1);
    notLocked.set(n.clusterName, (notLocked.get(n.clusterName) ?? 0) + (n.syncState === 'LOCKED' ? 0 : 1));
  }
  const sites = (state?: string) => count(new Map([...worst].map(([c, s]) => [c, state === undefined || s === state ? 1 : 0])));

  const fleet = await stack.query('{ clusters { name nodes { name } sriov { nodesTotal nodesOutOfSync nodes { syncStatus } vfs { total configured } } } }');
  expect(fleet.errors).toBeUndefined();
  const clusters = fleet.data.clusters as ApiJson[];

  const others = await stack.query(`{ clusters { name odaComponents { deploymentStatus } provisioningRequests { state } network { multus { running } } } }`);
  expect(others.errors).toBeUndefined();
  const o = others.data.clusters as ApiJson[];
  const perCluster = (list: ApiJson[], f: (c: ApiJson) => number) => count(new Map(list.map((c) => [c.name, f(c)])));
  // Cluster.odaComponents answers [] without the CRDs; the summary counts clusters that serve them.
  const odaClusters = new Set(((await stack.query('{ clusters(capabilities: [ODA_CANVAS]) { name } }')).data.clusters as ApiJson[]).map((c) => c.name));
  const withOda = o.filter((c) => odaClusters.has(c.name));
  const withO2ims = o.filter((c) => c.provisioningRequests);
  const inStates = (c: ApiJson, ...states: string[]) => c.provisioningRequests.filter((r: ApiJson) => states.includes(r.state)).length;
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const cniEvents = await stack.query(`query($since: DateTime) { cniEvents(since: $since, categories: [NAD_MISSING, IPAM_EXHAUSTED, PLUGIN_ERROR, TIMEOUT, NETWORK_NOT_READY], limit: 1000) { clusterName count } cniSummary { failureEvents failureOccurrences } }`, { since: hourAgo });
  expect(cniEvents.errors).toBeUndefined();
  const failures = new Map<string, number>();
  const occurrences = new Map<string, number>();
  for (const e of cniEvents.data.cniEvents as ApiJson[]) {
    failures.set(e.clusterName, (failures.get(e.clusterName) ?? 0) + 1);
    occurrences.set(e.clusterName, (occurrences.get(e.clusterName) ?? 0) + e.count);
  }
  const bySummary = (cniEvents.data.cniSummary as ApiJson[]).reduce((a, p) => ({ events: a.events + p.failureEvents, occurrences: a.occurrences + p.failureOccurrences }), { events: 0, occurrences: 0 });
  expect(bySummary).toEqual({ events: count(failures).count, occurrences: count(occurrences).count });

  const ovs = await stack.query('{ ovsAlerts { clusterName level node { name } } }');
  expect(ovs.errors).toBeUndefined();
  const alerts = ovs.data.ovsAlerts as ApiJson[];
  const alertCount = (pick: (a: ApiJson) => boolean) => {
    const m = new Map<string, number>();
    for (const a of alerts.filter(pick)) m.set(a.clusterName, (m.get(a.clusterName) ?? 0) + 1);
    return count(m);
  };
  const alertingNodes = new Map<string, Set<string>>();
  for (const a of alerts.filter((x) => x.level !== 'INFO')) alertingNodes.set(a.clusterName, (alertingNodes.get(a.clusterName) ?? new Set()).add(a.node.name));

  const dpdk = await stack.query('{ clusters { name dpdk { pods(limit: 1000) { totals { drops } } } } }');
  expect(dpdk.errors).toBeUndefined();
  const withDpdk = (dpdk.data.clusters as ApiJson[]).filter((c) => c.dpdk);

  const withSriov = clusters.filter((c) => c.sriov);
  const per = (f: (c: ApiJson) => number) => count(new Map(withSriov.map((c) => [c.name, f(c)])));
  const syncs = (c: ApiJson, status: string) => c.sriov.nodes.filter((n: ApiJson) => n.syncStatus === status).length;
  return {
    clusters: count(new Map(clusters.map((c) => [c.name, 1]))),
    reachable: count(new Map(clusters.map((c) => [c.name, 1]))),
    nodes: clusters.reduce((a, c) => a + c.nodes.length, 0),
    unreachable: [],
    timing: {
      sites: sites(),
      locked: sites('LOCKED'),
      holdover: sites('HOLDOVER'),
      freerun: sites('FREERUN'),
      unknown: sites('UNKNOWN'),
      nodes: count(nodes),
      nodesNotLocked: count(notLocked),
      unreadable: [],
    },
    sriov: {
      clusters: per(() => 1),
      nodes: per((c) => c.sriov.nodesTotal),
      nodesOutOfSync: per((c) => c.sriov.nodesOutOfSync),
      nodesFailed: per((c) => syncs(c, 'Failed')),
      nodesInProgress: per((c) => syncs(c, 'InProgress')),
      vfsTotal: withSriov.reduce((a, c) => a + c.sriov.vfs.total, 0),
      vfsConfigured: withSriov.reduce((a, c) => a + c.sriov.vfs.configured, 0),
      unreadable: [],
    },
    oda: {
      clusters: perCluster(withOda, () => 1),
      components: perCluster(withOda, (c) => c.odaComponents.length),
      notComplete: perCluster(withOda, (c) => c.odaComponents.filter((x: ApiJson) => x.deploymentStatus !== 'COMPLETE').length),
      unknown: perCluster(withOda, (c) => c.odaComponents.filter((x: ApiJson) => x.deploymentStatus === 'UNKNOWN').length),
      unreadable: [],
    },
    o2ims: {
      clusters: perCluster(withO2ims, () => 1),
      requests: perCluster(withO2ims, (c) => c.provisioningRequests.length),
      running: perCluster(withO2ims, (c) => inStates(c, 'PENDING', 'PROGRESSING')),
      failed: perCluster(withO2ims, (c) => inStates(c, 'FAILED')),
      fulfilled: perCluster(withO2ims, (c) => inStates(c, 'FULFILLED')),
      deleting: perCluster(withO2ims, (c) => inStates(c, 'DELETING')),
      unreadable: [],
    },
    cni: {
      clusters: perCluster(o, () => 1),
      multus: perCluster(o, (c) => (c.network.multus.running ? 1 : 0)),
      failureEvents: count(failures),
      failureOccurrences: count(occurrences),
      unreadable: [],
    },
    ovs: {
      alerts: alertCount(() => true),
      critical: alertCount((a) => a.level === 'CRITICAL'),
      warning: alertCount((a) => a.level === 'WARNING'),
      info: alertCount((a) => a.level === 'INFO'),
      nodesAlerting: count(new Map([...alertingNodes].map(([c, n]) => [c, n.size]))),
      unreadable: [],
    },
    dpdk: {
      pods: perCluster(withDpdk, (c) => c.dpdk.pods.length),
      podsWithDrops: perCluster(withDpdk, (c) => c.dpdk.pods.filter((p: ApiJson) => p.totals.drops > 0).length),
      podsUnreadable: count(new Map()),
      unreadable: [],
    },
  };
}

function withoutTimes(summary: ApiJson) {
  const { computedAt: _a, selector: _s, ...rest } = summary;
  for (const part of PARTS) {
    const { computedAt: _t, ...counts } = rest[part];
    rest[part] = counts;
  }
  return rest;
}

/** The summary once every cluster answers every part (a loaded machine may time out a cold cluster at first). */
async function cleanSummary(): Promise<ApiJson> {
  return waitUntil('a summary without unreadable clusters', async () => {
    const r = await stack.query(`{ fleetSummary { ${SUMMARY} } }`);
    const s = r.data?.fleetSummary;
    return s && s.unreachable.length + PARTS.reduce((n, p) => n + s[p].unreadable.length, 0) === 0 ? s : undefined;
  }, 60_000, 250);
}

/** Requests other than pod-proxy scrapes and watch streams (the PTP feeds' background polls use the proxy). */
function readRequests(before: Record<string, Record<string, number>>, after: Record<string, Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cluster, byKey] of Object.entries(after)) {
    for (const [key, n] of Object.entries(byKey)) {
      if (key.startsWith('proxy') || key.startsWith('watch') || key.includes('/proxy')) continue;
      const d = n - (before[cluster]?.[key] ?? 0);
      if (d > 0) out[`${cluster} ${key}`] = d;
    }
  }
  return out;
}

describe('Cluster.capabilities', () => {
  it('matches the API groups and presence signals the simulator serves, and filters clusters', async () => {
    const res = await stack.query('{ clusters { name capabilities { capability detectedBy } } }');
    expect(res.errors).toBeUndefined();
    const expected = (groups: Set<string>, pods: ApiJson[]) => {
      const caps: string[] = [];
      if (groups.has('ptp.openshift.io')) caps.push('PTP_OPERATOR');
      if (groups.has('sriovnetwork.openshift.io')) caps.push('SRIOV_OPERATOR');
      if (pods.some((p) => p.metadata.annotations?.['fleetgraph.io/dpdk-telemetry'] || p.spec.containers.some((c: ApiJson) => (c.ports ?? []).some((x: ApiJson) => x.name === 'dpdk-telemetry')))) caps.push('DPDK_TELEMETRY');
      if (groups.has('k8s.cni.cncf.io')) caps.push('MULTUS');
      if (pods.some((p) => p.metadata.labels?.app === 'ovnkube-node')) caps.push('OVN_KUBERNETES');
      if (groups.has('oda.tmforum.org')) caps.push('ODA_CANVAS');
      if (groups.has('o2ims.provisioning.oran.org')) caps.push('O2IMS');
      return caps;
    };
    const seen = new Set<string>();
    for (const c of res.data.clusters as ApiJson[]) {
      const groups = new Set<string>((await sim.request(c.name, '/apis')).body.groups.map((g: ApiJson) => g.name));
      const pods = (await sim.request(c.name, '/api/v1/pods')).body.items as ApiJson[];
      const caps = c.capabilities.map((x: ApiJson) => x.capability);
      expect({ name: c.name, caps }).toEqual({ name: c.name, caps: expected(groups, pods) });
      for (const x of c.capabilities) expect(x.detectedBy).toMatch(/^(API group \S+ served|pod \S+ \(.+\))$/);
      caps.forEach((x: string) => seen.add(x));
    }
    // The demo fleet has every capability somewhere.
    expect([...seen].sort()).toEqual(['DPDK_TELEMETRY', 'MULTUS', 'O2IMS', 'ODA_CANVAS', 'OVN_KUBERNETES', 'PTP_OPERATOR', 'SRIOV_OPERATOR']);

    for (const wanted of [['PTP_OPERATOR'], ['O2IMS'], ['SRIOV_OPERATOR', 'ODA_CANVAS']]) {
      const filtered = await stack.query('query($c: [Capability!]) { clusters(capabilities: $c) { name } }', { c: wanted });
      const names = (res.data.clusters as ApiJson[]).filter((c) => wanted.every((w) => c.capabilities.some((x: ApiJson) => x.capability === w))).map((c) => c.name);
      expect(filtered.data.clusters.map((c: ApiJson) => c.name)).toEqual(names);
    }
  });
});

describe('fleetSummary', () => {
  it('equals the counts from each domain\'s own fleet query, and costs 0 list/get requests warm', async () => {
    await cleanSummary();
    const first = await stack.query(`{ fleetSummary { ${SUMMARY} } }`);
    expect(first.errors).toBeUndefined();
    expect(withoutTimes(first.data.fleetSummary)).toEqual(await countsFromDomainQueries());
    expect(first.data.fleetSummary.timing.sites.count).toBeGreaterThan(5);
    expect(first.data.fleetSummary.sriov.nodes.count).toBeGreaterThan(5);
    expect(first.data.fleetSummary.oda.components.count).toBeGreaterThan(0);
    expect(first.data.fleetSummary.o2ims.clusters.count).toBeGreaterThan(0);

    // Warm: no LIST or GET (a cluster that timed out on a loaded machine is asked again, so up to three tries).
    let cost: Record<string, number> = {};
    let warm: ApiJson = {};
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await stack.counters();
      warm = (await stack.query(`{ fleetSummary { ${SUMMARY} } }`)).data.fleetSummary;
      cost = readRequests(before, await stack.counters());
      if (Object.keys(cost).length === 0) break;
    }
    expect(cost).toEqual({});
    // Nothing changed: the same answer, computedAt included.
    expect(warm).toEqual(first.data.fleetSummary);
  }, 90_000);

  it('moves with the watch caches when warm: a new ODA component is counted, and uncounted once deleted', async () => {
    const before = withoutTimes((await cleanSummary()) as ApiJson);
    const path = '/apis/oda.tmforum.org/v1/namespaces/components/components';
    const body = {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'Component',
      metadata: { name: 'summary-probe', namespace: 'components', labels: { 'oda.tmforum.org/componentName': 'summary-probe' } },
      spec: { componentMetadata: { id: 'TMFC999', name: 'probe', version: '1.0.0' }, coreFunction: { exposedAPIs: [], dependentAPIs: [] } },
    };
    expect((await sim.request('hub-1', path, { method: 'POST', body })).status).toBe(201);
    try {
      const grown = await waitUntil('the new component in the summary', async () => {
        const r = await stack.query(`{ fleetSummary { ${SUMMARY} } }`);
        return r.data?.fleetSummary?.oda.components.count === before.oda.components.count + 1 ? r.data.fleetSummary : undefined;
      });
      expect(withoutTimes(grown)).toEqual(await countsFromDomainQueries());
      expect(grown.oda.notComplete.count).toBe(before.oda.notComplete.count + 1); // no status yet: not Complete
    } finally {
      expect((await sim.request('hub-1', `${path}/summary-probe`, { method: 'DELETE' })).status).toBe(200);
    }
    const back = await waitUntil('the component gone from the summary', async () => {
      const r = await stack.query(`{ fleetSummary { ${SUMMARY} } }`);
      return r.data?.fleetSummary?.oda.components.count === before.oda.components.count ? r.data.fleetSummary : undefined;
    });
    expect(withoutTimes(back).oda).toEqual(before.oda);
  }, 90_000);

  it('filters by fleet labels like clusters, and refuses a bad filter', async () => {
    const labels = [{ key: 'role', value: 'edge' }, { key: 'region', op: 'IN', values: ['east', 'west'] }];
    const res = await stack.query(`query($l: [LabelFilter!]) { fleetSummary(labels: $l) { clusters ${COUNT} timing { sites ${COUNT} } } clusters(labels: $l) { name } }`, { l: labels });
    expect(res.errors).toBeUndefined();
    const names = res.data.clusters.map((c: ApiJson) => c.name);
    expect(res.data.fleetSummary.clusters.clusters.map((c: ApiJson) => c.name)).toEqual(names);
    expect(res.data.fleetSummary.timing.sites.clusters.every((c: ApiJson) => names.includes(c.name))).toBe(true);
    const bad = await stack.query('{ fleetSummary(labels: [{ key: "role", op: IN }]) { selector } }');
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('names an unreachable cluster with its code in every part and leaves its counts out', async () => {
    await stack.control('PUT', '/clusters/du-010/faults', { unreachable: true });
    await stack.control('POST', '/clusters/du-010/drop-watches');
    try {
      const res = await waitUntil('du-010 unreadable in the summary', async () => {
        const r = await stack.query(`{ fleetSummary { ${SUMMARY} } }`);
        // each part notices at its own pace (its watch ends, its next poll fails): wait for all of them
        const f = r.data?.fleetSummary;
        return f && [f.unreachable, f.timing.unreadable, f.sriov.unreadable, f.cni.unreadable, f.ovs.unreadable, f.dpdk.unreadable].every((u) => u.length) ? r : undefined;
      }, 20_000);
      const s = res.data.fleetSummary;
      expect(res.errors).toBeUndefined();
      // Parts that read every cluster name it; oda knows from its cached discovery that an edge site has
      // no canvas (no request), so there it is simply not counted; o2ims asks (its cache is relisted).
      for (const unreadable of [s.unreachable, s.timing.unreadable, s.sriov.unreadable, s.cni.unreadable, s.ovs.unreadable, s.dpdk.unreadable]) {
        expect(unreadable).toEqual([{ cluster: { name: 'du-010' }, code: expect.stringMatching(/^CLUSTER_(UNREACHABLE|TIMEOUT)$/) }]);
      }
      expect(s.reachable.clusters.map((c: ApiJson) => c.name)).not.toContain('du-010');
      expect(s.timing.sites.clusters.map((c: ApiJson) => c.name)).not.toContain('du-010');
      expect(s.sriov.clusters.clusters.map((c: ApiJson) => c.name)).not.toContain('du-010');
      expect(s.cni.clusters.clusters.map((c: ApiJson) => c.name)).not.toContain('du-010');
      expect(s.dpdk.pods.clusters.map((c: ApiJson) => c.name)).not.toContain('du-010');
      expect(s.oda.unreadable).toEqual([]);
      expect(s.o2ims.unreadable.filter((u: ApiJson) => u.cluster.name !== 'du-010')).toEqual([]);
      expect(s.o2ims.clusters.clusters.map((c: ApiJson) => c.name)).not.toContain('du-010');
    } finally {
      await stack.control('DELETE', '/clusters/du-010/faults');
    }
    await cleanSummary();
  }, 90_000);
});

describe('fleetSummaryChanged', () => {
  const SUB = `subscription { fleetSummaryChanged { computedAt timing { locked ${COUNT} holdover ${COUNT} freerun ${COUNT} } sriov { nodesInProgress ${COUNT} nodesOutOfSync ${COUNT} } } }`;
  const url = () => stack.gatewayUrl.replace(/^http/, 'ws');

  it('sends the summary, then only changes, coalesced, during a GM loss and an SR-IOV reconcile, back to the start', async () => {
    await cleanSummary();
    const client = wsClient(url());
    try {
      const a = subscribe(client, SUB);
      const b = subscribe(client, SUB);
      const [initial] = await a.next(1, 15_000);
      await b.next(1, 15_000);
      const start = initial.data!.fleetSummaryChanged as ApiJson;
      expect(start.timing.holdover.count).toBe(0);
      expect(start.sriov.nodesInProgress.count).toBe(0);
      const executionsBefore = (await gatewayMetric(stack, 'fleetgraph_subscription_event_executions_total')) ?? 0;
      const startedAt = Date.now();

      await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster: 'du-003', recoverAfterSeconds: 8 });
      const events = () => a.events.map((e) => e.data!.fleetSummaryChanged as ApiJson);
      const holdoverAt = await waitUntil('HOLDOVER on du-003', () => events().some((e) => e.timing.holdover.clusters.some((c: ApiJson) => c.name === 'du-003')), 5_000);
      expect(holdoverAt).toBe(true);
      await waitUntil('FREERUN on du-003', () => events().some((e) => e.timing.freerun.clusters.some((c: ApiJson) => c.name === 'du-003')), 15_000);

      await stack.control('POST', '/scenarios/sriov-policy-reconcile', { cluster: 'regional-east', policy: 'upf-n3', timeScale: 5 });
      await waitUntil('the reconcile in progress', () => events().some((e) => e.sriov.nodesInProgress.clusters.some((c: ApiJson) => c.name === 'regional-east')), 5_000);

      // Back to the original counts once the clock recovers and the nodes are Succeeded.
      const same = (e: ApiJson) => JSON.stringify({ ...e, computedAt: 0 }) === JSON.stringify({ ...start, computedAt: 0 });
      await waitUntil('the original counts', () => same(events().at(-1)!), 30_000).catch((err: Error) => {
        throw new Error(`${err.message}; start ${JSON.stringify(start)}; last ${JSON.stringify(events().at(-1))}`);
      });
      const elapsedMs = Date.now() - startedAt;

      // Coalesced: never more than one event per 1 s interval (+1 for a tick in flight at each end);
      // only changes: consecutive events differ.
      const list = events();
      expect(list.length - 1).toBeLessThanOrEqual(Math.ceil(elapsedMs / 1000) + 1);
      for (let i = 1; i < list.length; i++) expect(list[i]).not.toEqual(list[i - 1]);
      // One computation per tick, whatever the number of subscribers: both saw the same, the gateway ran one per tick.
      await waitUntil('b caught up', () => b.events.length === a.events.length, 5_000);
      expect(b.events).toEqual(a.events);
      const executions = ((await gatewayMetric(stack, 'fleetgraph_subscription_event_executions_total')) ?? 0) - executionsBefore;
      expect(executions).toBeLessThanOrEqual(Math.ceil((Date.now() - startedAt) / 1000) + 2);
      a.dispose();
      b.dispose();
    } finally {
      await client.dispose();
    }
  }, 90_000);

  it('refuses a bad interval with BAD_USER_INPUT', async () => {
    const client = wsClient(url());
    try {
      const s = subscribe(client, 'subscription { fleetSummaryChanged(intervalMs: 5) { selector } }');
      await s.ended();
      const errors = (s.events[0]?.errors ?? s.errors[0]) as { extensions?: Record<string, unknown> }[];
      expect(errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    } finally {
      await client.dispose();
    }
  });
});
