// SR-IOV: the operator's objects as a real cluster has them. The node state has no
// spec.interfaces[].vfGroups (real node states often have none): resources come from the Node's
// openshift.io/<resourceName> capacity and the policies (issue 18, first bug).
import { expect } from '@jest/globals';
import type { KubeObject } from '../../../../simulator/types.js';
import { CLUSTER, NODE, type Domain } from '../domain.js';

const NS = 'openshift-sriov-network-operator';
const SRIOV_CAPABLE = { 'feature.node.kubernetes.io/network-sriov.capable': 'true' };

const operatorConfig: KubeObject = {
  apiVersion: 'sriovnetwork.openshift.io/v1',
  kind: 'SriovOperatorConfig',
  metadata: { name: 'default', namespace: NS },
  spec: { enableInjector: false, enableOperatorWebhook: false, configDaemonNodeSelector: SRIOV_CAPABLE, logLevel: 2 },
};

const policy = (name: string, resourceName: string, pf: string, deviceType: string, numVfs: number): KubeObject => ({
  apiVersion: 'sriovnetwork.openshift.io/v1',
  kind: 'SriovNetworkNodePolicy',
  metadata: { name, namespace: NS },
  spec: { resourceName, nodeSelector: SRIOV_CAPABLE, numVfs, priority: 10, mtu: 9000, nicSelector: { vendor: '8086', pfNames: [pf] }, deviceType, isRdma: false },
});

const network: KubeObject = {
  apiVersion: 'sriovnetwork.openshift.io/v1',
  kind: 'SriovNetwork',
  metadata: { name: 'du-fh-net', namespace: NS },
  spec: { resourceName: 'du_fh', networkNamespace: 'du-vdu', vlan: 10, spoofChk: 'off', trust: 'on', ipam: '{"type":"static"}' },
};

// what the operator renders from the SriovNetwork
const attachment: KubeObject = {
  apiVersion: 'k8s.cni.cncf.io/v1',
  kind: 'NetworkAttachmentDefinition',
  metadata: { name: 'du-fh-net', namespace: 'du-vdu', annotations: { 'k8s.v1.cni.cncf.io/resourceName': 'openshift.io/du_fh' } },
  spec: { config: '{"cniVersion":"1.0.0","name":"du-fh-net","type":"sriov","vlan":10,"spoofchk":"off","trust":"on","ipam":{"type":"static"}}' },
};

/** VF `id` of PF ens1f<pf>: 0000:51:01.<id> (ens1f0), 0000:51:11.<id> (ens1f1); vfio-pci VFs have no netdev. */
const vf = (pf: number, id: number, driver: string) => {
  const base = { vfID: id, pciAddress: `0000:51:${pf}1.${id}`, vendor: '8086', deviceID: '1889', driver, Vlan: 0 };
  return driver === 'iavf' ? { ...base, name: `ens1f${pf}v${id}`, mac: `02:00:00:00:0${pf}:0${id}`, mtu: 9000 } : base;
};

const nodeState: KubeObject = {
  apiVersion: 'sriovnetwork.openshift.io/v1',
  kind: 'SriovNetworkNodeState',
  metadata: { name: NODE, namespace: NS, annotations: { 'sriovnetwork.openshift.io/desired-state': 'Idle', 'sriovnetwork.openshift.io/current-state': 'Idle' } },
  spec: { interfaces: [{ pciAddress: '0000:51:00.0', numVfs: 4, mtu: 9000, name: 'ens1f0' }, { pciAddress: '0000:51:00.1', numVfs: 2, mtu: 9000, name: 'ens1f1' }] },
  status: {
    syncStatus: 'Succeeded',
    system: { rdmaMode: 'shared' },
    interfaces: [
      { name: 'ens1f0', pciAddress: '0000:51:00.0', mac: 'b4:96:91:aa:bb:01', driver: 'ice', vendor: '8086', deviceID: '159b', mtu: 9000, numVfs: 4, totalvfs: 64, linkSpeed: '25000 Mb/s', linkType: 'ETH', linkAdminState: 'up', eSwitchMode: 'legacy', Vfs: [0, 1, 2, 3].map((i) => vf(0, i, 'vfio-pci')) },
      { name: 'ens1f1', pciAddress: '0000:51:00.1', mac: 'b4:96:91:aa:bb:02', driver: 'ice', vendor: '8086', deviceID: '159b', mtu: 9000, numVfs: 2, totalvfs: 64, linkSpeed: '25000 Mb/s', linkType: 'ETH', linkAdminState: 'up', eSwitchMode: 'legacy', Vfs: [0, 1].map((i) => vf(1, i, 'iavf')) },
    ],
  },
};

