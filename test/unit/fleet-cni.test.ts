// The demo fleet's CNI side: one primary CNI per regional cluster, Multus where it runs, upstream-shaped
// NetworkAttachmentDefinitions of every plugin type, both `networks` request forms, current and old
// status annotations, and Multus AddedInterface events whose times give each pod's network readiness.
import { generateFleet } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET, type SimClusterSpec } from '../../simulator/fleet/model.js';
import type { KubeObject } from '../../simulator/types.js';

const demo = generateFleet(DEMO_FLEET);
const byName = new Map(demo.map((c) => [c.name, c]));
const cluster = (name: string) => byName.get(name)!;
const objects = (c: SimClusterSpec, kind: string) => c.objects.filter((o) => o.kind === kind);
const cnfPods = (c: SimClusterSpec) => objects(c, 'Pod').filter((p) => p.metadata.labels?.['cnf-type']);
const podNamed = (c: SimClusterSpec, prefix: string) => cnfPods(c).find((p) => p.metadata.name.startsWith(prefix))!;
const annotation = (p: KubeObject, key: string) => p.metadata.annotations?.[key];
const eventsOf = (c: SimClusterSpec, p: KubeObject) => objects(c, 'Event').filter((e) => (e.involvedObject as { uid: string }).uid === p.metadata.uid);
const seconds = (t: string) => Date.parse(t) / 1000;

interface StatusEntry {
  name: string;
  interface: string;
  ips?: string[];
  mac?: string;
  mtu?: number;
  default?: boolean;
}

