// sriovnetwork.openshift.io objects as the API server serializes them → the sriov schema's models,
// including the upstream field-name traps (`totalvfs`, `Vfs`, `Vlan`, `pfNames`) and a SriovNetwork
// whose ipam text is not JSON.
import type { Node, Pod } from '../../subgraphs/kube/objects.js';
import { parseNetworkStatus, podDevices } from '../../subgraphs/kube/multus.js';
import {
  allocationIndex,
  comparePolicies,
  drainStateOf,
  linkSpeedMbps,
  mapNetwork,
  mapNodeState,
  mapPolicy,
  networkResourceIndex,
  nodeResources,
  parseIpam,
  podRequests,
  sumResources,
  syncStatusEvent,
  vfCounts,
  vfRangeContains,
} from '../../subgraphs/sriov/sources.js';
import type { SriovNetworkNodePolicyObject, SriovNetworkNodeStateObject, SriovNetworkObject } from '../../subgraphs/sriov/upstream.js';

const NS = 'openshift-sriov-network-operator';

/** A node state exactly as the config daemon writes it (Go JSON tags of InterfaceExt / VirtualFunction). */
function nodeState(overrides: { syncStatus?: string; lastSyncError?: string; annotations?: Record<string, string> } = {}): SriovNetworkNodeStateObject {
  return {
    apiVersion: 'sriovnetwork.openshift.io/v1',
    kind: 'SriovNetworkNodeState',
    metadata: {
      name: 'du-001-sno',
      namespace: NS,
      annotations: overrides.annotations ?? {
        'sriovnetwork.openshift.io/desired-state': 'Idle',
        'sriovnetwork.openshift.io/current-state': 'Idle',
      },
    },
    spec: {
      interfaces: [
        {
          pciAddress: '0000:51:00.0',
          numVfs: 4,
          mtu: 9000,
          name: 'ens1f0',
          linkType: 'eth',
          vfGroups: [
            { resourceName: 'du_fh', deviceType: 'vfio-pci', vfRange: '0-1', policyName: 'du-fh', mtu: 9000 },
            { resourceName: 'du_fh2', deviceType: 'netdevice', vfRange: '2-3', policyName: 'du-fh2', mtu: 9000 },
          ],
        },
      ],
    },
    status: {
      interfaces: [
        {
          name: 'ens1f0',
          mac: 'b4:96:91:aa:bb:01',
          driver: 'ice',
          pciAddress: '0000:51:00.0',
          vendor: '8086',
          deviceID: '159b',
          mtu: 9000,
          numVfs: 4,
          totalvfs: 64,
          linkSpeed: '25000 Mb/s',
          linkType: 'ETH',
          linkAdminState: 'up',
          eSwitchMode: 'legacy',
          Vfs: [
            // vfio-pci VFs have no kernel netdev: no name/mac/mtu.
            { vfID: 1, pciAddress: '0000:51:01.1', vendor: '8086', deviceID: '1889', driver: 'vfio-pci', Vlan: 10 },
            { vfID: 0, pciAddress: '0000:51:01.0', vendor: '8086', deviceID: '1889', driver: 'vfio-pci', Vlan: 10 },
            { vfID: 2, pciAddress: '0000:51:01.2', vendor: '8086', deviceID: '1889', driver: 'iavf', name: 'ens1f0v2', mac: '02:00:00:00:00:02', mtu: 9000, Vlan: 0 },
            { vfID: 3, pciAddress: '0000:51:01.3', vendor: '8086', deviceID: '1889', driver: 'iavf', name: 'ens1f0v3', mac: '02:00:00:00:00:03', mtu: 9000, Vlan: 0 },
          ],
        },
        // A PF without VFs: numVfs and Vfs absent upstream.
        { name: 'ens5f0', pciAddress: '0000:8a:00.0', vendor: '8086', deviceID: '1593', driver: 'ice', mtu: 1500, totalvfs: 64, linkSpeed: '100 Gb/s' },
      ],
      system: { rdmaMode: 'shared' },
      syncStatus: overrides.syncStatus ?? 'Succeeded',
      ...(overrides.lastSyncError ? { lastSyncError: overrides.lastSyncError } : {}),
    },
  };
}

