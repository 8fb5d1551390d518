// A single-node OpenShift DU site: OVN-Kubernetes + Multus, PTP (T-GM / T-BC / OC), SR-IOV with
// vfio-pci fronthaul VFs and netdevice midhaul VFs, and a DPDK vDU pod using them.
import type { SimClusterSpec } from './model.js';
import { ClusterBuilder } from './builder.js';
import { namespace, node } from './core.js';
import { addOvnKubernetes, cniNamespaces, PodNetwork } from './cni.js';
import { addPtp, PTP_NAMESPACE } from './ptp.js';
import { addNetwork, addNodeState, addPolicy, addSriovDaemons, SriovNode, SRIOV_NAMESPACE, type PfSpec } from './sriov.js';
import { cnfPod, sriovVlanFailure } from './cnf.js';
import { deepFreeze } from './frozen.js';
import { edgeProfile, OCP_KUBERNETES_VERSION, type EdgeProfile } from './profiles.js';

export const DU_NAMESPACE = 'du-vdu';

const EDGE_PFS: readonly PfSpec[] = deepFreeze([
  {
    name: 'ens1f0', pciAddress: '0000:51:00.0', vfBus: '51', vfFirstDevice: 0x01, deviceID: '159b', vfDeviceID: '1889',
    driver: 'ice', totalvfs: 64, numVfs: 8, mtu: 9000, linkSpeed: '25000 Mb/s',
    group: { resourceName: 'du_fh', deviceType: 'vfio-pci', policyName: 'du-fh' },
  },
  {
    name: 'ens1f1', pciAddress: '0000:51:00.1', vfBus: '51', vfFirstDevice: 0x11, deviceID: '159b', vfDeviceID: '1889',
    driver: 'ice', totalvfs: 64, numVfs: 4, mtu: 9000, linkSpeed: '25000 Mb/s',
    group: { resourceName: 'du_mh', deviceType: 'netdevice', policyName: 'du-mh' },
  },
  ...['ens5f0', 'ens5f1', 'ens5f2', 'ens5f3'].map((name, i) => ({
    name, pciAddress: `0000:8a:00.${i}`, vfBus: '8a', vfFirstDevice: 0x01 + i * 0x10, deviceID: '1593', vfDeviceID: '1889',
    driver: 'ice', totalvfs: 64, numVfs: 0, mtu: 1500, linkSpeed: '25000 Mb/s',
  })),
]);

const SNO_SELECTOR = { 'node-role.kubernetes.io/master': '' };

export interface EdgeOptions {
  seed: number;
  index: number;
  referenceTime: number;
  /** Overrides the site name (a ProvisioningRequest names the cluster it creates). */
  name?: string;
  labels?: Record<string, string>;
  /** Installation time (ms) of a site provisioned while the simulator runs. */
  installedAt?: number;
}

export function edgeNodeName(site: string): string {
  return `${site}-sno`;
}

