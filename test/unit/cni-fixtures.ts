// Upstream-shaped objects for the cni unit tests, written by hand from the upstream sources and
// reported cluster output (not from the simulator): core/v1 Events as kubelet (CRI-O and containerd
// wrapping), Multus (thin plugin, and thick with its shim's 400 body and trailing newline), sriov-cni,
// host-local, whereabouts, Calico, Cilium and OVN-Kubernetes write them; NADs; OpenShift Network objects.
import type { EventObject, NetworkAttachmentDefinitionObject } from '../../subgraphs/cni/upstream.js';

export const SBX = '8d6e2f0a9b1c4d3e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6';
export const SBX2 = '1fa0c3b2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const UID = '3f0c5d1e-8a9b-4c2d-9e1f-0a1b2c3d4e5f';

interface EventInput {
  name?: string;
  namespace: string;
  pod: string;
  uid?: string;
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  component: string;
  host?: string;
  count?: number;
  first?: string;
  last?: string;
}

/** A core/v1 Event as a legacy-API writer (kubelet, Multus, OVN-Kubernetes) leaves it. */
export function legacyEvent(e: EventInput): EventObject {
  const first = e.first ?? '2025-06-02T09:00:00Z';
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: e.name ?? `${e.pod}.18a3c4d5e6f70812`, namespace: e.namespace, uid: 'ev-uid', resourceVersion: '4711', creationTimestamp: first },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: e.namespace, name: e.pod, uid: e.uid ?? UID, resourceVersion: '4700' },
    reason: e.reason,
    message: e.message,
    source: e.host ? { component: e.component, host: e.host } : { component: e.component },
    firstTimestamp: first,
    lastTimestamp: e.last ?? first,
    count: e.count ?? 1,
    type: e.type ?? 'Warning',
    eventTime: null,
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
  };
}

const shimArgs = (ns: string, pod: string, uid: string) =>
  `'ContainerID:"${SBX}" Netns:"/var/run/netns/6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" IfName:"eth0" Args:"IgnoreUnknown=1;K8S_POD_NAMESPACE=${ns};K8S_POD_NAME=${pod};K8S_POD_INFRA_CONTAINER_ID=${SBX};K8S_POD_UID=${uid}" Path:"" ERRORED: error configuring pod [${ns}/${pod}] networking: `;

/** CRI-O + Multus thick (OpenShift): the kubelet message around a Multus error. */
export function openshiftSandboxFailure(ns: string, pod: string, multusError: string, uid = UID): string {
  return (
    `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox k8s_${pod}_${ns}_${uid}_0(${SBX}): ` +
    `error adding pod ${ns}_${pod} to CNI network "multus-cni-network": plugin type="multus-shim" name="multus-cni-network" failed (add): ` +
    `CmdAdd (shim): CNI request failed with status 400: ${shimArgs(ns, pod, uid)}${multusError}\n'`
  );
}

