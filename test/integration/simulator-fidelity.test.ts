// What real clients see first, over raw HTTPS: server-side Table printing, anonymous requests,
// self access reviews (JSON and kubectl's protobuf), server-side apply with managers and conflicts,
// core and CRD validation, lists at a resourceVersion, bookmarks only when asked, deletecollection.
// Expected bodies are the real kube-apiserver's (v1.20, test/e2e/real-apiserver-*.test.ts compares
// kubectl output with a real server where one is built).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { edgeSpec, hubSpec, regionalSpec } from '../helpers/sim-specs.js';
import { SimClient, type ApiJson } from '../helpers/sim-client.js';

let sim: Simulator;
let client: SimClient;
let dir: string;

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const names = (cols: { name: string }[]): string[] => cols.map((c) => c.name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-fidelity-'));
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: [hubSpec(), edgeSpec(), regionalSpec()], bookmarkIntervalMs: 100 });
  client = new SimClient(sim);
});

afterAll(async () => {
  client.close();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('server-side printing (Table)', () => {
  it('prints nodes and pods with the real columns, wide ones at priority 1, and the rows’ object metadata', async () => {
    const nodes = await client.request('edge-1', '/api/v1/nodes', { headers: { Accept: TABLE } });
    expect(nodes.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(names(nodes.body.columnDefinitions)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
    expect(nodes.body.columnDefinitions.map((c: ApiJson) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(nodes.body.rows[0].cells.slice(0, 3)).toEqual(['edge-1-node', 'Ready', 'master,worker']);
    expect(nodes.body.rows[0].cells[3]).toMatch(/^\d+s$/);
    expect(nodes.body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'edge-1-node' } });

    const pods = await client.request('edge-1', '/api/v1/namespaces/vdu/pods?includeObject=None', { headers: { Accept: TABLE } });
    expect(names(pods.body.columnDefinitions)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(pods.body.rows.map((r: ApiJson) => [r.cells[0], r.cells[1], r.cells[2], r.cells[3]])).toContainEqual(['vdu-4', '0/1', 'Pending', 0]);
    expect(pods.body.rows[0].object).toBeUndefined();
  });

  it('prints custom resources with their CRD’s printer columns (JSONPath, escaped keys), or Name and Age', async () => {
    const states = await client.request('edge-1', '/apis/sriovnetwork.openshift.io/v1/sriovnetworknodestates', { headers: { Accept: TABLE } });
    expect(names(states.body.columnDefinitions)).toEqual(['Name', 'Sync Status', 'Desired Sync State', 'Current Sync State', 'Age']);
    expect(states.body.rows[0].cells.slice(0, 4)).toEqual(['edge-1-node', 'Succeeded', null, null]);
    const configs = await client.request('edge-1', '/apis/ptp.openshift.io/v1/namespaces/openshift-ptp/ptpconfigs/du-slave', { headers: { Accept: TABLE } });
    expect(names(configs.body.columnDefinitions)).toEqual(['Name', 'Age']);
    expect(configs.body.rows).toHaveLength(1);
    expect(configs.body.metadata.resourceVersion).toBe(sim.clusters.get('edge-1')!.store.get('ptp.openshift.io/ptpconfigs', 'openshift-ptp', 'du-slave')!.metadata.resourceVersion);
  });

  it('sends watch events as one-row Tables when asked for Tables', async () => {
    const watch = await client.watch('edge-1', '/apis/ptp.openshift.io/v1/namespaces/openshift-ptp/ptpconfigs?watch=true', { headers: { Accept: TABLE } });
    try {
      const first = await watch.next();
      expect(first.type).toBe('ADDED');
      expect(first.object.kind).toBe('Table');
      expect(first.object.rows).toHaveLength(1);
    } finally {
      watch.close();
    }
  });
});

describe('anonymous requests and self reviews', () => {
  it('treats a request without a token as system:anonymous: health answers, the rest is 403 with the real message', async () => {
    expect((await client.request('edge-1', '/healthz', { token: null })).status).toBe(200);
    const pods = await client.request('edge-1', '/api/v1/namespaces/vdu/pods', { token: null });
    expect(pods.status).toBe(403);
    expect(pods.body.message).toBe('pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "vdu"');
    expect(pods.body.details).toEqual({ kind: 'pods' });
    const apis = await client.request('edge-1', '/apis', { token: null });
    expect(apis.body.message).toBe('forbidden: User "system:anonymous" cannot get path "/apis"');
    expect((await client.request(null, '/api/v1/nodes', { token: null })).status).toBe(403);
  });

  it('answers SelfSubjectAccessReview from the token’s rules', async () => {
    const review = (token: string, attrs: object) =>
      client.request('edge-1', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        method: 'POST',
        token,
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attrs } },
      });
    const tokens = sim.tokens('edge-1');
    const cases: [string, object, boolean][] = [
      [tokens.admin.token, { verb: 'delete', resource: 'nodes' }, true],
      [tokens.scoped.token, { verb: 'list', resource: 'pods', namespace: 'vdu' }, true],
      [tokens.scoped.token, { verb: 'list', resource: 'nodes' }, false],
      [tokens.scoped.token, { verb: 'get', resource: 'pods', subresource: 'proxy', namespace: 'vdu' }, false],
      [tokens.none.token, { verb: 'list', resource: 'pods', namespace: 'vdu' }, false],
    ];
    for (const [token, attrs, allowed] of cases) {
      const res = await review(token, attrs);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'SelfSubjectAccessReview', status: { allowed } });
    }
    const none = await client.request('edge-1', '/api/v1/namespaces/vdu/pods', { token: tokens.none.token });
    expect(none.status).toBe(403);
  });

  it('decodes the protobuf body kubectl sends', async () => {
    // runtime.Unknown{typeMeta{apiVersion, kind}, raw: SelfSubjectAccessReview{spec{resourceAttributes{namespace, verb, resource}}}}
    const str = (no: number, s: string) => Buffer.concat([Buffer.from([(no << 3) | 2, Buffer.byteLength(s)]), Buffer.from(s)]);
    const msg = (no: number, body: Buffer) => Buffer.concat([Buffer.from([(no << 3) | 2, body.length]), body]);
    const attrs = Buffer.concat([str(1, 'vdu'), str(2, 'list'), str(5, 'pods')]);
    const raw = msg(2, msg(1, attrs));
    const envelope = Buffer.concat([Buffer.from('k8s\u0000'), msg(1, Buffer.concat([str(1, 'authorization.k8s.io/v1'), str(2, 'SelfSubjectAccessReview')])), msg(2, raw)]);
    const res = await client.request('edge-1', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      token: sim.tokens('edge-1').scoped.token,
      body: envelope.toString('latin1'),
      contentType: 'application/vnd.kubernetes.protobuf',
      headers: { 'Content-Length': String(envelope.length) },
    });
    expect(res.body).toMatchObject({ spec: { resourceAttributes: { namespace: 'vdu', verb: 'list', resource: 'pods' } }, status: { allowed: true } });
  });
});

