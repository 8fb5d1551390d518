// Pod-network Event correlation on real kubelet / CRI-O / containerd / Multus / plugin / OVN-Kubernetes
// message texts: which Events count, the category and the rule that chose it, the network and NAD,
// the plugin, interface and IPs, sandbox id, node, and repeat counts from count or series.
import { correlatePodNetworkEvent, isPodNetworkEvent, resolveNad } from '../../subgraphs/cni/pod-events.js';
import { mapNads, podNetworkEvents, selectEvents } from '../../subgraphs/cni/sources.js';
import type { EventObject } from '../../subgraphs/cni/upstream.js';
import { legacyEvent, NADS, SBX, TEXT, UID } from './cni-fixtures.js';

const nads = mapNads('du-001', Object.values(NADS));
const correlate = (e: EventObject, podNodeName: string | null = 'du-001-sno') => correlatePodNetworkEvent(e, { clusterName: 'du-001', nads, podNodeName })!;
const kubelet = (message: string, extra: Partial<Parameters<typeof legacyEvent>[0]> = {}) =>
  legacyEvent({ namespace: 'du-vdu', pod: 'vdu-0', reason: 'FailedCreatePodSandBox', message, component: 'kubelet', host: 'du-001-sno', ...extra });

describe('which Events are pod-network Events', () => {
  it('takes kubelet, Multus and OVN-Kubernetes reasons on Pods and nothing else', () => {
    expect(isPodNetworkEvent(kubelet(TEXT.deadline))).toBe(true);
    expect(isPodNetworkEvent(legacyEvent({ namespace: 'du-vdu', pod: 'vdu-0', reason: 'AddedInterface', message: 'Add eth0 [10.128.0.11/23] from ovn-kubernetes', component: 'multus', type: 'Normal' }))).toBe(true);
    expect(isPodNetworkEvent(legacyEvent({ namespace: 'x', pod: 'p', reason: 'ErrorAddingResource', message: TEXT.ovnUpdating, component: 'controlplane' }))).toBe(true);
    expect(isPodNetworkEvent(legacyEvent({ namespace: 'x', pod: 'p', reason: 'Pulled', message: 'Successfully pulled image', component: 'kubelet', type: 'Normal' }))).toBe(false);
    const onNode = { ...kubelet(TEXT.networkNotReady, { reason: 'NetworkNotReady' }), involvedObject: { kind: 'Node', name: 'du-001-sno' } };
    expect(isPodNetworkEvent(onNode)).toBe(false);
    expect(correlatePodNetworkEvent(onNode, { clusterName: 'du-001' })).toBeNull();
  });
});

