// cni-sandbox-failure: pods on one secondary network are re-created and cannot get a sandbox (IPAM pool
// empty, then the NAD deleted), with the Events kubelet and Multus write, then the NAD returns with a
// wider pool and the pods come up with complete network-status.
import { startScenario } from '../../simulator/scenarios/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import type { KubeObject } from '../../simulator/types.js';
import { testRuntime, type TestRuntime } from './scenarios-runtime.js';

const NS = 'du-vdu';

function podEvents(rt: TestRuntime, cluster: string, uid: string): KubeObject[] {
  return rt
    .cluster(cluster)
    .store.list(K.events, NS)
    .filter((e) => (e.involvedObject as { uid?: string }).uid === uid);
}

const byReason = (events: KubeObject[], reason: string) => events.filter((e) => e.reason === reason);
const status = (p: KubeObject) => p.status as { phase: string; podIP?: string; conditions: { type: string; status: string }[] };
const condition = (p: KubeObject, type: string) => status(p).conditions.find((c) => c.type === type)?.status;

describe('cni-sandbox-failure on an edge site', () => {
  it('fails the vDU on an empty pool, then on the deleted NAD, then starts it with the widened pool', async () => {
    const rt = testRuntime();
    const c = rt.cluster('du-004');
    const before = c.store.get(K.pods, NS, 'vdu-0')!;
    const handle = startScenario(rt, 'cni-sandbox-failure', { cluster: 'du-004', ipamSeconds: 100, nadMissingSeconds: 30, retrySeconds: 10 });

    // The StatefulSet's replacement: same name, new uid, scheduled, no sandbox and no network-status yet.
    const pod = c.store.get(K.pods, NS, 'vdu-0')!;
    expect(pod.metadata.uid).not.toBe(before.metadata.uid);
    expect(status(pod).phase).toBe('Pending');
    expect(condition(pod, 'PodReadyToStartContainers')).toBe('False');
    expect(pod.metadata.annotations?.['k8s.v1.cni.cncf.io/network-status']).toBeUndefined();
    expect(pod.metadata.annotations?.['k8s.v1.cni.cncf.io/networks']).toBe(before.metadata.annotations?.['k8s.v1.cni.cncf.io/networks']);
    const uid = pod.metadata.uid!;
    const scheduled = byReason(podEvents(rt, 'du-004', uid), 'Scheduled');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ reportingComponent: 'default-scheduler', firstTimestamp: null, eventTime: expect.stringMatching(/\.\d{6}Z$/) });
    expect(scheduled[0]).not.toHaveProperty('count');

    rt.advance(95_000);
    let events = podEvents(rt, 'du-004', uid);
    const failures = byReason(events, 'FailedCreatePodSandBox');
    // 10 attempts: 9 distinct messages (each its own sandbox id), the 10th combined by kubelet's aggregator.
    expect(failures).toHaveLength(10);
    expect(failures.filter((f) => String(f.message).startsWith('(combined from similar events): '))).toHaveLength(1);
    for (const f of failures) {
      expect(f).toMatchObject({ type: 'Warning', count: 1, source: { component: 'kubelet', host: 'du-004-sno' } });
      expect(f.message).toContain(
        `[du-vdu/vdu-0/${uid}:du-mh-net]: error adding container to network "du-mh-net": failed to set up IPAM plugin type "host-local" from the device "ens1f1": failed to allocate for range 0: no IP addresses available in range set: 192.168.23.10-192.168.23.100\n'`,
      );
    }
    // Multus added eth0 and the two fronthaul VFs on every attempt before the midhaul network failed.
    const added = byReason(events, 'AddedInterface');
    expect(added.map((e) => String(e.message).split(' ')[1]).sort()).toEqual(['eth0', 'net1', 'net2']);
    for (const e of added) expect(e.count).toBe(10);
    expect(c.store.get(K.netAttachDefs, NS, 'du-mh-net')).toBeDefined();

    rt.advance(30_000); // t = 125 s: the NAD is gone, three attempts failed on it
    events = podEvents(rt, 'du-004', uid);
    expect(c.store.get(K.netAttachDefs, NS, 'du-mh-net')).toBeUndefined();
    expect(c.store.list(K.sriovNetworks).some((n) => n.metadata.name === 'du-mh-net')).toBe(false);
    const missing = byReason(events, 'NoNetworkFound');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({
      type: 'Warning',
      count: 3,
      source: { component: 'multus' },
      message: 'cannot find a network-attachment-definition (du-mh-net) in namespace (du-vdu): network-attachment-definitions.k8s.cni.cncf.io "du-mh-net" not found',
    });
    const combined = byReason(events, 'FailedCreatePodSandBox').find((f) => String(f.message).startsWith('(combined'))!;
    expect(combined.count).toBe(4);
    expect(combined.message).toContain(
      `Multus: [du-vdu/vdu-0/${uid}]: error loading k8s delegates k8s args: TryLoadPodDelegates: error in getting k8s network for pod: GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: cannot find a network-attachment-definition (du-mh-net) in namespace (du-vdu)`,
    );
    expect(byReason(events, 'AddedInterface').every((e) => e.count === 10)).toBe(true);

    rt.advance(10_000);
    await handle.done;
    const nad = c.store.get(K.netAttachDefs, NS, 'du-mh-net')!;
    expect(JSON.parse((nad.spec as { config: string }).config).ipam).toMatchObject({ rangeStart: '192.168.23.10', rangeEnd: '192.168.23.150' });
    expect(nad.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/resourceName': 'openshift.io/du_mh' });
    const network = c.store.list(K.sriovNetworks).find((n) => n.metadata.name === 'du-mh-net')!;
    expect(JSON.parse((network.spec as { ipam: string }).ipam)).toMatchObject({ rangeEnd: '192.168.23.150' });
    const up = c.store.get(K.pods, NS, 'vdu-0')!;
    expect(status(up).phase).toBe('Running');
    expect(condition(up, 'Ready')).toBe('True');
    expect(status(up).podIP).toBe((before.status as { podIP: string }).podIP);
    const entries = JSON.parse(up.metadata.annotations!['k8s.v1.cni.cncf.io/network-status']) as { name: string; interface: string; ips?: string[] }[];
    const old = JSON.parse(before.metadata.annotations!['k8s.v1.cni.cncf.io/network-status']) as { name: string; interface: string }[];
    expect(entries.map((e) => `${e.name}@${e.interface}`)).toEqual(old.map((e) => `${e.name}@${e.interface}`));
    expect(entries.find((e) => e.interface === 'net3')!.ips).toEqual(['192.168.23.101']);
    events = podEvents(rt, 'du-004', uid);
    expect(byReason(events, 'AddedInterface').find((e) => String(e.message).startsWith('Add net3 '))!.message).toBe('Add net3 [192.168.23.101/24] from du-vdu/du-mh-net');
    expect(byReason(events, 'AddedInterface').filter((e) => e.count === 11)).toHaveLength(3);
  });

  it('refuses networks without a pool and pods not on the network, changing nothing', () => {
    const rt = testRuntime();
    const c = rt.cluster('du-001');
    const events = c.store.list(K.events).length;
    const uid = c.store.get(K.pods, NS, 'vdu-0')!.metadata.uid;
    expect(() => startScenario(rt, 'cni-sandbox-failure', { cluster: 'du-001', network: 'du-vdu/du-fh-net' })).toThrow(/du-vdu\/du-fh-net has no host-local or whereabouts range/);
    expect(() => startScenario(rt, 'cni-sandbox-failure', { cluster: 'du-001', network: 'du-vdu/nope' })).toThrow(/no NetworkAttachmentDefinition du-vdu\/nope in du-001/);
    expect(() => startScenario(rt, 'cni-sandbox-failure', { cluster: 'du-001', network: 'nope' })).toThrow(/"network" must be "<namespace>\/<name>"/);
    expect(() => startScenario(rt, 'cni-sandbox-failure', { cluster: 'du-001', pod: 'bad' })).toThrow(/"pod" must be "<namespace>\/<name>"/);
    const ptp = c.store.list(K.pods, 'openshift-ptp')[0];
    expect(() => startScenario(rt, 'cni-sandbox-failure', { cluster: 'du-001', pod: `openshift-ptp/${ptp.metadata.name}`, network: 'du-vdu/du-mh-net' })).toThrow(/is attached to du-vdu\/du-mh-net/);
    expect(() => startScenario(rt, 'cni-sandbox-failure', { cluster: 'regional-west' })).toThrow(/no pod in regional-west has a secondary network/);
    expect(c.store.list(K.events)).toHaveLength(events);
    expect(c.store.get(K.pods, NS, 'vdu-0')!.metadata.uid).toBe(uid);
  });
});