export function buildEdgeCluster(options: EdgeOptions): SimClusterSpec {
  const profile: EdgeProfile = { ...edgeProfile(options.index), ...(options.name ? { name: options.name } : {}) };
  const name = profile.name;
  const b = new ClusterBuilder(options.seed, name, options.referenceTime, options.installedAt);
  const kubeletVersion = OCP_KUBERNETES_VERSION[profile.ocpVersion];
  const fleetLabels = { site: name, region: profile.region, role: 'edge', ...options.labels };

  for (const ns of ['default', 'kube-system', 'openshift-monitoring', ...cniNamespaces('OVNKubernetes'), PTP_NAMESPACE, SRIOV_NAMESPACE]) {
    namespace(b, ns, ns.startsWith('openshift-') ? { 'openshift.io/cluster-monitoring': 'true' } : {});
  }
  namespace(b, DU_NAMESPACE, { 'app.kubernetes.io/part-of': 'ran', 'pod-security.kubernetes.io/enforce': 'privileged' });

  const ip = `10.${64 + (options.index >> 8)}.${options.index & 255}.10`;
  const nodeName = edgeNodeName(name);
  const cniNode = { name: nodeName, ip, index: 0 };
  const network = new PodNetwork('OVNKubernetes');
  const sriov = new SriovNode(b, nodeName, EDGE_PFS);
  const nodeObj = node(b, {
    name: nodeName,
    ip,
    kubeletVersion,
    openshift: true,
    cpu: 64,
    memoryGi: 256,
    labels: {
      'node-role.kubernetes.io/control-plane': '',
      'node-role.kubernetes.io/master': '',
      'node-role.kubernetes.io/worker': '',
      'feature.node.kubernetes.io/network-sriov.capable': 'true',
      ...fleetLabels,
    },
    annotations: network.nodeAnnotations(cniNode),
    extraResources: { 'hugepages-1Gi': '32Gi', ...sriov.resources() },
  });

  addOvnKubernetes(b, [cniNode]);
  addPtp(b, profile, [{ obj: nodeObj, name: nodeName, ip }]);
  addSriovDaemons(b, [{ name: nodeName, ip }]);
  addPolicy(b, { name: 'du-fh', resourceName: 'du_fh', numVfs: 8, pfNames: ['ens1f0'], deviceType: 'vfio-pci', nodeSelector: SNO_SELECTOR, mtu: 9000 });
  addPolicy(b, { name: 'du-mh', resourceName: 'du_mh', numVfs: 4, pfNames: ['ens1f1'], deviceType: 'netdevice', nodeSelector: SNO_SELECTOR, mtu: 9000 });
  addNetwork(b, { name: 'du-fh-net', resourceName: 'du_fh', networkNamespace: DU_NAMESPACE, vlan: 10, ipam: '{}', spoofChk: 'off', trust: 'on' });
  const mhSubnet = `192.168.${20 + (options.index % 200)}`;
  addNetwork(b, {
    name: 'du-mh-net',
    resourceName: 'du_mh',
    networkNamespace: DU_NAMESPACE,
    vlan: 20,
    ipam: JSON.stringify({ type: 'host-local', subnet: `${mhSubnet}.0/24`, rangeStart: `${mhSubnet}.10`, rangeEnd: `${mhSubnet}.100`, gateway: `${mhSubnet}.1` }),
  });

  cnfPod(b, {
    name: 'vdu-0',
    namespace: DU_NAMESPACE,
    node: cniNode,
    labels: {
      'app.kubernetes.io/name': 'vdu',
      'app.kubernetes.io/component': 'du',
      'app.kubernetes.io/part-of': 'ran',
      'cnf-type': 'vDU',
      'statefulset.kubernetes.io/pod-name': 'vdu-0',
    },
    image: 'registry.example.com/ran/vdu:24.3.1',
    cpu: '16',
    memory: '16Gi',
    hugepages1Gi: '8Gi',
    network,
    multus: true,
    sriov,
    attachments: [
      { network: 'du-fh-net', sriov: { resourceName: 'du_fh', vlan: 10 } },
      { network: 'du-fh-net', sriov: { resourceName: 'du_fh', vlan: 10 } },
      // list form on odd sites: `du-fh-net,du-fh-net,du-vdu/du-mh-net@net3`
      { network: 'du-mh-net', namespace: options.index % 2 === 0 ? undefined : DU_NAMESPACE, sriov: { resourceName: 'du_mh', vlan: 20 }, ips: [`${mhSubnet}.10/24`], interface: 'net3' },
    ],
    dpdk: true,
    networksFormat: options.index % 2 === 0 ? 'json' : 'list',
    statusAnnotations: profile.ocpVersion === '4.16' ? 'both' : 'current',
    createdAt: 3000,
    setupSeconds: profile.networkSetupSeconds,
    startupFailures: profile.sandboxFailure
      ? { count: 2, retrySeconds: 12, message: sriovVlanFailure('du-fh-net', 0, 10), interfacesBeforeFailure: 1 }
      : undefined,
  });
  addNodeState(b, sriov);

  return {
    name,
    role: 'edge',
    labels: fleetLabels,
    platform: 'OpenShift',
    kubernetesVersion: kubeletVersion,
    objects: b.objects,
  };
}
