// The Multus annotation parsers (kube/multus) on annotations shaped as Multus and its users write them
// (reference/domain-models.md §5; network-attachment-definition-client types, multus-cni docs).
import {
  networkRef,
  parseNetworksAnnotation,
  parseNetworkStatus,
  podDevices,
  podNetworkRequests,
  podNetworkStatus,
  statusNetworkRef,
} from '../../subgraphs/kube/multus.js';
import type { Pod } from '../../subgraphs/kube/objects.js';

function requestsOf(text: string, ns = 'du-vdu') {
  const parsed = parseNetworksAnnotation(text, ns);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.requests;
}

describe('k8s.v1.cni.cncf.io/networks, comma form', () => {
  it('reads name, ns/name, name@ifname and ns/name@ifname; a bare name is in the pod’s namespace', () => {
    const requests = requestsOf('sriov-fh, openshift-sriov-network-operator/sriov-mh , macvlan-conf@net5,other-ns/bridge-conf@br0');
    expect(requests.map((r) => [r.namespace, r.name, r.interface])).toEqual([
      ['du-vdu', 'sriov-fh', null],
      ['openshift-sriov-network-operator', 'sriov-mh', null],
      ['du-vdu', 'macvlan-conf', 'net5'],
      ['other-ns', 'bridge-conf', 'br0'],
    ]);
    expect(requests[0]).toMatchObject({ ips: [], mac: null, defaultRoute: [], portMappings: [], bandwidth: null, cniArgs: null });
  });

  it('refuses what Multus refuses (it would not start the pod), saying why', () => {
    expect(parseNetworksAnnotation('a/b/c', 'ns')).toEqual({ ok: false, error: expect.stringContaining('more than one "/"') });
    expect(parseNetworksAnnotation('net@if1@if2', 'ns')).toEqual({ ok: false, error: expect.stringContaining('more than one "@"') });
    expect(parseNetworksAnnotation('Macvlan_Conf', 'ns')).toEqual({ ok: false, error: expect.stringContaining('DNS-1123') });
    expect(parseNetworksAnnotation('ns/', 'ns')).toEqual({ ok: false, error: expect.stringContaining('no network name') });
  });

  it('an absent or empty annotation asks for nothing', () => {
    expect(parseNetworksAnnotation(undefined, 'ns')).toEqual({ ok: true, requests: [] });
    expect(parseNetworksAnnotation('  ', 'ns')).toEqual({ ok: true, requests: [] });
  });
});

describe('k8s.v1.cni.cncf.io/networks, JSON form', () => {
  it('reads every field of a network selection element', () => {
    const text = JSON.stringify([
      { name: 'macvlan-conf', interface: 'net1', ips: ['10.1.1.101/24', '2001:db8::5/64'], mac: 'c2:b0:57:49:47:f1', 'default-route': ['10.1.1.1'] },
      {
        name: 'sriov-fh',
        namespace: 'openshift-sriov-network-operator',
        'infiniband-guid': 'c2:11:22:33:44:55:66:77',
        portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
        bandwidth: { ingressRate: 1000, ingressBurst: 2000, egressRate: 1000, egressBurst: 2000 },
        'cni-args': { foo: 'bar' },
        'ipam-claim-reference': 'vm-a.net1',
      },
      { name: 'legacy', interfaceRequest: 'net9' },
    ]);
    const [macvlan, sriov, legacy] = requestsOf(text);
    expect(macvlan).toEqual({
      namespace: 'du-vdu',
      name: 'macvlan-conf',
      interface: 'net1',
      ips: ['10.1.1.101/24', '2001:db8::5/64'],
      mac: 'c2:b0:57:49:47:f1',
      defaultRoute: ['10.1.1.1'],
      infinibandGuid: null,
      portMappings: [],
      bandwidth: null,
      cniArgs: null,
      ipamClaimReference: null,
    });
    expect(sriov).toMatchObject({
      namespace: 'openshift-sriov-network-operator',
      interface: null,
      infinibandGuid: 'c2:11:22:33:44:55:66:77',
      portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIP: null }],
      bandwidth: { ingressRate: 1000, ingressBurst: 2000, egressRate: 1000, egressBurst: 2000 },
      cniArgs: { foo: 'bar' },
      ipamClaimReference: 'vm-a.net1',
    });
    expect(legacy.interface).toBe('net9');
  });

  it('refuses malformed JSON, a non-array, an element without a name, a bad MAC or IP', () => {
    const error = (text: string) => {
      const parsed = parseNetworksAnnotation(text, 'ns');
      return parsed.ok ? null : parsed.error;
    };
    expect(error('[{"name": "a"')).toMatch(/not valid JSON/);
    expect(error('{"name": "a"}')).toMatch(/must be an array/);
    expect(error('[{"interface": "net1"}]')).toMatch(/element 0 has no name/);
    expect(error('[{"name": "a", "mac": "zz:zz"}]')).toMatch(/not a MAC address/);
    expect(error('[{"name": "a", "ips": ["10.0.0.300/24"]}]')).toMatch(/not an IP address/);
    expect(error('[{"name": "a", "default-route": ["gw"]}]')).toMatch(/default-route "gw"/);
  });

  it('podNetworkRequests resolves against the pod’s namespace', () => {
    const pod: Pod = { metadata: { name: 'upf-0', namespace: 'core-upf', annotations: { 'k8s.v1.cni.cncf.io/networks': 'n3@n3,n6' } } };
    const parsed = podNetworkRequests(pod);
    expect(parsed.ok && parsed.requests.map((r) => `${r.namespace}/${r.name}@${r.interface ?? ''}`)).toEqual(['core-upf/n3@n3', 'core-upf/n6@']);
  });
});