describe('cni-sandbox-failure on a regional cluster', () => {
  it('gives a ReplicaSet pod on a whereabouts macvlan a new name and whereabouts texts, and cancel recovers at once', () => {
    const rt = testRuntime();
    const c = rt.cluster('regional-east');
    const old = c.store.list(K.pods, 'cu-vcu').find((p) => p.metadata.name.startsWith('vcu-cp-'))!;
    const handle = startScenario(rt, 'cni-sandbox-failure', { cluster: 'regional-east', network: 'cu-vcu/f1c-macvlan', ipamSeconds: 20, nadMissingSeconds: 20 });
    expect(c.store.get(K.pods, 'cu-vcu', old.metadata.name)).toBeUndefined();
    const pod = c.store.list(K.pods, 'cu-vcu').find((p) => p.metadata.name.startsWith('vcu-cp-'))!;
    expect(pod.metadata.name).toMatch(new RegExp(`^${old.metadata.name.replace(/-[a-z0-9]{5}$/, '')}-[a-z0-9]{5}$`));
    expect(pod.metadata.name).not.toBe(old.metadata.name);
    rt.advance(5_000);
    const failure = c.store.list(K.events, 'cu-vcu').find((e) => e.reason === 'FailedCreatePodSandBox' && (e.involvedObject as { uid: string }).uid === pod.metadata.uid)!;
    expect(failure.message).toContain(
      `error adding container to network "f1c-macvlan": Error at storage engine: Could not allocate IP in range: ip: 10.50.1.10 / - 10.50.1.50 / range: net.IPNet{IP:net.IP{0xa, 0x32, 0x1, 0x0}, Mask:net.IPMask{0xff, 0xff, 0xff, 0x0}}\n'`,
    );
    expect(failure.message).toMatch(/^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox k8s_vcu-cp-/);
    rt.advance(20_000);
    expect(c.store.get(K.netAttachDefs, 'cu-vcu', 'f1c-macvlan')).toBeUndefined();
    handle.cancel();
    expect(c.store.get(K.netAttachDefs, 'cu-vcu', 'f1c-macvlan')).toBeDefined();
    const up = c.store.get(K.pods, 'cu-vcu', pod.metadata.name)!;
    expect(status(up).phase).toBe('Running');
    const entries = JSON.parse(up.metadata.annotations!['k8s.v1.cni.cncf.io/network-status']) as { name: string; ips?: string[] }[];
    expect(entries.find((e) => e.name === 'cu-vcu/f1c-macvlan')!.ips).toEqual(['10.50.1.51']);
  });

  it('uses containerd texts on plain Kubernetes', () => {
    const rt = testRuntime();
    const c = rt.cluster('regional-east-2');
    startScenario(rt, 'cni-sandbox-failure', { cluster: 'regional-east-2', network: '5g-core/n2-ipvlan', ipamSeconds: 5, nadMissingSeconds: 5 });
    rt.advance(2_000);
    const failure = c.store.list(K.events, '5g-core').find((e) => e.reason === 'FailedCreatePodSandBox')!;
    expect(failure.message).toMatch(
      /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="multus-shim" name="multus-cni-network" failed \(add\): CmdAdd \(shim\): CNI request failed with status 400: 'ContainerID:"[0-9a-f]{64}" Netns:"\/var\/run\/netns\/cni-[0-9a-f-]{36}" IfName:"eth0"/,
    );
    expect(failure.message).toContain('error adding container to network "n2-ipvlan": failed to allocate for range 0: no IP addresses available in range set: 10.60.2.20-10.60.2.60\n\'');
  });
});