function pod(name: string, node: string, networkStatus: unknown[] | string, requests: Record<string, string> = {}, phase = 'Running'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'du-vdu',
      annotations: { 'k8s.v1.cni.cncf.io/network-status': typeof networkStatus === 'string' ? networkStatus : JSON.stringify(networkStatus) },
    },
    spec: { nodeName: node, containers: [{ name: 'app', resources: { requests, limits: requests } }] },
    status: { phase },
  };
}

const defaultEntry = { name: 'ovn-kubernetes', interface: 'eth0', ips: ['10.128.0.20'], mac: '0a:58:0a:80:00:14', default: true, dns: {} };
const vfEntry = (pci: string, iface: string, network = 'du-vdu/du-fh-net') => ({
  name: network,
  interface: iface,
  dns: {},
  'device-info': { type: 'pci', version: '1.1.0', pci: { 'pci-address': pci } },
});

describe('SriovNetworkNodeState mapping', () => {
  it('reads PFs from status.interfaces with the upstream names totalvfs, Vfs and Vlan', () => {
    const n = mapNodeState('du-001', nodeState());
    expect(n).toMatchObject({ clusterName: 'du-001', nodeName: 'du-001-sno', namespace: NS, syncStatus: 'Succeeded', inSync: true, rdmaMode: 'shared' });
    const [pf, idle] = n.physicalFunctions;
    expect(pf).toMatchObject({ name: 'ens1f0', pciAddress: '0000:51:00.0', totalvfs: 64, numVfs: 4, linkSpeed: '25000 Mb/s', linkSpeedMbps: 25000, driver: 'ice' });
    expect(pf.vfs.map((v) => [v.vfID, v.pciAddress, v.vlan, v.driver])).toEqual([
      [0, '0000:51:01.0', 10, 'vfio-pci'],
      [1, '0000:51:01.1', 10, 'vfio-pci'],
      [2, '0000:51:01.2', 0, 'iavf'],
      [3, '0000:51:01.3', 0, 'iavf'],
    ]);
    // vfio-pci VFs have no netdev; netdevice VFs do.
    expect(pf.vfs[0]).toMatchObject({ name: null, mac: null, mtu: null, pfName: 'ens1f0', pfPciAddress: '0000:51:00.0' });
    expect(pf.vfs[2]).toMatchObject({ name: 'ens1f0v2', mac: '02:00:00:00:00:02', mtu: 9000 });
    // PF without VFs: numVfs 0, no VFs, 100 Gb/s parsed.
    expect(idle).toMatchObject({ name: 'ens5f0', numVfs: 0, totalvfs: 64, vfs: [], linkSpeedMbps: 100000 });
  });

  it('does not read the look-alike names (totalVfs, vfs, vlan) that upstream does not write', () => {
    const wrong = nodeState();
    const iface = wrong.status!.interfaces![0] as Record<string, unknown>;
    iface.totalVfs = iface.totalvfs;
    delete iface.totalvfs;
    iface.vfs = (iface.Vfs as Record<string, unknown>[]).map(({ Vlan, ...vf }) => ({ ...vf, vlan: Vlan }));
    delete iface.Vfs;
    const [pf] = mapNodeState('c', wrong).physicalFunctions;
    expect(pf.totalvfs).toBeNull();
    expect(pf.vfs).toEqual([]);
  });

  it('assigns each VF the resource of the VF group whose vfRange holds it', () => {
    const [pf] = mapNodeState('c', nodeState()).physicalFunctions;
    expect(pf.vfs.map((v) => v.resourceName)).toEqual(['du_fh', 'du_fh', 'du_fh2', 'du_fh2']);
    expect(pf.vfs.map((v) => v.deviceType)).toEqual(['vfio-pci', 'vfio-pci', 'netdevice', 'netdevice']);
    expect(pf.vfGroups.map((g) => g.resource)).toEqual(['openshift.io/du_fh', 'openshift.io/du_fh2']);
    expect(vfRangeContains('0-7', 7)).toBe(true);
    expect(vfRangeContains('0-7', 8)).toBe(false);
    expect(vfRangeContains('3', 3)).toBe(true);
    expect(vfRangeContains(null, 42)).toBe(true);
    expect(vfRangeContains('junk', 0)).toBe(false);
  });

  it('maps sync status, error and drain annotations; unknown values are Unknown, absent ones null', () => {
    const failed = mapNodeState(
      'c',
      nodeState({
        syncStatus: 'Failed',
        lastSyncError: 'write /sys/bus/pci/devices/0000:51:00.0/sriov_numvfs: device or resource busy',
        annotations: { 'sriovnetwork.openshift.io/desired-state': 'Drain_Required', 'sriovnetwork.openshift.io/current-state': 'Draining' },
      }),
    );
    expect(failed).toMatchObject({ syncStatus: 'Failed', inSync: false, desiredState: 'Drain_Required', currentState: 'Draining' });
    expect(failed.lastSyncError).toContain('device or resource busy');
    const fresh = nodeState({ annotations: {} });
    delete fresh.status!.syncStatus;
    expect(mapNodeState('c', fresh)).toMatchObject({ syncStatus: 'Unknown', desiredState: null, currentState: null, lastSyncError: null });
    expect(drainStateOf('Reboot_Required')).toBe('Reboot_Required');
    expect(drainStateOf('SomethingNew')).toBe('Unknown');
    expect(linkSpeedMbps('fast')).toBeNull();
  });

  it('maps spec.interfaces as the desired configuration', () => {
    const [spec] = mapNodeState('c', nodeState()).desiredInterfaces;
    expect(spec).toMatchObject({ pciAddress: '0000:51:00.0', name: 'ens1f0', numVfs: 4, mtu: 9000, externallyManaged: false });
    expect(spec.vfGroups.map((g) => [g.resourceName, g.vfRange, g.policyName])).toEqual([
      ['du_fh', '0-1', 'du-fh'],
      ['du_fh2', '2-3', 'du-fh2'],
    ]);
  });
});

