// oda-deploy: the operator-written states a watcher of Components / ExposedAPIs / DependentAPIs sees,
// in order, on a v1 hub and on a cluster whose ODA CRDs serve only v1beta3; the cascading and the
// orphaning delete.
import { startScenario } from '../../simulator/scenarios/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import type { KubeObject, StoreEvent } from '../../simulator/types.js';
import { testRuntime, type TestRuntime } from './scenarios-runtime.js';

interface Seen {
  at: number;
  type: string;
  kind: string;
  name: string;
  object: KubeObject;
}

function record(rt: TestRuntime, cluster: string, release: string): Seen[] {
  const seen: Seen[] = [];
  const start = rt.now();
  for (const kind of [K.odaComponents, K.odaExposedApis, K.odaDependentApis]) {
    rt.cluster(cluster).store.subscribe(kind, (e: StoreEvent) => {
      if (!e.object.metadata.name.startsWith(`${release}-`)) return;
      seen.push({ at: rt.now() - start, type: e.type, kind: e.object.kind, name: e.object.metadata.name, object: e.object });
    });
  }
  return seen;
}

const deploymentStatus = (o: KubeObject) => (o.status as Record<string, { deployment_status?: string }> | undefined)?.['summary/status']?.deployment_status ?? null;
const ready = (o: KubeObject) => (o.status as { implementation?: { ready?: boolean } } | undefined)?.implementation?.ready === true;
/** Consecutive duplicates removed. */
const transitions = <T>(values: T[]) => values.filter((v, i) => i === 0 || v !== values[i - 1]);

