// Scenarios that change Kubernetes objects (provisioning: scenarios-provisioning.test.ts): every change goes through the store, so a watcher (store
// listener) sees the upstream state sequence in order.
import { startScenario } from '../../simulator/scenarios/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import type { KubeObject, StoreEvent } from '../../simulator/types.js';
import { proxyRequest } from '../../simulator/exporters/index.js';
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