describe('primary CNI per regional cluster', () => {
  it('runs OVN-Kubernetes with Multus on OpenShift, Calico without Multus, and Cilium with upstream Multus', () => {
    const east = cluster('regional-east');
    expect((objects(east, 'Network')[0].status as { networkType: string }).networkType).toBe('OVNKubernetes');
    expect(objects(east, 'DaemonSet').map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(
      expect.arrayContaining(['openshift-ovn-kubernetes/ovnkube-node', 'openshift-multus/multus']),
    );
    const west = cluster('regional-west');
    expect(objects(west, 'DaemonSet').map((d) => d.metadata.name)).toContain('calico-node');
    expect(objects(west, 'DaemonSet').some((d) => /multus/.test(d.metadata.name))).toBe(false);
    expect(objects(west, 'NetworkAttachmentDefinition')).toHaveLength(0);
    for (const p of cnfPods(west)) expect(p.metadata.annotations ?? {}).toEqual({});

    const cilium = cluster('regional-east-2');
    expect(cilium.platform).toBe('Kubernetes');
    expect(objects(cilium, 'CiliumNode')).toHaveLength(3);
    const multus = objects(cilium, 'DaemonSet').find((d) => d.metadata.name === 'kube-multus-ds')!;
    expect(multus.metadata.namespace).toBe('kube-system');
    expect(objects(cilium, 'Pod').filter((p) => p.metadata.name.startsWith('kube-multus-ds-'))).toHaveLength(3);
    const status = JSON.parse(annotation(podNamed(cilium, 'nrf-'), 'k8s.v1.cni.cncf.io/network-status')!) as StatusEntry[];
    expect(status).toEqual([expect.objectContaining({ name: 'cilium', interface: 'eth0', default: true })]);
  });
});

describe('NetworkAttachmentDefinitions', () => {
  const nads = (c: SimClusterSpec) => new Map(objects(c, 'NetworkAttachmentDefinition').map((n) => [`${n.metadata.namespace}/${n.metadata.name}`, n]));
  const config = (n: KubeObject) => JSON.parse((n.spec as { config: string }).config) as Record<string, unknown>;

  it('covers SR-IOV, macvlan, ipvlan, bridge, host-device and a conflist, as upstream writes them', () => {
    const east = nads(cluster('regional-east'));
    const types = [...east.values()].map((n) => {
      const c = config(n);
      return (c.type as string | undefined) ?? `conflist:${(c.plugins as { type: string }[]).map((p) => p.type).join('+')}`;
    });
    expect(new Set(types)).toEqual(new Set(['sriov', 'macvlan', 'host-device', 'ipvlan', 'bridge', 'conflist:macvlan+tuning']));
    expect(config(east.get('cu-vcu/f1c-macvlan')!)).toMatchObject({ type: 'macvlan', master: 'ens3f0', mode: 'bridge', ipam: { type: 'whereabouts', range: '10.50.1.0/24' } });
    expect(config(east.get('ran-oam/oam-bridge')!)).toMatchObject({ type: 'bridge', bridge: 'br-oam', ipam: { type: 'host-local', ranges: [[{ subnet: '10.70.0.0/24' }]] } });
    const conflist = config(east.get('5g-core/n4-conflist')!);
    expect(conflist.name).toBe('n4');
    expect(conflist).not.toHaveProperty('type');
    const sriov = east.get('upf-core/upf-n3-net')!;
    expect(sriov.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/resourceName': 'openshift.io/upf_n3' });
    for (const n of east.values()) expect(n.spec).toEqual({ config: expect.any(String) });
  });

  it('holds exactly one NAD whose spec.config is not JSON, on the cluster without an admission webhook', () => {
    const invalid = demo.flatMap((c) =>
      objects(c, 'NetworkAttachmentDefinition')
        .filter((n) => {
          try {
            JSON.parse((n.spec as { config: string }).config);
            return false;
          } catch {
            return true;
          }
        })
        .map((n) => `${c.name}/${n.metadata.namespace}/${n.metadata.name}`),
    );
    expect(invalid).toEqual(['regional-east-2/cu-vcu/f1u-macvlan']);
    const requested = cnfPods(cluster('regional-east-2')).map((p) => annotation(p, 'k8s.v1.cni.cncf.io/networks') ?? '');
    expect(requested.some((r) => r.includes('f1u-macvlan'))).toBe(false);
  });
});

describe('network annotations on CNF pods', () => {
  it('writes both request forms: the comma list (bare, ns/name, @ifname) and the JSON array', () => {
    const east = cluster('regional-east');
    expect(annotation(podNamed(east, 'vcu-up-'), 'k8s.v1.cni.cncf.io/networks')).toBe('f1u-hostdev');
    expect(annotation(podNamed(east, 'amf-'), 'k8s.v1.cni.cncf.io/networks')).toBe('5g-core/n2-ipvlan@n2');
    expect(JSON.parse(annotation(podNamed(east, 'smf-'), 'k8s.v1.cni.cncf.io/networks')!)).toEqual([
      { name: 'n4-conflist', namespace: '5g-core', interface: 'n4', ips: ['10.60.4.5/24'] },
    ]);
    expect(annotation(podNamed(cluster('du-002'), 'vdu-0'), 'k8s.v1.cni.cncf.io/networks')).toBe('du-fh-net,du-fh-net,du-vdu/du-mh-net@net3');
    expect(JSON.parse(annotation(podNamed(cluster('du-001'), 'vdu-0'), 'k8s.v1.cni.cncf.io/networks')!)).toEqual([
      { name: 'du-fh-net', namespace: 'du-vdu' },
      { name: 'du-fh-net', namespace: 'du-vdu' },
      { name: 'du-mh-net', namespace: 'du-vdu', interface: 'net3' },
    ]);
  });

  it('answers each request with a status entry on the requested interface, addresses in the NAD range', () => {
    const smf = podNamed(cluster('regional-east'), 'smf-');
    const status = JSON.parse(annotation(smf, 'k8s.v1.cni.cncf.io/network-status')!) as StatusEntry[];
    expect(status).toEqual([
      expect.objectContaining({ name: 'ovn-kubernetes', interface: 'eth0', default: true }),
      expect.objectContaining({ name: '5g-core/n4-conflist', interface: 'n4', ips: ['10.60.4.5'], mtu: 9000 }),
    ]);
    const amf = JSON.parse(annotation(podNamed(cluster('regional-east'), 'amf-'), 'k8s.v1.cni.cncf.io/network-status')!) as StatusEntry[];
    expect(amf[1]).toMatchObject({ name: '5g-core/n2-ipvlan', interface: 'n2', ips: ['10.60.2.20'], mac: expect.stringMatching(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/) });
  });

  it('keeps the old networks-status annotation: next to the current one on 4.16 sites, alone (bare names) on a long-running pod', () => {
    const edges = demo.filter((c) => c.role === 'edge');
    for (const c of edges) {
      const vdu = podNamed(c, 'vdu-0');
      const legacy = annotation(vdu, 'k8s.v1.cni.cncf.io/networks-status');
      expect(annotation(vdu, 'k8s.v1.cni.cncf.io/network-status')).toBeDefined();
      if (c.kubernetesVersion.startsWith('v1.29')) expect(legacy).toBe(annotation(vdu, 'k8s.v1.cni.cncf.io/network-status'));
      else expect(legacy).toBeUndefined();
    }
    const oru = podNamed(cluster('regional-east'), 'o-ru-controller-');
    expect(annotation(oru, 'k8s.v1.cni.cncf.io/network-status')).toBeUndefined();
    const old = JSON.parse(annotation(oru, 'k8s.v1.cni.cncf.io/networks-status')!) as StatusEntry[];
    expect(old[1]).toMatchObject({ name: 'oam-bridge', interface: 'net1', ips: ['10.70.0.10'] });
  });
});

describe('AddedInterface events and network readiness', () => {
  it('reports each interface as Multus does (no host: its recorder names none), after the pod was scheduled and before its sandbox was ready', () => {
    for (const c of [cluster('regional-east'), cluster('du-001'), cluster('regional-east-2')]) {
      for (const p of cnfPods(c)) {
        const status = JSON.parse(annotation(p, 'k8s.v1.cni.cncf.io/network-status') ?? annotation(p, 'k8s.v1.cni.cncf.io/networks-status')!) as StatusEntry[];
        const added = eventsOf(c, p).filter((e) => e.reason === 'AddedInterface');
        expect(added.map((e) => /^Add (\S+) \[/.exec(String(e.message))?.[1]).sort()).toEqual(status.map((s) => s.interface).sort());
        const conditions = new Map((p.status as { conditions: { type: string; lastTransitionTime: string }[] }).conditions.map((x) => [x.type, seconds(x.lastTransitionTime)]));
        for (const e of added) {
          expect(e).toMatchObject({ type: 'Normal', source: { component: 'multus' }, reportingInstance: '' });
          expect(seconds(String(e.lastTimestamp))).toBeGreaterThanOrEqual(conditions.get('PodScheduled')!);
          expect(seconds(String(e.lastTimestamp))).toBeLessThan(conditions.get('PodReadyToStartContainers')!);
        }
        expect(seconds(String(p.metadata.creationTimestamp))).toBeLessThanOrEqual(conditions.get('PodScheduled')!);
      }
    }
  });

  it('gives slow sites a long scheduled → interfaces time, and failed first attempts distinct kubelet events', () => {
    const readiness = (c: SimClusterSpec) => {
      const vdu = podNamed(c, 'vdu-0');
      const scheduled = seconds((vdu.status as { conditions: { type: string; lastTransitionTime: string }[] }).conditions.find((x) => x.type === 'PodScheduled')!.lastTransitionTime);
      const last = Math.max(...eventsOf(c, vdu).filter((e) => e.reason === 'AddedInterface').map((e) => seconds(String(e.lastTimestamp))));
      return last - scheduled;
    };
    expect(readiness(cluster('du-006'))).toBeGreaterThan(40);
    expect(readiness(cluster('du-001'))).toBeLessThan(10);

    const du3 = cluster('du-003');
    const vdu = podNamed(du3, 'vdu-0');
    const failures = eventsOf(du3, vdu).filter((e) => e.reason === 'FailedCreatePodSandBox');
    expect(failures).toHaveLength(2);
    expect(new Set(failures.map((f) => f.message)).size).toBe(2);
    for (const f of failures) {
      expect(f).toMatchObject({ type: 'Warning', count: 1, source: { component: 'kubelet', host: 'du-003-sno' } });
      expect(f.message).toMatch(
        /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox k8s_vdu-0_du-vdu_[0-9a-f-]{36}_0\([0-9a-f]{64}\): error adding pod du-vdu_vdu-0 to CNI network "multus-cni-network": plugin type="multus-shim" name="multus-cni-network" failed \(add\): CmdAdd \(shim\): CNI request failed with status 400: 'ContainerID:.* ERRORED: error configuring pod \[du-vdu\/vdu-0\] networking: \[du-vdu\/vdu-0\/[0-9a-f-]{36}:du-fh-net\]: error adding container to network "du-fh-net": SRIOV-CNI failed to configure VF "failed to set vf 0 vlan configuration - id 10, qos 0 and proto 802.1q: operation not permitted"\n'$/,
      );
    }
    // eth0 was added on every attempt: one Event, counted.
    const eth0 = eventsOf(du3, vdu).find((e) => String(e.message).startsWith('Add eth0 '))!;
    expect(eth0.count).toBe(3);
    expect(seconds(String(eth0.lastTimestamp)) - seconds(String(eth0.firstTimestamp))).toBe(24);
    expect(readiness(du3)).toBeGreaterThan(readiness(cluster('du-001')) + 20);
  });
});