export const TEXT = {
  nadMissing: openshiftSandboxFailure(
    'du-vdu',
    'vdu-0',
    `Multus: [du-vdu/vdu-0/${UID}]: error loading k8s delegates k8s args: TryLoadPodDelegates: error in getting k8s network for pod: GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: cannot find a network-attachment-definition (du-mh-net) in namespace (du-vdu): network-attachment-definitions.k8s.cni.cncf.io "du-mh-net" not found`,
  ),
  noNetworkFound: 'cannot find a network-attachment-definition (du-mh-net) in namespace (du-vdu): network-attachment-definitions.k8s.cni.cncf.io "du-mh-net" not found',
  sriovHostLocalExhausted: openshiftSandboxFailure(
    'du-vdu',
    'vdu-0',
    `[du-vdu/vdu-0/${UID}:du-mh-net]: error adding container to network "du-mh-net": failed to set up IPAM plugin type "host-local" from the device "ens1f1": failed to allocate for range 0: no IP addresses available in range set: 192.168.20.10-192.168.20.100`,
  ),
  sriovVlan: openshiftSandboxFailure(
    'du-vdu',
    'vdu-0',
    `[du-vdu/vdu-0/${UID}:du-fh-net]: error adding container to network "du-fh-net": SRIOV-CNI failed to configure VF "failed to set vf 0 vlan configuration - id 10, qos 0 and proto 802.1q: operation not permitted"`,
  ),
  /** The CNI name of a conflist NAD (5g-core/n4-conflist is named "n4"). */
  conflistStaticError: openshiftSandboxFailure('5g-core', 'smf-7d9f8c6b5-q2w3e', `[5g-core/smf-7d9f8c6b5-q2w3e/${UID}:n4]: error adding container to network "n4": failed to add address 10.60.4.5/24 to n4: file exists`),
  ovnTimeout: openshiftSandboxFailure(
    'openshift-ingress',
    'router-default-6f9c7d8b4-xk2lp',
    `[openshift-ingress/router-default-6f9c7d8b4-xk2lp/${UID}:ovn-kubernetes]: error adding container to network "ovn-kubernetes": CNI request failed with status 400: '[openshift-ingress/router-default-6f9c7d8b4-xk2lp ${SBX} network default NAD default] [openshift-ingress/router-default-6f9c7d8b4-xk2lp ${SBX} network default NAD default] failed to configure pod interface: timed out waiting for OVS port binding (ovn-installed) for 0a:58:0a:80:02:1c [10.128.2.28/23]\n'`,
  ),
  ovnAnnotationTimeout: openshiftSandboxFailure(
    'cu-vcu',
    'vcu-cp-5c7d9f8b6-abcde',
    `[cu-vcu/vcu-cp-5c7d9f8b6-abcde/${UID}:ovn-kubernetes]: error adding container to network "ovn-kubernetes": CNI request failed with status 400: '[cu-vcu/vcu-cp-5c7d9f8b6-abcde ${SBX} network default NAD default] failed to get pod annotation: timed out waiting for annotations: context deadline exceeded\n'`,
  ),
  /** Upstream Multus thin plugin under containerd, whereabouts pool empty (shape of a reported cluster). */
  whereaboutsThin:
    `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${SBX}": plugin type="multus" name="multus-cni-network" failed (add): ` +
    `[codesysdemo/codesysedge-65fd7b9558-z7g24/033a21ed-e98b-4386-b44f-bf81acf7e3d0:codesys-management]: error adding container to network "codesys-management": ` +
    'Error at storage engine: Could not allocate IP in range: ip: 192.168.122.145 / - 192.168.122.150 / range: net.IPNet{IP:net.IP{0xc0, 0xa8, 0x7a, 0x90}, Mask:net.IPMask{0xff, 0xff, 0xff, 0xf8}}',
  calicoIpam: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${SBX}": plugin type="calico" name="k8s-pod-network" failed (add): failed to request 1 IPv4 addresses. IPAM allocated only 0`,
  calicoIpamOld: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${SBX}": plugin type="calico" failed (add): failed to request 1 IPv4 addresses. IPAM allocated only 0`,
  ciliumRangeFull: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${SBX}": plugin type="cilium-cni" name="cilium" failed (add): unable to allocate IP via local cilium agent: [POST /ipam][502] postIpamFailure  range is full`,
  ciliumAgentDown: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${SBX}": plugin type="cilium-cni" name="cilium" failed (add): unable to connect to Cilium daemon: failed to create cilium agent client after 30.000000 seconds timeout: Get "http:///var/run/cilium/cilium.sock/v1/config": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory`,
  binaryMissing: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${SBX}": plugin type="multus" name="multus-cni-network" failed (add): [default/app-0/${UID}:macvlan-conf]: error adding container to network "macvlan-conf": failed to find plugin "macvlan" in path [/opt/cni/bin]`,
  networkNotReady:
    'network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?',
  deadline: 'Failed to create pod sandbox: rpc error: code = DeadlineExceeded desc = context deadline exceeded',
  nameReserved: `Failed to create pod sandbox: rpc error: code = Unknown desc = error reserving pod name k8s_vdu-0_du-vdu_${UID}_0 for id ${SBX2}: name is reserved`,
  pauseImage:
    'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to get sandbox image "registry.k8s.io/pause:3.9": failed to pull image "registry.k8s.io/pause:3.9": failed to pull and unpack image "registry.k8s.io/pause:3.9": failed to resolve reference "registry.k8s.io/pause:3.9": dial tcp 34.96.108.209:443: i/o timeout',
  ovnUpdating:
    'addLogicalPort failed for cbt-t18fs/writer-5d997c6c7d-sg224: unable to ensure IPs allocated for already annotated pod: default/cbt-t18fs/writer-5d997c6c7d-sg224, IPs: 10.131.0.57, error: failed to allocate IP 10.131.0.57 for ip-10-0-21-207.ec2.internal: not contained in any known subnet',
  ovnRangeFull: 'failed to assign pod addresses for default/du-vdu/vdu-0: range is full',
  sandboxChanged: 'Pod sandbox changed, it will be killed and re-created.',
};

export function nad(namespace: string, name: string, config: string | undefined, resourceName?: string): NetworkAttachmentDefinitionObject {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: {
      name,
      namespace,
      uid: `${name}-uid`,
      resourceVersion: '812',
      creationTimestamp: '2025-05-01T10:00:00Z',
      ...(resourceName ? { annotations: { 'k8s.v1.cni.cncf.io/resourceName': resourceName } } : {}),
    },
    spec: config === undefined ? {} : { config },
  };
}

