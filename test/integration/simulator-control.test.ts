// The control API (faults, counters, compaction, tokens, Prometheus SD), the kubeconfig and fleet file,
// addCluster and stop().
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { edgeSpec, hubSpec, regionalSpec } from '../helpers/sim-specs.js';
import { control, SimClient } from '../helpers/sim-client.js';

let sim: Simulator;
let client: SimClient;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-control-'));
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: [hubSpec(), edgeSpec(), regionalSpec()] });
  client = new SimClient(sim);
});

afterAll(async () => {
  client.close();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('control API', () => {
  it('reports health, clusters and tokens', async () => {
    expect((await control(sim, 'GET', '/healthz')).status).toBe(200);
    const clusters = await control(sim, 'GET', '/clusters');
    expect(clusters.body).toEqual([
      { name: 'hub-1', role: 'hub', labels: { role: 'hub', region: 'eu-west' }, platform: 'OpenShift', server: `${sim.apiUrl}/clusters/hub-1` },
      expect.objectContaining({ name: 'edge-1', role: 'edge' }),
      expect.objectContaining({ name: 'regional-1', platform: 'Kubernetes' }),
    ]);
    const tokens = await control(sim, 'GET', '/clusters/edge-1/tokens');
    expect(tokens.body).toMatchObject({
      admin: { user: 'system:serviceaccount:fleetgraph:admin', token: sim.clusters.get('edge-1')!.token },
      scoped: { user: 'system:serviceaccount:fleetgraph:scoped', token: sim.clusters.get('edge-1')!.scopedToken },
    });
    expect((await control(sim, 'GET', '/clusters/nope/tokens')).status).toBe(404);
  });

  it('counts API requests by verb and kind, and resets the counts', async () => {
    await control(sim, 'POST', '/counters/reset');
    await client.request('edge-1', '/api/v1/nodes');
    await client.request('edge-1', '/api/v1/nodes');
    await client.request('edge-1', '/api/v1/namespaces/vdu/pods/vdu-1');
    await client.request('edge-1', '/apis');
    const counters = await control(sim, 'GET', '/counters');
    expect(counters.body).toEqual({ 'edge-1': { 'discovery /apis': 1, 'get /pods': 1, 'list /nodes': 2 } });
    await control(sim, 'POST', '/counters/reset');
    expect((await control(sim, 'GET', '/counters')).body).toEqual({});
  });

  it('makes a cluster unreachable (connection reset) and clears it again', async () => {
    const set = await control(sim, 'PUT', '/clusters/regional-1/faults', { unreachable: true });
    expect(set.body).toEqual({ unreachable: true });
    await expect(client.request('regional-1', '/api/v1/nodes')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await client.request('edge-1', '/api/v1/nodes')).status).toBe(200);
    await control(sim, 'DELETE', '/clusters/regional-1/faults');
    expect((await client.request('regional-1', '/api/v1/nodes')).status).toBe(200);
  });

  it('answers with 500 InternalError at errorRate 1 and delays by latencyMs', async () => {
    await control(sim, 'PUT', '/clusters/regional-1/faults', { errorRate: 1 });
    const failed = await client.request('regional-1', '/api/v1/nodes');
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
    await control(sim, 'PUT', '/clusters/regional-1/faults', { latencyMs: 300 });
    const started = Date.now();
    expect((await client.request('regional-1', '/api/v1/nodes')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await control(sim, 'DELETE', '/clusters/regional-1/faults');
  });

  it('refuses unknown or mistyped faults', async () => {
    expect((await control(sim, 'PUT', '/clusters/regional-1/faults', { latency: 5 })).status).toBe(400);
    expect((await control(sim, 'PUT', '/clusters/regional-1/faults', { errorRate: 2 })).status).toBe(400);
    expect((await control(sim, 'PUT', '/clusters/nope/faults', {})).status).toBe(404);
  });

  it('ends watches after dropWatchesAfterMs and slows streams by slowStreamMs', async () => {
    await control(sim, 'PUT', '/clusters/edge-1/faults', { dropWatchesAfterMs: 200, slowStreamMs: 100 });
    const started = Date.now();
    const watch = await client.watch('edge-1', '/apis/ptp.openshift.io/v1/ptpconfigs?watch=true');
    await watch.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    // two initial events, each delayed 100 ms, still arrive (the stream drains before it ends)
    expect(watch.events.map((e) => e.type)).toEqual(['ADDED', 'ADDED']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await control(sim, 'DELETE', '/clusters/edge-1/faults');
  });

  it('drops open watches and compacts history on request', async () => {
    const watch = await client.watch('edge-1', '/api/v1/nodes?watch=true');
    await watch.next();
    const rv = sim.clusters.get('edge-1')!.store.resourceVersion;
    expect((await control(sim, 'POST', '/clusters/edge-1/drop-watches')).body).toEqual({ cluster: 'edge-1', dropped: 1 });
    await watch.ended;
    sim.clusters.get('edge-1')!.store.mutate('/nodes', undefined, 'edge-1-node', (n) => ({ ...n, metadata: { ...n.metadata, labels: { x: 'y' } } }));
    expect((await control(sim, 'POST', '/clusters/edge-1/compact')).status).toBe(200);
    const resumed = await client.watch('edge-1', `/api/v1/nodes?watch=true&resourceVersion=${rv}`);
    expect((await resumed.next()).object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('serves Prometheus file_sd targets, metrics pages and the scenario catalogue', async () => {
    const targets = await control(sim, 'GET', '/prometheus/targets.json');
    const port = new URL(sim.controlUrl).port;
    expect(targets.body).toEqual(
      ['hub-1', 'edge-1', 'regional-1'].map((name) => ({ targets: [`127.0.0.1:${port}`], labels: { cluster: name, __metrics_path__: `/metrics/${name}` } })),
    );
    const metrics = await fetch(`${sim.controlUrl}/metrics/edge-1`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect((await control(sim, 'GET', '/metrics/nope')).status).toBe(404);
    const scenarios = await control(sim, 'GET', '/scenarios');
    expect(scenarios.body).toMatchObject({ available: expect.any(Array), running: expect.any(Array) });
    const unknown = await control(sim, 'POST', '/scenarios/no-such-scenario', { cluster: 'edge-1' });
    expect(unknown.status).toBe(400);
    expect((unknown.body as { error: string }).error).toContain('no-such-scenario');
  });
});

describe('kubeconfig and fleet file', () => {
  it('writes one context per cluster with the CA and token, readable only by the owner', () => {
    expect(statSync(sim.kubeconfigPath).mode & 0o777).toBe(0o600);
    const kc = parseYaml(readFileSync(sim.kubeconfigPath, 'utf8')) as {
      'current-context': string;
      clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { name: string; user: { token: string } }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
    };
    expect(kc['current-context']).toBe('hub-1');
    expect(kc.contexts.map((c) => c.name)).toEqual(['hub-1', 'edge-1', 'regional-1']);
    const edge = kc.clusters.find((c) => c.name === 'edge-1')!;
    expect(edge.cluster.server).toBe(`${sim.apiUrl}/clusters/edge-1`);
    expect(Buffer.from(edge.cluster['certificate-authority-data'], 'base64').toString()).toBe(sim.caPem);
    expect(kc.users.find((u) => u.name === 'edge-1')!.user.token).toBe(sim.clusters.get('edge-1')!.token);
    const fleet = parseYaml(readFileSync(sim.fleetFilePath, 'utf8')) as { clusters: { name: string; labels: Record<string, string> }[] };
    expect(fleet.clusters[1]).toEqual({ name: 'edge-1', labels: { role: 'edge', site: 'du-edge-1', region: 'eu-west' } });
  });

  it('adds a cluster at run time: served at once and written to both files', async () => {
    const added = await sim.addCluster(edgeSpec('edge-2'));
    const res = await client.request('edge-2', '/api/v1/nodes');
    expect(res.body.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['edge-2-node']);
    const kc = parseYaml(readFileSync(sim.kubeconfigPath, 'utf8')) as { contexts: { name: string }[]; users: { name: string; user: { token: string } }[] };
    expect(kc.contexts.map((c) => c.name)).toContain('edge-2');
    expect(kc.users.find((u) => u.name === 'edge-2')!.user.token).toBe(added.token);
    expect(readFileSync(sim.fleetFilePath, 'utf8')).toContain('edge-2');
    await expect(sim.addCluster(edgeSpec('edge-2'))).rejects.toThrow('already exists');
  });
});

describe('stop', () => {
  it('closes open watches and frees both ports', async () => {
    const own = await startSimulator({ port: 0, controlPort: 0, dir: join(dir, 'second'), specs: [edgeSpec()] });
    const ownClient = new SimClient(own);
    const watch = await ownClient.watch('edge-1', '/api/v1/nodes?watch=true');
    await watch.next();
    await own.stop();
    await watch.ended;
    ownClient.close();
    for (const url of [own.apiUrl, own.controlUrl]) {
      const port = Number(new URL(url).port);
      await new Promise<void>((resolve, reject) => {
        const probe = createServer();
        probe.once('error', reject);
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
      });
    }
  });
});