describe('kubelet FailedCreatePodSandBox through CRI-O and Multus thick (OpenShift)', () => {
  it('NAD deleted: NAD_MISSING with the NAD and namespace, plugin multus, sandbox id, node from source.host', () => {
    expect(correlate(kubelet(TEXT.nadMissing), null)).toMatchObject({
      clusterName: 'du-001',
      namespace: 'du-vdu',
      podName: 'vdu-0',
      podUid: UID,
      nodeName: 'du-001-sno',
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      category: 'NAD_MISSING',
      rule: 'message: Multus cannot find the network-attachment-definition',
      network: { name: 'du-vdu/du-mh-net', nadNamespace: 'du-vdu', nadName: 'du-mh-net' },
      plugin: 'multus',
      sandboxId: SBX,
      combined: false,
      count: 1,
      countSource: 'COUNT',
    });
  });

  it('SR-IOV VF with an empty host-local pool: IPAM_EXHAUSTED, plugin sriov, ipam host-local, NAD by CNI name', () => {
    expect(correlate(kubelet(TEXT.sriovHostLocalExhausted))).toMatchObject({
      category: 'IPAM_EXHAUSTED',
      rule: 'message: host-local: no IP addresses available in range set',
      network: { name: 'du-mh-net', nadNamespace: 'du-vdu', nadName: 'du-mh-net' },
      plugin: 'sriov',
      ipamPlugin: 'host-local',
    });
  });

  it('sriov-cni refusing the VLAN: PLUGIN_ERROR on du-fh-net', () => {
    expect(correlate(kubelet(TEXT.sriovVlan))).toMatchObject({ category: 'PLUGIN_ERROR', rule: 'message: CNI ADD failed in the plugin', network: { nadName: 'du-fh-net' }, plugin: 'sriov' });
  });

  it('resolves a conflist’s CNI name ("n4") to its NAD 5g-core/n4-conflist and names its first plugin', () => {
    const e = correlate(legacyEvent({ namespace: '5g-core', pod: 'smf-7d9f8c6b5-q2w3e', reason: 'FailedCreatePodSandBox', message: TEXT.conflistStaticError, component: 'kubelet', host: 'w1' }));
    expect(e).toMatchObject({ category: 'PLUGIN_ERROR', network: { name: 'n4', nadNamespace: '5g-core', nadName: 'n4-conflist' }, plugin: 'macvlan', nodeName: 'w1' });
  });

  it('OVN-Kubernetes port binding and annotation timeouts: TIMEOUT on the default network', () => {
    const router = legacyEvent({ namespace: 'openshift-ingress', pod: 'router-default-6f9c7d8b4-xk2lp', reason: 'FailedCreatePodSandBox', message: TEXT.ovnTimeout, component: 'kubelet', host: 'm0' });
    expect(correlate(router)).toMatchObject({
      category: 'TIMEOUT',
      rule: 'message: OVN-Kubernetes timed out waiting for the pod annotation or OVS port binding',
      network: { name: 'ovn-kubernetes', nadName: null },
      plugin: 'ovn-kubernetes',
      sandboxId: SBX,
    });
    const vcu = legacyEvent({ namespace: 'cu-vcu', pod: 'vcu-cp-5c7d9f8b6-abcde', reason: 'FailedCreatePodSandBox', message: TEXT.ovnAnnotationTimeout, component: 'kubelet', host: 'w1' });
    expect(correlate(vcu)).toMatchObject({ category: 'TIMEOUT', plugin: 'ovn-kubernetes' });
  });

  it('kubelet’s combined Events: flagged, prefix stripped, categorised by the latest message, count kept', () => {
    const e = correlate(kubelet(`(combined from similar events): ${TEXT.nadMissing}`, { count: 14, first: '2025-06-02T09:00:00Z', last: '2025-06-02T09:21:00Z' }));
    expect(e).toMatchObject({ combined: true, category: 'NAD_MISSING', count: 14, firstTime: '2025-06-02T09:00:00.000Z', lastTime: '2025-06-02T09:21:00.000Z' });
    expect(e.message.startsWith('Failed to create pod sandbox: ')).toBe(true);
  });
});

describe('containerd and other primary CNIs', () => {
  it('whereabouts through the upstream thin Multus: IPAM_EXHAUSTED, network by CNI name', () => {
    const e = correlate(legacyEvent({ namespace: 'codesysdemo', pod: 'codesysedge-65fd7b9558-z7g24', reason: 'FailedCreatePodSandBox', message: TEXT.whereaboutsThin, component: 'kubelet', host: 'n1' }));
    expect(e).toMatchObject({ category: 'IPAM_EXHAUSTED', rule: 'message: whereabouts: could not allocate IP in range', ipamPlugin: 'whereabouts', network: { name: 'codesys-management', nadName: null }, sandboxId: SBX });
  });

  it('Calico IPAM (with and without the libcni name) and Cilium range full are IPAM_EXHAUSTED of that plugin', () => {
    for (const text of [TEXT.calicoIpam, TEXT.calicoIpamOld]) {
      expect(correlate(kubelet(text))).toMatchObject({ category: 'IPAM_EXHAUSTED', plugin: 'calico', ipamPlugin: 'calico-ipam', network: null });
    }
    expect(correlate(kubelet(TEXT.ciliumRangeFull))).toMatchObject({ category: 'IPAM_EXHAUSTED', plugin: 'cilium-cni', ipamPlugin: 'cilium', rule: 'message: Cilium agent IPAM has no free address' });
  });

  it('a Cilium agent that is down is a PLUGIN_ERROR, a missing binary is a PLUGIN_ERROR naming the binary', () => {
    expect(correlate(kubelet(TEXT.ciliumAgentDown))).toMatchObject({ category: 'PLUGIN_ERROR', plugin: 'cilium-cni' });
    expect(correlate(legacyEvent({ namespace: 'default', pod: 'app-0', reason: 'FailedCreatePodSandBox', message: TEXT.binaryMissing, component: 'kubelet', host: 'n1' }))).toMatchObject({ category: 'PLUGIN_ERROR', rule: 'message: CNI plugin binary not found', plugin: 'macvlan', network: { name: 'macvlan-conf', nadNamespace: 'default', nadName: 'macvlan-conf' } });
  });

  it('separates runtime errors that are not CNI ones, and bare CRI deadlines', () => {
    expect(correlate(kubelet(TEXT.pauseImage))).toMatchObject({ category: 'NOT_CNI', rule: 'message: the sandbox (pause) image could not be pulled', plugin: null });
    expect(correlate(kubelet(TEXT.nameReserved))).toMatchObject({ category: 'NOT_CNI', rule: 'message: CRI-O: the sandbox name is still reserved by an earlier attempt' });
    expect(correlate(kubelet('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create a sandbox for pod "x": cgroup not found'))).toMatchObject({
      category: 'NOT_CNI',
      rule: 'reason FailedCreatePodSandBox with no CNI plugin in the message (a runtime or sandbox error)',
    });
    expect(correlate(kubelet(TEXT.deadline))).toMatchObject({ category: 'TIMEOUT', rule: 'message: the CRI or CNI call ran out of time (deadline exceeded)' });
  });

  it('kubelet NetworkNotReady and SandboxChanged', () => {
    expect(correlate(kubelet(TEXT.networkNotReady, { reason: 'NetworkNotReady', count: 24 }))).toMatchObject({ category: 'NETWORK_NOT_READY', rule: 'reason NetworkNotReady (kubelet)', count: 24 });
    expect(correlate(kubelet(TEXT.sandboxChanged, { reason: 'SandboxChanged', type: 'Normal' }))).toMatchObject({ category: 'SANDBOX_CHANGED', type: 'Normal' });
  });
});

