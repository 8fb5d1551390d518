// A regional multi-node cluster: OpenShift with OVN-Kubernetes, Multus and SR-IOV (vCU, DPDK UPF, 5G core)
// or plain Kubernetes with Calico or Cilium (vCU, UPF, 5G core without SR-IOV). No PTP operator. Every
// regional cluster runs an ODA Canvas; the west ones still have the older CRDs (served only at v1beta3).
import type { SimClusterSpec } from './model.js';
import { ClusterBuilder } from './builder.js';
import { namespace, node } from './core.js';
import { addCalico, addCilium, addCiliumEndpoints, addOvnKubernetes, cniNamespaces, PodNetwork, type CniNode } from './cni.js';
import { addNad, addUpstreamMultus, INVALID_NAD, REGIONAL_NETWORKS } from './multus.js';
import { addNetwork, addNodeState, addPolicy, addSriovDaemons, SriovNode, SRIOV_NAMESPACE, type PfSpec } from './sriov.js';
import { cnfPod, type CnfPodInput, type PodAttachment, type StatusAnnotations } from './cnf.js';
import { deepFreeze } from './frozen.js';
import { regionalProfile } from './profiles.js';
import { addOdaCanvas, type OdaInstall } from './oda-canvas.js';

const REGIONAL_PFS: readonly PfSpec[] = deepFreeze([
  {
    name: 'ens2f0', pciAddress: '0000:3b:00.0', vfBus: '3b', vfFirstDevice: 0x02, deviceID: '158b', vfDeviceID: '154c',
    driver: 'i40e', totalvfs: 64, numVfs: 16, mtu: 9000, linkSpeed: '25000 Mb/s',
    group: { resourceName: 'upf_n3', deviceType: 'vfio-pci', policyName: 'upf-n3' },
  },
  {
    name: 'ens2f1', pciAddress: '0000:3b:00.1', vfBus: '3b', vfFirstDevice: 0x0a, deviceID: '158b', vfDeviceID: '154c',
    driver: 'i40e', totalvfs: 64, numVfs: 8, mtu: 9000, linkSpeed: '25000 Mb/s',
    group: { resourceName: 'cu_mh', deviceType: 'netdevice', policyName: 'cu-mh' },
  },
]);

/**
 * The regional canvas: a Resource Catalog, whose TMF634 API the Resource Inventory depends on. On v1 (east)
 * someone deleted the inventory's metrics ExposedAPI by hand and an older release r0 was deleted with
 * --cascade=orphan; on v1beta3 (west) the inventory's core API implementation never became ready.
 */
const REGIONAL_ODA: Record<'v1' | 'v1beta3', readonly OdaInstall[]> = {
  v1: [
    { component: 'resourcecatalog', release: 'r1' },
    { component: 'resourceinventory', release: 'r0', orphaned: true },
    { component: 'resourceinventory', release: 'r1', deletedByHand: ['metrics'] },
  ],
  v1beta3: [
    { component: 'resourcecatalog', release: 'r1' },
    { component: 'resourceinventory', release: 'r1', notReady: ['resourceinventorymanagement'] },
  ],
};

const SRIOV_SELECTOR = { 'feature.node.kubernetes.io/network-sriov.capable': 'true' };

/**
 * The SriovNetwork whose ipam is not valid JSON (one in the whole fleet, on the first OpenShift regional
 * cluster): readers must report a clear error for that field only. The operator renders no NAD for it.
 */
const BROKEN_IPAM = '{"type": "whereabouts", "range": "10.40.0.0/24", "exclude": ["10.40.0.1/32"],';

export interface RegionalOptions {
  seed: number;
  index: number;
  referenceTime: number;
}

interface Workload {
  name: string;
  namespace: string;
  type: string;
  component: string;
  partOf: 'ran' | '5gc';
  image: string;
  cpu: string;
  memory: string;
  deployment: boolean;
  /** Secondary network (a REGIONAL_NETWORKS NAD) on clusters that run Multus, and how the pod asks for it. */
  attach?: { network: string; format: 'json' | 'list'; interface?: string; namespaced?: boolean; status?: StatusAnnotations };
}

