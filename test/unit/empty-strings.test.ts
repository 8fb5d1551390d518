// One rule for empty strings across domains (subgraphs/kube/values.ts): an optional string that
// upstream writes as "" reads as null, exactly as when it is absent. Upstream-shaped objects with the
// empty strings real operators write: linuxptp-daemon's NodePtpDevice `profile: ""`, a PtpConfig profile
// with `interface: ""`, a node state whose `lastSyncError` is "", a pod not yet scheduled (`nodeName: ""`,
// `podIP: ""`), a network-status entry with `mac: ""` (vfio-pci VFs have none).
import { mapPod } from '../../subgraphs/fleet/sources.js';
import { parseNetworkStatus } from '../../subgraphs/kube/multus.js';
import { text } from '../../subgraphs/kube/values.js';
import { mapNodeState } from '../../subgraphs/sriov/sources.js';
import { mapNodePtpDevice, mapOperatorConfig, mapProfile } from '../../subgraphs/timing/sources.js';

describe('empty strings read as null, as absent ones do', () => {
  it('the rule itself', () => {
    expect([text(''), text(undefined), text(null), text(3), text('x')]).toEqual([null, null, null, null, 'x']);
  });

  it('timing: NodePtpDevice profile, PtpConfig profile interface, operator event settings', () => {
    const device = mapNodePtpDevice({ metadata: { name: 'n1', namespace: 'openshift-ptp' }, status: { devices: [{ name: 'ens5f0', profile: '' }] } });
    expect(device.devices[0].profile).toBeNull();
    const profile = mapProfile({ name: 'slave', interface: '', ptp4lOpts: '-2 -s', phc2sysOpts: '' }, []);
    expect([profile.interface, profile.ptp4lOpts, profile.phc2sysOpts]).toEqual([null, '-2 -s', null]);
    const operator = mapOperatorConfig({ metadata: { name: 'default', namespace: 'openshift-ptp' }, spec: { daemonNodeSelector: {}, ptpEventConfig: { enableEventPublisher: true, transportHost: '', apiVersion: '2.0' } } });
    expect([operator.transportHost, operator.eventApiVersion]).toEqual([null, '2.0']);
  });

  it('sriov: lastSyncError and VF fields the config daemon leaves empty', () => {
    const state = mapNodeState('c', {
      metadata: { name: 'n1', namespace: 'openshift-sriov-network-operator' },
      status: { syncStatus: 'Succeeded', lastSyncError: '', interfaces: [{ name: 'ens1f0', pciAddress: '0000:51:00.0', Vfs: [{ vfID: 0, pciAddress: '0000:51:01.0', mac: '', name: '' }] }] },
    });
    expect(state.lastSyncError).toBeNull();
    expect([state.physicalFunctions[0].vfs[0].mac, state.physicalFunctions[0].vfs[0].name]).toEqual([null, null]);
  });

  it('fleet: a pod not scheduled yet; multus: a VF entry without a MAC', () => {
    const pod = mapPod('c', { metadata: { name: 'p', namespace: 'n' }, spec: { nodeName: '', containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Pending', podIP: '' } });
    expect([pod.nodeName, pod.podIP, pod.phase]).toEqual([null, null, 'Pending']);
    const [entry] = parseNetworkStatus(JSON.stringify([{ name: 'du-vdu/du-fh-net', interface: 'net1', mac: '', 'device-info': { type: 'pci', pci: { 'pci-address': '0000:51:01.0' } } }]));
    expect([entry.mac, entry.interface]).toEqual([null, 'net1']);
  });
});
