// A pod's networks: requests (both forms of k8s.v1.cni.cncf.io/networks) matched with network-status
// entries (current or old annotation; `ns/name` or bare names), missing requests, and what is expected.
import { interfacesExpected, mapPodNetworks, missingNetworks, networksComplete } from '../../subgraphs/cni/pod-networks.js';
import type { Pod } from '../../subgraphs/kube/objects.js';

function pod(annotations: Record<string, string>, namespace = 'du-vdu'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'vdu-0', namespace, annotations }, spec: { nodeName: 'du-001-sno' } };
}

const STATUS = JSON.stringify([
  { name: 'ovn-kubernetes', interface: 'eth0', ips: ['10.128.0.11'], mac: '0a:58:0a:80:00:0b', default: true, dns: {} },
  { name: 'du-vdu/du-fh-net', interface: 'net1', dns: {}, 'device-info': { type: 'pci', version: '1.1.0', pci: { 'pci-address': '0000:51:01.0' } } },
  { name: 'du-vdu/du-fh-net', interface: 'net2', dns: {}, 'device-info': { type: 'pci', version: '1.1.0', pci: { 'pci-address': '0000:51:01.1' } } },
  { name: 'du-vdu/du-mh-net', interface: 'net3', ips: ['192.168.20.10'], mac: '3a:99:12:d9:94:ef', mtu: 9000, dns: {}, 'device-info': { type: 'pci', version: '1.1.0', pci: { 'pci-address': '0000:51:11.0' } } },
]);

describe('mapPodNetworks', () => {
  it('matches the comma form (bare, ns/name, @ifname) with the status entries in order', () => {
    const m = mapPodNetworks('du-001', pod({ 'k8s.v1.cni.cncf.io/networks': 'du-fh-net,du-fh-net,du-vdu/du-mh-net@net3', 'k8s.v1.cni.cncf.io/network-status': STATUS }));
    expect(m).toMatchObject({ requestForm: 'LIST', statusAnnotation: 'NETWORK_STATUS', defaultNetworkOverride: null });
    expect(m.requests.ok && m.requests.requests.map((r) => [r.namespace, r.name, r.interface, r.attachment?.interface, r.attachment?.pciAddress])).toEqual([
      ['du-vdu', 'du-fh-net', null, 'net1', '0000:51:01.0'],
      ['du-vdu', 'du-fh-net', null, 'net2', '0000:51:01.1'],
      ['du-vdu', 'du-mh-net', 'net3', 'net3', '0000:51:11.0'],
    ]);
    expect(m.attached[3]).toEqual({ clusterName: 'du-001', nodeName: 'du-001-sno', name: 'du-vdu/du-mh-net', interface: 'net3', ips: ['192.168.20.10'], mac: '3a:99:12:d9:94:ef', mtu: 9000, default: false, gateway: [], deviceType: 'pci', pciAddress: '0000:51:11.0' });
    expect(networksComplete(m)).toBe(true);
    expect(interfacesExpected(m)).toBe(4);
  });

  it('prefers the requested interface when the same NAD is attached twice', () => {
    const m = mapPodNetworks('c', pod({ 'k8s.v1.cni.cncf.io/networks': '[{"name":"du-fh-net","interface":"net2"},{"name":"du-fh-net"}]', 'k8s.v1.cni.cncf.io/network-status': STATUS }));
    expect(m.requestForm).toBe('JSON');
    expect(m.requests.ok && m.requests.requests.map((r) => r.attachment?.interface)).toEqual(['net2', 'net1']);
  });

  it('reads the old networks-status alone with bare names, and reports requests nothing answers', () => {
    const old = JSON.stringify([
      { name: 'ovn-kubernetes', interface: 'eth0', ips: ['10.128.2.12'], default: true },
      { name: 'oam-bridge', interface: 'net1', ips: ['10.70.0.10'] },
    ]);
    const m = mapPodNetworks('c', pod({ 'k8s.v1.cni.cncf.io/networks': 'oam-bridge,ran-oam/other', 'k8s.v1.cni.cncf.io/networks-status': old }, 'ran-oam'));
    expect(m.statusAnnotation).toBe('NETWORKS_STATUS_LEGACY');
    expect(m.requests.ok && m.requests.requests[0].attachment?.name).toBe('oam-bridge');
    expect(missingNetworks(m).map((r) => `${r.namespace}/${r.name}`)).toEqual(['ran-oam/other']);
    expect(networksComplete(m)).toBe(false);
  });

  it('prefers the current status annotation over the old one when both exist', () => {
    const m = mapPodNetworks('c', pod({ 'k8s.v1.cni.cncf.io/network-status': STATUS, 'k8s.v1.cni.cncf.io/networks-status': '[]' }));
    expect(m.statusAnnotation).toBe('NETWORK_STATUS');
    expect(m.attached).toHaveLength(4);
  });

  it('says why an unreadable request cannot be matched, and is then not complete', () => {
    const m = mapPodNetworks('c', pod({ 'k8s.v1.cni.cncf.io/networks': 'Bad_Name', 'v1.multus-cni.io/default-network': 'openshift-ovn-kubernetes/alt' }));
    expect(m.requests).toEqual({ ok: false, error: expect.stringMatching(/^pod du-vdu\/vdu-0: annotation k8s\.v1\.cni\.cncf\.io\/networks cannot be read: .*Bad_Name/) });
    expect(networksComplete(m)).toBe(false);
    expect(interfacesExpected(m)).toBeNull();
    expect(m.defaultNetworkOverride).toBe('openshift-ovn-kubernetes/alt');
  });

  it('knows nothing is expected of a pod without Multus', () => {
    const m = mapPodNetworks('c', pod({}));
    expect(m).toMatchObject({ requestForm: null, statusAnnotation: null, attached: [] });
    expect(interfacesExpected(m)).toBeNull();
    expect(networksComplete(m)).toBe(true);
    expect(interfacesExpected(mapPodNetworks('c', pod({ 'k8s.v1.cni.cncf.io/network-status': '[{"name":"cilium","interface":"eth0","default":true}]' })))).toBe(1);
  });
});
