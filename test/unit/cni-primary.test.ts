// Primary-CNI detection (ordered rules, each naming the rule used), Multus detection and cluster
// addressing, on upstream-shaped OpenShift Network objects, DaemonSets, API groups and Nodes.
import { clusterAddressing, detectMultus, detectPrimaryCni, pluginOfNetworkType, type CniSignals } from '../../subgraphs/cni/primary-cni.js';
import type { CniNodeObject, DaemonSetObject, OpenShiftNetworkObject } from '../../subgraphs/cni/upstream.js';

function ds(namespace: string, name: string, labels: Record<string, string> = {}): DaemonSetObject {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { namespace, name, labels }, status: { desiredNumberScheduled: 3, numberReady: 3 } };
}

function node(name: string, annotations: Record<string, string> = {}, podCIDRs?: string[]) {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, annotations }, spec: podCIDRs ? { podCIDR: podCIDRs[0], podCIDRs } : {} };
}

const openshiftNetwork = (statusType: string | undefined, specType = 'OVNKubernetes'): OpenShiftNetworkObject => ({
  apiVersion: 'config.openshift.io/v1',
  kind: 'Network',
  metadata: { name: 'cluster' },
  spec: { clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }], serviceNetwork: ['172.30.0.0/16'], networkType: specType },
  status: statusType === undefined ? {} : { clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }], serviceNetwork: ['172.30.0.0/16'], clusterNetworkMTU: 1400, networkType: statusType },
});

const none: CniSignals = { daemonSets: [], servedGroups: [], nodes: [] };

