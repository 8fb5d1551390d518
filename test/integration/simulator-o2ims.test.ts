// The o2ims side of the simulator as real clients see it: kubectl lists PackageVariants, Cluster API
// Clusters and the ProvisioningRequest CRD; DELETE of an object with a finalizer only marks it; the
// running operators (timeScale 20) provision a new edge cluster that appears in the kubeconfig and
// answers kubectl, and deleting the request removes it from the simulator and the kubeconfig again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { SimClient } from '../helpers/sim-client.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) console.warn('simulator-o2ims.test.ts: kubectl cases SKIPPED, `kubectl` is not on PATH (CI installs it)');
const itKubectl = hasKubectl ? it : it.skip;
const TIME_SCALE = 20;

let sim: Simulator;
let dir: string;
let client: SimClient;

function kubectl(context: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', join(dir, 'cache'), '--context', context, '--request-timeout', '10s'];
  return new Promise((resolve) => {
    execFile('kubectl', [...base, ...args], { env: { ...process.env, KUBECONFIG: '' }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function contexts(): string[] {
  return (parseYaml(readFileSync(sim.kubeconfigPath, 'utf8')) as { contexts: { name: string }[] }).contexts.map((c) => c.name);
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const PR_PATH = '/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests';

describe('O2IMS in the running simulator', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-o2ims-'));
    sim = await startSimulator({ port: 0, controlPort: 0, dir, fleet: { hubs: 2, regionals: 0, edges: 2 }, provisioningOperator: { timeScale: TIME_SCALE } });
    client = new SimClient(sim);
  });

  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  itKubectl('lists PackageVariants, CAPI Clusters and the ProvisioningRequest CRD with kubectl', async () => {
    const pvs = await kubectl('hub-1', 'get', 'packagevariants', '-A');
    expect(pvs.stderr).toBe('');
    expect(pvs.stdout).toMatch(/default\s+pr-du-001/);
    const clusters = await kubectl('hub-2', 'get', 'clusters.cluster.x-k8s.io', '-A', '-o', 'json');
    const list = JSON.parse(clusters.stdout) as { items: { metadata: { name: string }; status: { phase: string } }[] };
    expect(list.items.map((c) => `${c.metadata.name}=${c.status.phase}`)).toEqual(['du-002=Provisioned']);
    const crd = await kubectl('hub-2', 'get', 'crd', 'provisioningrequests.o2ims.provisioning.oran.org', '-o', 'jsonpath={.spec.versions[0].schema.openAPIV3Schema.properties.status.properties.provisioningStatus.properties.provisioningPhase.enum}');
    expect(JSON.parse(crd.stdout)).toEqual(['pending', 'progressing', 'fulfilled', 'failed', 'deleting']);
  });

  it('only marks an object with a finalizer on DELETE, refuses new finalizers meanwhile, and removes it with the last one', async () => {
    const hub = sim.clusters.get('hub-1')!;
    // a PackageVariant (no operator acts on it) held by Porch's finalizer
    const path = '/apis/config.porch.kpt.dev/v1alpha1/namespaces/default/packagevariants';
    const body = {
      apiVersion: 'config.porch.kpt.dev/v1alpha1',
      kind: 'PackageVariant',
      metadata: { name: 'held', finalizers: ['config.porch.kpt.dev/packagevariants'] },
      spec: { upstream: { repo: 'catalog-infra-capi', package: 'sno-ran-du', revision: 'v4.18.0-1' }, downstream: { repo: 'mgmt', package: 'held' } },
    };
    expect((await client.request('hub-1', path, { method: 'POST', body })).status).toBe(201);
    const first = await client.request('hub-1', `${path}/held`, { method: 'DELETE' });
    expect(first.status).toBe(200);
    expect(first.body.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    const again = await client.request('hub-1', `${path}/held`, { method: 'DELETE' });
    expect(again.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const added = await client.request('hub-1', `${path}/held`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { finalizers: ['config.porch.kpt.dev/packagevariants', 'example.com/more'] } },
    });
    expect(added.status).toBe(422);
    expect(added.body.message).toContain('no new finalizers can be added if the object is being deleted');
    const released = await client.request('hub-1', `${path}/held`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
    expect(released.status).toBe(200);
    expect(hub.store.get('config.porch.kpt.dev/packagevariants', 'default', 'held')).toBeUndefined();
    expect((await client.request('hub-1', `${path}/held`)).status).toBe(404);
  });

  itKubectl('provisions a new site from kubectl create, adds it to the kubeconfig, and removes it on kubectl delete', async () => {
    const file = join(dir, 'pr.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: o2ims.provisioning.oran.org/v1alpha1',
        'kind: ProvisioningRequest',
        'metadata: {name: edge-south}',
        'spec:',
        '  templateName: sno-ran-du',
        '  templateVersion: v4.18.0-1',
        '  templateParameters: {clusterName: du-030, clusterProvisioner: capi, labels: {region: west}}',
        '',
      ].join('\n'),
    );
    const created = await kubectl('hub-1', 'create', '-f', file);
    expect(created.stdout.trim()).toBe('provisioningrequest.o2ims.provisioning.oran.org/edge-south created');
    const state = await until('fulfilled', async () => {
      const run = await kubectl('hub-1', 'get', 'provisioningrequest', 'edge-south', '-o', 'jsonpath={.status.provisioningStatus.provisioningState}');
      return run.stdout === 'fulfilled' ? run.stdout : undefined;
    });
    expect(state).toBe('fulfilled');
    expect(contexts()).toContain('du-030');
    const nodes = await kubectl('du-030', 'get', 'nodes', '-o', 'name');
    expect(nodes.stdout.trim()).toBe('node/du-030-sno');

    // kubectl delete waits until the finalizer is released, as against a real server
    const deleted = await kubectl('hub-1', 'delete', 'provisioningrequest', 'edge-south', '--timeout', '20s');
    expect(deleted.stdout.trim()).toBe('provisioningrequest.o2ims.provisioning.oran.org "edge-south" deleted');
    await until('kubeconfig without du-030', () => (contexts().includes('du-030') ? undefined : true));
    expect(sim.clusters.has('du-030')).toBe(false);
    expect((await kubectl('hub-1', 'get', 'clusters.cluster.x-k8s.io', '-n', 'default', 'du-030')).stderr).toContain('NotFound');
  });

  it('drives an O-Cloud Manager request on hub-2 to fulfilled through the API', async () => {
    const body = {
      apiVersion: 'o2ims.provisioning.oran.org/v1alpha1',
      kind: 'ProvisioningRequest',
      metadata: { name: 'ocm-east' },
      spec: {
        templateName: 'sno-ran-du',
        templateVersion: 'v4.18.0-1',
        templateParameters: { nodeClusterName: 'du-031', oCloudSiteId: 'site-31', clusterInstanceParameters: { clusterName: 'du-031' }, policyTemplateParameters: {} },
      },
    };
    expect((await client.request('hub-2', PR_PATH, { method: 'POST', body })).status).toBe(201);
    const phases = new Set<string>();
    await until('fulfilled', async () => {
      const phase = (await client.request('hub-2', `${PR_PATH}/ocm-east`)).body.status?.provisioningStatus?.provisioningPhase as string | undefined;
      if (phase) phases.add(phase);
      return phase === 'fulfilled' ? phase : undefined;
    });
    expect(phases.has('fulfilled')).toBe(true);
    expect(sim.clusters.has('du-031')).toBe(true);
  });
});