describe('server-side apply', () => {
  const path = '/api/v1/namespaces/vdu/configmaps/applied';
  const apply = (manager: string | null, data: Record<string, string>, extra = '') =>
    client.request('edge-1', `${path}${manager === null ? '' : `?fieldManager=${manager}`}${extra}`, {
      method: 'PATCH',
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: 'vdu' }, data }),
    });

  it('creates, records managers, conflicts as the real server, takes fields over with force, and removes what a manager stops applying', async () => {
    const created = await apply('alice', { x: '1', y: '2' });
    expect(created.status).toBe(200);
    expect(created.body.metadata.managedFields).toEqual([
      { manager: 'alice', operation: 'Apply', apiVersion: 'v1', time: expect.any(String), fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:x': {}, 'f:y': {} } } },
    ]);
    const conflict = await apply('bob', { x: '9' });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "alice": .data.x',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.x' }] },
    });
    // the same value is shared ownership, not a conflict
    expect((await apply('carol', { y: '2' })).status).toBe(200);
    const forced = await apply('bob', { x: '9' }, '&force=true');
    expect(forced.body.data).toEqual({ x: '9', y: '2' });
    // alice now applies only z: x (bob's) and y (carol's too) stay, z is added
    const after = await apply('alice', { z: '3' });
    expect(after.body.data).toEqual({ x: '9', y: '2', z: '3' });
    const owners = Object.fromEntries(after.body.metadata.managedFields.map((m: ApiJson) => [m.manager, Object.keys(m.fieldsV1['f:data'])]));
    expect(owners).toEqual({ alice: ['f:z'], bob: ['f:x'], carol: ['f:y'] });
    // carol drops y: nobody owns it any more, so it is removed
    expect((await apply('carol', {})).body.data).toEqual({ x: '9', z: '3' });
  });

  it('requires a field manager (422) and refuses force on other patches', async () => {
    const missing = await apply(null, { a: '1' });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const merge = await client.request('edge-1', `${path}?force=true`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { data: { q: '1' } } });
    expect(merge.status).toBe(422);
  });

  it('records Update managers for ordinary writes from fieldManager or the User-Agent', async () => {
    const res = await client.request('edge-1', '/api/v1/namespaces/vdu/configmaps?fieldManager=kubectl-create', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'updated' }, data: { a: '1' } },
    });
    expect(res.body.metadata.managedFields).toMatchObject([{ manager: 'kubectl-create', operation: 'Update', fieldsV1: { 'f:data': { 'f:a': {} } } }]);
    const patched = await client.request('edge-1', '/api/v1/namespaces/vdu/configmaps/updated', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { data: { a: '2' } },
      headers: { 'User-Agent': 'fleet-tool/1.0 (linux)' },
    });
    expect(patched.body.metadata.managedFields.map((m: ApiJson) => [m.manager, Object.keys(m.fieldsV1['f:data'] ?? {})])).toEqual([['fleet-tool', ['f:a']]]);
  });
});

