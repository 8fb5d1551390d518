// Scenarios that change Kubernetes objects: every change goes through the store, so a watcher (store
// listener) sees the upstream state sequence in order.
import { startScenario, startProvisioningOperator } from '../../simulator/scenarios/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import type { KubeObject, StoreEvent } from '../../simulator/types.js';
import { proxyRequest, telemetryFor } from '../../simulator/exporters/index.js';
import { parsePrometheusText, samples } from './exporters-prom-parse.js';
import { testRuntime } from './scenarios-runtime.js';

function watch(store: { subscribe(kind: string, l: (e: StoreEvent) => void): () => void }, kind: string): StoreEvent[] {
  const events: StoreEvent[] = [];
  store.subscribe(kind, (e) => events.push(e));
  return events;
}

describe('sriov-policy-reconcile', () => {
  const annotations = (o: KubeObject) => [
    o.metadata.annotations?.['sriovnetwork.openshift.io/desired-state'],
    o.metadata.annotations?.['sriovnetwork.openshift.io/current-state'],
    (o.status as { syncStatus: string }).syncStatus,
  ];

  it('walks the node states through InProgress with drain annotations to Succeeded, and Failed on failNode', async () => {
    const rt = testRuntime();
    const c = rt.cluster('regional-east');
    const events = watch(c.store, K.sriovNodeStates);
    const policyEvents = watch(c.store, K.sriovPolicies);
    const handle = startScenario(rt, 'sriov-policy-reconcile', { cluster: 'regional-east', policy: 'upf-n3', numVfs: 20, failNode: 'regional-east-node-3' });
    expect(policyEvents).toHaveLength(1);
    expect((policyEvents[0].object.spec as { numVfs: number }).numVfs).toBe(20);
    expect(policyEvents[0].object.metadata.generation).toBe(2);
    const node0 = () => c.store.get(K.sriovNodeStates, 'openshift-sriov-network-operator', 'regional-east-node-0')!;
    const node3 = () => c.store.get(K.sriovNodeStates, 'openshift-sriov-network-operator', 'regional-east-node-3')!;
    expect(annotations(node0())).toEqual(['Drain_Required', 'Idle', 'InProgress']);
    rt.advance(2_100);
    expect(annotations(node0())).toEqual(['Drain_Required', 'Draining', 'InProgress']);
    rt.advance(4_000);
    expect(annotations(node0())).toEqual(['Drain_Required', 'DrainComplete', 'InProgress']);
    rt.advance(4_000);
    await handle.done;
    expect(annotations(node0())).toEqual(['Idle', 'Idle', 'Succeeded']);
    const pf = (node0().status as { interfaces: { name: string; numVfs: number; Vfs: { vfID: number; pciAddress: string }[] }[] }).interfaces.find((i) => i.name === 'ens2f0')!;
    expect(pf.numVfs).toBe(20);
    expect(pf.Vfs).toHaveLength(20);
    expect(pf.Vfs[19].pciAddress).toBe('0000:3b:04.3');
    expect(new Set(pf.Vfs.map((v) => v.pciAddress)).size).toBe(20);
    const node = c.store.get(K.nodes, undefined, 'regional-east-node-0')!;
    expect((node.status as { allocatable: Record<string, string> }).allocatable['openshift.io/upf_n3']).toBe('20');
    expect(annotations(node3())).toEqual(['Idle', 'Idle', 'Failed']);
    expect((node3().status as { lastSyncError: string }).lastSyncError).toMatch(/ens2f0/);
    // Four nodes × four steps, each seen by the watcher in order.
    const states = events.filter((e) => e.object.metadata.name === 'regional-east-node-0').map((e) => annotations(e.object)[1]);
    expect(states).toEqual(['Idle', 'Draining', 'DrainComplete', 'Idle']);
    expect(events).toHaveLength(16);
    // The SR-IOV exporter follows the new VFs.
    const exporter = c.store.list(K.pods, 'openshift-sriov-network-operator').find((p) => p.metadata.labels?.app === 'sriov-network-metrics-exporter' && (p.spec as { nodeName: string }).nodeName === 'regional-east-node-0')!;
    const page = parsePrometheusText(proxyRequest(c, { resource: 'pods', namespace: exporter.metadata.namespace!, name: exporter.metadata.name, port: '9110', path: '/metrics' })!.body);
    expect(samples(page, 'sriov_vf_rx_packets', { pf: 'ens2f0' })).toHaveLength(20);
  });

  it('rejects clusters without SR-IOV and unknown policies or nodes', () => {
    const rt = testRuntime();
    expect(() => startScenario(rt, 'sriov-policy-reconcile', { cluster: 'hub-1' })).toThrow(/no SriovNetworkNodePolicy/);
    expect(() => startScenario(rt, 'sriov-policy-reconcile', { cluster: 'du-001', policy: 'nope' })).toThrow(/no SriovNetworkNodePolicy "nope"/);
    expect(() => startScenario(rt, 'sriov-policy-reconcile', { cluster: 'du-001', failNode: 'x' })).toThrow(/"failNode" must be one of du-001-sno/);
    expect(() => startScenario(rt, 'sriov-policy-reconcile', { cluster: 'du-001', numVfs: 65 })).toThrow(/at most 64/);
  });
});