describe('SriovNetworkNodePolicy mapping', () => {
  const policy = (name: string, priority: number | undefined, nicSelector: Record<string, unknown>): SriovNetworkNodePolicyObject => ({
    metadata: { name, namespace: NS },
    spec: { resourceName: 'du_fh', nodeSelector: { 'node-role.kubernetes.io/master': '' }, priority, numVfs: 8, nicSelector, deviceType: 'vfio-pci', mtu: 9000 },
  });

  it('reads nicSelector.pfNames (plural, VF ranges kept) and defaults deviceType to netdevice', () => {
    const p = mapPolicy(policy('du-fh', 10, { vendor: '8086', pfNames: ['ens1f0#0-3', 'ens1f1'] }));
    expect(p).toMatchObject({ name: 'du-fh', resourceName: 'du_fh', resource: 'openshift.io/du_fh', numVfs: 8, priority: 10, deviceType: 'vfio-pci', isRdma: false });
    expect(p.nicSelector).toEqual({ vendor: '8086', deviceID: null, rootDevices: [], pfNames: ['ens1f0#0-3', 'ens1f1'], netFilter: null });
    expect(p.nodeSelector).toEqual([{ key: 'node-role.kubernetes.io/master', value: '' }]);
    // The README's singular `pfName` is not the API's field.
    expect(mapPolicy(policy('readme', 10, { pfName: ['ens1f0'] })).nicSelector.pfNames).toEqual([]);
    const bare = policy('bare', undefined, {});
    delete bare.spec!.deviceType;
    expect(mapPolicy(bare).deviceType).toBe('netdevice');
  });

  it('orders policies as the operator applies them: lower priority value first', () => {
    const list = [policy('b', 20, {}), policy('a', 20, {}), policy('z', 5, {})].map(mapPolicy).sort(comparePolicies);
    expect(list.map((p) => p.name)).toEqual(['z', 'a', 'b']);
  });
});

