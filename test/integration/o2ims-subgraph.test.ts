// Issue 14 acceptance through the gateway, on the demo fleet (hub-1 Nephio, hub-2 O-Cloud Manager) with
// the simulator's o2ims operators running at their default durations:
//  - values equal `kubectl get provisioningrequests -o json` on both hubs, warm reads cost 0 requests;
//  - create → subscriber sees progressing → fulfilled within the durations + 2 s → the new cluster is in
//    `clusters` with nodes and answers a PTP query; delete → deleting → gone, and it leaves the fleet;
//  - the timeout template ends failed with the operator's message; the stalled one shows the
//    PackageVariant's condition in the trace;
//  - writes without the o2ims:write scope are FORBIDDEN and the simulator sees no request at all.
import { execFile, spawnSync } from 'node:child_process';
import { provisioningDurationsMs } from '../../simulator/scenarios/index.js';
import { SimClient, type ApiJson } from '../helpers/sim-client.js';
import { countRequests, startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { subscribe, wsClient } from '../helpers/subscription-harness.js';
import { testScopes, WRITER } from '../helpers/test-scopes.js';
import { waitUntil } from '../helpers/wait.js';

const PR_KEY = 'o2ims.provisioning.oran.org/provisioningrequests';
const REQUEST_FIELDS = `clusterName name state stateAsWritten message updateTime schemaVariant displayName description
  templateName templateVersion templateParameters targetClusterName creationTime deletionTime observedGeneration extensions
  provisionedResources { nodeClusterId infrastructureResourceIds }
  conditions { type status reason message lastTransitionTime }`;

const CREATE = `mutation Create($cluster: ID!, $input: ProvisioningRequestInput!, $dryRun: Boolean) {
  createProvisioningRequest(cluster: $cluster, input: $input, dryRun: $dryRun) { dryRun request { name state schemaVariant templateParameters } }
}`;
const DELETE = `mutation Delete($cluster: ID!, $name: ID!) { deleteProvisioningRequest(cluster: $cluster, name: $name) { outcome request { state deletionTime } } }`;
const FOLLOW = `subscription Follow($cluster: ID, $name: ID) {
  provisioningStateChanged(cluster: $cluster, name: $name) { clusterName name change previousState state message time cluster { name } }
}`;

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

let stack: TestStack;
let sim: SimClient;

beforeAll(async () => {
  stack = await startTestStack({ gatewayPlugins: [testScopes], deadlineMs: 1500 });
  sim = new SimClient(stack.sim);
});
afterAll(async () => {
  sim?.close();
  await stack?.stop();
});

/** The requests of a hub as the API server serializes them: kubectl when installed, else the same GET. */
async function upstreamRequests(hub: string): Promise<ApiJson[]> {
  if (hasKubectl) {
    const out = await new Promise<string>((resolve, reject) =>
      execFile('kubectl', ['--kubeconfig', stack.simulator!.kubeconfigPath, '--context', hub, 'get', 'provisioningrequests', '-o', 'json'], { env: { ...process.env, KUBECONFIG: '' } }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );
    return (JSON.parse(out) as { items: ApiJson[] }).items;
  }
  return (await sim.request(hub, `/apis/${PR_KEY.replace('/', '/v1alpha1/')}`)).body.items;
}

/** What a client must see for one upstream object, written out from its upstream fields. */
function expected(hub: string, o: ApiJson): ApiJson {
  const ps = o.status?.provisioningStatus ?? {};
  const written = ps.provisioningState ?? ps.provisioningPhase ?? null;
  const resources = o.status?.provisionedResourceSet ?? ps.provisionedResources ?? null;
  return {
    clusterName: hub,
    name: o.metadata.name,
    state: written === null ? 'PENDING' : written.toUpperCase(),
    stateAsWritten: written,
    message: ps.provisioningMessage ?? ps.provisioningDetails ?? null,
    updateTime: ps.provisioningUpdateTime ?? ps.updateTime ?? null,
    schemaVariant: 'provisioningPhase' in ps ? 'OPENSHIFT' : 'NEPHIO',
    displayName: o.spec.name,
    description: o.spec.description,
    templateName: o.spec.templateName,
    templateVersion: o.spec.templateVersion,
    templateParameters: o.spec.templateParameters,
    targetClusterName: o.spec.templateParameters.clusterName ?? o.spec.templateParameters.nodeClusterName,
    creationTime: o.metadata.creationTimestamp,
    deletionTime: null,
    observedGeneration: o.status?.observedGeneration ?? null,
    extensions: o.status?.extensions ?? null,
    provisionedResources: resources && { nodeClusterId: resources.oCloudNodeClusterId ?? null, infrastructureResourceIds: resources.oCloudInfrastructureResourceIds ?? [] },
    conditions: (o.status?.conditions ?? []).map((c: ApiJson) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionTime })),
  };
}