const WORKLOADS: readonly Workload[] = [
  { name: 'vcu-cp', namespace: 'cu-vcu', type: 'vCU-CP', component: 'cu-cp', partOf: 'ran', image: 'registry.example.com/ran/vcu-cp:24.3.0', cpu: '4', memory: '8Gi', deployment: true, attach: { network: 'f1c-macvlan', format: 'json', interface: 'f1c' } },
  { name: 'vcu-up', namespace: 'cu-vcu', type: 'vCU-UP', component: 'cu-up', partOf: 'ran', image: 'registry.example.com/ran/vcu-up:24.3.0', cpu: '8', memory: '8Gi', deployment: true, attach: { network: 'f1u-hostdev', format: 'list' } },
  { name: 'amf', namespace: '5g-core', type: 'AMF', component: 'amf', partOf: '5gc', image: 'registry.example.com/5gc/amf:3.2.1', cpu: '2', memory: '4Gi', deployment: true, attach: { network: 'n2-ipvlan', format: 'list', interface: 'n2', namespaced: true } },
  { name: 'smf', namespace: '5g-core', type: 'SMF', component: 'smf', partOf: '5gc', image: 'registry.example.com/5gc/smf:3.2.1', cpu: '2', memory: '4Gi', deployment: true, attach: { network: 'n4-conflist', format: 'json', interface: 'n4' } },
  { name: 'nrf', namespace: '5g-core', type: 'NRF', component: 'nrf', partOf: '5gc', image: 'registry.example.com/5gc/nrf:3.2.1', cpu: '1', memory: '2Gi', deployment: true },
  // Running since before a Multus upgrade on OpenShift: only the old `networks-status`, with a bare NAD name.
  { name: 'o-ru-controller', namespace: 'ran-oam', type: 'O-RU-Controller', component: 'oam', partOf: 'ran', image: 'registry.example.com/ran/oru-ctrl:1.4.0', cpu: '1', memory: '1Gi', deployment: true, attach: { network: 'oam-bridge', format: 'list', status: 'legacy' } },
];

/** MTU each regional network's plugin chain gives its interface (the macvlan `mtu`, the conflist's tuning `mtu`). */
const NETWORK_MTU: Record<string, number> = { 'f1c-macvlan': 1500, 'n4-conflist': 9000 };