describe('SriovNetwork mapping and ipam', () => {
  const network = (ipam: string | undefined, networkNamespace?: string): SriovNetworkObject => ({
    metadata: { name: 'cu-mh-net', namespace: NS },
    spec: { resourceName: 'cu_mh', networkNamespace, vlan: 400, spoofChk: 'off', trust: 'on', ipam },
  });

  it('keeps ipam as written and parses it apart', () => {
    const n = mapNetwork('regional-east', network('{"type":"whereabouts","range":"10.40.0.0/24"}', 'cu-vcu'));
    expect(n).toMatchObject({ clusterName: 'regional-east', networkNamespace: 'cu-vcu', vlan: 400, spoofChk: 'off', trust: 'on', resource: 'openshift.io/cu_mh' });
    expect(parseIpam(n.ipamText)).toEqual({ ok: true, value: { type: 'whereabouts', range: '10.40.0.0/24' } });
  });

  it('reports ipam text that is not valid JSON as a parse failure, text kept', () => {
    const broken = '{"type": "whereabouts", "range": "10.40.0.0/24", "exclude": ["10.40.0.1/32"],';
    const n = mapNetwork('regional-east', network(broken));
    expect(n.ipamText).toBe(broken);
    const parsed = parseIpam(n.ipamText);
    expect(parsed).toMatchObject({ ok: false });
    expect(parsed && !parsed.ok && parsed.error).toMatch(/JSON|property|Unexpected/i);
  });

  it('treats an absent or empty ipam as null and defaults networkNamespace to its own namespace', () => {
    expect(parseIpam(mapNetwork('c', network(undefined)).ipamText)).toBeNull();
    expect(parseIpam('  ')).toBeNull();
    expect(mapNetwork('c', network('{}')).networkNamespace).toBe(NS);
  });
});

describe('network-status: which pod holds which VF', () => {
  it('takes device-info PCI addresses of current (ns/nad) and old (bare nad) Multus entries', () => {
    const entries = parseNetworkStatus(JSON.stringify([defaultEntry, vfEntry('0000:51:01.0', 'net1'), { ...vfEntry('0000:51:01.1', 'net2'), name: 'du-fh-net' }]));
    expect(entries.map((e) => [e.name, e.interface, e.pciAddress, e.isDefault])).toEqual([
      ['ovn-kubernetes', 'eth0', null, true],
      ['du-vdu/du-fh-net', 'net1', '0000:51:01.0', false],
      ['du-fh-net', 'net2', '0000:51:01.1', false],
    ]);
    expect(parseNetworkStatus('not json')).toEqual([]);
    expect(parseNetworkStatus('{"name":"x"}')).toEqual([]);
  });

  it('leaves out finished pods and reads the legacy networks-status annotation', () => {
    const legacy: Pod = {
      metadata: { name: 'old', namespace: 'du-vdu', annotations: { 'k8s.v1.cni.cncf.io/networks-status': JSON.stringify([vfEntry('0000:51:01.3', 'net1')]) } },
      spec: { nodeName: 'n' },
      status: { phase: 'Running' },
    };
    const done = pod('done', 'n', [vfEntry('0000:51:01.2', 'net1')], {}, 'Succeeded');
    expect(podDevices([legacy, done]).map((d) => [d.podName, d.pciAddress])).toEqual([['old', '0000:51:01.3']]);
  });
});

