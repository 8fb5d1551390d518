// A kind served at an older version on one cluster: regional-west's ODA CRDs serve only v1beta3, so its
// discovery, paths, lists and watches say v1beta3 (and v1 is unknown there) while the hub serves v1 —
// through the raw API and through kubectl, as against two real clusters with different canvas releases.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET } from '../../simulator/fleet/model.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { SimClient } from '../helpers/sim-client.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) console.warn('simulator-oda.test.ts: kubectl tests SKIPPED, `kubectl` is not on PATH (CI installs it)');

let sim: Simulator;
let client: SimClient;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-oda-'));
  const specs = generateFleet(DEMO_FLEET).filter((c) => ['hub-1', 'regional-east', 'regional-west'].includes(c.name));
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs });
  client = new SimClient(sim);
});

afterAll(async () => {
  client.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function kubectl(context: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', join(dir, 'cache'), '--context', context, '--request-timeout', '10s'];
  return new Promise((resolve) => {
    execFile('kubectl', [...base, ...args], { env: { ...process.env, KUBECONFIG: '' }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('discovery and paths per served version', () => {
  it('lists oda.tmforum.org at v1beta3 only on regional-west and at v1 on the hub', async () => {
    const west = await client.request('regional-west', '/apis');
    const oda = west.body.groups.find((g: { name: string }) => g.name === 'oda.tmforum.org');
    expect(oda).toEqual({ name: 'oda.tmforum.org', versions: [{ groupVersion: 'oda.tmforum.org/v1beta3', version: 'v1beta3' }], preferredVersion: { groupVersion: 'oda.tmforum.org/v1beta3', version: 'v1beta3' } });
    const hub = await client.request('hub-1', '/apis');
    expect(hub.body.groups.find((g: { name: string }) => g.name === 'oda.tmforum.org').preferredVersion.version).toBe('v1');
    expect((await client.request('regional-west', '/apis/oda.tmforum.org')).body.preferredVersion.version).toBe('v1beta3');
    expect((await client.request('hub-1', '/apis/oda.tmforum.org')).body.preferredVersion.version).toBe('v1');

    const aggregated = await client.request('regional-west', '/apis', { headers: { Accept: AGGREGATED } });
    const item = aggregated.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'oda.tmforum.org');
    expect(item.versions.map((v: { version: string }) => v.version)).toEqual(['v1beta3']);
    expect(item.versions[0].resources.map((r: { resource: string; responseKind: { version: string } }) => [r.resource, r.responseKind.version])).toEqual([
      ['components', 'v1beta3'],
      ['exposedapis', 'v1beta3'],
      ['dependentapis', 'v1beta3'],
    ]);
  });

  it('serves the resource list and objects at the served version only, without a status subresource', async () => {
    const list = await client.request('regional-west', '/apis/oda.tmforum.org/v1beta3');
    expect(list.status).toBe(200);
    expect(list.body.groupVersion).toBe('oda.tmforum.org/v1beta3');
    expect(list.body.resources.map((r: { name: string }) => r.name)).toEqual(['components', 'exposedapis', 'dependentapis']);
    expect(list.body.resources.find((r: { name: string }) => r.name === 'dependentapis').shortNames).toEqual(['depapi', 'depapis']);
    for (const path of ['/apis/oda.tmforum.org/v1', '/apis/oda.tmforum.org/v1/namespaces/components/components']) {
      expect((await client.request('regional-west', path)).status).toBe(404);
    }
    expect((await client.request('hub-1', '/apis/oda.tmforum.org/v1beta3/components')).status).toBe(404);

    const components = await client.request('regional-west', '/apis/oda.tmforum.org/v1beta3/namespaces/components/components');
    expect(components.body.apiVersion).toBe('oda.tmforum.org/v1beta3');
    expect(components.body.items.map((c: { apiVersion: string; metadata: { name: string } }) => [c.apiVersion, c.metadata.name])).toEqual([
      ['oda.tmforum.org/v1beta3', 'r1-resourcecatalog'],
      ['oda.tmforum.org/v1beta3', 'r1-resourceinventory'],
    ]);
    const status = await client.request('regional-west', '/apis/oda.tmforum.org/v1beta3/namespaces/components/components/r1-resourcecatalog/status');
    expect(status.status).toBe(404);
  });

  it('accepts writes in the served version and refuses the other one', async () => {
    const body = (apiVersion: string, name: string) => ({
      apiVersion,
      kind: 'Component',
      metadata: { name, namespace: 'components' },
      spec: { id: 'TMFC010', name: 'resourcecatalog', version: '1.0.0' },
    });
    const created = await client.request('regional-west', '/apis/oda.tmforum.org/v1beta3/namespaces/components/components', { method: 'POST', body: body('oda.tmforum.org/v1beta3', 'r9-resourcecatalog') });
    expect(created.status).toBe(201);
    const wrong = await client.request('regional-west', '/apis/oda.tmforum.org/v1beta3/namespaces/components/components', { method: 'POST', body: body('oda.tmforum.org/v1', 'r8-resourcecatalog') });
    expect(wrong.status).toBe(400);
    // without a status subresource, a PUT of the object writes its status (what the canvas operators do)
    const put = await client.request('regional-west', '/apis/oda.tmforum.org/v1beta3/namespaces/components/components/r9-resourcecatalog', {
      method: 'PUT',
      body: { ...created.body, status: { 'summary/status': { deployment_status: 'In-Progress-CompCon' } } },
    });
    expect(put.status).toBe(200);
    expect(put.body.status).toEqual({ 'summary/status': { deployment_status: 'In-Progress-CompCon' } });
    expect((await client.request('regional-west', '/apis/oda.tmforum.org/v1beta3/namespaces/components/components/r9-resourcecatalog', { method: 'DELETE' })).status).toBe(200);
  });

  it('watches at the served version', async () => {
    const watch = await client.watch('regional-west', '/apis/oda.tmforum.org/v1beta3/namespaces/components/exposedapis?watch=true');
    try {
      const first = await watch.next();
      expect(first.type).toBe('ADDED');
      expect(first.object.apiVersion).toBe('oda.tmforum.org/v1beta3');
    } finally {
      watch.close();
    }
  });
});

(hasKubectl ? describe : describe.skip)('kubectl against clusters with different ODA CRD versions', () => {
  it('gets components and exposedapis on both, in the version each serves', async () => {
    for (const [context, version, count] of [
      ['hub-1', 'v1', 4],
      ['regional-west', 'v1beta3', 2],
    ] as const) {
      const run = await kubectl(context, 'get', 'components,exposedapis', '-A', '-o', 'json');
      expect(run.stderr).toBe('');
      const doc = JSON.parse(run.stdout) as { items: { apiVersion: string; kind: string }[] };
      expect(new Set(doc.items.map((i) => i.apiVersion))).toEqual(new Set([`oda.tmforum.org/${version}`]));
      expect(doc.items.filter((i) => i.kind === 'Component')).toHaveLength(count);
    }
    const versions = await kubectl('regional-west', 'api-versions');
    expect(versions.stdout.split('\n')).toContain('oda.tmforum.org/v1beta3');
    expect(versions.stdout).not.toContain('oda.tmforum.org/v1\n');
  });

  it('resolves the short name depapi and a fully qualified version, and knows no v1 on regional-west', async () => {
    const depapi = await kubectl('regional-west', 'get', 'depapi', '-n', 'components');
    expect(depapi.code).toBe(0);
    expect(depapi.stdout).toMatch(/r1-resourceinventory-resourcecatalog/);
    const qualified = await kubectl('regional-west', 'get', 'components.v1beta3.oda.tmforum.org', '-n', 'components');
    expect(qualified.stdout).toMatch(/r1-resourceinventory/);
    const file = join(dir, 'component-v1.yaml');
    writeFileSync(file, 'apiVersion: oda.tmforum.org/v1\nkind: Component\nmetadata:\n  name: r7-resourcecatalog\n  namespace: components\nspec:\n  componentMetadata: {id: TMFC010}\n');
    const refused = await kubectl('regional-west', 'create', '-f', file);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('no matches for kind "Component" in version "oda.tmforum.org/v1"');
    const accepted = await kubectl('hub-1', 'create', '-f', file);
    expect(accepted.stderr).toBe('');
    expect(accepted.stdout.trim()).toBe('component.oda.tmforum.org/r7-resourcecatalog created');
  });
});