describe('Multus and OVN-Kubernetes Events', () => {
  const multus = (reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal') => legacyEvent({ namespace: 'du-vdu', pod: 'vdu-0', reason, message, component: 'multus', type });

  it('AddedInterface: interface, IPs (none, one, or Go-printed dual stack), the network, and the node from the pod', () => {
    expect(correlate(multus('AddedInterface', 'Add net3 [192.168.20.10/24] from du-vdu/du-mh-net'))).toMatchObject({
      category: 'INTERFACE_ADDED',
      interface: 'net3',
      ips: ['192.168.20.10/24'],
      network: { name: 'du-vdu/du-mh-net', nadNamespace: 'du-vdu', nadName: 'du-mh-net' },
      plugin: 'sriov',
      nodeName: 'du-001-sno',
      component: 'multus',
    });
    expect(correlate(multus('AddedInterface', 'Add net1 [] from du-vdu/du-fh-net'))).toMatchObject({ interface: 'net1', ips: [] });
    expect(correlate(multus('AddedInterface', 'Add net1 [192.168.10.5/24 fd00:10::5/64] from default/macvlan-dual')).ips).toEqual(['192.168.10.5/24', 'fd00:10::5/64']);
    expect(correlate(multus('AddedInterface', 'Add eth0 [10.128.0.11/23] from ovn-kubernetes'))).toMatchObject({ network: { name: 'ovn-kubernetes', nadName: null }, plugin: 'ovn-kubernetes' });
    expect(correlate(multus('AddedInterface', 'Add eth0 [10.0.1.11/32]')).network).toBeNull();
    expect(correlate(multus('AddedInterface', 'Add eth0 [10.0.1.11/32] from cilium'), null).nodeName).toBeNull();
  });

  it('NoNetworkFound: NAD_MISSING with the NAD, counted', () => {
    expect(correlate({ ...multus('NoNetworkFound', TEXT.noNetworkFound, 'Warning'), count: 3 })).toMatchObject({
      category: 'NAD_MISSING',
      rule: 'reason NoNetworkFound (Multus)',
      network: { nadNamespace: 'du-vdu', nadName: 'du-mh-net' },
      plugin: 'multus',
      count: 3,
    });
  });

  it('OVN-Kubernetes: range full is IPAM_EXHAUSTED, other controller errors PLUGIN_ERROR by reason', () => {
    const ovn = (reason: string, message: string) => legacyEvent({ namespace: 'du-vdu', pod: 'vdu-0', reason, message, component: 'controlplane' });
    expect(correlate(ovn('ErrorAllocatingPod', TEXT.ovnRangeFull))).toMatchObject({ category: 'IPAM_EXHAUSTED', plugin: 'ovn-kubernetes', ipamPlugin: 'ovn-kubernetes' });
    expect(correlate(ovn('ErrorUpdatingResource', TEXT.ovnUpdating))).toMatchObject({ category: 'PLUGIN_ERROR', rule: 'reason ErrorUpdatingResource (OVN-Kubernetes)', plugin: 'ovn-kubernetes' });
    expect(correlate(ovn('ErrorAddingLogicalPort', 'failed to get exgw IPs for pod: unable to unmarshal annotation'))).toMatchObject({ category: 'PLUGIN_ERROR', rule: 'reason ErrorAddingLogicalPort (OVN-Kubernetes)' });
  });
});

describe('repeat counts and times', () => {
  it('takes series.count and lastObservedTime from events.k8s.io writers, count from legacy ones, else 1', () => {
    const viaNewApi: EventObject = {
      ...kubelet(TEXT.nadMissing),
      count: undefined,
      firstTimestamp: null,
      lastTimestamp: null,
      source: {},
      eventTime: '2025-06-02T09:00:00.123456Z',
      series: { count: 7, lastObservedTime: '2025-06-02T09:05:30.000001Z' },
      reportingComponent: 'kubelet',
      reportingInstance: 'du-001-sno',
    };
    expect(correlate(viaNewApi, null)).toMatchObject({ count: 7, countSource: 'SERIES', firstTime: '2025-06-02T09:00:00.123Z', lastTime: '2025-06-02T09:05:30.000Z', nodeName: 'du-001-sno', component: 'kubelet' });
    expect(correlate({ ...kubelet(TEXT.nadMissing), count: undefined })).toMatchObject({ count: 1, countSource: 'SINGLE' });
  });
});

describe('resolveNad', () => {
  it('prefers the pod’s namespace, then a NAD named like the network, then a unique CNI name elsewhere', () => {
    expect(resolveNad({ name: 'n4', nadNamespace: null, nadName: null }, 'other', nads)?.name).toBe('n4-conflist');
    expect(resolveNad({ name: 'macvlan-conf', nadNamespace: null, nadName: null }, 'default', nads)?.name).toBe('macvlan-conf');
    expect(resolveNad({ name: 'ovn-kubernetes', nadNamespace: null, nadName: null }, 'default', nads)).toBeNull();
    expect(resolveNad({ name: 'du-vdu/gone', nadNamespace: 'du-vdu', nadName: 'gone' }, 'du-vdu', nads)).toBeNull();
  });
});

describe('a cluster’s Events', () => {
  const events: EventObject[] = [
    kubelet(TEXT.sriovHostLocalExhausted, { name: 'vdu-0.a', first: '2025-06-02T09:00:00Z' }),
    kubelet(TEXT.nadMissing, { name: 'vdu-0.b', first: '2025-06-02T09:02:00Z', last: '2025-06-02T09:04:00Z', count: 3 }),
    legacyEvent({ name: 'vdu-0.c', namespace: 'du-vdu', pod: 'vdu-0', reason: 'AddedInterface', message: 'Add eth0 [10.128.0.11/23] from ovn-kubernetes', component: 'multus', type: 'Normal', first: '2025-06-02T09:03:00Z' }),
    legacyEvent({ name: 'vdu-0.d', namespace: 'du-vdu', pod: 'vdu-0', reason: 'Pulled', message: 'pulled', component: 'kubelet', type: 'Normal' }),
    { ...legacyEvent({ name: 'vdu-0.e', namespace: 'du-vdu', pod: 'vdu-0', reason: 'Scheduled', message: 'Successfully assigned du-vdu/vdu-0 to du-001-sno', component: 'default-scheduler', type: 'Normal' }), source: {} },
  ];
  const podNodes = new Map([['du-vdu/vdu-0', 'du-001-sno']]);

  it('keeps pod-network Events only, with the node from the pod where the Event names none', () => {
    const mapped = podNetworkEvents('du-001', events, { nads, podNodes });
    expect(mapped.map((e) => e.eventName)).toEqual(['vdu-0.a', 'vdu-0.b', 'vdu-0.c']);
    expect(mapped.every((e) => e.nodeName === 'du-001-sno')).toBe(true);
  });

  it('selects newest first by last occurrence, by category and since, up to a limit', () => {
    const mapped = podNetworkEvents('du-001', events, { nads, podNodes });
    expect(selectEvents(mapped).map((e) => e.eventName)).toEqual(['vdu-0.b', 'vdu-0.c', 'vdu-0.a']);
    expect(selectEvents(mapped, { categories: ['NAD_MISSING', 'IPAM_EXHAUSTED'] }).map((e) => e.category)).toEqual(['NAD_MISSING', 'IPAM_EXHAUSTED']);
    expect(selectEvents(mapped, { since: Date.parse('2025-06-02T09:03:30Z') }).map((e) => e.eventName)).toEqual(['vdu-0.b']);
    expect(selectEvents(mapped, { limit: 1 }).map((e) => e.eventName)).toEqual(['vdu-0.b']);
  });
});