describe('provisioning-lifecycle', () => {
  const state = (o: KubeObject) => (o.status as { provisioningStatus: { provisioningState: string; provisioningMessage: string } }).provisioningStatus;

  it('goes progressing through the operator messages to fulfilled and adds the new edge cluster', async () => {
    const rt = testRuntime();
    const hub = rt.cluster('hub-1');
    const events = watch(hub.store, K.provisioningRequests);
    const handle = startScenario(rt, 'provisioning-lifecycle', {});
    expect(events[0].type).toBe('ADDED');
    const name = events[0].object.metadata.name;
    expect(name).toBe('pr-du-015'); // du-013/du-014 are already requested (progressing, failed)
    rt.advance(10_100);
    await handle.done;
    const messages = events.map((e) => `${state(e.object).provisioningState}: ${state(e.object).provisioningMessage}`);
    expect(messages).toEqual([
      'progressing: Cluster provisioning request received',
      'progressing: Provisioning request validation done',
      'progressing: Cluster instance rendering completed',
      'progressing: Cluster resource creation ongoing',
      'fulfilled: Cluster resource created',
    ]);
    const final = hub.store.get(K.provisioningRequests, undefined, name)!;
    expect((final.status as { provisionedResourceSet: { oCloudNodeClusterId: string } }).provisionedResourceSet.oCloudNodeClusterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rt.added.map((s) => s.name)).toEqual(['du-015']);
    expect(rt.cluster('du-015').store.get(K.nodes, undefined, 'du-015-sno')).toBeDefined();
    expect(telemetryFor(rt.cluster('du-015')).ptp('du-015-sno')).toBeDefined();
  });

  it('ends failed on timeout with fail: true and adds no cluster', async () => {
    const rt = testRuntime();
    const handle = startScenario(rt, 'provisioning-lifecycle', { clusterName: 'du-100', fail: true, timeScale: 5 });
    rt.advance(2_100);
    await handle.done;
    const pr = rt.cluster('hub-1').store.get(K.provisioningRequests, undefined, 'pr-du-100')!;
    expect(state(pr)).toMatchObject({ provisioningState: 'failed', provisioningMessage: 'Cluster resource creation failed reached timeout' });
    expect(rt.added).toHaveLength(0);
  });

  it('drives requests that clients create, when the operator runs', async () => {
    const rt = testRuntime();
    const stop = startProvisioningOperator(rt, { timeScale: 10 });
    const hub = rt.cluster('hub-1');
    hub.store.create(K.provisioningRequests, {
      apiVersion: 'o2ims.provisioning.oran.org/v1alpha1',
      kind: 'ProvisioningRequest',
      metadata: { name: 'edge-west-77' },
      spec: { templateName: 'sno-ran-du', templateVersion: 'v4.18.0-1', templateParameters: { clusterName: 'du-077', labels: { region: 'west' } } },
    });
    await Promise.resolve();
    expect(state(hub.store.get(K.provisioningRequests, undefined, 'edge-west-77')!).provisioningMessage).toBe('Cluster provisioning request received');
    rt.advance(1_100);
    await new Promise((r) => setImmediate(r));
    expect(state(hub.store.get(K.provisioningRequests, undefined, 'edge-west-77')!).provisioningState).toBe('fulfilled');
    expect(rt.cluster('du-077').spec.labels).toMatchObject({ site: 'du-077', region: 'west', role: 'edge' });
    stop();
  });
});

describe('oda-deploy', () => {
  it('walks a Component through the deployment states and readies its ExposedAPIs', async () => {
    const rt = testRuntime();
    const hub = rt.cluster('hub-1');
    const events = watch(hub.store, K.odaComponents);
    const handle = startScenario(rt, 'oda-deploy', { component: 'productinventory' });
    rt.advance(8_100);
    await handle.done;
    expect(events.map((e) => (e.object.status as Record<string, { deployment_status: string }>)['summary/status'].deployment_status)).toEqual([
      'In-Progress-CompCon',
      'In-Progress-IDConfOp',
      'In-Progress-SecretMan',
      'In-Progress-DepApi',
      'Complete',
    ]);
    expect(events[0].object.metadata.name).toBe('r2-productinventory');
    const apis = hub.store.list(K.odaExposedApis, 'components').filter((a) => a.metadata.labels?.['oda.tmforum.org/componentName'] === 'r2-productinventory');
    expect(apis.length).toBe(2);
    for (const a of apis) expect((a.status as { implementation: { ready: boolean } }).implementation.ready).toBe(true);
    const coreApis = (events[4].object.status as { coreAPIs: { uid: string; ready: boolean }[] }).coreAPIs;
    expect(coreApis[0].uid).toBe(apis.find((a) => a.metadata.name === 'r2-productinventory-productinventorymanagement')!.metadata.uid);
    expect(() => startScenario(rt, 'oda-deploy', { component: 'productinventory', release: 'r2' })).toThrow(/already exists/);
  });
});
