// O2IMS: ProvisioningRequests on the Nephio CRD (cluster-scoped, status subresource), the Porch
// PackageVariants the Nephio operator renders and the Cluster API Clusters its packages declare, each
// status written through /status as their controllers do. No operator runs here: what a user creates
// stays PENDING, and without an operator's finalizer a delete is immediate (one check puts the Nephio
// operator's finalizer on by hand to see the held delete).
//
// Which CRD: a server holds one `provisioningrequests.o2ims.provisioning.oran.org`, and the suite
// installs the catalogue's (simulator/catalogue/schemas.ts), which is Nephio's as nephio-project/api
// ships it. It is also the one still published under that name: the O-Cloud Manager moved its CRD to
// clcm.openshift.io (2025-07). The O-Cloud Manager schema stays covered on the simulator's hub-2
// (o2ims-subgraph and simulator-o2ims tests).
//
// Requests (all on the admin context's cluster; the fleet's other context, k8s-run-dev, is the site one
// of them provisioned): pr-du-101 fulfilled → its site is in the fleet; pr-du-102 progressing with its
// PackageVariant stalled; pr-du-103 failed on the BMC; pr-du-104 just created (no status); pr-du-105
// fulfilled but its site has no kubeconfig context.
import { expect } from '@jest/globals';
import type { KubeObject } from '../../../../simulator/types.js';
import { subgraphHealth } from '../../../helpers/stack.js';
import { subscribe, wsClient } from '../../../helpers/subscription-harness.js';
import { WRITER } from '../../../helpers/test-scopes.js';
import { waitUntil } from '../../../helpers/wait.js';
import { CLUSTER, codes, NO_GRANTS_CLUSTER, type CheckTarget, type Domain } from '../domain.js';

const PR_API = 'o2ims.provisioning.oran.org/v1alpha1';
const PR_PATH = `/apis/${PR_API}/provisioningrequests`;
const T0 = '2026-01-01T00:00:00Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Status {
  state: 'progressing' | 'fulfilled' | 'failed';
  message: string;
  minutes: number;
  nodeClusterId?: string;
}

const request = (name: string, clusterName: string, status?: Status): KubeObject => ({
  apiVersion: PR_API,
  kind: 'ProvisioningRequest',
  metadata: { name },
  spec: {
    name: `RAN DU site ${clusterName}`,
    templateName: 'sno-ran-du',
    templateVersion: 'v4.18.0-1',
    templateParameters: { clusterName, clusterProvisioner: 'capi', labels: { region: 'lab' } },
  },
  ...(status
    ? {
        status: {
          provisioningStatus: { provisioningState: status.state, provisioningMessage: status.message, provisioningUpdateTime: at(status.minutes) },
          ...(status.nodeClusterId ? { provisionedResourceSet: { oCloudNodeClusterId: status.nodeClusterId, oCloudInfrastructureResourceIds: ['4a1c7e2b-0f93-4d6a-b5e8-2c9d1f0a7b36'] } } : {}),
        },
      }
    : {}),
});

const condition = (type: string, status: 'True' | 'False', reason: string, message: string, minutes: number) => ({ type, status, reason, message, lastTransitionTime: at(minutes) });

const STALLED = 'could not find upstream package revision &v1alpha1.Upstream{Repo:"catalog-infra-capi", Package:"sno-ran-du", Revision:"v4.18.0-1"}';

/** The PackageVariant the Nephio operator creates for a request (named after it), with Porch's conditions. */
const packageVariant = (request: string, clusterName: string, outcome: 'ready' | 'stalled'): KubeObject => ({
  apiVersion: 'config.porch.kpt.dev/v1alpha1',
  kind: 'PackageVariant',
  metadata: { name: request, namespace: 'default' },
  spec: {
    upstream: { repo: 'catalog-infra-capi', package: 'sno-ran-du', revision: 'v4.18.0-1' },
    downstream: { repo: 'mgmt', package: clusterName },
    annotations: { 'approval.nephio.org/policy': 'initial' },
  },
  status:
    outcome === 'ready'
      ? {
          conditions: [condition('Stalled', 'False', 'Valid', 'all validation checks passed', 1), condition('Ready', 'True', 'NoErrors', 'successfully ensured downstream package variant', 1)],
          downstreamTargets: [{ name: `mgmt.${clusterName}.packagevariant-1` }],
        }
      : { conditions: [condition('Stalled', 'True', 'ValidationError', STALLED, 1), condition('Ready', 'False', 'Error', 'invalid packagevariant object', 1)] },
});

