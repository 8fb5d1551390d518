// Change classification for odaComponentChanged / odaExposedApiChanged: fed with the watch events the
// `oda-deploy` scenario produces (as a watch cache would see them), it reports each deployment_status
// transition, the version change and each readiness/URL change in order, and drops bookkeeping-only
// updates.
import { startScenario } from '../../simulator/scenarios/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import type { StoreEvent } from '../../simulator/types.js';
import { componentEvent, exposedApiEvent } from '../../subgraphs/oda/changes.js';
import type { OdaComponentEventModel, OdaComponentModel, OdaExposedApiEventModel, OdaExposedApiModel } from '../../subgraphs/oda/models.js';
import { mapComponent, mapExposedApi } from '../../subgraphs/oda/sources.js';
import type { ComponentObject, ExposedApiObject } from '../../subgraphs/oda/upstream.js';
import { testRuntime } from './scenarios-runtime.js';

function collect(cluster: string, params: Record<string, unknown>) {
  const rt = testRuntime();
  const store = rt.cluster(cluster).store;
  const components = new Map<string, OdaComponentModel>();
  const apis = new Map<string, OdaExposedApiModel>();
  const componentEvents: OdaComponentEventModel[] = [];
  const apiEvents: OdaExposedApiEventModel[] = [];
  store.subscribe(K.odaComponents, (e: StoreEvent) => {
    const current = mapComponent(cluster, e.object as ComponentObject);
    const event = componentEvent(e.type, components.get(current.name) ?? null, current);
    if (e.type === 'DELETED') components.delete(current.name);
    else components.set(current.name, current);
    if (event) componentEvents.push(event);
  });
  store.subscribe(K.odaExposedApis, (e: StoreEvent) => {
    const current = mapExposedApi(cluster, e.object as ExposedApiObject);
    const event = exposedApiEvent(e.type, apis.get(current.name) ?? null, current);
    if (e.type === 'DELETED') apis.delete(current.name);
    else apis.set(current.name, current);
    if (event) apiEvents.push(event);
  });
  const handle = startScenario(rt, 'oda-deploy', params);
  rt.advance(40_000);
  return { handle, componentEvents, apiEvents, store };
}

