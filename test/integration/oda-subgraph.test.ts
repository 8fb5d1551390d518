// Issue 13 acceptance through the gateway, over the simulated fleet: the ODA registry equals what the API
// servers serve (`kubectl get components,exposedapis -A -o json`) on v1 and v1beta3 clusters; warm
// queries cost 0 API requests; a cluster without the ODA CRDs is empty, an unreachable one a null plus one
// coded error, a malformed status fails only the status fields; oda-deploy is seen by a subscriber
// transition by transition, and leaves nothing behind after its delete (or the orphans, when asked);
// one watch per cluster per kind whatever the number of subscribers, and a cluster joining later is covered.
import { execFile, spawnSync } from 'node:child_process';
import type { Client } from 'graphql-ws';
import { buildRegionalCluster } from '../../simulator/fleet/regional.js';
import type { Simulator } from '../../simulator/simulator.js';
import type { StoreEvent } from '../../simulator/types.js';
import { SimClient, type ApiJson } from '../helpers/sim-client.js';
import { countRequests, startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { subscribe, wsClient } from '../helpers/subscription-harness.js';
import { waitUntil } from '../helpers/wait.js';

const ODA_CLUSTERS = ['hub-1', 'regional-east', 'regional-west'];
const KIND_KEYS = ['oda.tmforum.org/components', 'oda.tmforum.org/exposedapis', 'oda.tmforum.org/dependentapis'];
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

let stack: TestStack;
let sim: SimClient;
let simulator: Simulator;
beforeAll(async () => {
  // The fleet these expectations were read from: one hub and two regionals (the demo fleet's second hub and
  // third regional repeat their profiles and would only repeat every finding).
  stack = await startTestStack({ deadlineMs: 1000, simulator: { fleet: { hubs: 1, regionals: 2 } } });
  sim = new SimClient(stack.sim);
  simulator = stack.inProcess!.simulator!;
});
afterAll(async () => {
  sim?.close();
  await stack?.stop();
});
afterEach(async () => {
  for (const name of await stack.clusterNames()) await stack.control('DELETE', `/clusters/${name}/faults`);
});

/** `kubectl get <kinds> -A -o json` against the simulator, or the same LISTs raw when kubectl is not installed. */
async function served(cluster: string, kinds: string): Promise<ApiJson[]> {
  if (hasKubectl) {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('kubectl', ['--kubeconfig', simulator.kubeconfigPath, '--context', cluster, 'get', kinds, '-A', '-o', 'json'], { env: { ...process.env, KUBECONFIG: '' } }, (err, out, stderr) =>
        err ? reject(new Error(stderr)) : resolve(out),
      ),
    );
    return (JSON.parse(stdout) as { items: ApiJson[] }).items;
  }
  const version = (await sim.request(cluster, '/apis/oda.tmforum.org')).body.preferredVersion.version;
  const lists = await Promise.all(kinds.split(',').map((k) => sim.request(cluster, `/apis/oda.tmforum.org/${version}/${k}`)));
  return lists.flatMap((l) => l.body.items);
}

const identity = (cluster: string, o: ApiJson) => ({ clusterName: cluster, namespace: o.metadata.namespace, name: o.metadata.name, uid: o.metadata.uid, apiVersion: o.apiVersion });

