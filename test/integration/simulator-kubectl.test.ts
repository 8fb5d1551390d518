// kubectl fidelity: the installed kubectl, with a fresh --cache-dir and the simulator's kubeconfig,
// works against the simulator as against a real cluster. Skipped only when kubectl is not installed
// (CI installs it).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { edgeSpec, hubSpec, regionalSpec } from '../helpers/sim-specs.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) console.warn('simulator-kubectl.test.ts: SKIPPED, `kubectl` is not on PATH (CI installs it)');
const describeKubectl = hasKubectl ? describe : describe.skip;

let sim: Simulator;
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function kubectl(context: string, ...args: string[]): Promise<Run> {
  return kubectlWith({}, context, ...args);
}

function kubectlWith(env: Record<string, string>, context: string, ...args: string[]): Promise<Run> {
  const base = ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', join(dir, 'cache'), '--context', context, '--request-timeout', '10s'];
  return new Promise((resolve) => {
    execFile('kubectl', [...base, ...args], { env: { ...process.env, KUBECONFIG: '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function listCount(cluster: string, key: string): number {
  return sim.clusters.get(cluster)!.counters.get(key) ?? 0;
}

describeKubectl('kubectl against the simulator', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-kubectl-'));
    sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: [hubSpec(), edgeSpec(), regionalSpec()] });
  });

  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets nodes', async () => {
    const run = await kubectl('edge-1', 'get', 'nodes');
    expect(run.stderr).toBe('');
    // server-side printing: the real server's columns
    expect(run.stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nedge-1-node\s+Ready\s+master,worker\s+\d+s\s+v1\.31\.6\n$/);
    const wide = await kubectl('edge-1', 'get', 'nodes', '-o', 'wide');
    expect(wide.stdout.split('\n')[0].split(/\s{2,}/)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
  });

  it('applies server-side, reports a conflict with the owning manager, and takes the field over with --force-conflicts', async () => {
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const mine = file('cm-a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, namespace: vdu}\ndata: {mode: a, level: "1"}\n');
    const theirs = file('cm-b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, namespace: vdu}\ndata: {mode: b}\n');
    expect((await kubectl('edge-1', 'apply', '--server-side', '-f', mine)).stdout.trim()).toBe('configmap/ssa serverside-applied');
    const refused = await kubectl('edge-1', 'apply', '--server-side', '--field-manager', 'ci', '-f', theirs);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .data.mode');
    expect((await kubectl('edge-1', 'apply', '--server-side', '--field-manager', 'ci', '--force-conflicts', '-f', theirs)).code).toBe(0);
    const got = JSON.parse((await kubectl('edge-1', 'get', 'cm', 'ssa', '-n', 'vdu', '-o', 'json', '--show-managed-fields')).stdout);
    expect(got.data).toEqual({ mode: 'b', level: '1' });
    expect(got.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(['kubectl', 'ci']);
  });

  it('answers kubectl auth can-i from the token’s permissions', async () => {
    const { scoped, none } = sim.tokens('edge-1');
    expect((await kubectl('edge-1', 'auth', 'can-i', 'delete', 'nodes')).stdout.trim()).toBe('yes');
    expect((await kubectl('edge-1', '--token', scoped.token, 'auth', 'can-i', 'list', 'pods', '-n', 'vdu')).stdout.trim()).toBe('yes');
    const denied = await kubectl('edge-1', '--token', scoped.token, 'auth', 'can-i', 'list', 'nodes');
    expect([denied.code, denied.stdout.trim()]).toEqual([1, 'no']);
    expect((await kubectl('edge-1', '--token', none.token, 'auth', 'can-i', 'get', 'ptpconfigs', '-n', 'openshift-ptp')).stdout.trim()).toBe('no');
    const rules = await kubectl('edge-1', '--token', scoped.token, 'auth', 'can-i', '--list', '-n', 'vdu');
    expect(rules.stdout).toMatch(/ptpconfigs\.ptp\.openshift\.io\s+\[\]\s+\[\]\s+\[get list watch\]/);
  });

  it('explains built-in kinds and custom resources from the OpenAPI v3 schemas', async () => {
    const pods = await kubectl('edge-1', 'explain', 'pods.spec.containers');
    expect(pods.stderr).toBe('');
    expect(pods.stdout).toMatch(/KIND:\s+Pod/);
    expect(pods.stdout).toMatch(/image\s+<string>/);
    const ptp = await kubectl('edge-1', 'explain', 'ptpconfigs.spec.profile.ptpClockThreshold');
    expect(ptp.stdout).toMatch(/GROUP:\s+ptp\.openshift\.io/);
    expect(ptp.stdout).toMatch(/holdOverTimeout\s+<integer>/);
  });

  it('creates namespaces and configmaps from kubectl’s typed (protobuf) clients', async () => {
    expect((await kubectl('edge-1', 'create', 'namespace', 'made-by-kubectl')).stdout.trim()).toBe('namespace/made-by-kubectl created');
    expect((await kubectl('edge-1', 'create', 'configmap', 'made', '-n', 'made-by-kubectl', '--from-literal=k=v')).stdout.trim()).toBe('configmap/made created');
    expect(JSON.parse((await kubectl('edge-1', 'get', 'cm', 'made', '-n', 'made-by-kubectl', '-o', 'json')).stdout).data).toEqual({ k: 'v' });
  });

  it('gets pods across namespaces by label', async () => {
    const run = await kubectl('edge-1', 'get', 'pods', '-A', '-l', 'app=linuxptp-daemon');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/openshift-ptp\s+linuxptp-daemon-abcde/);
    expect(run.stdout).not.toContain('vdu-0');
  });

  it('gets PtpConfigs where the PTP operator is installed, and knows no such type elsewhere', async () => {
    const run = await kubectl('edge-1', 'get', 'ptpconfigs', '-A');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/openshift-ptp\s+du-boundary/);
    expect(run.stdout).toMatch(/openshift-ptp\s+du-slave/);
    const elsewhere = await kubectl('regional-1', 'get', 'ptpconfigs', '-A');
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toContain('the server doesn\'t have a resource type "ptpconfigs"');
  });

  it('gets SriovNetworkNodeStates as YAML', async () => {
    const run = await kubectl('edge-1', 'get', 'sriovnetworknodestates', '-A', '-o', 'yaml');
    expect(run.code).toBe(0);
    const doc = parseYaml(run.stdout) as { kind: string; items: { metadata: { name: string }; status: { interfaces: { name: string }[] } }[] };
    expect(doc.kind).toBe('List');
    expect(doc.items[0].metadata.name).toBe('edge-1-node');
    expect(doc.items[0].status.interfaces[0].name).toBe('ens1f0');
  });

  it('gets cluster-scoped ProvisioningRequests on the hub', async () => {
    const run = await kubectl('hub-1', 'get', 'provisioningrequests');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^NAME\s+AGE\nedge-100\s.*\nedge-101\s/);
  });

  it('gets raw /apis (kubectl drops the server path: the token picks the cluster)', async () => {
    const run = await kubectl('edge-1', 'get', '--raw', '/apis');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { kind: string; groups: { name: string }[] };
    expect(doc.kind).toBe('APIGroupList');
    expect(doc.groups.map((g) => g.name)).toContain('ptp.openshift.io');
  });

  it('pages with --chunk-size', async () => {
    const before = listCount('edge-1', 'list /pods');
    const run = await kubectl('edge-1', 'get', 'pods', '-A', '--chunk-size=2');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1 + 8);
    expect(listCount('edge-1', 'list /pods') - before).toBe(4);
  });

  it('watches PtpConfigs and prints a change made through the store', async () => {
    const child = spawn('kubectl', ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', join(dir, 'cache'), '--context', 'edge-1', 'get', 'ptpconfigs', '-A', '-w'], {
      env: { ...process.env, KUBECONFIG: '' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const waitFor = async (predicate: () => boolean, what: string): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`kubectl -w: no ${what}; output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(() => (out.match(/du-/g) ?? []).length >= 2 && listCount('edge-1', 'watch ptp.openshift.io/ptpconfigs') > 0, 'initial list and watch');
      sim.clusters.get('edge-1')!.store.mutate('ptp.openshift.io/ptpconfigs', 'openshift-ptp', 'du-slave', (o) => ({
        ...o,
        metadata: { ...o.metadata, labels: { changed: 'yes' } },
      }));
      await waitFor(() => (out.match(/du-slave/g) ?? []).length >= 2, 'line for the change');
    } finally {
      child.kill();
    }
  });

  it('creates a ProvisioningRequest, and shows the 422 of an invalid one', async () => {
    const valid = join(dir, 'pr.yaml');
    writeFileSync(
      valid,
      'apiVersion: o2ims.provisioning.oran.org/v1alpha1\nkind: ProvisioningRequest\nmetadata:\n  name: edge-200\nspec:\n  templateName: sno-ran-du\n  templateVersion: v4.18\n  templateParameters: {clusterName: edge-200}\n',
    );
    const created = await kubectl('hub-1', 'create', '-f', valid);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('provisioningrequest.o2ims.provisioning.oran.org/edge-200 created');
    expect(sim.clusters.get('hub-1')!.store.get('o2ims.provisioning.oran.org/provisioningrequests', undefined, 'edge-200')).toBeDefined();

    const invalid = join(dir, 'pr-invalid.yaml');
    writeFileSync(invalid, 'apiVersion: o2ims.provisioning.oran.org/v1alpha1\nkind: ProvisioningRequest\nmetadata:\n  name: edge-201\nspec:\n  templateVersion: v4.18\n  templateParameters: {}\n');
    const refused = await kubectl('hub-1', 'create', '-f', invalid);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('The ProvisioningRequest "edge-201" is invalid');
    expect(refused.stderr).toContain('spec.templateName: Required value');
  });

  // The Google Cloud SDK ships older kubectl builds beside its dispatcher; kubectl ≤ 1.27 validates
  // client-side from /openapi/v2 instead of /openapi/v3. Run the oldest one found, if any.
  const oldKubectl = ['1.27', '1.28', '1.29']
    .map((v) => join(dirname(spawnSync('sh', ['-c', 'readlink -f "$(command -v kubectl)"']).stdout.toString().trim()), `kubectl.${v}`))
    .find((bin) => existsSync(bin));
  (oldKubectl ? it : it.skip)(`works with an older kubectl too (${oldKubectl ?? 'none installed'})`, async () => {
    const file = join(dir, 'pr-old.yaml');
    writeFileSync(file, 'apiVersion: o2ims.provisioning.oran.org/v1alpha1\nkind: ProvisioningRequest\nmetadata:\n  name: edge-202\nspec:\n  templateName: t\n  templateVersion: v1\n  templateParameters: {}\n');
    // async: the simulator runs in this process, a synchronous spawn would block it
    const run = await new Promise<Run>((resolve) => {
      const args = ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', join(dir, 'cache-old'), '--context', 'hub-1', 'create', '-f', file];
      execFile(oldKubectl!, args, { env: { ...process.env, KUBECONFIG: '' }, timeout: 20_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('provisioningrequest.o2ims.provisioning.oran.org/edge-202 created');
  });

  // The API server speaks HTTP/2 and HTTP/1.1 on one port (ALPN), as kube-apiserver does: kubectl
  // (client-go) picks h2, and still works when told to stay on HTTP/1.1.
  it('speaks HTTP/2 to kubectl, and HTTP/1.1 when kubectl is told to (DISABLE_HTTP2, the client-go switch)', async () => {
    const connections = async (cluster: string) => {
      const res = await fetch(`${sim.controlUrl}/connections?cluster=${cluster}`);
      return ((await res.json()) as { clusters: Record<string, { opened: number; h2: number; http1: number }> }).clusters[cluster];
    };
    await fetch(`${sim.controlUrl}/connections/reset`, { method: 'POST' });
    const h2 = await kubectl('regional-1', 'get', 'nodes');
    expect(h2.code).toBe(0);
    expect(h2.stdout).toMatch(/^NAME\s+/);
    const overH2 = await connections('regional-1');
    expect(overH2.h2).toBeGreaterThanOrEqual(1);
    expect(overH2.http1).toBe(0);

    const h1 = await kubectlWith({ DISABLE_HTTP2: 'true' }, 'hub-1', 'get', 'nodes');
    expect(h1.code).toBe(0);
    expect(h1.stdout).toMatch(/^NAME\s+/);
    const overHttp1 = await connections('hub-1');
    expect(overHttp1.http1).toBeGreaterThanOrEqual(1);
    expect(overHttp1.h2).toBe(0);
  });

  it('reports Unauthorized for a wrong token', async () => {
    const run = await kubectl('edge-1', '--token', 'not-the-token', 'get', 'nodes');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Unauthorized');
  });
});