describe('component changes during oda-deploy', () => {
  it('reports ADDED, every deployment_status transition and the version change in order, then DELETED', async () => {
    const { handle, componentEvents } = collect('hub-1', {});
    await handle.done;
    const transitions = componentEvents
      .filter((e) => e.type !== 'MODIFIED' || e.changes.includes('DEPLOYMENT_STATUS') || e.changes.includes('VERSION'))
      .map((e) => [e.type, e.previousDeploymentStatus, e.deploymentStatus, e.changes.filter((c) => c === 'DEPLOYMENT_STATUS' || c === 'VERSION').join('+'), e.version]);
    expect(transitions).toEqual([
      ['ADDED', null, null, '', '1.1.0'],
      ['MODIFIED', null, 'IN_PROGRESS_COMPCON', 'DEPLOYMENT_STATUS', '1.1.0'],
      ['MODIFIED', 'IN_PROGRESS_COMPCON', 'IN_PROGRESS_IDCONFOP', 'DEPLOYMENT_STATUS', '1.1.0'],
      ['MODIFIED', 'IN_PROGRESS_IDCONFOP', 'IN_PROGRESS_SECRETMAN', 'DEPLOYMENT_STATUS', '1.1.0'],
      ['MODIFIED', 'IN_PROGRESS_SECRETMAN', 'IN_PROGRESS_DEPAPI', 'DEPLOYMENT_STATUS', '1.1.0'],
      ['MODIFIED', 'IN_PROGRESS_DEPAPI', 'COMPLETE', 'DEPLOYMENT_STATUS', '1.1.0'],
      ['MODIFIED', 'COMPLETE', 'IN_PROGRESS_COMPCON', 'DEPLOYMENT_STATUS+VERSION', '1.2.0'],
      ['MODIFIED', 'IN_PROGRESS_COMPCON', 'COMPLETE', 'DEPLOYMENT_STATUS', '1.2.0'],
      ['DELETED', 'COMPLETE', 'COMPLETE', '', '1.2.0'],
    ]);
    const upgrade = componentEvents.find((e) => e.changes.includes('VERSION'))!;
    expect(upgrade).toMatchObject({ previousVersion: '1.1.0', version: '1.2.0' });
    expect(upgrade.changes).toEqual(expect.arrayContaining(['API_STATUS', 'DECLARED_APIS']));
    // publishing the APIs and each readiness only change the API status (no deployment_status change)
    const apiOnly = componentEvents.filter((e) => e.type === 'MODIFIED' && !e.changes.includes('DEPLOYMENT_STATUS'));
    expect(apiOnly.length).toBeGreaterThan(0);
    expect(apiOnly.every((e) => e.changes.includes('API_STATUS') || e.changes.includes('DEPENDENT_API_STATUS'))).toBe(true);
  });

  it('drops an update that only touches operator bookkeeping, and reports label changes', () => {
    const { store } = collect('hub-1', { until: 'complete' });
    const before = mapComponent('hub-1', store.get(K.odaComponents, 'components', 'r1-partymanagement') as ComponentObject);
    const touched = store.mutate(K.odaComponents, 'components', 'r1-partymanagement', (c) => ({ ...c, status: { ...(c.status as object), kopf: { progress: { summary: { retries: 1 } } } } }));
    expect(componentEvent('MODIFIED', before, mapComponent('hub-1', touched as ComponentObject))).toBeNull();
    const relabelled = store.mutate(K.odaComponents, 'components', 'r1-partymanagement', (c) => ({ ...c, metadata: { ...c.metadata, labels: { ...c.metadata.labels, team: 'party' } } }));
    expect(componentEvent('MODIFIED', before, mapComponent('hub-1', relabelled as ComponentObject))!.changes).toEqual(['LABELS']);
    const broken = mapComponent('hub-1', { ...(touched as ComponentObject), status: 'oops' });
    expect(componentEvent('MODIFIED', before, broken)).toMatchObject({ changes: ['DEPLOYMENT_STATUS', 'API_STATUS', 'DEPENDENT_API_STATUS', 'STATUS_ERROR'], deploymentStatus: null });
  });
});

describe('exposed API changes during oda-deploy', () => {
  it('reports each API being created, published (URL) and becoming ready, one by one', async () => {
    const { handle, apiEvents } = collect('hub-1', { until: 'upgraded' });
    await handle.done;
    expect(apiEvents.map((e) => [e.type, e.name.replace('r2-productinventory-', ''), e.changes.join('+'), e.ready])).toEqual([
      ['ADDED', 'productinventorymanagement-v4', '', false],
      ['ADDED', 'metrics', '', false],
      ['ADDED', 'partyrole-v4', '', false],
      ['MODIFIED', 'productinventorymanagement-v4', 'URL', false],
      ['MODIFIED', 'metrics', 'URL', false],
      ['MODIFIED', 'partyrole-v4', 'URL', false],
      ['MODIFIED', 'productinventorymanagement-v4', 'READINESS', true],
      ['MODIFIED', 'metrics', 'READINESS', true],
      ['MODIFIED', 'partyrole-v4', 'READINESS', true],
      ['ADDED', 'productinventorymanagement-v5', '', false],
      ['MODIFIED', 'productinventorymanagement-v5', 'URL', false],
      ['MODIFIED', 'productinventorymanagement-v5', 'READINESS', true],
    ]);
    const published = apiEvents[3];
    expect(published).toMatchObject({ previousUrl: null, url: 'https://canvas.apps.hub-1.example.net/r2-productinventory/tmf-api/productInventoryManagement/v4', previousReady: false });
  });

  it('reports an orphaning delete as an OWNER change of each child', async () => {
    const { handle, apiEvents } = collect('regional-west', { cluster: 'regional-west', component: 'resourceinventory', orphan: true });
    await handle.done;
    const orphaned = apiEvents.filter((e) => e.changes.includes('OWNER'));
    expect(orphaned).toHaveLength(3);
    for (const e of orphaned) expect(e.exposedApi.owner).toEqual({ componentName: 'r2-resourceinventory', componentUid: null, via: 'LABEL' });
    expect(apiEvents.some((e) => e.type === 'DELETED')).toBe(false);
  });
});