/** What a component is, read from its upstream JSON by hand (v1: componentMetadata; older: spec). */
function expectedComponent(cluster: string, o: ApiJson) {
  const meta = o.spec.componentMetadata ?? o.spec;
  return {
    ...identity(cluster, o),
    servedVersion: o.apiVersion.split('/')[1],
    componentId: meta.id,
    version: meta.version,
    functionalBlock: meta.functionalBlock,
    deploymentStatusText: o.status?.['summary/status']?.deployment_status ?? null,
    labels: Object.entries(o.metadata.labels ?? {})
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

function expectedExposedApi(cluster: string, o: ApiJson) {
  const spec = o.spec.specification;
  const urls = Array.isArray(spec) ? spec.map((s: ApiJson) => (typeof s === 'string' ? s : s.url)) : spec ? [spec.url] : [];
  return {
    ...identity(cluster, o),
    apiName: o.spec.name,
    url: o.status?.apiStatus?.url ?? null,
    ready: o.status?.implementation?.ready === true,
    specifications: urls.map((url: string) => ({ url })),
  };
}

const COMPONENT_FIELDS = 'clusterName namespace name uid apiVersion servedVersion componentId version functionalBlock deploymentStatusText labels { key value }';
const API_FIELDS = 'clusterName namespace name uid apiVersion apiName url ready specifications { url }';

describe('the registry through the gateway', () => {
  // first: every cache is cold here
  it('costs one discovery and one LIST per cluster per kind cold, and 0 API requests warm', async () => {
    const query = `{ odaComponents { name exposedApis { exposedApi { name } status { ready } } dependentApis { dependentApi { resolvedTo { name } } } }
      odaExposedApis { name component { name } } }`;
    await stack.control('POST', '/counters/reset');
    expect((await stack.query(query)).errors).toBeUndefined();
    const cold = await stack.counters();
    for (const key of KIND_KEYS) expect(countRequests(cold, `list ${key}`)).toEqual(Object.fromEntries(ODA_CLUSTERS.map((c) => [c, 1])));
    // every cluster is asked once which version it serves; the edges answer 404 (no canvas)
    const discovery = countRequests(cold, 'discovery /apis/oda.tmforum.org');
    expect(Object.keys(discovery).length).toBe((await stack.clusterNames()).length);
    expect(Object.values(discovery).every((n) => n === 1)).toBe(true);

    await waitUntil('warm ODA caches', async () => {
      await stack.control('POST', '/counters/reset');
      await stack.query(query);
      const counters = await stack.counters();
      return Object.values(counters).every((byKey) => Object.keys(byKey).every((k) => !k.includes('oda.tmforum.org'))) || undefined;
    });
    await stack.control('POST', '/counters/reset');
    for (let i = 0; i < 3; i++) expect((await stack.query(query)).errors).toBeUndefined();
    const warm = await stack.counters();
    const odaRequests = Object.entries(warm).flatMap(([cluster, byKey]) => Object.entries(byKey).filter(([k]) => k.includes('oda.tmforum.org')).map(([k, n]) => `${cluster} ${k} ${n}`));
    expect(odaRequests).toEqual([]);
  });

  it('serves every component and exposed API with the values the API servers serve, in the version each cluster serves', async () => {
    const res = await stack.query(`{ odaComponents { ${COMPONENT_FIELDS} } odaExposedApis { ${API_FIELDS} } }`);
    expect(res.errors).toBeUndefined();
    const components: ApiJson[] = [];
    const apis: ApiJson[] = [];
    for (const cluster of ODA_CLUSTERS) {
      const items = await served(cluster, 'components,exposedapis');
      components.push(...items.filter((o) => o.kind === 'Component').map((o) => expectedComponent(cluster, o)));
      apis.push(...items.filter((o) => o.kind === 'ExposedAPI').map((o) => expectedExposedApi(cluster, o)));
    }
    const order = (a: ApiJson, b: ApiJson) => `${a.clusterName}/${a.namespace}/${a.name}`.localeCompare(`${b.clusterName}/${b.namespace}/${b.name}`);
    expect(res.data.odaComponents).toEqual(components.sort(order));
    expect(res.data.odaExposedApis).toEqual(apis.sort(order));
    expect(new Set(res.data.odaComponents.map((c: ApiJson) => c.servedVersion))).toEqual(new Set(['v1', 'v1beta3']));
    expect(components.length).toBe(4 + 2 + 2);
  });

  it('answers "where is TMF620 exposed, and is it ready?" and finds the not-ready TMF639 of the v1beta3 cluster', async () => {
    const res = await stack.query(`{
      tmf620: odaExposedApis(specification: "TMF620") { clusterName name tmfApiId url ready layout component { name componentId deploymentStatus } }
      notReady: odaExposedApis(ready: false) { clusterName name tmfApiId layout segment component { name deploymentStatus } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.tmf620).toEqual([
      {
        clusterName: 'hub-1',
        name: 'r1-productcatalogmanagement-productcatalogmanagement-v4',
        tmfApiId: 'TMF620',
        url: 'https://canvas.apps.hub-1.example.net/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4',
        ready: true,
        layout: 'V1',
        component: { name: 'r1-productcatalogmanagement', componentId: 'TMFC001', deploymentStatus: 'COMPLETE' },
      },
    ]);
    expect(res.data.notReady).toEqual([
      { clusterName: 'regional-west', name: 'r1-resourceinventory-resourceinventorymanagement', tmfApiId: 'TMF639', layout: 'V1BETA3', segment: null, component: { name: 'r1-resourceinventory', deploymentStatus: 'IN_PROGRESS_COMPCON' } },
    ]);
  });

  it('shows a component with its declared APIs, their ExposedAPIs, the status the operator wrote and its dependencies', async () => {
    const res = await stack.query(`{ cluster(name: "hub-1") { odaComponents(status: [COMPLETE]) { name componentName
      exposedApis(segment: SECURITY) { name specification { tmfApiId majorVersion } gateway { apiKeyVerification { enabled location } rateLimit { enabled limit interval } cors { enabled allowOrigins } }
        exposedApi { name ready } status { url ready } }
      dependentApis { name specification { tmfApiId } dependentApi { name ready url resolvedTo { name component { name } } } }
      status { identityProvider secretsManagement { ready } }
    } } }`);
    expect(res.errors).toBeUndefined();
    const byName = new Map<string, ApiJson>(res.data.cluster.odaComponents.map((c: ApiJson) => [c.name, c]));
    expect([...byName.keys()]).toEqual(['r1-partymanagement', 'r1-productcatalogmanagement', 'r1-productinventory']);
    const catalog = byName.get('r1-productcatalogmanagement');
    expect(catalog.exposedApis).toEqual([
      {
        name: 'partyrole',
        specification: { tmfApiId: 'TMF669', majorVersion: 'v4' },
        gateway: { apiKeyVerification: { enabled: true, location: 'header' }, rateLimit: { enabled: true, limit: '100', interval: 'pm' }, cors: { enabled: true, allowOrigins: 'https://portal.example.net' } },
        exposedApi: { name: 'r1-productcatalogmanagement-partyrole-v4', ready: true },
        status: { url: 'https://canvas.apps.hub-1.example.net/r1-productcatalogmanagement/tmf-api/partyRoleManagement/v4', ready: true },
      },
    ]);
    expect(catalog.dependentApis).toEqual([
      {
        name: 'party',
        specification: { tmfApiId: 'TMF632' },
        dependentApi: {
          name: 'r1-productcatalogmanagement-party-v4',
          ready: true,
          url: 'https://canvas.apps.hub-1.example.net/r1-partymanagement/tmf-api/partyManagement/v4',
          resolvedTo: { name: 'r1-partymanagement-partymanagement-v4', component: { name: 'r1-partymanagement' } },
        },
      },
    ]);
    expect(byName.get('r1-productinventory').status).toEqual({ identityProvider: 'Keycloak', secretsManagement: { ready: true } });
  });

  it('lists the consistency findings with reasons, and the counts per cluster', async () => {
    const res = await stack.query(`{ odaRegistryCheck { clusterName reason objectKind objectName componentName apiName message }
      clusters(labels: [{ key: "site", op: IN, values: ["hub-1", "regional-west", "du-001"] }]) { name odaRegistry { components byDeploymentStatus { status count } exposedApis readyExposedApis dependentApis readyDependentApis } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.odaRegistryCheck.map((f: ApiJson) => [f.clusterName, f.reason, f.objectName])).toEqual([
      ['hub-1', 'DEPENDENT_API_NOT_READY', 'r1-resourceinventory-resourcecatalog-v4'],
      ['regional-east', 'ORPHANED_DEPENDENT_API', 'r0-resourceinventory-resourcecatalog-v4'],
      ['regional-east', 'ORPHANED_EXPOSED_API', 'r0-resourceinventory-metrics'],
      ['regional-east', 'ORPHANED_EXPOSED_API', 'r0-resourceinventory-partyrole-v4'],
      ['regional-east', 'ORPHANED_EXPOSED_API', 'r0-resourceinventory-resourceinventorymanagement-v4'],
      ['regional-east', 'MISSING_EXPOSED_API', 'r1-resourceinventory'],
      ['regional-west', 'EXPOSED_API_NOT_READY', 'r1-resourceinventory-resourceinventorymanagement'],
    ]);
    const missing = res.data.odaRegistryCheck.find((f: ApiJson) => f.reason === 'MISSING_EXPOSED_API');
    expect(missing).toMatchObject({ apiName: 'metrics', message: expect.stringContaining('its status still lists r1-resourceinventory-metrics') });
    const counts = new Map<string, ApiJson>(res.data.clusters.map((c: ApiJson) => [c.name, c.odaRegistry]));
    expect(counts.get('hub-1')).toEqual({
      components: 4,
      byDeploymentStatus: [
        { status: 'COMPLETE', count: 3 },
        { status: 'IN_PROGRESS_DEPAPI', count: 1 },
      ],
      exposedApis: 13,
      readyExposedApis: 13,
      dependentApis: 3,
      readyDependentApis: 2,
    });
    expect(counts.get('regional-west')).toMatchObject({ components: 2, byDeploymentStatus: [{ status: 'COMPLETE', count: 1 }, { status: 'IN_PROGRESS_COMPCON', count: 1 }], readyExposedApis: 5 });
    // no ODA CRDs: zero, no error
    expect(counts.get('du-001')).toEqual({ components: 0, byDeploymentStatus: [], exposedApis: 0, readyExposedApis: 0, dependentApis: 0, readyDependentApis: 0 });
  });

  it('answers empty without error for a cluster without the ODA CRDs, and refuses bad arguments once', async () => {
    const res = await stack.query('{ cluster(name: "du-002") { odaComponents { name } odaExposedApis { name } odaDependentApis { name } odaRegistryCheck { reason } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.cluster).toEqual({ odaComponents: [], odaExposedApis: [], odaDependentApis: [], odaRegistryCheck: [] });
    const bad = await stack.query('{ odaRegistryCheck(olderThanSeconds: -5) { reason } }');
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const empty = await stack.query('{ odaExposedApis(specification: " ") { name } }');
    expect(empty.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const unknown = await stack.query('{ odaComponents(clusters: ["hub-1", "nope"]) { name } }');
    expect(unknown.errors).toHaveLength(1);
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', cluster: 'nope' });
    expect(unknown.data.odaComponents.filter(Boolean)).toHaveLength(4);
  });

  it('degrades an unreachable cluster to one null entry and one coded error; the others answer', async () => {
    const query = '{ odaComponents(clusters: ["hub-1", "regional-west"]) { clusterName name } }';
    expect((await stack.query(query)).errors).toBeUndefined();
    await stack.control('PUT', '/clusters/regional-west/faults', { unreachable: true });
    await stack.control('POST', '/clusters/regional-west/drop-watches');
    const res = await waitUntil('the unreachable cluster to fail', async () => {
      const r = await stack.query(query);
      return r.errors?.length ? r : undefined;
    });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code: 'CLUSTER_UNREACHABLE', cluster: 'regional-west' });
    expect(res.data.odaComponents.slice(0, -1).every((c: ApiJson) => c.clusterName === 'hub-1')).toBe(true);
    expect(res.data.odaComponents.at(-1)).toBeNull();
  });

  it('lists a component whose status is malformed with its metadata, failing only its status fields', async () => {
    const body = {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'Component',
      metadata: { name: 'r9-partymanagement', namespace: 'components', labels: { 'oda.tmforum.org/componentName': 'r9-partymanagement' } },
      spec: { componentMetadata: { id: 'TMFC028', name: 'partymanagement', version: '9.0.0' }, coreFunction: { exposedAPIs: [], dependentAPIs: [] } },
      status: { 'summary/status': 'Complete', coreAPIs: { oops: true } },
    };
    expect((await sim.request('hub-1', '/apis/oda.tmforum.org/v1/namespaces/components/components', { method: 'POST', body })).status).toBe(201);
    try {
      const res = await waitUntil('the new component in the registry', async () => {
        const r = await stack.query('{ odaComponents(clusters: ["hub-1"], name: "r9-partymanagement") { name componentId version deploymentStatus status { identityProvider } } }');
        return r.data?.odaComponents?.length ? r : undefined;
      });
      expect(res.data.odaComponents).toEqual([{ name: 'r9-partymanagement', componentId: 'TMFC028', version: '9.0.0', deploymentStatus: null, status: null }]);
      expect(res.errors!.map((e) => e.path)).toEqual([
        ['odaComponents', 0, 'deploymentStatus'],
        ['odaComponents', 0, 'status'],
      ]);
      for (const e of res.errors!) {
        expect(e.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', reason: 'MalformedStatus', cluster: 'hub-1' });
        expect(e.message).toContain('status["summary/status"] is a string, expected an object; status.coreAPIs is an object, expected a list');
      }
    } finally {
      await sim.request('hub-1', '/apis/oda.tmforum.org/v1/namespaces/components/components/r9-partymanagement', { method: 'DELETE' });
    }
  });
});

interface Stamped {
  at: number;
  data: ApiJson;
}

/** A gateway subscription whose events are stamped when they arrive. */
function stampedSubscription(client: Client, query: string): { events: Stamped[]; errors: unknown[]; dispose: () => void } {
  const events: Stamped[] = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe({ query }, { next: (v) => events.push({ at: Date.now(), data: v.data }), error: (e) => errors.push(e), complete: () => undefined });
  return { events, errors, dispose };
}

/** Store writes of a kind on a cluster, stamped when the simulator made them. */
function storeChanges(cluster: string, kindKey: string, prefix: string): { at: number; event: StoreEvent }[] {
  const seen: { at: number; event: StoreEvent }[] = [];
  simulator.clusters.get(cluster)!.store.subscribe(kindKey, (event) => {
    if (event.object.metadata.name.startsWith(prefix)) seen.push({ at: Date.now(), event });
  });
  return seen;
}

describe('subscriptions through the gateway', () => {
  let client: Client;
  beforeEach(() => {
    client = wsClient(stack.gatewayUrl.replace(/^http/, 'ws'));
  });
  afterEach(async () => {
    await client.dispose();
  });

  it('shows each deployment_status transition and API readiness change of oda-deploy within 2 s, in order; after the delete nothing is left', async () => {
    const components = stampedSubscription(client, 'subscription { odaComponentChanged(cluster: "hub-1") { type changes name deploymentStatus previousDeploymentStatus version component { servedVersion } } }');
    const apis = stampedSubscription(client, 'subscription { odaExposedApiChanged(cluster: "hub-1") { type changes name ready url } }');
    await waitUntil('both subscriptions open at the oda subgraph', async () => ((await subgraphHealth(stack, 'oda')).subscriptions >= 2 ? true : undefined));
    // a query answered from the same caches returns once they have listed; the subscriptions are attached by then
    expect((await stack.query('{ cluster(name: "hub-1") { odaComponents { name } odaExposedApis { name } } }')).errors).toBeUndefined();
    const written = storeChanges('hub-1', 'oda.tmforum.org/components', 'r3-');
    const writtenApis = storeChanges('hub-1', 'oda.tmforum.org/exposedapis', 'r3-');
    await stack.control('POST', '/scenarios/oda-deploy', { cluster: 'hub-1', component: 'productinventory', release: 'r3', timeScale: 2 });
    await waitUntil('the DELETED event', () => (components.events.some((e) => e.data.odaComponentChanged.type === 'DELETED') ? true : undefined), 30_000);

    const seen = components.events.map((e) => e.data.odaComponentChanged);
    expect(seen[0]).toMatchObject({ type: 'ADDED', name: 'r3-productinventory', deploymentStatus: null, component: { servedVersion: 'v1' } });
    const transitions = seen.filter((e: ApiJson) => e.changes.includes('DEPLOYMENT_STATUS')).map((e: ApiJson) => e.deploymentStatus);
    expect(transitions).toEqual(['IN_PROGRESS_COMPCON', 'IN_PROGRESS_IDCONFOP', 'IN_PROGRESS_SECRETMAN', 'IN_PROGRESS_DEPAPI', 'COMPLETE', 'IN_PROGRESS_COMPCON', 'COMPLETE']);
    expect(seen.find((e: ApiJson) => e.changes.includes('VERSION'))).toMatchObject({ version: '1.2.0', deploymentStatus: 'IN_PROGRESS_COMPCON' });
    expect(seen.at(-1).type).toBe('DELETED');
    const readiness = apis.events.map((e) => e.data.odaExposedApiChanged).filter((e: ApiJson) => e.changes.includes('READINESS'));
    expect(readiness.map((e: ApiJson) => e.name.replace('r3-productinventory-', ''))).toEqual(['productinventorymanagement-v4', 'metrics', 'partyrole-v4', 'productinventorymanagement-v5']);

    // each write the simulator made reached the subscriber within 2 s (every write of this component changes something the registry shows)
    expect(components.events).toHaveLength(written.length);
    const lag = components.events.map((e, i) => e.at - written[i].at);
    const readySeen = new Set<string>();
    const readyWrites = writtenApis.filter((w) => {
      const name = w.event.object.metadata.name;
      const ready = (w.event.object.status as ApiJson)?.implementation?.ready === true;
      if (!ready || readySeen.has(name) || w.event.type === 'DELETED') return false;
      readySeen.add(name);
      return true;
    });
    const readyEvents = apis.events.filter((e) => e.data.odaExposedApiChanged.changes.includes('READINESS'));
    expect(readyEvents).toHaveLength(readyWrites.length);
    lag.push(...readyEvents.map((e, i) => e.at - readyWrites[i].at));
    const sorted = [...lag].sort((a, b) => a - b);
    console.log(`oda-deploy through the gateway: ${lag.length} events, lag max ${sorted.at(-1)} ms, median ${sorted[Math.floor(sorted.length / 2)]} ms`);
    expect(sorted.at(-1)!).toBeLessThan(2000);

    const after = await stack.query(`{ odaComponents(clusters: ["hub-1"], name: "r3-productinventory") { name }
      odaExposedApis(clusters: ["hub-1"]) { name } odaRegistryCheck(clusters: ["hub-1"], olderThanSeconds: 0) { objectName componentName } }`);
    expect(after.errors).toBeUndefined();
    expect(after.data.odaComponents).toEqual([]);
    expect(after.data.odaExposedApis.filter((a: ApiJson) => a.name.startsWith('r3-'))).toEqual([]);
    expect(after.data.odaRegistryCheck.filter((f: ApiJson) => f.objectName.startsWith('r3-') || f.componentName === 'r3-productinventory')).toEqual([]);
    components.dispose();
    apis.dispose();
  });

  it('finds the children an orphaning delete leaves behind', async () => {
    const apis = stampedSubscription(client, 'subscription { odaExposedApiChanged(cluster: "regional-east", specification: "TMF639") { type changes name } }');
    await waitUntil('the subscription open at the oda subgraph', async () => ((await subgraphHealth(stack, 'oda')).subscriptions >= 1 ? true : undefined));
    expect((await stack.query('{ cluster(name: "regional-east") { odaExposedApis { name } } }')).errors).toBeUndefined();
    await stack.control('POST', '/scenarios/oda-deploy', { cluster: 'regional-east', component: 'resourceinventory', release: 'r4', orphan: true, timeScale: 10 });
    await waitUntil('the OWNER change of the orphaned TMF639 API', () => (apis.events.some((e) => e.data.odaExposedApiChanged.changes.includes('OWNER')) ? true : undefined), 20_000);
    // only the TMF639 APIs (v4, and v5 from the upgrade) of the new release
    expect(new Set(apis.events.map((e) => e.data.odaExposedApiChanged.name))).toEqual(new Set(['r4-resourceinventory-resourceinventorymanagement-v4', 'r4-resourceinventory-resourceinventorymanagement-v5']));
    const res = await waitUntil('the component gone', async () => {
      const r = await stack.query('{ odaComponents(clusters: ["regional-east"], name: "r4-resourceinventory") { name } odaRegistryCheck(clusters: ["regional-east"]) { reason objectName componentName message } }');
      return r.data?.odaComponents?.length === 0 ? r : undefined;
    });
    const r4 = res.data.odaRegistryCheck.filter((f: ApiJson) => f.componentName === 'r4-resourceinventory');
    expect(r4.map((f: ApiJson) => [f.reason, f.objectName])).toEqual([
      ['ORPHANED_DEPENDENT_API', 'r4-resourceinventory-resourcecatalog-v4'],
      ['ORPHANED_EXPOSED_API', 'r4-resourceinventory-metrics'],
      ['ORPHANED_EXPOSED_API', 'r4-resourceinventory-partyrole-v4'],
      ['ORPHANED_EXPOSED_API', 'r4-resourceinventory-resourceinventorymanagement-v4'],
      ['ORPHANED_EXPOSED_API', 'r4-resourceinventory-resourceinventorymanagement-v5'],
    ]);
    expect(r4[1].message).toBe('ExposedAPI r4-resourceinventory-metrics is labelled for Component r4-resourceinventory, which does not exist in namespace components');
    apis.dispose();
  });

  it('opens one watch per cluster per kind whatever the number of subscribers, and covers a cluster that joins later', async () => {
    await stack.control('POST', '/counters/reset');
    // at the subgraph itself (the gateway would share identical operations upstream anyway)
    const direct = wsClient(stack.subgraphUrls.oda.replace(/^http/, 'ws'));
    const subs = [0, 1, 2].map(() => subscribe(direct, 'subscription { odaComponentChanged(cluster: "hub-1") { name } }'));
    const fleetWide = stampedSubscription(client, 'subscription { odaComponentChanged { type name clusterName deploymentStatus component { servedVersion layout } } }');
    await waitUntil('4 subscriptions at the oda subgraph', async () => ((await subgraphHealth(stack, 'oda')).subscriptions >= 4 ? true : undefined));
    // the hub's caches are warm (earlier tests): no new watch or list however many subscribe
    const counters = await stack.counters();
    expect(countRequests(counters, 'watch oda.tmforum.org/components')['hub-1'] ?? 0).toBe(0);
    expect(countRequests(counters, 'list oda.tmforum.org/components')['hub-1'] ?? 0).toBe(0);

    // a regional cluster joins with a v1beta3 canvas and a component is deployed on it
    const joined = buildRegionalCluster({ seed: 1, index: 3, referenceTime: Date.now() });
    expect(joined.servedVersions).toEqual({ 'oda.tmforum.org': 'v1beta3' });
    await simulator.addCluster(joined);
    await waitUntil(`${joined.name} in the fleet`, async () => ((await stack.query('{ clusters { name } }')).data?.clusters?.some((c: ApiJson) => c.name === joined.name) ? true : undefined), 20_000);
    await waitUntil(`a watch on ${joined.name}`, async () => (countRequests(await stack.counters(), 'watch oda.tmforum.org/components')[joined.name] ? true : undefined), 20_000);
    await stack.control('POST', '/scenarios/oda-deploy', { cluster: joined.name, component: 'resourceinventory', until: 'complete', timeScale: 10 });
    await waitUntil('Complete on the joined cluster', () => (fleetWide.events.some((e) => e.data.odaComponentChanged.clusterName === joined.name && e.data.odaComponentChanged.deploymentStatus === 'COMPLETE') ? true : undefined), 20_000);
    const fromJoined = fleetWide.events.map((e) => e.data.odaComponentChanged).filter((e: ApiJson) => e.clusterName === joined.name);
    expect(fromJoined[0]).toMatchObject({ type: 'ADDED', name: 'r2-resourceinventory', component: { servedVersion: 'v1beta3', layout: 'V1BETA3' } });
    const watches = countRequests(await stack.counters(), 'watch oda.tmforum.org/components');
    expect(watches[joined.name]).toBe(1);
    for (const s of subs) s.dispose();
    fleetWide.dispose();
    await direct.dispose();
  });

  it('refuses an unknown cluster with NOT_FOUND', async () => {
    const sub = subscribe(client, 'subscription { odaComponentChanged(cluster: "nope") { name } }');
    await sub.ended();
    const errors = (sub.events[0]?.errors ?? (sub.errors[0] as { message?: string }[] | undefined)) as { message: string; extensions?: Record<string, unknown> }[];
    expect(errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', cluster: 'nope' });
  });
});
