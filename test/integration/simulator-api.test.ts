// The simulator's API server over real HTTPS: status codes and Status bodies as a real API server
// gives them, list/watch semantics, writes, the status subresource, auth and scoped tokens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { edgeSpec, hubSpec, provisioningRequest, regionalSpec } from '../helpers/sim-specs.js';
import { SimClient } from '../helpers/sim-client.js';

let sim: Simulator;
let client: SimClient;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-api-'));
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: [hubSpec(), edgeSpec(), regionalSpec()], bookmarkIntervalMs: 200 });
  client = new SimClient(sim);
});

afterAll(async () => {
  client.close();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('authentication and authorization', () => {
  it('answers 401 Unauthorized with a wrong token and with another cluster’s token', async () => {
    for (const token of ['wrong', sim.clusters.get('hub-1')!.token]) {
      const res = await client.request('edge-1', '/api/v1/nodes', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('limits the scoped token to reading namespaced kinds, with the real Forbidden message', async () => {
    const scoped = sim.tokens('edge-1').scoped.token;
    const nodes = await client.request('edge-1', '/api/v1/nodes', { token: scoped });
    expect(nodes.status).toBe(403);
    expect(nodes.body.reason).toBe('Forbidden');
    expect(nodes.body.message).toBe('nodes is forbidden: User "system:serviceaccount:fleetgraph:scoped" cannot list resource "nodes" in API group "" at the cluster scope');
    const pods = await client.request('edge-1', '/api/v1/namespaces/vdu/pods', { token: scoped });
    expect(pods.status).toBe(200);
    const write = await client.request('edge-1', '/apis/ptp.openshift.io/v1/namespaces/openshift-ptp/ptpconfigs/du-slave', {
      token: scoped,
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { a: 'b' } } },
    });
    expect(write.status).toBe(403);
    expect(write.body.message).toBe(
      'ptpconfigs.ptp.openshift.io "du-slave" is forbidden: User "system:serviceaccount:fleetgraph:scoped" cannot patch resource "ptpconfigs" in API group "ptp.openshift.io" in the namespace "openshift-ptp"',
    );
  });
});

describe('discovery', () => {
  it('lists only the API groups a cluster has installed', async () => {
    const edge = await client.request('edge-1', '/apis');
    const regional = await client.request('regional-1', '/apis');
    const names = (res: typeof edge): string[] => res.body.groups.map((g: { name: string }) => g.name);
    expect(edge.body.kind).toBe('APIGroupList');
    expect(names(edge)).toEqual(expect.arrayContaining(['apps', 'ptp.openshift.io', 'sriovnetwork.openshift.io', 'config.openshift.io']));
    expect(names(regional)).not.toContain('ptp.openshift.io');
    expect(names(regional)).not.toContain('config.openshift.io');
    expect((await client.request('regional-1', '/apis/ptp.openshift.io/v1')).status).toBe(404);
    expect((await client.request('regional-1', '/apis/ptp.openshift.io/v1/ptpconfigs')).status).toBe(404);
  });

  it('describes resources with verbs, scope, short names and subresources', async () => {
    const core = await client.request('edge-1', '/api/v1');
    const pods = core.body.resources.find((r: { name: string }) => r.name === 'pods');
    expect(pods).toMatchObject({ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'] });
    expect(pods.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']));
    expect(core.body.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['nodes', 'pods/status', 'pods/proxy', 'events']));
    const o2ims = await client.request('hub-1', '/apis/o2ims.provisioning.oran.org/v1alpha1');
    expect(o2ims.body.resources[0]).toMatchObject({ name: 'provisioningrequests', namespaced: false, kind: 'ProvisioningRequest' });
    expect(o2ims.body.resources[0].shortNames).toBeUndefined();
  });

  it('serves aggregated discovery v2 when the client asks for it', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const res = await client.request('edge-1', '/apis', { headers: { Accept: accept } });
    expect(res.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(res.body.kind).toBe('APIGroupDiscoveryList');
    const ptp = res.body.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'ptp.openshift.io');
    expect(ptp.versions[0].resources.map((r: { resource: string }) => r.resource)).toEqual(['ptpconfigs', 'nodeptpdevices', 'ptpoperatorconfigs']);
    expect(ptp.versions[0].resources[0]).toMatchObject({ scope: 'Namespaced', responseKind: { group: 'ptp.openshift.io', version: 'v1', kind: 'PtpConfig' } });
  });

  it('serves /version from the cluster spec', async () => {
    const res = await client.request('edge-1', '/version');
    expect(res.body).toMatchObject({ major: '1', minor: '31', gitVersion: 'v1.31.6' });
  });
});

describe('reads', () => {
  it('answers an unknown resource with 404 "the server could not find the requested resource"', async () => {
    const res = await client.request('edge-1', '/api/v1/widgets');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' });
    expect((await client.request('no-such-cluster', '/api/v1/nodes')).status).toBe(404);
  });

  it('answers a missing object with the real NotFound message', async () => {
    const res = await client.request('edge-1', '/apis/ptp.openshift.io/v1/namespaces/openshift-ptp/ptpconfigs/nope');
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('ptpconfigs.ptp.openshift.io "nope" not found');
    expect(res.body.details).toEqual({ name: 'nope', group: 'ptp.openshift.io', kind: 'ptpconfigs' });
  });

  it('lists with label and field selectors', async () => {
    const byLabel = await client.request('edge-1', '/api/v1/pods?labelSelector=app%20in%20(vdu),tier!=odd');
    expect(byLabel.body.kind).toBe('PodList');
    expect(byLabel.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['vdu-0', 'vdu-2', 'vdu-4']);
    const byField = await client.request('edge-1', '/api/v1/namespaces/vdu/pods?fieldSelector=status.phase%3DPending');
    expect(byField.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['vdu-4']);
    const bad = await client.request('edge-1', '/api/v1/pods?labelSelector=app%20in%20(vdu');
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe('BadRequest');
    const unsupported = await client.request('edge-1', '/api/v1/pods?fieldSelector=spec.priority%3D1');
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.message).toBe('field label not supported: spec.priority');
  });

  it('pages with limit/continue and reports remainingItemCount and one resourceVersion', async () => {
    const names: string[] = [];
    let path = '/api/v1/pods?limit=3';
    const versions = new Set<string>();
    let first = true;
    for (;;) {
      const page = await client.request('edge-1', path);
      expect(page.status).toBe(200);
      versions.add(page.body.metadata.resourceVersion);
      names.push(...page.body.items.map((p: { metadata: { name: string } }) => p.metadata.name));
      if (first) expect(page.body.metadata.remainingItemCount).toBe(5);
      first = false;
      if (!page.body.metadata.continue) break;
      path = `/api/v1/pods?limit=3&continue=${encodeURIComponent(page.body.metadata.continue)}`;
    }
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
    expect(versions.size).toBe(1);
  });

  it('answers 410 Expired for a continue token older than the retained history', async () => {
    const page = await client.request('regional-1', '/api/v1/nodes?limit=1');
    const token = page.body.metadata.continue as string;
    sim.clusters.get('regional-1')!.store.update('/nodes', { ...sim.clusters.get('regional-1')!.store.get('/nodes', undefined, 'regional-1-a')!, metadata: { name: 'regional-1-a', labels: { touched: 'yes' } } });
    sim.clusters.get('regional-1')!.store.compact();
    const res = await client.request('regional-1', `/api/v1/nodes?limit=1&continue=${encodeURIComponent(token)}`);
    expect(res.status).toBe(410);
    expect(res.body.reason).toBe('Expired');
    const garbage = await client.request('regional-1', '/api/v1/nodes?limit=1&continue=not-a-token');
    expect(garbage.status).toBe(400);
  });
});

describe('writes', () => {
  const prPath = '/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests';

  it('creates (201), refuses duplicates (409 AlreadyExists) and invalid objects (422 with causes)', async () => {
    const body = provisioningRequest('edge-300');
    delete body.status;
    const created = await client.request('hub-1', prPath, { method: 'POST', body });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: 'edge-300', generation: 1 });
    expect(created.body.metadata.resourceVersion).toMatch(/^\d+$/);
    const again = await client.request('hub-1', prPath, { method: 'POST', body });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: 'AlreadyExists', message: 'provisioningrequests.o2ims.provisioning.oran.org "edge-300" already exists' });
    const invalid = await client.request('hub-1', prPath, {
      method: 'POST',
      body: { apiVersion: 'o2ims.provisioning.oran.org/v1alpha1', kind: 'ProvisioningRequest', metadata: { name: 'bad' }, spec: { templateVersion: 'v1', templateParameters: {} } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.reason).toBe('Invalid');
    expect(invalid.body.message).toBe('ProvisioningRequest.o2ims.provisioning.oran.org "bad" is invalid: spec.templateName: Required value');
    expect(invalid.body.details.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.templateName' }]);
  });

  it('answers a dry-run create as kube-apiserver v1.20 does: 201, uid/creationTimestamp/generation, no resourceVersion, nothing stored', async () => {
    const body = provisioningRequest('edge-301');
    delete body.status;
    const dry = await client.request('hub-1', `${prPath}?dryRun=All`, { method: 'POST', body });
    expect(dry.status).toBe(201);
    expect(dry.body.metadata).toMatchObject({ name: 'edge-301', generation: 1, uid: expect.stringMatching(/^[0-9a-f-]{36}$/), creationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    expect(dry.body.metadata.resourceVersion).toBeUndefined();
    expect((await client.request('hub-1', `${prPath}/edge-301`)).status).toBe(404);
    // a name that exists is refused on a dry run too
    expect((await client.request('hub-1', `${prPath}?dryRun=All`, { method: 'POST', body: { ...body, metadata: { name: 'edge-300' } } })).status).toBe(409);
  });

  it('marks an object a finalizer holds on DELETE, bumping its generation once (kube-apiserver markAsDeleting)', async () => {
    const body = provisioningRequest('edge-302');
    delete body.status;
    await client.request('hub-1', prPath, { method: 'POST', body: { ...body, metadata: { name: 'edge-302', finalizers: ['example.org/hold'] } } });
    const marked = await client.request('hub-1', `${prPath}/edge-302`, { method: 'DELETE' });
    expect(marked.status).toBe(200);
    expect(marked.body.metadata).toMatchObject({ name: 'edge-302', generation: 2, deletionGracePeriodSeconds: 0, deletionTimestamp: expect.any(String) });
    const again = await client.request('hub-1', `${prPath}/edge-302`, { method: 'DELETE' });
    expect(again.body.metadata).toMatchObject({ generation: 2, resourceVersion: marked.body.metadata.resourceVersion });
    const released = await client.request('hub-1', `${prPath}/edge-302`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
    expect(released.status).toBe(200);
    expect((await client.request('hub-1', `${prPath}/edge-302`)).status).toBe(404);
  });

  it('supports generateName and refuses namespaced objects in a missing namespace', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-' }, data: { a: '1' } };
    const created = await client.request('edge-1', '/api/v1/namespaces/vdu/configmaps', { method: 'POST', body: cm });
    expect(created.status).toBe(201);
    expect(created.body.metadata.name).toMatch(/^cfg-[a-z0-9]{5}$/);
    const missing = await client.request('edge-1', '/api/v1/namespaces/nope/configmaps', { method: 'POST', body: cm });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('namespaces "nope" not found');
    const deleted = await client.request('edge-1', `/api/v1/namespaces/vdu/configmaps/${created.body.metadata.name}`, { method: 'DELETE' });
    expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success' });
  });

  it('updates with optimistic concurrency: 409 Conflict on a stale resourceVersion, 422 without one', async () => {
    const path = '/apis/ptp.openshift.io/v1/namespaces/openshift-ptp/ptpconfigs/du-boundary';
    const current = (await client.request('edge-1', path)).body;
    const first = await client.request('edge-1', path, { method: 'PUT', body: { ...current, metadata: { ...current.metadata, labels: { v: '1' } } } });
    expect(first.status).toBe(200);
    expect(Number(first.body.metadata.resourceVersion)).toBeGreaterThan(Number(current.metadata.resourceVersion));
    const stale = await client.request('edge-1', path, { method: 'PUT', body: { ...current, metadata: { ...current.metadata, labels: { v: '2' } } } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on ptpconfigs.ptp.openshift.io "du-boundary": the object has been modified; please apply your changes to the latest version and try again',
    );
    const noRv = await client.request('edge-1', path, { method: 'PUT', body: { ...current, metadata: { name: 'du-boundary', namespace: 'openshift-ptp' } } });
    expect(noRv.status).toBe(422);
  });

  it('keeps status and spec apart between the main resource and /status', async () => {
    const path = `${prPath}/edge-100`;
    const before = (await client.request('hub-1', path)).body;
    const main = await client.request('hub-1', path, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { description: 'new' }, status: { provisioningStatus: { provisioningState: 'failed' } } },
    });
    expect(main.status).toBe(200);
    expect(main.body.spec.description).toBe('new');
    expect(main.body.status).toEqual(before.status);
    expect(main.body.metadata.generation).toBe(before.metadata.generation + 1);
    const status = await client.request('hub-1', `${path}/status`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { description: 'ignored' }, status: { provisioningStatus: { provisioningState: 'fulfilled' } } },
    });
    expect(status.status).toBe(200);
    expect(status.body.status.provisioningStatus.provisioningState).toBe('fulfilled');
    expect(status.body.spec.description).toBe('new');
    expect(status.body.metadata.generation).toBe(main.body.metadata.generation);
  });

  it('applies JSON patches and answers bad ones like the real server (400 undecodable, 422 unappliable)', async () => {
    const path = '/apis/ptp.openshift.io/v1/namespaces/openshift-ptp/ptpconfigs/du-slave';
    const ok = await client.request('edge-1', path, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [{ op: 'replace', path: '/spec/profile/0/ptpClockThreshold/holdOverTimeout', value: 30 }],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.spec.profile[0].ptpClockThreshold.holdOverTimeout).toBe(30);
    const undecodable = await client.request('edge-1', path, { method: 'PATCH', contentType: 'application/json-patch+json', body: { op: 'add' } });
    expect(undecodable.status).toBe(400);
    const notJson = await client.request('edge-1', path, { method: 'PATCH', contentType: 'application/json-patch+json', body: '[{' });
    expect(notJson.status).toBe(400);
    const unappliable = await client.request('edge-1', path, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [{ op: 'remove', path: '/spec/nothing' }],
    });
    expect(unappliable.status).toBe(422);
    const strategic = await client.request('edge-1', path, { method: 'PATCH', contentType: 'application/strategic-merge-patch+json', body: { spec: {} } });
    expect(strategic.status).toBe(415);
    const podStrategic = await client.request('edge-1', '/api/v1/namespaces/vdu/pods/vdu-0', {
      method: 'PATCH',
      contentType: 'application/strategic-merge-patch+json',
      body: { metadata: { labels: { patched: 'yes' } } },
    });
    expect(podStrategic.status).toBe(200);
    expect(podStrategic.body.metadata.labels).toMatchObject({ app: 'vdu', patched: 'yes' });
  });

  it('deletes a custom resource without finalizers at once, answering a Success Status as the real server does', async () => {
    const uid = (await client.request('hub-1', `${prPath}/edge-300`)).body.metadata.uid;
    const res = await client.request('hub-1', `${prPath}/edge-300`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    // kube-apiserver v1.20, DELETE of a ProvisioningRequest: no `code` in a Success Status, `kind` is the resource
    expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'edge-300', group: 'o2ims.provisioning.oran.org', kind: 'provisioningrequests', uid } });
    expect((await client.request('hub-1', `${prPath}/edge-300`)).status).toBe(404);
  });
});