// An OpenShift pod with the default network, an SR-IOV VF (reference §5's example entry), a vDPA VF,
// a vhost-user and a memif interface, as Multus writes network-status.
const STATUS = [
  { name: 'ovn-kubernetes', interface: 'eth0', ips: ['10.128.2.15'], mac: '0a:58:0a:80:02:0f', default: true, dns: {} },
  {
    name: 'default/sriov-network-vlan100',
    interface: 'net1',
    mac: '96:a2:09:fb:4d:c3',
    ips: ['2.2.2.49'],
    mtu: 9000,
    gateway: ['2.2.2.1'],
    dns: { nameservers: ['10.0.0.10'], domain: 'cluster.local', search: ['svc.cluster.local'] },
    'device-info': { type: 'pci', version: '1.0.0', pci: { 'pci-address': '0000:04:02.5', 'pf-pci-address': '0000:04:00.0', 'rdma-device': 'mlx5_2' } },
  },
  {
    name: 'vdpa-net',
    interface: 'net2',
    'device-info': {
      type: 'vdpa',
      version: '1.1.0',
      vdpa: { 'parent-device': 'vdpa:0000:65:00.3', driver: 'vhost', path: '/dev/vhost-vdpa-1', 'pci-address': '0000:65:00.3', 'pf-pci-address': '0000:65:00.0' },
    },
  },
  { name: 'du-vdu/userspace-ovs', interface: 'net3', 'device-info': { type: 'vhost-user', version: '1.0.0', 'vhost-user': { mode: 'server', path: '/var/run/vhost/net3.sock' } } },
  { name: 'du-vdu/memif-net', interface: 'net4', 'device-info': { type: 'memif', version: '1.0.0', memif: { role: 'master', path: '/run/memif.sock', mode: 'ethernet' } } },
];