const BMC = (clusterName: string) => `Metal3Cluster default/${clusterName} is not ready: BareMetalHost default/${clusterName}-sno registration error: failed to connect to BMC redfish-virtualmedia://10.16.0.21/redfish/v1/Systems/1`;

/** The Cluster API Cluster the rendered package declares: Provisioned, or stuck waiting for its infrastructure. */
const capiCluster = (clusterName: string, provisioned: boolean): KubeObject => ({
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'Cluster',
  metadata: { name: clusterName, namespace: 'default', labels: { 'cluster.x-k8s.io/cluster-name': clusterName } },
  spec: {
    clusterNetwork: { pods: { cidrBlocks: ['10.128.0.0/14'] }, services: { cidrBlocks: ['172.30.0.0/16'] }, serviceDomain: 'cluster.local' },
    controlPlaneEndpoint: { host: `api.${clusterName}.example.net`, port: 6443 },
    topology: { class: 'sno-ran-du', version: 'v1.31.6', controlPlane: { replicas: 1 } },
  },
  status: provisioned
    ? {
        phase: 'Provisioned',
        infrastructureReady: true,
        controlPlaneReady: true,
        observedGeneration: 1,
        conditions: ['Ready', 'ControlPlaneInitialized', 'ControlPlaneReady', 'InfrastructureReady'].map((type) => ({ type, status: 'True', lastTransitionTime: at(9) })),
      }
    : {
        phase: 'Provisioning',
        infrastructureReady: false,
        controlPlaneReady: false,
        observedGeneration: 1,
        conditions: [
          { type: 'Ready', status: 'False', severity: 'Warning', reason: 'WaitingForInfrastructure', message: BMC(clusterName), lastTransitionTime: at(2) },
          { type: 'ControlPlaneInitialized', status: 'False', severity: 'Info', reason: 'WaitingForControlPlaneProviderInitialized', lastTransitionTime: at(2) },
          { type: 'InfrastructureReady', status: 'False', severity: 'Warning', reason: 'WaitingForInfrastructure', message: BMC(clusterName), lastTransitionTime: at(2) },
        ],
      },
});

const objects: KubeObject[] = [
  request('pr-du-101', NO_GRANTS_CLUSTER, { state: 'fulfilled', message: 'Cluster resource created', minutes: 10, nodeClusterId: '09470fe4-1d2c-4b7e-9a3f-5e6d7c8b9a01' }),
  packageVariant('pr-du-101', NO_GRANTS_CLUSTER, 'ready'),
  capiCluster(NO_GRANTS_CLUSTER, true),
  request('pr-du-102', 'du-102', { state: 'progressing', message: 'Cluster instance rendering completed', minutes: 1 }),
  packageVariant('pr-du-102', 'du-102', 'stalled'),
  request('pr-du-103', 'du-103', { state: 'failed', message: 'Cluster resource creation failed reached timeout', minutes: 30 }),
  packageVariant('pr-du-103', 'du-103', 'ready'),
  capiCluster('du-103', false),
  request('pr-du-104', 'du-104'),
  request('pr-du-105', 'du-105', { state: 'fulfilled', message: 'Cluster resource created', minutes: 12, nodeClusterId: '09470fe4-1d2c-4b7e-9a3f-5e6d7c8b9a05' }),
  packageVariant('pr-du-105', 'du-105', 'ready'),
  capiCluster('du-105', true),
];

const CREATE = `mutation Create($cluster: ID!, $input: ProvisioningRequestInput!, $dryRun: Boolean) {
  createProvisioningRequest(cluster: $cluster, input: $input, dryRun: $dryRun) { dryRun request { name state schemaVariant templateParameters uid creationTime } }
}`;
const DELETE = `mutation Delete($cluster: ID!, $name: ID!, $dryRun: Boolean) { deleteProvisioningRequest(cluster: $cluster, name: $name, dryRun: $dryRun) { outcome dryRun request { name state deletionTime } } }`;
const READ = `query Read($cluster: ID!, $name: ID!) { provisioningRequest(cluster: $cluster, name: $name) { name state schemaVariant trace { stuckAt packageVariant { status } } } }`;

