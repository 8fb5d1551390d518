// The fleet generator: deterministic per seed, demo fleet composition, upstream field names and the
// cross-object consistency readers rely on (VF PCI addresses, allocatable, DPDK marker).
import { generateFleet, generateEdgeCluster } from '../../simulator/fleet/generate.js';
import { DEMO_FLEET, type SimClusterSpec } from '../../simulator/fleet/model.js';
import { generatedKinds, kindKeyOf } from '../../simulator/fleet/kind-keys.js';
import type { KubeObject } from '../../simulator/types.js';

const demo = generateFleet(DEMO_FLEET);
const byName = new Map(demo.map((c) => [c.name, c]));

function objects(cluster: SimClusterSpec, kind: string): KubeObject[] {
  return cluster.objects.filter((o) => o.kind === kind);
}
function one(cluster: SimClusterSpec, kind: string, name?: string): KubeObject {
  const found = objects(cluster, kind).filter((o) => name === undefined || o.metadata.name === name);
  if (found.length !== 1) throw new Error(`${cluster.name}: expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}
const edges = demo.filter((c) => c.role === 'edge');

describe('generateFleet determinism', () => {
  it('gives identical JSON for the same options and different JSON for another seed', () => {
    expect(JSON.stringify(generateFleet(DEMO_FLEET))).toBe(JSON.stringify(demo));
    const other = generateFleet({ ...DEMO_FLEET, seed: 2 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(demo));
    expect(other.map((c) => c.name)).toEqual(demo.map((c) => c.name));
  });

  it('keeps existing clusters unchanged when the fleet grows', () => {
    const bigger = generateFleet({ ...DEMO_FLEET, edges: 20 });
    expect(JSON.stringify(bigger.find((c) => c.name === 'du-007'))).toBe(JSON.stringify(byName.get('du-007')));
  });

  it('gives unique uids inside a cluster and never uses the same uid twice across the demo fleet', () => {
    const uids = demo.flatMap((c) => c.objects.map((o) => o.metadata.uid));
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('rejects sizes it cannot generate', () => {
    expect(() => generateFleet({ ...DEMO_FLEET, edges: 2001 })).toThrow(/edges must be an integer between 0 and 2000/);
    expect(() => generateFleet({ ...DEMO_FLEET, hubs: -1 })).toThrow(/hubs/);
  });
});

describe('demo fleet composition', () => {
  it('has two hubs, three regional clusters (one per primary CNI) and twelve edge DU sites', () => {
    expect(demo.filter((c) => c.role === 'hub').map((c) => c.name)).toEqual(['hub-1', 'hub-2']);
    expect(demo.filter((c) => c.role === 'regional').map((c) => c.name)).toEqual(['regional-east', 'regional-west', 'regional-east-2']);
    expect(edges.map((c) => c.name)).toEqual(Array.from({ length: 12 }, (_, i) => `du-${String(i + 1).padStart(3, '0')}`));
  });

  it('only emits kinds the store key table knows', () => {
    for (const c of demo) for (const o of c.objects) expect(() => kindKeyOf(o)).not.toThrow();
    expect(generatedKinds().length).toBeGreaterThanOrEqual(20);
  });

  it('mixes OpenShift 4.16 / 4.18 / 4.20 kubernetes versions', () => {
    const versions = new Set(demo.map((c) => c.kubernetesVersion));
    expect(versions).toEqual(new Set(['v1.29.10+67d3387', 'v1.31.6', 'v1.33.5', 'v1.31.4', 'v1.33.2']));
    for (const c of demo) {
      for (const n of objects(c, 'Node')) expect((n.status as { nodeInfo: { kubeletVersion: string } }).nodeInfo.kubeletVersion).toBe(c.kubernetesVersion);
    }
  });

  it('labels single-node edge sites as upstream and with fleet labels', () => {
    for (const [i, c] of edges.entries()) {
      const node = one(c, 'Node');
      const labels = node.metadata.labels!;
      expect(labels).toMatchObject({
        'node-role.kubernetes.io/master': '',
        'node-role.kubernetes.io/worker': '',
        'kubernetes.io/hostname': node.metadata.name,
        site: c.name,
        region: i % 2 === 0 ? 'east' : 'west',
        role: 'edge',
      });
      expect(c.labels).toEqual({ site: c.name, region: labels.region, role: 'edge' });
      const status = node.status as { capacity: Record<string, string>; allocatable: Record<string, string> };
      for (const key of ['cpu', 'memory', 'hugepages-1Gi', 'openshift.io/du_fh', 'openshift.io/du_mh']) {
        expect(status.capacity[key]).toBeDefined();
        expect(status.allocatable[key]).toBeDefined();
      }
      expect(status.allocatable['openshift.io/du_fh']).toBe('8');
    }
  });

  it('has no PTP operator on the hub and the regional clusters', () => {
    for (const name of ['hub-1', 'hub-2', 'regional-east', 'regional-west']) {
      expect(byName.get(name)!.objects.some((o) => o.apiVersion.startsWith('ptp.openshift.io'))).toBe(false);
    }
  });

  it('runs both PTP metric encodings, T-GM/T-BC/OC profiles and a few PtpConfigs without matchList', () => {
    const events = edges.map((c) => (one(c, 'PtpOperatorConfig', 'default').spec as { ptpEventConfig: { enableEventPublisher: boolean } }).ptpEventConfig.enableEventPublisher);
    expect(events).toContain(true);
    expect(events).toContain(false);
    const configs = edges.map((c) => one(c, 'PtpConfig'));
    const gm = configs.filter((c) => (c.spec as { profile: { ts2phcOpts?: string }[] }).profile[0].ts2phcOpts !== undefined);
    expect(gm.length).toBeGreaterThan(0);
    expect(configs.some((c) => (c.spec as { profile: { ptp4lConf: string }[] }).profile[0].ptp4lConf.includes('masterOnly 1') && c.metadata.name === 'boundary-clock')).toBe(true);
    expect(configs.some((c) => c.metadata.name === 'du-ptp-slave')).toBe(true);
    const withoutMatchList = configs.filter((c) => (c.status as { matchList?: unknown }).matchList === undefined);
    expect(withoutMatchList.length).toBeGreaterThanOrEqual(1);
    expect(withoutMatchList.length).toBeLessThanOrEqual(2);
    for (const c of configs) {
      const spec = c.spec as { profile: { ptpClockThreshold: Record<string, number> }[]; recommend: { match: { nodeLabel?: string; nodeName?: string }[] }[] };
      expect(Object.keys(spec.profile[0].ptpClockThreshold).sort()).toEqual(['holdOverTimeout', 'maxOffsetThreshold', 'minOffsetThreshold']);
      expect(spec.recommend[0].match.length).toBeGreaterThan(0);
    }
  });

  it('writes NodePtpDevice hardwareInfo only on the newest release', () => {
    for (const c of edges) {
      const devices = (one(c, 'NodePtpDevice').status as { devices: { name: string; profile: string; hardwareInfo?: unknown }[] }).devices;
      expect(devices.map((d) => d.name)).toEqual(expect.arrayContaining(['ens5f0', 'ens5f1']));
      expect(devices.every((d) => d.profile === '')).toBe(true);
      expect(devices.some((d) => d.hardwareInfo !== undefined)).toBe(c.kubernetesVersion === 'v1.33.5');
    }
  });

  it('runs a linuxptp-daemon pod per node with app=linuxptp-daemon and spec.nodeName', () => {
    for (const c of edges) {
      const daemons = objects(c, 'Pod').filter((p) => p.metadata.labels?.app === 'linuxptp-daemon');
      expect(daemons).toHaveLength(1);
      expect(daemons[0].metadata.namespace).toBe('openshift-ptp');
      expect((daemons[0].spec as { nodeName: string }).nodeName).toBe(one(c, 'Node').metadata.name);
    }
  });
});

describe('SR-IOV objects use the upstream field names', () => {
  const du = byName.get('du-001')!;
  const state = one(du, 'SriovNetworkNodeState');
  const ifaces = (state.status as { interfaces: Record<string, unknown>[] }).interfaces;

  it('writes totalvfs, Vfs and Vlan (not totalVfs, vfs, vlan) and omits name/mac on vfio-pci VFs', () => {
    const fh = ifaces.find((i) => i.name === 'ens1f0')!;
    expect(fh.totalvfs).toBe(64);
    expect(fh).not.toHaveProperty('totalVfs');
    const vfs = fh.Vfs as Record<string, unknown>[];
    expect(vfs).toHaveLength(8);
    for (const vf of vfs) {
      expect(vf.driver).toBe('vfio-pci');
      expect(vf).toHaveProperty('Vlan');
      expect(vf).not.toHaveProperty('vlan');
      expect(vf).not.toHaveProperty('name');
      expect(vf).not.toHaveProperty('mac');
    }
    const mh = ifaces.find((i) => i.name === 'ens1f1')!;
    for (const vf of mh.Vfs as Record<string, unknown>[]) {
      expect(vf.driver).toBe('iavf');
      expect(vf.name).toMatch(/^ens1f1v\d$/);
      expect(vf.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    }
    expect(state.metadata.annotations).toEqual({
      'sriovnetwork.openshift.io/desired-state': 'Idle',
      'sriovnetwork.openshift.io/current-state': 'Idle',
    });
    expect((state.status as { syncStatus: string }).syncStatus).toBe('Succeeded');
  });

  it('writes policies with nicSelector.pfNames and a vfio-pci deviceType', () => {
    const policies = objects(du, 'SriovNetworkNodePolicy');
    const fh = policies.find((p) => p.metadata.name === 'du-fh')!.spec as { nicSelector: { pfNames: string[] }; deviceType: string; resourceName: string };
    expect(fh.nicSelector.pfNames).toEqual(['ens1f0']);
    expect(fh.deviceType).toBe('vfio-pci');
    expect(fh.resourceName).toBe('du_fh');
    expect(policies.every((p) => !('pfName' in ((p.spec as { nicSelector: object }).nicSelector)))).toBe(true);
  });

  it('renders a NAD per SriovNetwork with the resourceName annotation, except for the one invalid ipam', () => {
    const networks = demo.flatMap((c) => objects(c, 'SriovNetwork').map((n) => ({ c, n })));
    const invalid = networks.filter(({ n }) => {
      try {
        JSON.parse((n.spec as { ipam: string }).ipam);
        return false;
      } catch {
        return true;
      }
    });
    expect(invalid.map(({ c, n }) => `${c.name}/${n.metadata.name}`)).toEqual(['regional-east/cu-mh-net']);
    for (const { c, n } of networks) {
      const spec = n.spec as { resourceName: string; networkNamespace: string };
      const nad = objects(c, 'NetworkAttachmentDefinition').find((d) => d.metadata.name === n.metadata.name && d.metadata.namespace === spec.networkNamespace);
      if (invalid.some((x) => x.n === n)) {
        expect(nad).toBeUndefined();
        continue;
      }
      expect(nad!.metadata.annotations!['k8s.v1.cni.cncf.io/resourceName']).toBe(`openshift.io/${spec.resourceName}`);
      expect(JSON.parse((nad!.spec as { config: string }).config)).toMatchObject({ type: 'sriov', name: n.metadata.name });
    }
  });

  it('gives the vDU pod VFs of its own node: network-status PCI addresses match vfio-pci VFs, with the network VLAN', () => {
    for (const c of edges) {
      const vdu = one(c, 'Pod', 'vdu-0');
      const status = JSON.parse(vdu.metadata.annotations!['k8s.v1.cni.cncf.io/network-status']) as { name: string; default?: boolean; 'device-info'?: { pci: { 'pci-address': string } } }[];
      expect(status[0]).toMatchObject({ name: 'ovn-kubernetes', interface: 'eth0', default: true });
      const vfs = (one(c, 'SriovNetworkNodeState').status as { interfaces: { Vfs?: { pciAddress: string; driver: string; Vlan: number }[] }[] }).interfaces.flatMap((i) => i.Vfs ?? []);
      const fh = status.filter((s) => s.name === 'du-vdu/du-fh-net');
      expect(fh).toHaveLength(2);
      for (const s of fh) {
        const vf = vfs.find((v) => v.pciAddress === s['device-info']!.pci['pci-address']);
        expect(vf).toMatchObject({ driver: 'vfio-pci', Vlan: 10 });
      }
      const requests = (vdu.spec as { containers: { resources: { requests: Record<string, string> } }[] }).containers[0].resources.requests;
      expect(requests).toMatchObject({ 'openshift.io/du_fh': '2', 'openshift.io/du_mh': '1' });
    }
  });

  it('marks DPDK pods with the dpdk-telemetry container port and annotation', () => {
    const dpdkPods = demo.flatMap((c) => objects(c, 'Pod')).filter((p) => p.metadata.annotations?.['fleetgraph.io/dpdk-telemetry'] === '9876');
    expect(dpdkPods.length).toBe(12 + 2);
    for (const p of dpdkPods) {
      const ports = (p.spec as { containers: { ports?: { name?: string; containerPort: number }[] }[] }).containers.flatMap((c) => c.ports ?? []);
      expect(ports).toContainEqual(expect.objectContaining({ name: 'dpdk-telemetry', containerPort: 9876 }));
    }
  });
});

describe('CNI variety and other domains', () => {
  it('uses OVN-Kubernetes on OpenShift, Calico on regional-west and Cilium in a larger fleet', () => {
    const east = byName.get('regional-east')!;
    expect((one(east, 'Network', 'cluster').status as { networkType: string }).networkType).toBe('OVNKubernetes');
    expect(objects(east, 'Pod').filter((p) => p.metadata.labels?.app === 'ovnkube-node' && p.metadata.namespace === 'openshift-ovn-kubernetes')).toHaveLength(4);
    expect(objects(east, 'Pod').filter((p) => p.metadata.namespace === 'openshift-multus')).toHaveLength(4);
    const west = byName.get('regional-west')!;
    expect(west.platform).toBe('Kubernetes');
    expect(west.objects.some((o) => o.apiVersion.startsWith('config.openshift.io'))).toBe(false);
    expect(objects(west, 'Pod').filter((p) => p.metadata.labels?.['k8s-app'] === 'calico-node' && p.metadata.namespace === 'calico-system')).toHaveLength(3);
    expect(objects(west, 'IPPool')).toHaveLength(1);

    const larger = generateFleet({ seed: 3, hubs: 1, regionals: 3, edges: 2 });
    const cilium = larger.find((c) => c.role === 'regional' && objects(c, 'CiliumNode').length > 0)!;
    expect(cilium).toBeDefined();
    expect(objects(cilium, 'Pod').filter((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.metadata.namespace === 'kube-system')).toHaveLength(3);
    const endpoints = objects(cilium, 'CiliumEndpoint');
    const podNetworkPods = objects(cilium, 'Pod').filter((p) => (p.status as { podIP: string; hostIP: string }).podIP !== (p.status as { hostIP: string }).hostIP);
    expect(endpoints.map((e) => `${e.metadata.namespace}/${e.metadata.name}`).sort()).toEqual(podNetworkPods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort());
    expect(endpoints[0].status).toMatchObject({ state: 'ready', networking: { addressing: [{ ipv4: expect.stringMatching(/^10\.0\./) }] } });
    expect(objects(west, 'ClusterInformation')[0].spec).toMatchObject({ calicoVersion: expect.any(String) });
    const cnis = new Set(
      larger.filter((c) => c.role === 'regional').map((c) => (objects(c, 'IPPool').length ? 'Calico' : objects(c, 'CiliumNode').length ? 'Cilium' : 'OVN')),
    );
    expect(cnis).toEqual(new Set(['OVN', 'Calico', 'Cilium']));
  });

  it('names CNF pods recognisably on the regional clusters', () => {
    const east = byName.get('regional-east')!;
    const types = new Set(objects(east, 'Pod').map((p) => p.metadata.labels?.['cnf-type']).filter(Boolean));
    expect(types).toEqual(new Set(['vCU-CP', 'vCU-UP', 'AMF', 'SMF', 'NRF', 'UPF', 'O-RU-Controller']));
    const namespaces = new Set(objects(east, 'Namespace').map((n) => n.metadata.name));
    for (const ns of ['cu-vcu', 'upf-core', '5g-core', 'ran-oam']) expect(namespaces.has(ns)).toBe(true);
  });

  it('puts ODA Components with summary/status and ProvisioningRequests of both CRD variants on the hubs', () => {
    const hub = byName.get('hub-1')!;
    expect(objects(hub, 'Component').length).toBeGreaterThan(0); // the canvas itself: fleet-oda.test.ts
    // hub-1: Nephio provisioningState; hub-2: the O-Cloud Manager's provisioningPhase (with pending)
    const nephio = objects(hub, 'ProvisioningRequest');
    expect(nephio.every((p) => p.metadata.namespace === undefined)).toBe(true);
    const prStates = nephio.map((p) => (p.status as { provisioningStatus: { provisioningState: string } }).provisioningStatus.provisioningState);
    expect(new Set(prStates)).toEqual(new Set(['progressing', 'fulfilled', 'failed']));
    expect(prStates.filter((s) => s === 'fulfilled')).toHaveLength(6);
    const ocm = objects(byName.get('hub-2')!, 'ProvisioningRequest');
    const phases = ocm.map((p) => (p.status as { provisioningStatus: { provisioningPhase: string } }).provisioningStatus.provisioningPhase);
    expect(new Set(phases)).toEqual(new Set(['pending', 'fulfilled', 'failed']));
    expect(phases.filter((s) => s === 'fulfilled')).toHaveLength(6);
    // every edge site was provisioned by exactly one request on one hub
    const targets = [...nephio.map((p) => (p.spec as { templateParameters: { clusterName: string } }).templateParameters.clusterName), ...ocm.map((p) => (p.spec as { templateParameters: { nodeClusterName: string } }).templateParameters.nodeClusterName)];
    for (const e of edges) expect(targets.filter((t) => t === e.name)).toHaveLength(1);
  });

  it('emits Normal AddedInterface and Warning FailedCreatePodSandBox events about real pods', () => {
    const events = edges.flatMap((c) => objects(c, 'Event').map((e) => ({ c, e })));
    expect(events.some(({ e }) => e.reason === 'AddedInterface' && e.type === 'Normal')).toBe(true);
    const failures = events.filter(({ e }) => e.reason === 'FailedCreatePodSandBox');
    expect(failures.length).toBeGreaterThan(0);
    for (const { c, e } of events) {
      const involved = e.involvedObject as { name: string; uid: string; namespace: string };
      const pod = objects(c, 'Pod').find((p) => p.metadata.name === involved.name && p.metadata.namespace === involved.namespace);
      expect(pod?.metadata.uid).toBe(involved.uid);
    }
    expect(failures[0].e.type).toBe('Warning');
  });

  it('generates a provisioned edge site named as requested with the same shape', () => {
    const spec = generateEdgeCluster({ seed: 1, index: 12, name: 'du-013', installedAt: Date.UTC(2025, 5, 1) });
    expect(spec.name).toBe('du-013');
    expect(one(spec, 'Node').metadata.name).toBe('du-013-sno');
    expect(one(spec, 'Node').metadata.creationTimestamp).toBe('2025-06-01T00:00:00Z');
  });
});