describe('k8s.v1.cni.cncf.io/network-status', () => {
  const entries = parseNetworkStatus(JSON.stringify(STATUS));

  it('reads the default entry and every field of a secondary one', () => {
    expect(entries.map((e) => [e.name, e.interface, e.isDefault, e.deviceType])).toEqual([
      ['ovn-kubernetes', 'eth0', true, null],
      ['default/sriov-network-vlan100', 'net1', false, 'pci'],
      ['vdpa-net', 'net2', false, 'vdpa'],
      ['du-vdu/userspace-ovs', 'net3', false, 'vhost-user'],
      ['du-vdu/memif-net', 'net4', false, 'memif'],
    ]);
    expect(entries[0].dns).toBeNull(); // `dns: {}` says nothing
    expect(entries[1]).toMatchObject({
      mac: '96:a2:09:fb:4d:c3',
      ips: ['2.2.2.49'],
      mtu: 9000,
      gateway: ['2.2.2.1'],
      dns: { nameservers: ['10.0.0.10'], domain: 'cluster.local', search: ['svc.cluster.local'], options: [] },
      pciAddress: '0000:04:02.5',
      deviceInfo: {
        type: 'pci',
        version: '1.0.0',
        pci: { pciAddress: '0000:04:02.5', pfPciAddress: '0000:04:00.0', rdmaDevice: 'mlx5_2', vhostNet: null, representorDevice: null },
        vdpa: null,
        vhostUser: null,
        memif: null,
      },
    });
  });

  it('device-info: a vDPA VF’s PCI address counts as the device; vhost-user and memif carry their socket', () => {
    expect(entries[2].pciAddress).toBe('0000:65:00.3');
    expect(entries[2].deviceInfo?.vdpa).toMatchObject({ parentDevice: 'vdpa:0000:65:00.3', driver: 'vhost', path: '/dev/vhost-vdpa-1' });
    expect(entries[3].deviceInfo?.vhostUser).toEqual({ mode: 'server', path: '/var/run/vhost/net3.sock' });
    expect(entries[4].deviceInfo?.memif).toEqual({ role: 'master', path: '/run/memif.sock', mode: 'ethernet' });
    expect([entries[3].pciAddress, entries[4].pciAddress]).toEqual([null, null]);
  });

  it('entry names: `ns/nad` on current Multus, a bare `nad` (older Multus) in the pod’s namespace, none for the default network', () => {
    expect(entries.map((e) => statusNetworkRef(e, 'du-vdu'))).toEqual([
      null,
      { namespace: 'default', name: 'sriov-network-vlan100' },
      { namespace: 'du-vdu', name: 'vdpa-net' },
      { namespace: 'du-vdu', name: 'userspace-ovs' },
      { namespace: 'du-vdu', name: 'memif-net' },
    ]);
    expect(networkRef('sriov-fh', 'ns')).toEqual({ namespace: 'ns', name: 'sriov-fh' });
  });

  it('the old networks-status key is read when the current one is absent; the current one wins', () => {
    const old: Pod = { metadata: { name: 'p', namespace: 'ns', annotations: { 'k8s.v1.cni.cncf.io/networks-status': JSON.stringify([STATUS[1]]) } } };
    expect(podNetworkStatus(old).map((e) => e.interface)).toEqual(['net1']);
    const both: Pod = {
      metadata: {
        name: 'p',
        namespace: 'ns',
        annotations: { 'k8s.v1.cni.cncf.io/networks-status': JSON.stringify([STATUS[1]]), 'k8s.v1.cni.cncf.io/network-status': JSON.stringify([STATUS[2]]) },
      },
    };
    expect(podNetworkStatus(both).map((e) => e.interface)).toEqual(['net2']);
  });

  it('a malformed status yields no entries (one pod must not fail a cluster’s answer); junk elements are skipped', () => {
    expect(parseNetworkStatus('not json')).toEqual([]);
    expect(parseNetworkStatus('{"name":"x"}')).toEqual([]);
    expect(parseNetworkStatus(JSON.stringify([null, 7, STATUS[0]])).map((e) => e.name)).toEqual(['ovn-kubernetes']);
  });

  it('podDevices: the PCI and vDPA VFs a running pod holds', () => {
    const pod: Pod = {
      metadata: { name: 'vdu-0', namespace: 'du-vdu', annotations: { 'k8s.v1.cni.cncf.io/network-status': JSON.stringify(STATUS) } },
      spec: { nodeName: 'sno' },
      status: { phase: 'Running' },
    };
    expect(podDevices([pod]).map((d) => [d.podName, d.nodeName, d.interface, d.pciAddress])).toEqual([
      ['vdu-0', 'sno', 'net1', '0000:04:02.5'],
      ['vdu-0', 'sno', 'net2', '0000:65:00.3'],
    ]);
  });
});