describe('detectPrimaryCni', () => {
  it('trusts OpenShift Network status.networkType first, keeping the other signals', () => {
    const d = detectPrimaryCni({
      openshiftNetwork: openshiftNetwork('OVNKubernetes'),
      daemonSets: [ds('openshift-ovn-kubernetes', 'ovnkube-node', { app: 'ovnkube-node' }), ds('openshift-multus', 'multus', { app: 'multus' })],
      servedGroups: ['config.openshift.io', 'k8s.cni.cncf.io'],
      nodes: [node('n1', { 'k8s.ovn.org/node-subnets': '{"default":["10.128.0.0/23"]}' })],
    });
    expect(d).toEqual({
      plugin: 'OVN_KUBERNETES',
      source: 'OPENSHIFT_NETWORK_STATUS',
      rule: 'config.openshift.io Network cluster status.networkType=OVNKubernetes',
      pluginName: 'OVNKubernetes',
      otherSignals: [
        { plugin: 'OVN_KUBERNETES', source: 'OPENSHIFT_NETWORK_SPEC', rule: 'config.openshift.io Network cluster spec.networkType=OVNKubernetes' },
        { plugin: 'OVN_KUBERNETES', source: 'DAEMONSET', rule: 'DaemonSet openshift-ovn-kubernetes/ovnkube-node' },
        { plugin: 'OVN_KUBERNETES', source: 'NODE_ANNOTATION', rule: 'Node n1 annotation k8s.ovn.org/node-subnets' },
      ],
    });
  });

  it('falls back to spec.networkType during install, then to the operator Network', () => {
    expect(detectPrimaryCni({ ...none, openshiftNetwork: openshiftNetwork(undefined, 'OpenShiftSDN') })).toMatchObject({ plugin: 'OPENSHIFT_SDN', source: 'OPENSHIFT_NETWORK_SPEC' });
    const operator = { apiVersion: 'operator.openshift.io/v1', kind: 'Network', metadata: { name: 'cluster' }, spec: { defaultNetwork: { type: 'OVNKubernetes' } } };
    expect(detectPrimaryCni({ ...none, operatorNetwork: operator })).toMatchObject({
      plugin: 'OVN_KUBERNETES',
      source: 'OPERATOR_NETWORK',
      rule: 'operator.openshift.io Network cluster spec.defaultNetwork.type=OVNKubernetes',
    });
  });

  it('reports a third-party networkType as OTHER with its name (and knows Cilium/Calico spellings)', () => {
    expect(detectPrimaryCni({ ...none, openshiftNetwork: openshiftNetwork('Kuryr') })).toMatchObject({ plugin: 'OTHER', pluginName: 'Kuryr' });
    expect(pluginOfNetworkType('Cilium')).toBe('CILIUM');
    expect(pluginOfNetworkType('Calico')).toBe('CALICO');
    expect(pluginOfNetworkType('OpenShiftSDN')).toBe('OPENSHIFT_SDN');
  });

  it('detects Calico (calico-node in calico-system) and Cilium (cilium in kube-system) on plain Kubernetes', () => {
    expect(
      detectPrimaryCni({
        daemonSets: [ds('calico-system', 'calico-node', { 'k8s-app': 'calico-node' }), ds('calico-system', 'csi-node-driver')],
        servedGroups: ['crd.projectcalico.org', 'operator.tigera.io'],
        nodes: [node('w1', { 'projectcalico.org/IPv4Address': '10.20.1.12/24' })],
      }),
    ).toMatchObject({ plugin: 'CALICO', source: 'DAEMONSET', rule: 'DaemonSet calico-system/calico-node', otherSignals: [{ source: 'CUSTOM_RESOURCE' }, { source: 'CUSTOM_RESOURCE' }, { source: 'NODE_ANNOTATION' }] });
    expect(detectPrimaryCni({ ...none, daemonSets: [ds('kube-system', 'cilium', { 'k8s-app': 'cilium' }), ds('kube-system', 'kube-multus-ds', { app: 'multus' })] })).toMatchObject({
      plugin: 'CILIUM',
      rule: 'DaemonSet kube-system/cilium',
      pluginName: 'cilium',
    });
  });

  it('ranks the managed clouds’ CNIs above Calico/Cilium running next to them for policy or chaining', () => {
    const eks = detectPrimaryCni({ ...none, daemonSets: [ds('calico-system', 'calico-node'), ds('kube-system', 'aws-node', { 'k8s-app': 'aws-node' })] });
    expect(eks).toMatchObject({ plugin: 'AWS_VPC_CNI', rule: 'DaemonSet kube-system/aws-node', otherSignals: [{ plugin: 'CALICO' }] });
    expect(detectPrimaryCni({ ...none, daemonSets: [ds('kube-system', 'cilium'), ds('kube-system', 'azure-cns')] })).toMatchObject({ plugin: 'AZURE_CNI' });
    expect(detectPrimaryCni({ ...none, daemonSets: [ds('kube-system', 'anetd')] })).toMatchObject({ plugin: 'GKE', rule: 'DaemonSet kube-system/anetd (GKE network daemon)' });
  });

  it('detects Flannel by DaemonSet or label, and Canal as Flannel with Calico policy', () => {
    expect(detectPrimaryCni({ ...none, daemonSets: [ds('kube-flannel', 'kube-flannel-ds', { app: 'flannel' })] })).toMatchObject({ plugin: 'FLANNEL', rule: 'DaemonSet kube-flannel/kube-flannel-ds' });
    expect(detectPrimaryCni({ ...none, daemonSets: [ds('kube-system', 'flannel-custom', { app: 'flannel' })] })).toMatchObject({ plugin: 'FLANNEL' });
    expect(detectPrimaryCni({ ...none, daemonSets: [ds('kube-system', 'canal')] })).toMatchObject({ plugin: 'FLANNEL', rule: 'DaemonSet kube-system/canal (Canal: Flannel networking with Calico policy)' });
  });

  it('uses served API groups, then node annotations, when no DaemonSet is visible', () => {
    expect(detectPrimaryCni({ ...none, servedGroups: ['apps', 'cilium.io'] })).toMatchObject({ plugin: 'CILIUM', source: 'CUSTOM_RESOURCE', rule: 'API group cilium.io served' });
    expect(detectPrimaryCni({ ...none, nodes: [node('a'), node('b', { 'flannel.alpha.coreos.com/backend-type': 'vxlan' })] })).toMatchObject({
      plugin: 'FLANNEL',
      source: 'NODE_ANNOTATION',
      rule: 'Node b annotation flannel.alpha.coreos.com/backend-type',
    });
  });

  it('says UNKNOWN, with the reason, when nothing matches', () => {
    expect(detectPrimaryCni({ ...none, daemonSets: [ds('kube-system', 'kube-proxy')] })).toEqual({
      plugin: 'UNKNOWN',
      source: 'NONE',
      rule: 'no signal: no OpenShift Network, no known CNI DaemonSet, API group or node annotation',
      pluginName: null,
      otherSignals: [],
    });
  });
});

describe('detectMultus', () => {
  it('finds OpenShift’s and upstream’s DaemonSets, not the helpers next to them', () => {
    expect(detectMultus({ daemonSets: [ds('openshift-multus', 'multus-additional-cni-plugins', { app: 'multus-additional-cni-plugins' }), ds('openshift-multus', 'multus', { app: 'multus' })] })).toEqual({
      running: true,
      rule: 'DaemonSet openshift-multus/multus',
      namespace: 'openshift-multus',
      daemonSet: 'multus',
    });
    expect(detectMultus({ daemonSets: [ds('kube-system', 'kube-multus-ds')] })).toMatchObject({ running: true, rule: 'DaemonSet kube-system/kube-multus-ds' });
    expect(detectMultus({ daemonSets: [ds('openshift-multus', 'multus-additional-cni-plugins', { app: 'multus' })] })).toMatchObject({ running: false });
    expect(detectMultus({ daemonSets: [ds('calico-system', 'calico-node')] })).toEqual({ running: false, rule: 'no Multus DaemonSet (multus, kube-multus-ds, or label app=multus)', namespace: null, daemonSet: null });
  });

  it('believes the operator’s disableMultiNetwork over a lingering DaemonSet', () => {
    const operatorNetwork = { apiVersion: 'operator.openshift.io/v1', kind: 'Network', metadata: { name: 'cluster' }, spec: { disableMultiNetwork: true } };
    expect(detectMultus({ daemonSets: [ds('openshift-multus', 'multus')], operatorNetwork })).toMatchObject({ running: false, rule: 'operator.openshift.io Network cluster spec.disableMultiNetwork=true' });
  });
});