describe('allocation, resources and VF totals', () => {
  const state = mapNodeState('du-001', nodeState());
  const vdu = pod('vdu-0', 'du-001-sno', [defaultEntry, vfEntry('0000:51:01.0', 'net1'), vfEntry('0000:51:01.1', 'net2'), vfEntry('0000:51:01.2', 'net3', 'du-vdu/du-mh-net')], {
    cpu: '16',
    'openshift.io/du_fh': '2',
    'openshift.io/du_fh2': '1',
  });
  const elsewhere = pod('other', 'other-node', [vfEntry('0000:51:01.3', 'net1')], { 'openshift.io/du_fh2': '1' });
  const node: Node = {
    metadata: { name: 'du-001-sno' },
    status: { capacity: { 'openshift.io/du_fh': '2', 'openshift.io/du_fh2': '2', cpu: '64' }, allocatable: { 'openshift.io/du_fh': '2', 'openshift.io/du_fh2': '2' } },
  };
  const allocations = allocationIndex('du-001', [vdu, elsewhere]);

  it('finds the pod holding each VF by node and PCI address', () => {
    expect(allocations.size).toBe(4);
    const vf0 = allocations.get(`du-001-sno\u00000000:51:01.0`);
    expect(vf0).toMatchObject({ podName: 'vdu-0', namespace: 'du-vdu', interface: 'net1', network: 'du-vdu/du-fh-net', nodeName: 'du-001-sno' });
  });

  it('counts VFs: total from totalvfs, configured from numVfs, allocated on this node only', () => {
    expect(vfCounts([state], allocations)).toEqual({ total: 128, configured: 4, allocated: 3, free: 1 });
  });

  it('gives per resource the Node capacity/allocatable, what its pods request and hold', () => {
    const inputs = { nodeObject: node, pods: [vdu, elsewhere], allocations, policies: [], networkResources: new Map<string, string>() };
    const resources = nodeResources(state, inputs);
    expect(resources).toEqual([
      { resource: 'openshift.io/du_fh', resourceName: 'du_fh', capacity: 2, allocatable: 2, requested: 2, attached: 2, available: 0 },
      { resource: 'openshift.io/du_fh2', resourceName: 'du_fh2', capacity: 2, allocatable: 2, requested: 1, attached: 1, available: 1 },
    ]);
    // Without the Node object, capacity is unknown but the pod side still counts.
    expect(nodeResources(state, { ...inputs, nodeObject: null, pods: [vdu] })[0]).toMatchObject({ capacity: null, allocatable: null, available: null, requested: 2 });
    expect(sumResources([resources, resources])[0]).toMatchObject({ capacity: 4, allocatable: 4, requested: 4, attached: 4, available: 0 });
  });

  // Real node states often have no spec.interfaces[].vfGroups (the operator renders none until a policy
  // applies, and older operators never did): resources then come from the Node and the policies, and a
  // held VF belongs to the resource of the NetworkAttachmentDefinition it is attached through.
  it('reads resources from the Node and the policies when the node state has no vfGroups', () => {
    const bare = nodeState();
    bare.spec = { interfaces: [{ pciAddress: '0000:51:00.0', numVfs: 4, mtu: 9000, name: 'ens1f0' }] };
    const plain = mapNodeState('du-001', bare);
    expect(plain.physicalFunctions[0].vfGroups).toEqual([]);
    const labelled: Node = { ...node, metadata: { name: 'du-001-sno', labels: { 'node-role.kubernetes.io/worker': '', 'feature.node.kubernetes.io/network-sriov.capable': 'true' } } };
    const policy = (name: string, resourceName: string, nodeSelector: Record<string, string>): SriovNetworkNodePolicyObject => ({
      apiVersion: 'sriovnetwork.openshift.io/v1',
      kind: 'SriovNetworkNodePolicy',
      metadata: { name, namespace: NS },
      spec: { resourceName, nodeSelector, numVfs: 4, priority: 10, nicSelector: { pfNames: ['ens1f0#0-1'] }, deviceType: 'vfio-pci' },
    });
    const policies = [
      policy('du-fh', 'du_fh', { 'feature.node.kubernetes.io/network-sriov.capable': 'true' }),
      // selects this node, but the device plugin has not advertised it yet: listed with null capacity
      policy('du-ptp', 'du_ptp', { 'node-role.kubernetes.io/worker': '' }),
      // selects other nodes only: not a resource of this one
      policy('cu-mh', 'cu_mh', { 'node-role.kubernetes.io/cu': '' }),
    ].map(mapPolicy);
    // NADs as the operator renders them from SriovNetworks (resourceName annotation with the prefix)
    const nads = [
      { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'du-fh-net', namespace: 'du-vdu', annotations: { 'k8s.v1.cni.cncf.io/resourceName': 'openshift.io/du_fh' } } },
      { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'du-mh-net', namespace: 'du-vdu', annotations: { 'k8s.v1.cni.cncf.io/resourceName': 'openshift.io/du_fh2' } } },
    ];
    const resources = nodeResources(plain, { nodeObject: labelled, pods: [vdu, elsewhere], allocations, policies, networkResources: networkResourceIndex(nads) });
    expect(resources).toEqual([
      { resource: 'openshift.io/du_fh', resourceName: 'du_fh', capacity: 2, allocatable: 2, requested: 2, attached: 2, available: 0 },
      { resource: 'openshift.io/du_fh2', resourceName: 'du_fh2', capacity: 2, allocatable: 2, requested: 1, attached: 1, available: 1 },
      { resource: 'openshift.io/du_ptp', resourceName: 'du_ptp', capacity: null, allocatable: null, requested: 0, attached: 0, available: null },
    ]);
    // Without policies, NADs or groups, the Node's openshift.io/* resources alone still answer.
    const nodeOnly = nodeResources(plain, { nodeObject: labelled, pods: [vdu], allocations, policies: [], networkResources: new Map() });
    expect(nodeOnly.map((r) => [r.resource, r.allocatable, r.requested, r.attached])).toEqual([
      ['openshift.io/du_fh', 2, 2, 0],
      ['openshift.io/du_fh2', 2, 1, 0],
    ]);
    // With groups, membership comes from the groups even where a NAD would say otherwise.
    const grouped = nodeResources(state, { nodeObject: labelled, pods: [vdu], allocations, policies, networkResources: new Map([['du-vdu/du-fh-net', 'openshift.io/du_fh2']]) });
    expect(grouped.find((r) => r.resourceName === 'du_fh')!.attached).toBe(2);
  });

  it('sums requests over containers, or the largest init container when higher', () => {
    const p: Pod = {
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', resources: { limits: { 'openshift.io/x': '1' } } },
          { name: 'b', resources: { requests: { 'openshift.io/x': '1' } } },
        ],
        initContainers: [{ name: 'init', resources: { requests: { 'openshift.io/x': '3' } } }],
      },
    };
    expect(podRequests(p).get('openshift.io/x')).toBe(3);
  });
});

