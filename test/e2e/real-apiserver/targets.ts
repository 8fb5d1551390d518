// The two servers the suite compares, behind one interface: the same CRDs (rendered from the
// simulator's catalogue), the same fixtures loaded the same way (through the API, status through
// /status), a kubeconfig with the admin context and one without grants, and the fleetgraph stack on it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crdOf } from '../../../simulator/catalogue/crd.js';
import { writeKubeconfig } from '../../../simulator/kubeconfig.js';
import { startSimulator } from '../../../simulator/simulator.js';
import type { KubeObject } from '../../../simulator/types.js';
import { KINDS, type KindInfo } from '../../../simulator/kinds.js';
import { CLUSTER, NO_GRANTS_CLUSTER, type Domain, type TargetName } from './domain.js';
import { kindOfObject, kubeApi, type KubeApi } from './kube-api.js';
import { startRealApiserver } from './real-server.js';
import { startFleetStack, type FleetStack } from './stack.js';

export interface Target {
  readonly name: TargetName;
  readonly kubeconfigPath: string;
  readonly admin: KubeApi;
  readonly fleet: FleetStack;
  /** The API server goes away: real processes stopped; simulator connections reset and watches dropped. */
  outage(): Promise<void>;
  recover(): Promise<void>;
  close(): Promise<void>;
}

/** Every custom kind of the catalogue gets its CRD on both servers (the kubectl comparison lists them all). */
function customKinds(domains: readonly Domain[]): KindInfo[] {
  for (const d of domains) for (const obj of d.objects) kindOfObject(obj); // every fixture kind is in the catalogue
  return KINDS.filter((k) => !k.builtIn);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function loadFixtures(api: KubeApi, domains: readonly Domain[]): Promise<void> {
  for (const d of domains) {
    for (const obj of d.objects) await api.load(structuredClone(obj) as KubeObject);
    await d.load?.(api);
  }
}

export async function realTarget(domains: readonly Domain[]): Promise<Target> {
  const server = await startRealApiserver();
  try {
    const admin = kubeApi(server.kubeconfigPath, CLUSTER);
    for (const kind of customKinds(domains)) {
      const res = await admin.call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crdOf(kind));
      if (res.status !== 201) throw new Error(`CRD ${kind.plural}.${kind.group}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    for (const kind of customKinds(domains)) {
      await waitFor(`CRD ${kind.plural}.${kind.group} served`, async () => ((await admin.call('GET', `/apis/${kind.group}/${kind.version}/${kind.plural}`)).status === 200 ? true : undefined));
    }
    await loadFixtures(admin, domains);
    const fleet = await startFleetStack(server.kubeconfigPath);
    return {
      name: 'real',
      kubeconfigPath: server.kubeconfigPath,
      admin,
      fleet,
      outage: () => server.stop(),
      recover: () => server.start(),
      async close() {
        await fleet.stop();
        await admin.close();
        await server.close();
      },
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}

export async function simulatorTarget(domains: readonly Domain[]): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetgraph-sim-real-'));
  const builtInNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'].map(
    (name): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }),
  );
  const sim = await startSimulator({
    port: 0,
    controlPort: 0,
    dir,
    // the same API server version, and the CRDs the real one gets (they install the API groups)
    specs: [{ name: CLUSTER, role: 'edge', labels: {}, platform: 'Kubernetes', kubernetesVersion: 'v1.20.2', objects: [...builtInNamespaces, ...customKinds(domains).map(crdOf)] }],
  });
  const kubeconfigPath = join(dir, 'two-contexts.kubeconfig');
  const tokens = sim.tokens(CLUSTER);
  await writeKubeconfig(kubeconfigPath, sim.caPem, [
    { name: CLUSTER, server: sim.serverUrl(CLUSTER), token: tokens.admin.token },
    { name: NO_GRANTS_CLUSTER, server: sim.serverUrl(CLUSTER), token: tokens.none.token },
  ]);
  const admin = kubeApi(kubeconfigPath, CLUSTER);
  await loadFixtures(admin, domains);
  const fleet = await startFleetStack(kubeconfigPath);
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.controlUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return {
    name: 'simulator',
    kubeconfigPath,
    admin,
    fleet,
    async outage() {
      await control('PUT', `/clusters/${CLUSTER}/faults`, { unreachable: true });
      await control('POST', `/clusters/${CLUSTER}/drop-watches`);
    },
    recover: async () => void (await control('DELETE', `/clusters/${CLUSTER}/faults`)),
    async close() {
      await fleet.stop();
      await admin.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