describe('clusterAddressing', () => {
  it('reads OpenShift status networks and MTU, or spec during install', () => {
    expect(clusterAddressing({ openshiftNetwork: openshiftNetwork('OVNKubernetes') })).toEqual({
      podNetworks: [{ cidr: '10.128.0.0/14', hostPrefix: 23, source: 'config.openshift.io Network cluster status.clusterNetwork' }],
      serviceNetworks: ['172.30.0.0/16'],
      mtu: 1400,
      mtuSource: 'config.openshift.io Network cluster status.clusterNetworkMTU',
    });
    expect(clusterAddressing({ openshiftNetwork: openshiftNetwork(undefined) })).toMatchObject({ podNetworks: [{ source: 'config.openshift.io Network cluster spec.clusterNetwork' }], mtu: null });
  });

  it('reads Calico IPPools (skipping disabled ones) with blockSize and the Installation MTU', () => {
    const pool = (name: string, cidr: string, disabled = false) => ({ apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name }, spec: { cidr, blockSize: 26, disabled } });
    expect(
      clusterAddressing({
        ipPools: [pool('default-ipv4-ippool', '192.168.0.0/16'), pool('old', '10.244.0.0/16', true)],
        installation: { apiVersion: 'operator.tigera.io/v1', kind: 'Installation', metadata: { name: 'default' }, status: { mtu: 1450 } },
      }),
    ).toEqual({
      podNetworks: [{ cidr: '192.168.0.0/16', hostPrefix: 26, source: 'Calico IPPool default-ipv4-ippool spec.cidr' }],
      serviceNetworks: [],
      mtu: 1450,
      mtuSource: 'operator.tigera.io Installation default status.mtu',
    });
  });

  it('reads Cilium per-node CIDRs, else Node podCIDRs', () => {
    const cn = { apiVersion: 'cilium.io/v2', kind: 'CiliumNode', metadata: { name: 'w1' }, spec: { ipam: { podCIDRs: ['10.0.1.0/24'] } } };
    expect(clusterAddressing({ ciliumNodes: [cn] }).podNetworks).toEqual([{ cidr: '10.0.1.0/24', hostPrefix: null, source: 'CiliumNode w1 spec.ipam.podCIDRs' }]);
    expect(clusterAddressing({ nodes: [node('a', {}, ['10.244.0.0/24', 'fd00:244::/64']), node('b')] }).podNetworks.map((p) => p.cidr)).toEqual(['10.244.0.0/24', 'fd00:244::/64']);
    expect(clusterAddressing({})).toEqual({ podNetworks: [], serviceNetworks: [], mtu: null, mtuSource: null });
  });
});

describe('on the demo fleet as the simulator serves it', () => {
  it('finds OVN-Kubernetes on the OpenShift clusters, Calico on regional-west and Cilium on regional-east-2', async () => {
    const { generateFleet } = await import('../../simulator/fleet/generate.js');
    const { DEMO_FLEET } = await import('../../simulator/fleet/model.js');
    const { installedGroups } = await import('../../simulator/kinds.js');
    const found: Record<string, string> = {};
    const multus: Record<string, boolean> = {};
    for (const c of generateFleet(DEMO_FLEET)) {
      const of = (kind: string, group: string) => c.objects.filter((o) => o.kind === kind && o.apiVersion.startsWith(group));
      const signals: CniSignals = {
        openshiftNetwork: of('Network', 'config.openshift.io')[0] as OpenShiftNetworkObject | undefined,
        daemonSets: of('DaemonSet', 'apps') as DaemonSetObject[],
        servedGroups: [...installedGroups(c.objects, c.platform)],
        nodes: of('Node', 'v1') as CniNodeObject[],
      };
      found[c.name] = detectPrimaryCni(signals).plugin;
      multus[c.name] = detectMultus(signals).running;
    }
    expect(found).toMatchObject({ 'hub-1': 'OVN_KUBERNETES', 'regional-east': 'OVN_KUBERNETES', 'regional-west': 'CALICO', 'regional-east-2': 'CILIUM', 'du-001': 'OVN_KUBERNETES' });
    expect(new Set(Object.values(found))).toEqual(new Set(['OVN_KUBERNETES', 'CALICO', 'CILIUM']));
    expect(multus).toMatchObject({ 'regional-east': true, 'regional-west': false, 'regional-east-2': true, 'du-001': true });
  });
});
