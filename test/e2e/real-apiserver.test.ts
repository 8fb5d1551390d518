// fleetgraph against a real kube-apiserver (v1.20, built from Debian's sources by
// .ci/real-apiserver/build.sh) and against the simulator loaded with the same upstream-shaped fixtures:
// the same GraphQL checks on both (test/e2e/real-apiserver/domains), kubectl's server-side columns
// diffed between them, a context without RBAC grants, and the server stopped and restarted.
// Prints one table of results. Skipped, with one line saying why, where no kube-apiserver is built.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMAINS } from './real-apiserver/domains/index.js';
import { CLUSTER, codes, NODE, type GraphQLAnswer, type TargetName } from './real-apiserver/domain.js';
import { realApiserverMissing } from './real-apiserver/real-server.js';
import { LISTABLE, sampleOf } from './real-apiserver/samples.js';
import { realTarget, simulatorTarget, type Target } from './real-apiserver/targets.js';
import { renderResults, type Results } from './real-apiserver/results.js';

const missing = realApiserverMissing();
if (missing) console.warn(`real-apiserver.test.ts: SKIPPED, ${missing}`);
const describeReal = missing ? describe.skip : describe;

const TARGETS: TargetName[] = ['real', 'simulator'];
const targets = {} as Record<TargetName, Target>;
const results: Results = [];
let cacheDir: string;

async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return Date.now() - started;
}

/** Runs `step` on both servers, records both outcomes, then fails with every failure. */
async function onBoth(domain: string, name: string, step: (t: Target) => Promise<string>): Promise<void> {
  const row = { domain, check: name, real: '', simulator: '' };
  results.push(row);
  const failures: string[] = [];
  for (const name of TARGETS) {
    try {
      row[name] = `✓ ${await step(targets[name])}`;
    } catch (err) {
      const message = (err as Error).message.split('\n').filter(Boolean).slice(0, 3).join(' ').slice(0, 160);
      row[name] = `✗ ${message}`;
      failures.push(`${name}: ${(err as Error).message}`);
    }
  }
  if (failures.length) throw new Error(failures.join('\n\n'));
}

function kubectl(target: Target, args: string[]): Promise<string> {
  const base = ['--kubeconfig', target.kubeconfigPath, '--context', CLUSTER, '--cache-dir', join(cacheDir, target.name), '--request-timeout', '20s'];
  return new Promise((done, fail) =>
    execFile('kubectl', [...base, ...args], { env: { ...process.env, KUBECONFIG: '' }, timeout: 30_000 }, (err, stdout, stderr) => (err ? fail(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : done(stdout))),
  );
}

const header = (output: string): string[] => output.split('\n')[0].trim().split(/\s{2,}/);

describeReal('fleetgraph on a real kube-apiserver and on the simulator, side by side', () => {
  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'fleetgraph-real-kubectl-'));
    const started = Date.now();
    const [real, sim] = await Promise.allSettled([realTarget(DOMAINS), simulatorTarget(DOMAINS)]);
    // keep what started so afterAll stops it, then fail with what did not
    if (real.status === 'fulfilled') targets.real = real.value;
    if (sim.status === 'fulfilled') targets.simulator = sim.value;
    for (const r of [real, sim]) if (r.status === 'rejected') throw r.reason;
    console.log(`real-apiserver.test.ts: both servers loaded and both stacks up in ${Date.now() - started} ms`);
  }, 420_000);

  afterAll(async () => {
    console.log(renderResults(results));
    await Promise.all(TARGETS.map((t) => targets[t]?.close()));
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }, 60_000);

  for (const domain of DOMAINS) {
    for (const check of domain.checks) {
      it(`${domain.name}: ${check.name}`, () =>
        onBoth(domain.name, check.name, async (t) =>
          'run' in check ? check.run({ name: t.name, admin: t.admin, stack: t.fleet.stack, query: t.fleet.query }) : check.verify(await t.fleet.query(check.query), t.name),
        ));
    }
  }

  it('kubectl: server-side columns of every listable kind match the real server’s (-o wide; nodes and pods also default)', async () => {
    // one object of every kind, so every header is printed
    for (const name of TARGETS) {
      const fixtures = DOMAINS.flatMap((d) => d.objects);
      for (const kind of LISTABLE) {
        const sample = sampleOf(kind, fixtures);
        if (sample) await targets[name].admin.load(sample);
      }
    }
    const views: [string, string[]][] = [
      ...LISTABLE.map((k): [string, string[]] => [k.group ? `${k.plural}.${k.group}` : k.plural, ['-A', '-o', 'wide']]),
      ['nodes', []],
      ['pods', ['-A']],
    ];
    const differ: string[] = [];
    await onBoth('kubectl', `column headers of ${views.length} views`, async (t) => {
      const own: string[] = [];
      for (const [resource, flags] of views) own.push(header(await kubectl(t, ['get', resource, ...flags])).join('|'));
      (t as Target & { headers?: string[] }).headers = own;
      return `${own.length} headers read`;
    });
    const [real, sim] = TARGETS.map((n) => (targets[n] as Target & { headers: string[] }).headers);
    views.forEach(([resource, flags], i) => {
      if (real[i] !== sim[i]) differ.push(`${resource} ${flags.join(' ')}: real ${real[i]} / simulator ${sim[i]}`);
    });
    results.push({ domain: 'kubectl', check: 'headers equal', real: differ.length ? `✗ ${differ.length} differ` : `✓ all ${views.length} equal`, simulator: differ.join('; ').slice(0, 160) || '✓ same' });
    expect(differ).toEqual([]);
  }, 180_000);

  it('restart: an outage is answered as an error (no stale data as fresh), watch caches recover after it', async () => {
    const query = `{ cluster(name: "${CLUSTER}") { health { reachable errorCode } node(name: "${NODE}") { sriov { syncStatus } } } }`;
    const syncStatus = (a: GraphQLAnswer) => a.data?.cluster?.node?.sriov?.syncStatus as string | undefined;
    await onBoth('restart', 'outage: coded error instead of cached data', async (t) => {
      expect(syncStatus(await t.fleet.query(query))).toBe('Succeeded'); // the watch cache is warm
      await t.outage();
      let stale = 0;
      let last: GraphQLAnswer | undefined;
      const ms = await eventually('the outage to show as an error', async () => {
        last = await t.fleet.query(query);
        if (syncStatus(last) !== undefined) stale++;
        return syncStatus(last) === undefined && (last.errors ?? []).length > 0;
      });
      expect(last!.errors!.every((e) => typeof e.extensions?.code === 'string' && e.extensions?.cluster === CLUSTER)).toBe(true);
      return `error after ${ms} ms (${stale} cached answers first): ${codes(last!)}`;
    });
    await onBoth('restart', 'recovery: a change after the restart is seen', async (t) => {
      await t.recover();
      await eventually('the API server to answer again', async () => (await t.admin.call('GET', '/version').catch(() => ({ status: 0 }))).status === 200);
      const state = await t.admin.call('GET', `/apis/sriovnetwork.openshift.io/v1/namespaces/openshift-sriov-network-operator/sriovnetworknodestates/${NODE}`);
      await t.admin.writeStatus(state.body, { ...state.body.status, syncStatus: 'InProgress' });
      const ms = await eventually('the change to reach GraphQL', async () => syncStatus(await t.fleet.query(query)) === 'InProgress');
      const answer = await t.fleet.query(query);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.cluster.health.reachable).toBe(true);
      return `InProgress seen ${ms} ms after the write`;
    });
  }, 240_000);
});