const FOLLOW = `subscription Follow($cluster: ID, $name: ID) {
  provisioningStateChanged(cluster: $cluster, name: $name) { clusterName name change previousState state message time }
}`;

const NEW = 'pr-ci-301';
/** kopf's persistence finalizer, as the Nephio operator puts it on a request it took. */
const FINALIZER = 'provisioningrequests.o2ims.provisioning.oran.org';
const HELD = 'pr-ci-304';
const FOLLOWED = 'pr-ci-305';
const INPUT = { name: NEW, displayName: 'CI site', templateName: 'sno-ran-du', templateVersion: 'v4.18.0-1', templateParameters: { clusterName: 'du-301', labels: { region: 'lab' } } };

const stored = async (t: CheckTarget, name: string) => (await t.admin.call('GET', `${PR_PATH}/${name}`)).status;

/** Reads through GraphQL (the watch cache) until `done` says the answer is the one waited for. */
const readUntil = (t: CheckTarget, what: string, name: string, done: (r: { state: string } | null) => boolean) =>
  waitUntil(what, async () => {
    const res = await t.query(READ, { variables: { cluster: CLUSTER, name } });
    return res.errors === undefined && done(res.data.provisioningRequest) ? res.data.provisioningRequest ?? null : undefined;
  }, 20_000);