export const sriov: Domain = {
  name: 'sriov',
  objects: [operatorConfig, policy('du-fh', 'du_fh', 'ens1f0', 'vfio-pci', 4), policy('du-mh', 'du_mh', 'ens1f1', 'netdevice', 2), network, attachment, nodeState],
  checks: [
    {
      name: 'node state: sync, PFs, VFs (capital-V upstream names)',
      query: `{ cluster(name: "${CLUSTER}") { node(name: "${NODE}") { sriov {
        syncStatus inSync desiredState currentState rdmaMode
        physicalFunctions { name numVfs totalvfs linkSpeedMbps vfGroups { resourceName } vfs { vfID pciAddress driver vlan } }
        vfs { total configured allocated free }
      } } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const s = answer.data.cluster.node.sriov;
        expect(s).toMatchObject({ syncStatus: 'Succeeded', inSync: true, desiredState: 'Idle', currentState: 'Idle', rdmaMode: 'shared', vfs: { total: 128, configured: 6, allocated: 2, free: 4 } });
        expect(s.physicalFunctions.map((p: { name: string; vfs: unknown[]; vfGroups: unknown[] }) => [p.name, p.vfs.length, p.vfGroups.length])).toEqual([['ens1f0', 4, 0], ['ens1f1', 2, 0]]);
        return `${s.syncStatus}, VFs ${s.vfs.allocated}/${s.vfs.configured} held`;
      },
    },
    {
      name: 'resources without vfGroups: Node capacity + policies (issue 18 bug 1)',
      query: `{ cluster(name: "${CLUSTER}") { node(name: "${NODE}") { sriov { resources { resource capacity allocatable requested attached available } } } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const resources = answer.data.cluster.node.sriov.resources;
        expect(resources).toEqual([
          { resource: 'openshift.io/du_fh', capacity: 4, allocatable: 4, requested: 2, attached: 2, available: 2 },
          { resource: 'openshift.io/du_mh', capacity: 2, allocatable: 2, requested: 0, attached: 0, available: 2 },
        ]);
        return resources.map((r: { resource: string; attached: number; allocatable: number }) => `${r.resource.split('/')[1]} ${r.attached}/${r.allocatable}`).join(', ');
      },
    },
    {
      name: 'which pod holds which VF; policies and networks',
      query: `{ cluster(name: "${CLUSTER}") { sriov {
        policies { name resourceName deviceType nodeSelector { key value } }
        networks { name resourceName vlan ipam attachmentDefinition { namespace name resource } }
        nodes { allocations { podName interface pciAddress vf { vfID pfName } } }
      } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const s = answer.data.cluster.sriov;
        expect(s.policies.map((p: { name: string }) => p.name)).toEqual(['du-fh', 'du-mh']);
        expect(s.networks).toEqual([{ name: 'du-fh-net', resourceName: 'du_fh', vlan: 10, ipam: { type: 'static' }, attachmentDefinition: { namespace: 'du-vdu', name: 'du-fh-net', resource: 'openshift.io/du_fh' } }]);
        expect(s.nodes[0].allocations).toEqual([
          { podName: 'vdu-0', interface: 'net1', pciAddress: '0000:51:01.0', vf: { vfID: 0, pfName: 'ens1f0' } },
          { podName: 'vdu-0', interface: 'net2', pciAddress: '0000:51:01.1', vf: { vfID: 1, pfName: 'ens1f0' } },
        ]);
        return `${s.policies.length} policies, ${s.networks.length} network, ${s.nodes[0].allocations.length} VFs held`;
      },
    },
  ],
};