/** NADs as the SR-IOV operator renders them and as users write them (multus-cni docs/quickstart.md). */
export const NADS = {
  sriovHostLocal: nad(
    'du-vdu',
    'du-mh-net',
    '{"cniVersion":"1.0.0","name":"du-mh-net","type":"sriov","vlan":20,"vlanQoS":0,"logLevel":"info","ipam":{"type":"host-local","subnet":"192.168.20.0/24","rangeStart":"192.168.20.10","rangeEnd":"192.168.20.100","gateway":"192.168.20.1"}}',
    'openshift.io/du_mh',
  ),
  sriovNoIpam: nad('du-vdu', 'du-fh-net', '{"cniVersion":"1.0.0","name":"du-fh-net","type":"sriov","vlan":10,"vlanQoS":0,"spoofchk":"off","trust":"on","logLevel":"info","ipam":{}}', 'openshift.io/du_fh'),
  macvlanQuickstart: nad(
    'default',
    'macvlan-conf',
    `{
      "cniVersion": "0.3.0",
      "type": "macvlan",
      "master": "eth0",
      "mode": "bridge",
      "ipam": {
        "type": "host-local",
        "subnet": "192.168.1.0/24",
        "rangeStart": "192.168.1.200",
        "rangeEnd": "192.168.1.216",
        "routes": [
          { "dst": "0.0.0.0/0" }
        ],
        "gateway": "192.168.1.1"
      }
    }`,
  ),
  whereabouts: nad('cu-vcu', 'f1c-macvlan', '{"cniVersion":"0.4.0","name":"f1c-macvlan","type":"macvlan","master":"ens3f0","mode":"bridge","ipam":{"type":"whereabouts","range":"10.50.1.0/24","range_start":"10.50.1.10","range_end":"10.50.1.50","exclude":["10.50.1.32/28"],"gateway":"10.50.1.1"}}'),
  whereaboutsDash: nad('ran-oam', 'oam-wb', '{"cniVersion":"0.3.1","name":"oam-wb","type":"ipvlan","master":"bond0","mode":"l3","ipam":{"type":"whereabouts","range":"192.168.2.225-192.168.2.230/24"}}'),
  whereaboutsIpRanges: nad('ran-oam', 'dual', '{"cniVersion":"0.3.1","name":"dual","type":"macvlan","master":"ens4","ipam":{"type":"whereabouts","ipRanges":[{"range":"10.80.0.0/28"},{"range":"fd00:80::/64"}]}}'),
  bridgeRanges: nad('ran-oam', 'oam-bridge', '{"cniVersion":"0.3.1","name":"oam-bridge","type":"bridge","bridge":"br-oam","vlan":100,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.70.0.0/24","rangeStart":"10.70.0.10","rangeEnd":"10.70.0.40","gateway":"10.70.0.1"}],[{"subnet":"fd00:70::/64"}]]}}'),
  hostDevice: nad('cu-vcu', 'f1u-hostdev', '{"cniVersion":"0.3.1","name":"f1u-hostdev","type":"host-device","device":"ens3f1","ipam":{"type":"static","addresses":[{"address":"10.50.2.10/24","gateway":"10.50.2.1"}],"routes":[{"dst":"10.51.0.0/16","gw":"10.50.2.1"}]}}'),
  hostDevicePci: nad('cu-vcu', 'fec', '{"cniVersion":"0.3.1","name":"fec","type":"host-device","pciBusID":"0000:af:00.0"}'),
  conflist: nad(
    '5g-core',
    'n4-conflist',
    '{"cniVersion":"0.4.0","name":"n4","plugins":[{"type":"macvlan","master":"ens3f3","mode":"bridge","capabilities":{"ips":true},"ipam":{"type":"static"}},{"type":"tuning","mtu":9000,"sysctl":{"net.ipv4.conf.IFNAME.arp_notify":"1"}}]}',
  ),
  dhcp: nad('default', 'dhcp-net', '{"cniVersion":"0.3.1","name":"dhcp-net","type":"macvlan","master":"eth1","ipam":{"type":"dhcp"}}'),
  fromFile: nad('default', 'from-node-file', undefined),
  invalid: nad('cu-vcu', 'f1u-macvlan', '{"cniVersion":"0.4.0","name":"f1u-macvlan","type":"macvlan","master":"ens3f1","mode":"bridge","ipam":{"type":"whereabouts","range":"10.50.3.0/24"}'),
  noType: nad('default', 'forgot-plugins', '{"cniVersion":"0.4.0","name":"forgot-plugins","master":"eth1"}'),
  badPlugin: nad('default', 'bad-chain', '{"cniVersion":"0.4.0","name":"bad-chain","plugins":[{"type":"bridge"},{"sysctl":{}}]}'),
  array: nad('default', 'array', '[{"type":"macvlan"}]'),
};