describe('sync-status events', () => {
  const at = '2026-01-01T00:00:00.000Z';
  it('reports what changed with previous values', () => {
    const before = nodeState();
    const inProgress = nodeState({
      syncStatus: 'InProgress',
      annotations: { 'sriovnetwork.openshift.io/desired-state': 'Drain_Required', 'sriovnetwork.openshift.io/current-state': 'Idle' },
    });
    const e = syncStatusEvent('du-001', before, inProgress, at)!;
    expect(e).toMatchObject({
      clusterName: 'du-001',
      nodeName: 'du-001-sno',
      changes: ['SYNC_STATUS', 'DESIRED_STATE'],
      syncStatus: 'InProgress',
      previousSyncStatus: 'Succeeded',
      desiredState: 'Drain_Required',
      previousDesiredState: 'Idle',
      currentState: 'Idle',
      previousCurrentState: 'Idle',
      time: at,
    });
    expect(e.sriov.syncStatus).toBe('InProgress');
  });

  it('ignores changes that do not touch sync status, error or drain state', () => {
    const other = nodeState();
    other.status!.interfaces![0].mtu = 1500;
    expect(syncStatusEvent('c', nodeState(), other, at)).toBeNull();
  });

  it('reports a new node state as CREATED and a new sync error as SYNC_ERROR', () => {
    expect(syncStatusEvent('c', undefined, nodeState(), at)).toMatchObject({ changes: ['CREATED'], previousSyncStatus: null });
    const failed = nodeState({ syncStatus: 'Failed', lastSyncError: 'boom' });
    expect(syncStatusEvent('c', nodeState(), failed, at)!.changes).toEqual(['SYNC_STATUS', 'SYNC_ERROR']);
  });
});