describe('watch', () => {
  const path = '/apis/ptp.openshift.io/v1/namespaces/openshift-ptp/ptpconfigs';

  it('sends ADDED for current objects, then live changes and bookmarks', async () => {
    const watch = await client.watch('edge-1', `${path}?watch=true&allowWatchBookmarks=true`);
    expect(watch.status).toBe(200);
    const initial = [await watch.next(), await watch.next()];
    expect(initial.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'du-boundary'],
      ['ADDED', 'du-slave'],
    ]);
    const store = sim.clusters.get('edge-1')!.store;
    store.mutate('ptp.openshift.io/ptpconfigs', 'openshift-ptp', 'du-slave', (o) => ({ ...o, metadata: { ...o.metadata, labels: { changed: 'yes' } } }));
    let event = await watch.next();
    while (event.type === 'BOOKMARK') event = await watch.next();
    expect(event.type).toBe('MODIFIED');
    expect(event.object.metadata.labels).toEqual({ changed: 'yes' });
    let bookmark = await watch.next(2000);
    while (bookmark.type !== 'BOOKMARK') bookmark = await watch.next(2000);
    expect(bookmark.object).toEqual({ kind: 'PtpConfig', apiVersion: 'ptp.openshift.io/v1', metadata: { resourceVersion: String(store.resourceVersion) } });
    watch.close();
  });

  it('replays history from a resourceVersion and answers a compacted one with an ERROR 410 event', async () => {
    const store = sim.clusters.get('edge-1')!.store;
    const from = store.resourceVersion;
    store.mutate('ptp.openshift.io/ptpconfigs', 'openshift-ptp', 'du-boundary', (o) => ({ ...o, metadata: { ...o.metadata, labels: { replay: '1' } } }));
    const resumed = await client.watch('edge-1', `${path}?watch=true&resourceVersion=${from}`);
    const replayed = await resumed.next();
    expect(replayed.type).toBe('MODIFIED');
    expect(replayed.object.metadata.labels).toEqual({ replay: '1' });
    resumed.close();

    store.compact();
    const expired = await client.watch('edge-1', `${path}?watch=true&resourceVersion=${from}`);
    expect(expired.status).toBe(200);
    const error = await expired.next();
    expect(error.type).toBe('ERROR');
    expect(error.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    await expired.ended;
  });

  it('ends the stream after timeoutSeconds', async () => {
    const started = Date.now();
    const watch = await client.watch('edge-1', `${path}?watch=true&timeoutSeconds=1`);
    await watch.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(watch.events.filter((e) => e.type === 'ADDED')).toHaveLength(2);
  });

  it('sends DELETED when an object leaves the label selector and ADDED when it enters', async () => {
    const watch = await client.watch('edge-1', '/api/v1/namespaces/vdu/pods?watch=true&labelSelector=tier%3Deven');
    const initial = [await watch.next(), await watch.next(), await watch.next()];
    expect(initial.map((e) => e.object.metadata.name)).toEqual(['vdu-0', 'vdu-2', 'vdu-4']);
    const store = sim.clusters.get('edge-1')!.store;
    const relabel = (name: string, tier: string): void => {
      store.mutate('/pods', 'vdu', name, (o) => ({ ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, tier } } }));
    };
    relabel('vdu-2', 'odd');
    relabel('vdu-1', 'even');
    relabel('vdu-3', 'other'); // never matched: not sent
    const left = await watch.next();
    expect([left.type, left.object.metadata.name]).toEqual(['DELETED', 'vdu-2']);
    const entered = await watch.next();
    expect([entered.type, entered.object.metadata.name]).toEqual(['ADDED', 'vdu-1']);
    // A matching change made after vdu-3's is the sync point: had vdu-3 been sent, it would come first.
    relabel('vdu-4', 'even');
    const marker = await watch.next();
    expect([marker.type, marker.object.metadata.name]).toEqual(['MODIFIED', 'vdu-4']);
    expect(watch.events.filter((e) => e.type !== 'BOOKMARK')).toHaveLength(6);
    watch.close();
  });
});

describe('proxy', () => {
  it('answers 404 for a missing pod and 503 when no exporter listens', async () => {
    const missing = await client.request('edge-1', '/api/v1/namespaces/vdu/pods/nope:9091/proxy/metrics');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('pods "nope" not found');
    const unreachable = await client.request('edge-1', '/api/v1/namespaces/vdu/pods/vdu-0:9999/proxy/metrics');
    expect(unreachable.status).toBe(503);
    expect(unreachable.body.reason).toBe('ServiceUnavailable');
    expect(unreachable.body.message).toMatch(/^error trying to reach service: dial tcp 10\.128\.0\.10:9999/);
  });
});