export const o2ims: Domain = {
  name: 'o2ims',
  objects,
  checks: [
    {
      name: 'state mapping: written states to one enum, schema NEPHIO (from the CRD for a request without status)',
      query: `{ cluster(name: "${CLUSTER}") { provisioningRequests {
        name state stateAsWritten message updateTime schemaVariant displayName targetClusterName provisionedResources { nodeClusterId infrastructureResourceIds }
      } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const byName = [...answer.data.cluster.provisioningRequests].sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name));
        expect(byName.map((r: Record<string, unknown>) => [r.name, r.state, r.stateAsWritten, r.message, r.updateTime, r.schemaVariant, r.targetClusterName])).toEqual([
          ['pr-du-101', 'FULFILLED', 'fulfilled', 'Cluster resource created', at(10), 'NEPHIO', NO_GRANTS_CLUSTER],
          ['pr-du-102', 'PROGRESSING', 'progressing', 'Cluster instance rendering completed', at(1), 'NEPHIO', 'du-102'],
          ['pr-du-103', 'FAILED', 'failed', 'Cluster resource creation failed reached timeout', at(30), 'NEPHIO', 'du-103'],
          ['pr-du-104', 'PENDING', null, null, null, 'NEPHIO', 'du-104'],
          ['pr-du-105', 'FULFILLED', 'fulfilled', 'Cluster resource created', at(12), 'NEPHIO', 'du-105'],
        ]);
        expect(byName[0]).toMatchObject({ displayName: `RAN DU site ${NO_GRANTS_CLUSTER}`, provisionedResources: { nodeClusterId: '09470fe4-1d2c-4b7e-9a3f-5e6d7c8b9a01', infrastructureResourceIds: ['4a1c7e2b-0f93-4d6a-b5e8-2c9d1f0a7b36'] } });
        expect(byName[3].provisionedResources).toBeNull();
        return byName.map((r: { name: string; state: string }) => `${r.name.slice(6)} ${r.state}`).join(', ');
      },
    },
    {
      name: 'trace: request → PackageVariant → CAPI Cluster → fleet cluster, and where each one is stuck',
      query: `{ cluster(name: "${CLUSTER}") { provisioningRequests { name trace {
        stuckAt summary
        packageVariant { status reason packageVariant { name readiness } }
        capiCluster { status reason capiCluster { name phase infrastructureReady } }
        fleetCluster { status reason matchedBy cluster { name } }
      } } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const trace = new Map((answer.data.cluster.provisioningRequests as { name: string; trace: any }[]).map((r) => [r.name, r.trace]));
        expect(trace.get('pr-du-101')).toMatchObject({
          stuckAt: null,
          summary: `complete: pr-du-101 → PackageVariant default/pr-du-101 → Cluster default/${NO_GRANTS_CLUSTER} → fleet cluster ${NO_GRANTS_CLUSTER}`,
          fleetCluster: { status: 'FOUND', matchedBy: 'NAME', cluster: { name: NO_GRANTS_CLUSTER } },
        });
        expect(trace.get('pr-du-102')).toMatchObject({
          stuckAt: 'PACKAGE_VARIANT',
          packageVariant: { status: 'FOUND', reason: `PackageVariant default/pr-du-102 is stalled: ${STALLED}`, packageVariant: { readiness: 'STALLED' } },
          capiCluster: { status: 'BLOCKED' },
        });
        expect(trace.get('pr-du-103')).toMatchObject({
          stuckAt: 'CAPI_CLUSTER',
          capiCluster: { status: 'FOUND', reason: `Cluster default/du-103 is Provisioning; InfrastructureReady False (WaitingForInfrastructure): ${BMC('du-103')}`, capiCluster: { phase: 'PROVISIONING', infrastructureReady: false } },
        });
        expect(trace.get('pr-du-104')).toMatchObject({ stuckAt: null, packageVariant: { status: 'NOT_YET' }, capiCluster: { status: 'NOT_YET' }, fleetCluster: { status: 'NOT_YET' } });
        expect(trace.get('pr-du-105')).toMatchObject({
          stuckAt: 'FLEET_CLUSTER',
          fleetCluster: { status: 'MISSING', reason: 'the request is fulfilled but the fleet registry has no cluster named du-105 or with oCloudNodeClusterId 09470fe4-1d2c-4b7e-9a3f-5e6d7c8b9a05: its kubeconfig context is missing' },
        });
        return [...trace].map(([name, t]) => `${name.slice(6)} ${t.stuckAt ?? (t.fleetCluster.status === 'FOUND' ? 'complete' : 'waiting')}`).join(', ');
      },
    },
    {
      name: 'create with dryRun: validated and answered by the server, nothing stored',
      async run(t) {
        const dry = await t.query(CREATE, { variables: { cluster: CLUSTER, input: INPUT, dryRun: true }, headers: WRITER });
        expect(dry.errors).toBeUndefined();
        const r = dry.data.createProvisioningRequest;
        // clusterProvisioner filled in: the only value the Nephio operator accepts
        expect(r).toEqual({ dryRun: true, request: { name: NEW, state: 'PENDING', schemaVariant: 'NEPHIO', templateParameters: { ...INPUT.templateParameters, clusterProvisioner: 'capi' }, uid: expect.any(String), creationTime: expect.any(String) } });
        expect(await stored(t, NEW)).toBe(404);
        return `PENDING with a server-assigned uid; GET afterwards 404`;
      },
    },
    {
      name: 'create: stored, read back through the watch cache',
      async run(t) {
        const res = await t.query(CREATE, { variables: { cluster: CLUSTER, input: INPUT }, headers: WRITER });
        expect(res.errors).toBeUndefined();
        expect(res.data.createProvisioningRequest.request).toMatchObject({ name: NEW, state: 'PENDING', schemaVariant: 'NEPHIO' });
        const uid = res.data.createProvisioningRequest.request.uid;
        expect((await t.admin.call('GET', `${PR_PATH}/${NEW}`)).body.metadata.uid).toBe(uid);
        const read = await readUntil(t, `${NEW} in the watch cache`, NEW, (r) => r !== null);
        expect(read).toEqual({ name: NEW, state: 'PENDING', schemaVariant: 'NEPHIO', trace: { stuckAt: null, packageVariant: { status: 'NOT_YET' } } });
        return 'stored (same uid), then PENDING, trace NOT_YET (no operator here)';
      },
    },
    {
      name: 'create again: ALREADY_EXISTS from the server’s 409',
      async run(t) {
        const res = await t.query(CREATE, { variables: { cluster: CLUSTER, input: INPUT }, headers: WRITER });
        expect(res.data).toBeNull();
        expect(res.errors).toEqual([
          expect.objectContaining({ message: `ProvisioningRequest "${NEW}" already exists on ${CLUSTER}`, extensions: expect.objectContaining({ code: 'ALREADY_EXISTS', cluster: CLUSTER, httpStatus: 409, reason: 'AlreadyExists' }) }),
        ]);
        return codes(res);
      },
    },
    {
      name: 'refusals: bad input before anything is sent; the server’s own 403 passed through; no scope',
      async run(t) {
        // every rule of the upstream CRD (templateName/templateVersion/templateParameters required) is
        // checked first, so no input reaches the server's 422: the server's refusal that does reach a
        // user is RBAC's (the no-grants context), with its own message
        const bad = await t.query(CREATE, { variables: { cluster: CLUSTER, input: { name: 'Bad_Name', templateName: '', templateVersion: 'v1', templateParameters: { clusterProvisioner: 'metal3' } } }, headers: WRITER });
        expect(bad.errors?.[0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          cluster: CLUSTER,
          problems: [
            { field: 'input.name', message: expect.stringContaining('RFC 1123 subdomain') },
            { field: 'input.templateName', message: 'must not be empty' },
            { field: 'input.templateParameters.clusterName', message: 'is required' },
            { field: 'input.templateParameters.clusterProvisioner', message: expect.stringContaining('capi') },
          ],
        });
        const forbidden = await t.query(CREATE, { variables: { cluster: NO_GRANTS_CLUSTER, input: { ...INPUT, name: 'pr-ci-302' } }, headers: WRITER });
        expect(forbidden.errors).toHaveLength(1);
        expect(forbidden.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', cluster: NO_GRANTS_CLUSTER, httpStatus: 403 });
        expect(forbidden.errors![0].message).toMatch(/provisioningrequests\.o2ims\.provisioning\.oran\.org is forbidden: User "[^"]+" cannot list resource "provisioningrequests" in API group "o2ims\.provisioning\.oran\.org" at the cluster scope/);
        const anonymous = await t.query(CREATE, { variables: { cluster: CLUSTER, input: { ...INPUT, name: 'pr-ci-303' } } });
        expect(anonymous.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'o2ims:write' });
        for (const name of ['pr-ci-302', 'pr-ci-303']) expect(await stored(t, name)).toBe(404);
        return `BAD_USER_INPUT (4 problems); ${forbidden.errors![0].message.replace(/^cluster [^:]+: /, '').slice(0, 60)}…; anonymous FORBIDDEN`;
      },
    },
    {
      name: 'delete: immediate without a finalizer (DELETED), then ALREADY_GONE; gone from reads',
      async run(t) {
        const dry = await t.query(DELETE, { variables: { cluster: CLUSTER, name: NEW, dryRun: true }, headers: WRITER });
        expect(dry.errors).toBeUndefined();
        expect(await stored(t, NEW)).toBe(200);
        const first = await t.query(DELETE, { variables: { cluster: CLUSTER, name: NEW }, headers: WRITER });
        expect(first.errors).toBeUndefined();
        expect(first.data.deleteProvisioningRequest).toEqual({ outcome: 'DELETED', dryRun: false, request: null });
        expect(await stored(t, NEW)).toBe(404);
        const again = await t.query(DELETE, { variables: { cluster: CLUSTER, name: NEW }, headers: WRITER });
        expect(again.data.deleteProvisioningRequest).toEqual({ outcome: 'ALREADY_GONE', dryRun: false, request: null });
        await readUntil(t, `${NEW} gone from the watch cache`, NEW, (r) => r === null);
        return `dry run ${dry.data.deleteProvisioningRequest.outcome} (kept), then DELETED, ALREADY_GONE`;
      },
    },
    {
      name: 'delete held by the operator’s finalizer: DELETION_STARTED (DELETING), ALREADY_DELETING, gone once released',
      async run(t) {
        const input = { ...INPUT, name: HELD, templateParameters: { ...INPUT.templateParameters, clusterName: 'du-304' } };
        expect((await t.query(CREATE, { variables: { cluster: CLUSTER, input }, headers: WRITER })).errors).toBeUndefined();
        // what the operator does when it takes the request
        const held = await t.admin.call('PATCH', `${PR_PATH}/${HELD}`, { metadata: { finalizers: [FINALIZER] } }, 'application/merge-patch+json');
        expect(held.body.metadata).toMatchObject({ finalizers: [FINALIZER], generation: 1 });
        const first = await t.query(DELETE, { variables: { cluster: CLUSTER, name: HELD }, headers: WRITER });
        expect(first.errors).toBeUndefined();
        expect(first.data.deleteProvisioningRequest).toEqual({ outcome: 'DELETION_STARTED', dryRun: false, request: { name: HELD, state: 'DELETING', deletionTime: expect.any(String) } });
        // marked, not removed; the mark bumps the generation (kube-apiserver's markAsDeleting)
        const marked = (await t.admin.call('GET', `${PR_PATH}/${HELD}`)).body;
        expect(marked.metadata).toMatchObject({ generation: 2, deletionGracePeriodSeconds: 0, deletionTimestamp: first.data.deleteProvisioningRequest.request.deletionTime });
        const again = await t.query(DELETE, { variables: { cluster: CLUSTER, name: HELD }, headers: WRITER });
        expect(again.data.deleteProvisioningRequest).toMatchObject({ outcome: 'ALREADY_DELETING', request: { state: 'DELETING' } });
        await readUntil(t, `${HELD} DELETING in the watch cache`, HELD, (r) => r?.state === 'DELETING');
        // the operator, done tearing down, takes its finalizer off: the server removes the object
        expect((await t.admin.call('PATCH', `${PR_PATH}/${HELD}`, { metadata: { finalizers: null } }, 'application/merge-patch+json')).status).toBe(200);
        expect(await stored(t, HELD)).toBe(404);
        await readUntil(t, `${HELD} gone from the watch cache`, HELD, (r) => r === null);
        return 'DELETION_STARTED (generation 2), ALREADY_DELETING, gone once the finalizer went';
      },
    },
    {
      name: 'subscription: creation, the operator’s status writes and the delete reach a follower through the watch',
      async run(t) {
        const client = wsClient(t.stack.gatewayUrl.replace(/^http/, 'ws'));
        const followed = subscribe(client, FOLLOW, { cluster: CLUSTER, name: FOLLOWED });
        try {
          await waitUntil('the subscription reached the o2ims subgraph', async () => ((await subgraphHealth(t.stack, 'o2ims')).subscriptions >= 1 ? true : undefined), 20_000);
          const input = { ...INPUT, name: FOLLOWED, templateParameters: { ...INPUT.templateParameters, clusterName: 'du-305' } };
          expect((await t.query(CREATE, { variables: { cluster: CLUSTER, input }, headers: WRITER })).errors).toBeUndefined();
          await followed.next(1, 20_000);
          // the operator's two writes through /status, as it takes the request and as the cluster is up
          const operatorWrites: Status[] = [
            { state: 'progressing', message: 'Cluster provisioning request received', minutes: 40 },
            { state: 'fulfilled', message: 'Cluster resource created', minutes: 52 },
          ];
          for (const [i, st] of operatorWrites.entries()) {
            const current = (await t.admin.call('GET', `${PR_PATH}/${FOLLOWED}`)).body;
            await t.admin.writeStatus(current, request(FOLLOWED, 'du-305', st).status);
            await followed.next(2 + i, 20_000);
          }
          const deleted = await t.query(DELETE, { variables: { cluster: CLUSTER, name: FOLLOWED }, headers: WRITER });
          expect(deleted.data.deleteProvisioningRequest.outcome).toBe('DELETED');
          const events = (await followed.next(4, 20_000)).map((e) => (e.data as { provisioningStateChanged: Record<string, unknown> }).provisioningStateChanged);
          expect(followed.errors).toEqual([]);
          expect(events.map((e) => `${e.change} ${e.previousState ?? '-'}→${e.state}: ${e.message ?? '-'}`)).toEqual([
            'ADDED -→PENDING: -',
            'CHANGED PENDING→PROGRESSING: Cluster provisioning request received',
            'CHANGED PROGRESSING→FULFILLED: Cluster resource created',
            'DELETED FULFILLED→FULFILLED: Cluster resource created',
          ]);
          expect(events.every((e) => e.clusterName === CLUSTER && e.name === FOLLOWED)).toBe(true);
          expect(events.slice(1, 3).map((e) => e.time)).toEqual([at(40), at(52)]);
          return events.map((e) => `${e.change} ${e.state}`).join(', ');
        } finally {
          followed.dispose();
          await client.dispose();
        }
      },
    },
  ],
};
