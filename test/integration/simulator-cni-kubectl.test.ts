// kubectl against the CNI side of the generated fleet: NetworkAttachmentDefinitions (short name, all
// namespaces, the CRD group absent where Multus is not installed), pod-network Events read with field
// selectors, and the cni-sandbox-failure scenario seen through kubectl as through a real cluster.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { generateFleet } from '../../simulator/fleet/generate.js';
import { control } from '../helpers/sim-client.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) console.warn('simulator-cni-kubectl.test.ts: SKIPPED, `kubectl` is not on PATH (CI installs it)');
const describeKubectl = hasKubectl ? describe : describe.skip;

let sim: Simulator;
let dir: string;

function kubectl(context: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', join(dir, 'cache'), '--context', context, '--request-timeout', '10s'];
  return new Promise((resolve) => {
    execFile('kubectl', [...base, ...args], { env: { ...process.env, KUBECONFIG: '' }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

interface EventList {
  items: { reason: string; message: string; count?: number; involvedObject: { name: string; uid: string } }[];
}

describeKubectl('kubectl and the CNI objects', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-cni-kubectl-'));
    sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: generateFleet({ seed: 1, hubs: 0, regionals: 3, edges: 1 }) });
  });

  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists NetworkAttachmentDefinitions by short name across namespaces', async () => {
    const run = await kubectl('regional-east', 'get', 'net-attach-def', '-A');
    expect(run.code).toBe(0);
    for (const name of ['f1c-macvlan', 'f1u-hostdev', 'n2-ipvlan', 'n4-conflist', 'oam-bridge', 'upf-n3-net']) expect(run.stdout).toContain(name);
    const json = await kubectl('regional-east-2', 'get', 'network-attachment-definitions.k8s.cni.cncf.io', '-n', 'cu-vcu', 'f1u-macvlan', '-o', 'json');
    expect(json.code).toBe(0);
    expect(() => JSON.parse((JSON.parse(json.stdout) as { spec: { config: string } }).spec.config)).toThrow();
  });

  it('answers "doesn\'t have a resource type" where Multus is not installed', async () => {
    const run = await kubectl('regional-west', 'get', 'net-attach-def', '-A');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/the server doesn't have a resource type "net-attach-def"/);
  });

  it('reads a pod\'s Multus events with field selectors and follows the sandbox-failure scenario', async () => {
    const added = await kubectl('du-001', 'get', 'events', '-n', 'du-vdu', '--field-selector', 'involvedObject.name=vdu-0,reason=AddedInterface', '-o', 'json');
    expect(added.code).toBe(0);
    expect((JSON.parse(added.stdout) as EventList).items.map((e) => e.message.split(' ')[1]).sort()).toEqual(['eth0', 'net1', 'net2', 'net3']);

    const started = await control(sim, 'POST', '/scenarios/cni-sandbox-failure', { cluster: 'du-001', timeScale: 20 });
    expect(started.status).toBe(200);
    let failures: EventList['items'] = [];
    for (let i = 0; i < 100 && failures.length === 0; i++) {
      const run = await kubectl('du-001', 'get', 'events', '-n', 'du-vdu', '--field-selector', 'reason=FailedCreatePodSandBox,type=Warning', '-o', 'json');
      failures = (JSON.parse(run.stdout) as EventList).items;
      if (failures.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failures[0].message).toContain('no IP addresses available in range set');
    const pod = JSON.parse((await kubectl('du-001', 'get', 'pod', '-n', 'du-vdu', 'vdu-0', '-o', 'json')).stdout) as { metadata: { uid: string } };
    expect(failures[0].involvedObject).toMatchObject({ name: 'vdu-0', uid: pod.metadata.uid });
  });
});
