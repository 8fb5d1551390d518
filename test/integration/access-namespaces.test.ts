// Issue 15: a grant limited to some namespaces, through the gateway. The domains read the shared,
// unrestricted caches; what a namespace-limited caller gets of namespaced objects — pods (fleet),
// NetworkAttachmentDefinitions and pod-network Events (cni), ODA components, and the DPDK pods the fleet
// summary counts — is exactly what an
// unrestricted caller gets, restricted to the granted namespace: never an object of another one, and a
// pod of another namespace named directly is null (as an unknown pod).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, newApiKey, writePolicy } from '../helpers/access.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const everything = newApiKey();
const tenant = newApiKey();
let dir: string;
let policyFile: string;
let stack: TestStack;

const policy = (namespaces: string[]) => ({
  apiKeys: [
    { name: 'everything', sha256: everything.sha256 },
    { name: 'tenant', sha256: tenant.sha256 },
  ],
  grants: [
    { name: 'everything', apiKeys: ['everything'], scopes: ['read'] },
    { name: 'tenant', apiKeys: ['tenant'], namespaces, scopes: ['read'] },
  ],
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'access-namespaces-'));
  policyFile = writePolicy(join(dir, 'policy.yaml'), policy(['no-such-namespace']));
  stack = await startTestStack({ access: { policyFile } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Namespaced {
  clusterName: string;
  namespace: string;
  name: string;
}

const QUERY = `{
  clusters { name pods { clusterName namespace name } network { attachmentDefinitions { clusterName namespace name } } }
  cniEvents(limit: 1000) { clusterName namespace name: eventName }
  odaComponents { clusterName namespace name }
}`;

async function read(key: string) {
  const res = await stack.query(QUERY, {}, bearer(key));
  expect(res.errors).toBeUndefined();
  const clusters = res.data.clusters as { pods: Namespaced[] | null; network: { attachmentDefinitions: Namespaced[] } | null }[];
  const id = (o: Namespaced) => `${o.clusterName}/${o.namespace}/${o.name}`;
  return {
    pods: clusters.flatMap((c) => c.pods ?? []).map(id).sort(),
    nads: clusters.flatMap((c) => c.network?.attachmentDefinitions ?? []).map(id).sort(),
    events: (res.data.cniEvents as (Namespaced | null)[]).filter((e) => e !== null).map(id).sort(),
    components: (res.data.odaComponents as (Namespaced | null)[]).filter((c) => c !== null).map(id).sort(),
  };
}

it('a namespace-limited grant sees exactly the objects of its namespace, in every domain', async () => {
  const all = await read(everything.key);
  // A namespace that has NADs, and objects of other namespaces to hide.
  const namespaceOf = (id: string) => id.split('/')[1];
  const granted = namespaceOf(all.nads[0]);
  for (const kind of ['pods', 'nads', 'events', 'components'] as const) {
    expect({ kind, others: all[kind].some((id) => namespaceOf(id) !== granted) }).toEqual({ kind, others: true });
  }

  writePolicy(policyFile, policy([granted]));
  // The policy is reloaded on change: the tenant first sees nothing of the fleet's namespaces, then its own.
  await waitUntil('the policy edit', async () => (await read(tenant.key)).nads.length > 0 || undefined, 20_000);
  const mine = await read(tenant.key);
  for (const kind of ['pods', 'nads', 'events', 'components'] as const) {
    expect({ kind, ids: mine[kind] }).toEqual({ kind, ids: all[kind].filter((id) => namespaceOf(id) === granted) });
  }
  expect(mine.pods.length + mine.nads.length).toBeGreaterThan(0);

  // The fleet summary counts what each caller's own queries list: DPDK pods of the granted namespace only.
  const dpdk = async (key: string) => {
    const res = await stack.query('{ clusters { dpdk { pods(limit: 1000) { namespace } } } fleetSummary { dpdk { pods { count } } } }', {}, bearer(key));
    expect(res.errors).toBeUndefined();
    const listed = (res.data.clusters as { dpdk: { pods: { namespace: string }[] } | null }[]).flatMap((c) => c.dpdk?.pods ?? []);
    return { listed: listed.length, counted: res.data.fleetSummary.dpdk.pods.count as number, namespaces: [...new Set(listed.map((p) => p.namespace))] };
  };
  const dpdkAll = await dpdk(everything.key);
  const dpdkMine = await dpdk(tenant.key);
  expect(dpdkAll.counted).toBe(dpdkAll.listed);
  expect(dpdkMine.counted).toBe(dpdkMine.listed);
  expect(dpdkMine.namespaces.every((n) => n === granted)).toBe(true);
  if (!dpdkAll.namespaces.every((n) => n === granted)) expect(dpdkMine.counted).toBeLessThan(dpdkAll.counted);

  // A pod of another namespace, named directly through an entity field, is null as an unknown pod is.
  const other = all.pods.find((id) => namespaceOf(id) !== granted)!;
  const [cluster, namespace, name] = other.split('/');
  const q = `{ cluster(name: "${cluster}") { pods(namespace: "${namespace}") { name networks { complete } } } }`;
  const direct = await stack.query(q, {}, bearer(tenant.key));
  expect(direct.errors).toBeUndefined();
  expect(direct.data.cluster.pods ?? []).toEqual([]);
  const asAll = await stack.query(q, {}, bearer(everything.key));
  expect(asAll.data.cluster.pods.map((p: { name: string }) => p.name)).toContain(name);
}, 90_000);
