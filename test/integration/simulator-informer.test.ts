// A @kubernetes/client-node informer against the simulator survives a forced 410 (relist) and a
// dropped watch (reconnect from its resourceVersion) without losing or duplicating objects.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import type { KubeObject } from '../../simulator/types.js';
import { edgeSpec } from '../helpers/sim-specs.js';
import { control } from '../helpers/sim-client.js';

const PODS = '/pods';
let sim: Simulator;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-informer-'));
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: [edgeSpec()] });
});

afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function pod(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'vdu', labels: { app: 'vdu' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
}

describe('client-node informer', () => {
  it('keeps an exact copy of the store through a forced 410 and a dropped watch', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
    kc.setCurrentContext('edge-1');
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(kc, '/api/v1/namespaces/vdu/pods', () => core.listNamespacedPod({ namespace: 'vdu' }));

    // what the handlers saw: the view an application builds from add/update/delete
    const view = new Map<string, string>();
    const adds = new Map<string, number>();
    const errors: unknown[] = [];
    let stopping = false;
    informer.on('add', (p) => {
      view.set(p.metadata!.name!, p.metadata!.resourceVersion!);
      adds.set(p.metadata!.name!, (adds.get(p.metadata!.name!) ?? 0) + 1);
    });
    informer.on('update', (p) => view.set(p.metadata!.name!, p.metadata!.resourceVersion!));
    informer.on('delete', (p) => view.delete(p.metadata!.name!));
    // client-node stops on errors other than 410; restart as its own example does
    informer.on('error', (err) => {
      if (stopping) return; // stop() aborts the open watch and reports that as an error
      errors.push(err);
      setTimeout(() => void informer.start(), 200);
    });

    const store = sim.clusters.get('edge-1')!.store;
    const expected = (): Map<string, string> => new Map(store.list(PODS, 'vdu').map((p) => [p.metadata.name, p.metadata.resourceVersion!]));
    const inSync = (): boolean => {
      const want = expected();
      const cached = informer.list('vdu');
      return (
        want.size === view.size &&
        [...want].every(([name, rv]) => view.get(name) === rv) &&
        cached.length === want.size &&
        cached.every((p) => want.get(p.metadata!.name!) === p.metadata!.resourceVersion)
      );
    };
    const watchCount = (): number => sim.clusters.get('edge-1')!.counters.get('watch /pods') ?? 0;
    const listCount = (): number => sim.clusters.get('edge-1')!.counters.get('list /pods') ?? 0;

    await informer.start();
    await waitFor(() => inSync() && watchCount() === 1, 'initial list and watch');
    expect(view.size).toBe(5);

    // 1. forced 410: the watch drops, changes happen meanwhile, then history is compacted, so the
    //    informer's resume fails with 410 and it must relist (and diff: vdu-0 deleted while away)
    const watchesBefore = watchCount();
    expect(sim.clusters.get('edge-1')!.store).toBeDefined();
    const dropped = await control(sim, 'POST', '/clusters/edge-1/drop-watches');
    expect(dropped.body).toEqual({ cluster: 'edge-1', dropped: 1 });
    store.delete(PODS, 'vdu', 'vdu-0');
    store.create(PODS, pod('vdu-new-1'));
    store.mutate(PODS, 'vdu', 'vdu-1', (p) => ({ ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, moved: 'yes' } } }));
    await control(sim, 'POST', '/clusters/edge-1/compact');
    await waitFor(() => inSync() && listCount() >= 2 && watchCount() > watchesBefore + 1, 'relist after 410');
    expect(view.has('vdu-0')).toBe(false);
    expect(view.has('vdu-new-1')).toBe(true);

    // 2. a dropped watch with history intact: the informer resumes from its resourceVersion (no relist)
    const listsBefore = listCount();
    const watchesBefore2 = watchCount();
    await control(sim, 'POST', '/clusters/edge-1/drop-watches');
    store.create(PODS, pod('vdu-new-2'));
    store.delete(PODS, 'vdu', 'vdu-2');
    await waitFor(() => inSync() && watchCount() > watchesBefore2, 'resume after dropped watch');
    // and live changes keep flowing on the new watch
    store.mutate(PODS, 'vdu', 'vdu-3', (p) => ({ ...p, metadata: { ...p.metadata, labels: { live: 'yes' } } }));
    await waitFor(inSync, 'live change after reconnect');
    expect(listCount()).toBe(listsBefore);

    // no object was ever announced twice
    expect([...adds.values()].every((n) => n === 1)).toBe(true);
    expect(errors).toEqual([]);
    stopping = true;
    await informer.stop();
  });
});