describe('oda-deploy', () => {
  it('walks a v1 component through every deployment state, its APIs ready one by one, then upgrades and deletes it with its children', async () => {
    const rt = testRuntime();
    const seen = record(rt, 'hub-1', 'r2');
    const handle = startScenario(rt, 'oda-deploy', {});
    rt.advance(40_000);
    await handle.done;

    const component = seen.filter((e) => e.kind === 'Component');
    expect(component[0]).toMatchObject({ type: 'ADDED', name: 'r2-productinventory' });
    expect(component[0].object.status).toBeUndefined();
    expect(transitions(component.filter((e) => e.type !== 'DELETED').map((e) => deploymentStatus(e.object)))).toEqual([
      null,
      'In-Progress-CompCon',
      'In-Progress-IDConfOp',
      'In-Progress-SecretMan',
      'In-Progress-DepApi',
      'Complete',
      // the upgrade adds TMF637 v5: a new ExposedAPI, not ready yet
      'In-Progress-CompCon',
      'Complete',
    ]);
    const versions = component.map((e) => (e.object.spec as { componentMetadata: { version: string } }).componentMetadata.version);
    expect(transitions(versions)).toEqual(['1.1.0', '1.2.0']);
    expect(component.at(-1)!.type).toBe('DELETED');

    // each API turns ready at its own step, in the order the component declares them
    const readyAt = seen.filter((e) => e.kind === 'ExposedAPI' && e.type === 'MODIFIED' && ready(e.object)).map((e) => [e.name, e.at]);
    expect(readyAt.map(([name]) => name)).toEqual([
      'r2-productinventory-productinventorymanagement-v4',
      'r2-productinventory-metrics',
      'r2-productinventory-partyrole-v4',
      'r2-productinventory-productinventorymanagement-v5',
    ]);
    expect(new Set(readyAt.map(([, at]) => at)).size).toBe(4);
    const completeAt = component.find((e) => deploymentStatus(e.object) === 'Complete')!.at;
    const dependent = seen.find((e) => e.kind === 'DependentAPI' && e.type === 'MODIFIED')!;
    expect(dependent.at).toBe(completeAt);
    expect(dependent.object.status).toMatchObject({
      depapiStatus: { url: 'https://canvas.apps.hub-1.example.net/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4' },
      implementation: { ready: true },
    });

    // the delete cascades: every child goes after its component, nothing of r2 is left
    const deletedAt = component.at(-1)!.at;
    const children = seen.filter((e) => e.kind !== 'Component' && e.type === 'DELETED');
    expect(children.map((e) => e.name).sort()).toEqual([
      'r2-productinventory-metrics',
      'r2-productinventory-partyrole-v4',
      'r2-productinventory-productcatalogmanagement-v4',
      'r2-productinventory-productinventorymanagement-v4',
      'r2-productinventory-productinventorymanagement-v5',
    ]);
    expect(children.every((e) => e.at === deletedAt)).toBe(true);
    const store = rt.cluster('hub-1').store;
    for (const kind of [K.odaComponents, K.odaExposedApis, K.odaDependentApis]) {
      expect(store.list(kind).filter((o) => o.metadata.name.startsWith('r2-'))).toEqual([]);
    }
  });

  it('writes v1beta3 objects on a cluster serving only v1beta3, and orphans the children on request', async () => {
    const rt = testRuntime();
    const seen = record(rt, 'regional-west', 'r2');
    const handle = startScenario(rt, 'oda-deploy', { cluster: 'regional-west', component: 'resourceinventory', orphan: true, timeScale: 2 });
    rt.advance(20_000);
    await handle.done;

    expect(new Set(seen.map((e) => e.object.apiVersion))).toEqual(new Set(['oda.tmforum.org/v1beta3']));
    const component = seen.filter((e) => e.kind === 'Component');
    expect((component[0].object.spec as { id: string }).id).toBe('TMFC012');
    // no secretsManagement: the operator's summary goes straight from IDConfOp to DepApi
    expect(transitions(component.filter((e) => e.type !== 'DELETED').map((e) => deploymentStatus(e.object)))).toEqual([
      null,
      'In-Progress-CompCon',
      'In-Progress-IDConfOp',
      'In-Progress-DepApi',
      'Complete',
    ]);
    expect(transitions(component.map((e) => (e.object.spec as { version: string }).version))).toEqual(['1.0.1', '1.1.0']);
    expect(seen.filter((e) => e.kind === 'ExposedAPI' && e.type === 'ADDED').map((e) => e.name)).toEqual([
      'r2-resourceinventory-resourceinventorymanagement',
      'r2-resourceinventory-metrics',
      'r2-resourceinventory-partyrole',
    ]);

    const store = rt.cluster('regional-west').store;
    expect(store.get(K.odaComponents, 'components', 'r2-resourceinventory')).toBeUndefined();
    const left = [...store.list(K.odaExposedApis), ...store.list(K.odaDependentApis)].filter((o) => o.metadata.name.startsWith('r2-'));
    expect(left).toHaveLength(4);
    for (const o of left) {
      expect(o.metadata.ownerReferences).toBeUndefined();
      expect(o.metadata.labels?.['oda.tmforum.org/componentName']).toBe('r2-resourceinventory');
    }
    // ownerReferences are removed before the component goes, as the garbage collector orphans
    const deletedAt = seen.findIndex((e) => e.kind === 'Component' && e.type === 'DELETED');
    expect(seen.slice(deletedAt - 4, deletedAt).every((e) => e.type === 'MODIFIED' && e.kind !== 'Component')).toBe(true);
  });

  it('stops at Complete with until: complete and refuses what it cannot do', async () => {
    const rt = testRuntime();
    const handle = startScenario(rt, 'oda-deploy', { component: 'partymanagement', until: 'complete' });
    rt.advance(30_000);
    await handle.done;
    const c = rt.cluster('hub-1').store.get(K.odaComponents, 'components', 'r2-partymanagement')!;
    expect(deploymentStatus(c)).toBe('Complete');
    expect(() => startScenario(rt, 'oda-deploy', { component: 'partymanagement', release: 'r2' })).toThrow(/already exists/);
    expect(() => startScenario(rt, 'oda-deploy', { component: 'billing' })).toThrow(/"component" must be one of/);
    expect(() => startScenario(rt, 'oda-deploy', { until: 'forever' })).toThrow(/"until" must be one of/);
    expect(() => startScenario(rt, 'oda-deploy', { cluster: 'du-001' })).toThrow(/no "components" namespace/);
    expect(() => startScenario(rt, 'oda-deploy', { release: 'R 2' })).toThrow(/DNS label/);
  });
});