export function buildRegionalCluster(options: RegionalOptions): SimClusterSpec {
  const profile = regionalProfile(options.index);
  const b = new ClusterBuilder(options.seed, profile.name, options.referenceTime);
  const openshift = profile.platform === 'OpenShift';
  const fleetLabels = { region: profile.region, role: 'regional', site: profile.name };

  const base = openshift ? ['default', 'kube-system', 'openshift-monitoring', SRIOV_NAMESPACE] : ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
  for (const ns of [...base, ...cniNamespaces(profile.cni)]) {
    namespace(b, ns, ns.startsWith('openshift-') ? { 'openshift.io/cluster-monitoring': 'true' } : {});
  }
  for (const ns of ['cu-vcu', 'upf-core', '5g-core', 'ran-oam']) namespace(b, ns, { 'app.kubernetes.io/part-of': ns === '5g-core' ? '5gc' : 'ran' });

  const network = new PodNetwork(profile.cni);
  const nodes: (CniNode & { sriov?: SriovNode })[] = [];
  for (let i = 0; i < profile.nodeCount; i++) {
    const controlPlane = openshift ? i < 3 : i === 0;
    const name = openshift ? `${profile.name}-node-${i}` : controlPlane ? `${profile.name}-cp-${i}` : `${profile.name}-worker-${i}`;
    const ip = `10.${20 + (options.index >> 8)}.${options.index & 255}.${11 + i}`;
    const cniNode: CniNode & { sriov?: SriovNode } = { name, ip, index: i };
    const labels: Record<string, string> = { ...fleetLabels };
    if (controlPlane) {
      labels['node-role.kubernetes.io/control-plane'] = '';
      if (openshift) labels['node-role.kubernetes.io/master'] = '';
    }
    if (openshift || !controlPlane) labels['node-role.kubernetes.io/worker'] = '';
    if (openshift) {
      labels['feature.node.kubernetes.io/network-sriov.capable'] = 'true';
      cniNode.sriov = new SriovNode(b, name, REGIONAL_PFS);
    }
    node(b, {
      name,
      ip,
      kubeletVersion: profile.kubernetesVersion,
      openshift,
      cpu: 96,
      memoryGi: 384,
      labels,
      annotations: network.nodeAnnotations(cniNode),
      extraResources: { 'hugepages-1Gi': '64Gi', ...(cniNode.sriov?.resources() ?? {}) },
    });
    nodes.push(cniNode);
  }

  if (profile.cni === 'OVNKubernetes') addOvnKubernetes(b, nodes);
  else if (profile.cni === 'Calico') addCalico(b, nodes, network);
  else addCilium(b, nodes);
  if (profile.multus && !openshift) addUpstreamMultus(b, nodes);
  if (profile.multus) {
    for (const n of REGIONAL_NETWORKS) addNad(b, { name: n.name, namespace: n.namespace, config: n.config });
    if (!openshift) addNad(b, INVALID_NAD);
  }
  const served = new Map<string, number>();
  const attachmentOf = (w: Workload): PodAttachment[] => {
    const net = profile.multus && w.attach ? REGIONAL_NETWORKS.find((n) => n.name === w.attach!.network) : undefined;
    if (!net) return [];
    const n = served.get(net.name) ?? 0;
    served.set(net.name, n + 1);
    return [
      {
        network: net.name,
        namespace: w.attach!.namespaced ? net.namespace : undefined,
        ips: [net.address(n)],
        requestIps: net.requestsIps,
        interface: w.attach!.interface,
        mtu: NETWORK_MTU[net.name],
      },
    ];
  };

  const workerNodes = openshift ? nodes : nodes.slice(1);
  const common = (w: Workload): Omit<CnfPodInput, 'node' | 'name'> => ({
    namespace: w.namespace,
    labels: {
      'app.kubernetes.io/name': w.name,
      'app.kubernetes.io/component': w.component,
      'app.kubernetes.io/part-of': w.partOf,
      'cnf-type': w.type,
      ...(w.deployment ? { 'pod-template-hash': b.suffix(10) } : {}),
    },
    image: w.image,
    cpu: w.cpu,
    memory: w.memory,
    network,
    multus: profile.multus,
    attachments: attachmentOf(w),
    networksFormat: w.attach?.format,
    statusAnnotations: openshift ? w.attach?.status : undefined,
    createdAt: 2400,
  });
  WORKLOADS.forEach((w, i) => {
    const c = common(w);
    cnfPod(b, { ...c, name: `${w.name}-${c.labels['pod-template-hash']}-${b.suffix()}`, node: workerNodes[i % workerNodes.length] });
  });

  // UPF: with DPDK on SR-IOV VFs on OpenShift, plain kernel networking elsewhere.
  for (let i = 0; i < 2; i++) {
    const upfNode = workerNodes[(i + 1) % workerNodes.length];
    cnfPod(b, {
      name: `upf-${i}`,
      namespace: 'upf-core',
      node: upfNode,
      labels: {
        'app.kubernetes.io/name': 'upf',
        'app.kubernetes.io/component': 'upf',
        'app.kubernetes.io/part-of': '5gc',
        'cnf-type': 'UPF',
        'statefulset.kubernetes.io/pod-name': `upf-${i}`,
      },
      image: 'registry.example.com/5gc/upf:3.2.1',
      cpu: '12',
      memory: '16Gi',
      hugepages1Gi: openshift ? '8Gi' : undefined,
      network,
      multus: profile.multus,
      sriov: upfNode.sriov,
      attachments: openshift
        ? [
            { network: 'upf-n3-net', sriov: { resourceName: 'upf_n3', vlan: 300 } },
            { network: 'upf-n3-net', sriov: { resourceName: 'upf_n3', vlan: 300 } },
          ]
        : [],
      dpdk: openshift,
      networksFormat: 'list',
      createdAt: 2500,
    });
  }

  const odaLayout = profile.region === 'west' ? 'v1beta3' : 'v1';
  addOdaCanvas(b, { layout: odaLayout, nodes: workerNodes, network, installs: REGIONAL_ODA[odaLayout] });

  if (profile.cni === 'Cilium') addCiliumEndpoints(b, b.objects.filter((o) => o.kind === 'Pod'));

  if (openshift) {
    addSriovDaemons(b, nodes);
    addPolicy(b, { name: 'upf-n3', resourceName: 'upf_n3', numVfs: 16, pfNames: ['ens2f0'], deviceType: 'vfio-pci', nodeSelector: SRIOV_SELECTOR, mtu: 9000 });
    addPolicy(b, { name: 'cu-mh', resourceName: 'cu_mh', numVfs: 8, pfNames: ['ens2f1#0-7'], deviceType: 'netdevice', nodeSelector: SRIOV_SELECTOR, mtu: 9000, priority: 20 });
    addNetwork(b, { name: 'upf-n3-net', resourceName: 'upf_n3', networkNamespace: 'upf-core', vlan: 300, ipam: '{"type":"static"}', spoofChk: 'off', trust: 'on' });
    addNetwork(b, {
      name: 'cu-mh-net',
      resourceName: 'cu_mh',
      networkNamespace: 'cu-vcu',
      vlan: 400,
      ipam: options.index === 0 ? BROKEN_IPAM : '{"type":"whereabouts","range":"10.40.0.0/24","exclude":["10.40.0.1/32"]}',
    });
    for (const n of nodes) addNodeState(b, n.sriov!);
  }

  return {
    name: profile.name,
    role: 'regional',
    labels: fleetLabels,
    platform: profile.platform,
    kubernetesVersion: profile.kubernetesVersion,
    objects: b.objects,
    ...(odaLayout === 'v1' ? {} : { servedVersions: { 'oda.tmforum.org': odaLayout } }),
  };
}