describe('validation', () => {
  it('refuses a Pod without containers (422, the real message) and a custom resource against its CRD schema', async () => {
    const pod = await client.request('edge-1', '/api/v1/namespaces/vdu/pods', { method: 'POST', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: {} } });
    expect(pod.status).toBe(422);
    expect(pod.body.message).toBe('Pod "bad" is invalid: spec.containers: Required value');
    expect(pod.body.details).toEqual({ name: 'bad', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }] });
    const policy = await client.request('edge-1', '/apis/sriovnetwork.openshift.io/v1/namespaces/openshift-sriov-network-operator/sriovnetworknodepolicies', {
      method: 'POST',
      body: { apiVersion: 'sriovnetwork.openshift.io/v1', kind: 'SriovNetworkNodePolicy', metadata: { name: 'p' }, spec: { resourceName: 5, priority: 100, numVfs: 1, nicSelector: {}, nodeSelector: {}, deviceType: 'foo' } },
    });
    expect(policy.status).toBe(422);
    expect(policy.body.details.causes).toEqual(
      expect.arrayContaining([
        { reason: 'FieldValueInvalid', message: 'Invalid value: "integer": spec.resourceName in body must be of type string: "integer"', field: 'spec.resourceName' },
        { reason: 'FieldValueInvalid', message: 'Invalid value: 100: spec.priority in body should be less than or equal to 99', field: 'spec.priority' },
        { reason: 'FieldValueNotSupported', message: 'Unsupported value: "foo": supported values: "netdevice", "vfio-pci"', field: 'spec.deviceType' },
      ]),
    );
  });

  it('prunes fields a custom resource’s schema does not declare, and defaults what the real server sets on create', async () => {
    const created = await client.request('edge-1', '/apis/sriovnetwork.openshift.io/v1/namespaces/openshift-sriov-network-operator/sriovnetworks', {
      method: 'POST',
      body: { apiVersion: 'sriovnetwork.openshift.io/v1', kind: 'SriovNetwork', metadata: { name: 'n1' }, spec: { resourceName: 'du_fh', vlna: 10 } },
    });
    expect(created.body.spec).toEqual({ resourceName: 'du_fh' });
    const ns = await client.request('edge-1', '/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } } });
    expect(ns.body).toMatchObject({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  });
});

describe('lists at a resourceVersion, bookmarks, deletecollection', () => {
  it('serves resourceVersionMatch=Exact from the snapshot, NotOlderThan from now, and the real errors', async () => {
    const before = await client.request('edge-1', '/api/v1/namespaces/vdu/pods');
    const rv = before.body.metadata.resourceVersion;
    const store = sim.clusters.get('edge-1')!.store;
    store.mutate('/pods', 'vdu', 'vdu-0', (p) => ({ ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, changed: 'yes' } } }));
    store.create('/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late', namespace: 'vdu' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const exact = await client.request('edge-1', `/api/v1/namespaces/vdu/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(exact.body.metadata.resourceVersion).toBe(rv);
    expect(exact.body.items.map((p: ApiJson) => p.metadata.name)).toEqual(before.body.items.map((p: ApiJson) => p.metadata.name));
    expect(exact.body.items[0].metadata.labels.changed).toBeUndefined();
    const newer = await client.request('edge-1', `/api/v1/namespaces/vdu/pods?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`);
    expect(newer.body.items.map((p: ApiJson) => p.metadata.name)).toContain('late');
    const zero = await client.request('edge-1', '/api/v1/pods?resourceVersion=0&resourceVersionMatch=Exact');
    expect(zero.status).toBe(422);
    expect(zero.body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    const alone = await client.request('edge-1', '/api/v1/pods?resourceVersionMatch=Exact');
    expect(alone.body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    const future = await client.request('edge-1', '/api/v1/pods?resourceVersion=999999&resourceVersionMatch=NotOlderThan');
    expect(future.status).toBe(504);
  });

  it('sends BOOKMARK events only when allowWatchBookmarks=true', async () => {
    const path = '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1';
    const plain = await client.watch('edge-1', path);
    const marked = await client.watch('edge-1', `${path}&allowWatchBookmarks=true`);
    try {
      expect((await marked.next(5000)).type).toBe('BOOKMARK');
      // a few bookmark intervals later the plain watch still has no event at all
      await marked.next(5000);
      await marked.next(5000);
      expect(plain.events).toEqual([]);
    } finally {
      plain.close();
      marked.close();
    }
  });

  it('deletes a collection by selector where upstream serves deletecollection, 405 where it does not', async () => {
    const res = await client.request('edge-1', '/api/v1/namespaces/vdu/pods?labelSelector=tier%3Dodd', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('PodList');
    expect(res.body.items.map((p: ApiJson) => p.metadata.name).sort()).toEqual(['vdu-1', 'vdu-3']);
    expect(sim.clusters.get('edge-1')!.store.get('/pods', 'vdu', 'vdu-1')).toBeUndefined();
    expect((await client.request('edge-1', '/api/v1/namespaces/vdu/services', { method: 'DELETE' })).status).toBe(405);
    const discovery = await client.request('edge-1', '/api/v1');
    const verbs = (name: string) => discovery.body.resources.find((r: ApiJson) => r.name === name).verbs;
    expect(verbs('pods')).toContain('deletecollection');
    expect(verbs('services')).not.toContain('deletecollection');
  });
});