describe('reading ProvisioningRequests', () => {
  it('equals kubectl get provisioningrequests -o json on both hubs (both schema variants), and warm reads cost 0 requests', async () => {
    const before = await stack.counters();
    const res = await stack.query(`{ provisioningRequests(clusters: ["hub-1", "hub-2"]) { ${REQUEST_FIELDS} } }`);
    expect(res.errors).toBeUndefined();
    // cold: one LIST per hub (the watch cache's; the query waited for it), then the caches take over
    const after = await stack.counters();
    for (const hub of ['hub-1', 'hub-2']) expect((after[hub][`list ${PR_KEY}`] ?? 0) - (before[hub]?.[`list ${PR_KEY}`] ?? 0)).toBe(1);
    const got = new Map((res.data.provisioningRequests as ApiJson[]).map((r) => [`${r.clusterName}/${r.name}`, r]));
    let compared = 0;
    for (const hub of ['hub-1', 'hub-2']) {
      const upstream = await upstreamRequests(hub);
      expect(upstream.length).toBeGreaterThanOrEqual(8);
      for (const o of upstream) {
        expect(got.get(`${hub}/${o.metadata.name}`)).toEqual(expected(hub, o));
        compared++;
      }
    }
    expect(got.size).toBe(compared);
    const variants = new Set([...got.values()].map((r) => `${r.clusterName}:${r.schemaVariant}`));
    expect(variants).toEqual(new Set(['hub-1:NEPHIO', 'hub-2:OPENSHIFT']));
    expect(new Set([...got.values()].map((r) => r.state))).toEqual(new Set(['FULFILLED', 'PROGRESSING', 'FAILED', 'PENDING']));

    await waitUntil('warm caches', async () => {
      const c1 = await stack.counters();
      await stack.query('{ provisioningRequests { name } }');
      const c2 = await stack.counters();
      const delta = Object.keys(c2).reduce((n, cl) => n + (c2[cl][`list ${PR_KEY}`] ?? 0) - (c1[cl]?.[`list ${PR_KEY}`] ?? 0) + (c2[cl][`get ${PR_KEY}`] ?? 0) - (c1[cl]?.[`get ${PR_KEY}`] ?? 0), 0);
      return delta === 0 ? true : undefined;
    });
  });

  it('filters by state, answers per cluster, and says NOT_FOUND for an unknown cluster', async () => {
    const res = await stack.query(`{
      failed: provisioningRequests(states: [FAILED]) { clusterName name message }
      hub: cluster(name: "hub-2") { provisioningRequests(states: [PENDING]) { name schemaVariant } }
      edge: cluster(name: "du-001") { provisioningRequests { name } provisionedBy { clusterName name state } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.failed.map((r: ApiJson) => `${r.clusterName}/${r.name}: ${r.message}`).sort()).toEqual([
      'hub-1/pr-du-014: Cluster resource creation failed reached timeout',
      expect.stringMatching(/^hub-2\/pr-du-016: Failed to render and validate ClusterInstance: could not find upstream package revision/),
    ]);
    expect(res.data.hub.provisioningRequests).toEqual([{ name: 'pr-du-015', schemaVariant: 'OPENSHIFT' }]);
    expect(res.data.edge).toEqual({ provisioningRequests: null, provisionedBy: { clusterName: 'hub-1', name: 'pr-du-001', state: 'FULFILLED' } });
    const unknown = await stack.query('{ provisioningRequests(clusters: ["nope"]) { name } }');
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', cluster: 'nope' });
  });
});

describe('the trace', () => {
  const TRACE = `query Trace($cluster: ID!, $name: ID!) { provisioningRequest(cluster: $cluster, name: $name) { state trace {
    stuckAt summary
    packageVariant { status reason packageVariant { namespace name readiness stalled message conditions { type status reason message } } }
    capiCluster { status reason capiCluster { name phase infrastructureReady conditions { type status severity reason message } } }
    fleetCluster { status reason matchedBy cluster { name nodes { name } } }
  } } }`;

  it('walks a fulfilled request to the new site\'s nodes', async () => {
    const res = await stack.query(TRACE, { cluster: 'hub-1', name: 'pr-du-001' });
    expect(res.errors).toBeUndefined();
    const t = res.data.provisioningRequest.trace;
    expect(t.stuckAt).toBeNull();
    expect(t.summary).toBe('complete: pr-du-001 → PackageVariant default/pr-du-001 → Cluster default/du-001 → fleet cluster du-001');
    expect(t.capiCluster.capiCluster).toMatchObject({ name: 'du-001', phase: 'PROVISIONED', infrastructureReady: true });
    expect(t.fleetCluster).toMatchObject({ status: 'FOUND', matchedBy: 'NAME', cluster: { name: 'du-001', nodes: [{ name: 'du-001-sno' }] } });
  });

  it('shows the stalled PackageVariant\'s condition, and the timed-out request stuck at its CAPI Cluster', async () => {
    const stalled = await stack.query(TRACE, { cluster: 'hub-2', name: 'pr-du-016' });
    const pvRaw = (await sim.request('hub-2', '/apis/config.porch.kpt.dev/v1alpha1/namespaces/default/packagevariants/pr-du-016')).body;
    const stalledCondition = pvRaw.status.conditions.find((c: ApiJson) => c.type === 'Stalled');
    const s = stalled.data.provisioningRequest.trace;
    expect(s.stuckAt).toBe('PACKAGE_VARIANT');
    expect(s.packageVariant.packageVariant).toMatchObject({ readiness: 'STALLED', stalled: true, message: stalledCondition.message });
    expect(s.packageVariant.packageVariant.conditions).toContainEqual({ type: 'Stalled', status: 'True', reason: 'ValidationError', message: stalledCondition.message });
    expect(s.packageVariant.reason).toBe(`PackageVariant default/pr-du-016 is stalled: ${stalledCondition.message}`);
    expect(s.capiCluster.status).toBe('BLOCKED');

    const timedOut = (await stack.query(TRACE, { cluster: 'hub-1', name: 'pr-du-014' })).data.provisioningRequest.trace;
    expect(timedOut.stuckAt).toBe('CAPI_CLUSTER');
    expect(timedOut.capiCluster.capiCluster.conditions).toContainEqual(expect.objectContaining({ type: 'InfrastructureReady', status: 'False', severity: 'Warning' }));
    expect(timedOut.capiCluster.reason).toMatch(/^Cluster default\/du-014 is Provisioning; InfrastructureReady False \(WaitingForInfrastructure\): .*failed to connect to BMC/);
  });
});

describe('writing ProvisioningRequests', () => {
  it('creates, follows progressing → fulfilled, sees the site join and answer PTP, then deletes it and sees it leave', async () => {
    const client = wsClient(stack.gatewayUrl.replace(/^http/, 'ws'));
    const events = subscribe(client, FOLLOW, { cluster: 'hub-1', name: 'edge-ci-1' });
    try {
      // Live once the subgraph holds the subscription (its cache of hub-1 is warm from the tests above).
      await waitUntil('the subscription reached the o2ims subgraph', async () => ((await subgraphHealth(stack, 'o2ims')).subscriptions >= 1 ? true : undefined));
      const started = Date.now();
      const created = await stack.query(
        CREATE,
        { cluster: 'hub-1', input: { name: 'edge-ci-1', displayName: 'CI site', templateName: 'sno-ran-du', templateVersion: 'v4.18.0-1', templateParameters: { clusterName: 'du-040', labels: { region: 'west' } } } },
        WRITER,
      );
      expect(created.errors).toBeUndefined();
      expect(created.data.createProvisioningRequest).toEqual({
        dryRun: false,
        request: { name: 'edge-ci-1', state: 'PENDING', schemaVariant: 'NEPHIO', templateParameters: { clusterName: 'du-040', labels: { region: 'west' }, clusterProvisioner: 'capi' } },
      });
      const durations = provisioningDurationsMs(1);
      await waitUntil('fulfilled event', () => events.events.find((e) => (e.data as ApiJson)?.provisioningStateChanged.state === 'FULFILLED'), durations.fulfilled + 10_000);
      const fulfilledAfter = Date.now() - started;
      const seen = events.events.map((e) => (e.data as ApiJson).provisioningStateChanged);
      expect(seen.map((e: ApiJson) => `${e.previousState ?? '-'}→${e.state}: ${e.message}`)).toEqual(
        expect.arrayContaining([
          'PENDING→PROGRESSING: Cluster provisioning request received',
          'PROGRESSING→PROGRESSING: Cluster instance rendering completed',
          'PROGRESSING→FULFILLED: Cluster resource created',
        ]),
      );
      const last = seen[seen.length - 1];
      expect(last).toMatchObject({ clusterName: 'hub-1', name: 'edge-ci-1', change: 'CHANGED', state: 'FULFILLED' });
      // the acceptance bound: the simulator's configured duration + 2 s
      expect(fulfilledAfter).toBeLessThan(durations.fulfilled + 2_000);

      const site = await waitUntil('du-040 in the fleet with its node', async () => {
        const res = await stack.query('{ cluster(name: "du-040") { name nodes { name } provisionedBy { name } } }');
        return res.data?.cluster?.nodes?.length ? res.data.cluster : undefined;
      });
      expect(site).toEqual({ name: 'du-040', nodes: [{ name: 'du-040-sno' }], provisionedBy: { name: 'edge-ci-1' } });
      const ptp = await waitUntil('PTP of the new site', async () => {
        const res = await stack.query('{ cluster(name: "du-040") { nodes { name ptp { syncState clockClass } } } }');
        return res.data?.cluster?.nodes?.[0]?.ptp ?? undefined;
      });
      expect(ptp.syncState).toMatch(/^(LOCKED|HOLDOVER|FREERUN)$/);
      const trace = await stack.query('{ provisioningRequest(cluster: "hub-1", name: "edge-ci-1") { trace { stuckAt fleetCluster { status cluster { name } } } } }');
      expect(trace.data.provisioningRequest.trace).toEqual({ stuckAt: null, fleetCluster: { status: 'FOUND', cluster: { name: 'du-040' } } });

      const deleted = await stack.query(DELETE, { cluster: 'hub-1', name: 'edge-ci-1' }, WRITER);
      expect(deleted.errors).toBeUndefined();
      expect(deleted.data.deleteProvisioningRequest).toMatchObject({ outcome: 'DELETION_STARTED', request: { state: 'DELETING', deletionTime: expect.any(String) } });
      const again = await stack.query(DELETE, { cluster: 'hub-1', name: 'edge-ci-1' }, WRITER);
      expect(again.data.deleteProvisioningRequest.outcome).toMatch(/^(ALREADY_DELETING|ALREADY_GONE)$/);
      await waitUntil('the DELETED event', () => events.events.find((e) => (e.data as ApiJson)?.provisioningStateChanged.change === 'DELETED'), durations.deleted + 10_000);
      const states = events.events.map((e) => (e.data as ApiJson).provisioningStateChanged);
      expect(states.filter((e: ApiJson) => e.state === 'DELETING').length).toBeGreaterThan(0);
      await waitUntil('du-040 gone from the fleet', async () => {
        const res = await stack.query('{ clusters { name } }');
        return res.data?.clusters.some((c: ApiJson) => c.name === 'du-040') ? undefined : true;
      });
      const gone = await stack.query(DELETE, { cluster: 'hub-1', name: 'edge-ci-1' }, WRITER);
      expect(gone.data.deleteProvisioningRequest).toEqual({ outcome: 'ALREADY_GONE', request: null });
    } finally {
      events.dispose();
      await client.dispose();
    }
  });

  it('ends the timeout template failed with the operator\'s message', async () => {
    const input = {
      name: 'edge-ci-timeout',
      templateName: 'sno-ran-du-bmc-unreachable',
      templateVersion: 'v4.18.0-1',
      templateParameters: { clusterName: 'du-041', clusterProvisioner: 'capi', creationTimeout: 2 },
    };
    expect((await stack.query(CREATE, { cluster: 'hub-1', input }, WRITER)).errors).toBeUndefined();
    const failed = await waitUntil(
      'failed',
      async () => {
        const r = (await stack.query('{ provisioningRequest(cluster: "hub-1", name: "edge-ci-timeout") { state message trace { stuckAt } } }')).data?.provisioningRequest;
        return r?.state === 'FAILED' ? r : undefined;
      },
      provisioningDurationsMs(1, 2).timedOut + 10_000,
    );
    expect(failed).toEqual({ state: 'FAILED', message: 'Cluster resource creation failed reached timeout', trace: { stuckAt: 'CAPI_CLUSTER' } });
  });

  it('creates on the O-Cloud Manager hub with its parameters, and dry-runs without storing', async () => {
    const input = {
      name: 'ocm-ci-1',
      templateName: 'sno-ran-du',
      templateVersion: 'v4.18.0-1',
      templateParameters: { nodeClusterName: 'du-042', oCloudSiteId: 'site-42', clusterInstanceParameters: { clusterName: 'du-042' }, policyTemplateParameters: {} },
    };
    const dry = await stack.query(CREATE, { cluster: 'hub-2', input, dryRun: true }, WRITER);
    expect(dry.data.createProvisioningRequest).toMatchObject({ dryRun: true, request: { name: 'ocm-ci-1', state: 'PENDING' } });
    expect((await sim.request('hub-2', `/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests/ocm-ci-1`)).status).toBe(404);
    const real = await stack.query(CREATE, { cluster: 'hub-2', input }, WRITER);
    expect(real.errors).toBeUndefined();
    const phase = await waitUntil('fulfilled on hub-2', async () => {
      const r = (await stack.query('{ provisioningRequest(cluster: "hub-2", name: "ocm-ci-1") { state schemaVariant conditions { type } } }')).data?.provisioningRequest;
      return r?.state === 'FULFILLED' ? r : undefined;
    }, provisioningDurationsMs(1).fulfilled + 10_000);
    expect(phase.schemaVariant).toBe('OPENSHIFT');
    expect(phase.conditions.map((c: ApiJson) => c.type)).toContain('ClusterProvisioned');
  });

  it('refuses a write without the o2ims:write scope with FORBIDDEN, and sends nothing to the cluster', async () => {
    const before = await stack.counters();
    const input = { name: 'edge-ci-2', templateName: 'sno-ran-du', templateVersion: 'v4.18.0-1', templateParameters: { clusterName: 'du-043' } };
    const res = await stack.query(CREATE, { cluster: 'hub-1', input });
    expect(res.errors?.[0]).toMatchObject({ message: 'this operation needs the "o2ims:write" scope, which anonymous does not have', extensions: { code: 'FORBIDDEN', scope: 'o2ims:write' } });
    expect(res.status).toBe(200);
    const del = await stack.query(DELETE, { cluster: 'hub-1', name: 'pr-du-001' }, { 'x-test-scopes': 'read' });
    expect(del.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const after = await stack.counters();
    expect(after['hub-1']).toEqual(before['hub-1']);
  });

  it('refuses bad input before sending anything, and maps ALREADY_EXISTS, NOT_FOUND and non-management clusters', async () => {
    const before = await stack.counters();
    const bad = await stack.query(CREATE, { cluster: 'hub-1', input: { name: 'Bad_Name', templateName: '', templateVersion: 'v1', templateParameters: { clusterProvisioner: 'metal3' } } }, WRITER);
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      cluster: 'hub-1',
      problems: [
        { field: 'input.name', message: expect.stringContaining('RFC 1123 subdomain') },
        { field: 'input.templateName', message: 'must not be empty' },
        { field: 'input.templateParameters.clusterName', message: 'is required' },
        { field: 'input.templateParameters.clusterProvisioner', message: expect.stringContaining('capi') },
      ],
    });
    const ocmShape = await stack.query(CREATE, { cluster: 'hub-2', input: { name: 'x', templateName: 't', templateVersion: 'v1', templateParameters: { clusterName: 'du-044' } } }, WRITER);
    expect(ocmShape.errors?.[0].extensions?.problems).toContainEqual({ field: 'input.templateParameters.oCloudSiteId', message: 'is required' });
    const after = await stack.counters();
    expect(countRequests(after, `create ${PR_KEY}`)).toEqual(countRequests(before, `create ${PR_KEY}`));

    const exists = await stack.query(CREATE, { cluster: 'hub-1', input: { name: 'pr-du-001', templateName: 'sno-ran-du', templateVersion: 'v4.18.0-1', templateParameters: { clusterName: 'du-045' } } }, WRITER);
    expect(exists.errors?.[0]).toMatchObject({ message: 'ProvisioningRequest "pr-du-001" already exists on hub-1', extensions: { code: 'ALREADY_EXISTS', cluster: 'hub-1', httpStatus: 409 } });
    const unknown = await stack.query(DELETE, { cluster: 'nope', name: 'x' }, WRITER);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', cluster: 'nope' });
    const edge = await stack.query(CREATE, { cluster: 'du-001', input: { name: 'x', templateName: 't', templateVersion: 'v1', templateParameters: { clusterName: 'du-046' } } }, WRITER);
    expect(edge.errors?.[0]).toMatchObject({ message: 'cluster du-001 does not serve ProvisioningRequests (o2ims.provisioning.oran.org/v1alpha1): it is not a management cluster', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('degrades an unreachable hub to its own part, and a write to it fails with that code and changes nothing', async () => {
    await stack.control('PUT', '/clusters/hub-2/faults', { unreachable: true });
    try {
      // The warm cache answers until the cluster is seen down (its watch was dropped, the reconnect fails).
      const list = await waitUntil('hub-2 seen unreachable', async () => {
        const res = await stack.query('{ provisioningRequests(clusters: ["hub-1", "hub-2"]) { clusterName name } }');
        return res.errors?.length ? res : undefined;
      });
      expect(list.data.provisioningRequests.filter((r: ApiJson) => r === null)).toHaveLength(1);
      expect(list.data.provisioningRequests.filter((r: ApiJson) => r?.clusterName === 'hub-1').length).toBeGreaterThanOrEqual(8);
      expect(list.errors).toHaveLength(1);
      expect(list.errors![0].extensions).toMatchObject({ code: 'CLUSTER_UNREACHABLE', cluster: 'hub-2' });
      const before = await stack.counters();
      const write = await stack.query(DELETE, { cluster: 'hub-2', name: 'pr-du-002' }, WRITER);
      expect(write.errors?.[0].extensions).toMatchObject({ code: 'CLUSTER_UNREACHABLE', cluster: 'hub-2' });
      const after = await stack.counters();
      expect(countRequests(after, `delete ${PR_KEY}`)).toEqual(countRequests(before, `delete ${PR_KEY}`));
    } finally {
      await stack.control('DELETE', '/clusters/hub-2/faults');
    }
    const pr = await sim.request('hub-2', '/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests/pr-du-002');
    expect(pr.body.metadata.deletionTimestamp).toBeUndefined();
  });
});
