// Fleet: the node and pods of a single-node DU site as the kubelet reports them, and the OpenShift
// cluster Network (so both servers are detected as OpenShift: config.openshift.io is served).
import { expect } from '@jest/globals';
import type { KubeObject } from '../../../../simulator/types.js';
import { CLUSTER, codes, NODE, type Domain } from '../domain.js';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

// The real API server refuses to proxy to loopback at once ("address not allowed"), so exporter reads
// fail fast and the same way on every machine; an unroutable pod IP would hang until the dial timeout.
export const POD_IP = '127.0.0.1';

const running = (containers: string[], restarts = 0) => ({
  phase: 'Running',
  podIP: POD_IP,
  podIPs: [{ ip: POD_IP }],
  hostIP: '192.168.10.11',
  startTime: '2026-01-01T00:00:00Z',
  conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:10Z' }],
  containerStatuses: containers.map((name) => ({
    name,
    ready: true,
    started: true,
    restartCount: restarts,
    image: `registry.example/${name}:1`,
    imageID: `registry.example/${name}@sha256:0`,
    containerID: `cri-o://${name}`,
    state: { running: { startedAt: '2026-01-01T00:00:05Z' } },
  })),
});

export const node: KubeObject = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: NODE,
    labels: {
      'kubernetes.io/hostname': NODE,
      'kubernetes.io/os': 'linux',
      'node-role.kubernetes.io/control-plane': '',
      'node-role.kubernetes.io/master': '',
      'node-role.kubernetes.io/worker': '',
      'feature.node.kubernetes.io/network-sriov.capable': 'true',
    },
  },
  spec: {},
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
    ],
    addresses: [{ type: 'InternalIP', address: '192.168.10.11' }, { type: 'Hostname', address: NODE }],
    nodeInfo: {
      machineID: 'a1', systemUUID: 'b2', bootID: 'c3', kernelVersion: '5.14.0-427.50.1.el9_4.x86_64', osImage: 'Red Hat Enterprise Linux CoreOS 418.94.202501221327-0',
      containerRuntimeVersion: 'cri-o://1.31.6', kubeletVersion: 'v1.31.6', kubeProxyVersion: 'v1.31.6', operatingSystem: 'linux', architecture: 'amd64',
    },
    // the SR-IOV device plugin's extended resources: the source of truth for resources (issue 18)
    capacity: { cpu: '64', memory: '263835028Ki', pods: '250', 'openshift.io/du_fh': '4', 'openshift.io/du_mh': '2' },
    allocatable: { cpu: '60', memory: '250000000Ki', pods: '250', 'openshift.io/du_fh': '4', 'openshift.io/du_mh': '2' },
  },
};

export const NETWORK_STATUS = JSON.stringify([
  { name: 'ovn-kubernetes', interface: 'eth0', ips: [POD_IP], mac: '0a:58:0a:80:00:14', default: true, dns: {} },
  { name: 'du-vdu/du-fh-net', interface: 'net1', mac: '', dns: {}, 'device-info': { type: 'pci', version: '1.1.0', pci: { 'pci-address': '0000:51:01.0' } } },
  { name: 'du-vdu/du-fh-net', interface: 'net2', mac: '', dns: {}, 'device-info': { type: 'pci', version: '1.1.0', pci: { 'pci-address': '0000:51:01.1' } } },
]);

export const vduPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'vdu-0',
    namespace: 'du-vdu',
    labels: { 'app.kubernetes.io/component': 'du', app: 'vdu' },
    annotations: {
      'k8s.v1.cni.cncf.io/networks': '[{"name":"du-fh-net"},{"name":"du-fh-net"}]',
      'k8s.v1.cni.cncf.io/network-status': NETWORK_STATUS,
      'fleetgraph.io/dpdk-telemetry': '9876',
    },
  },
  spec: {
    nodeName: NODE,
    containers: [
      {
        name: 'du',
        image: 'registry.example/du:1',
        ports: [{ name: 'dpdk-telemetry', containerPort: 9876, protocol: 'TCP' }],
        resources: {
          requests: { cpu: '16', memory: '32Gi', 'openshift.io/du_fh': '2', 'hugepages-1Gi': '16Gi' },
          limits: { cpu: '16', memory: '32Gi', 'openshift.io/du_fh': '2', 'hugepages-1Gi': '16Gi' },
        },
      },
    ],
  },
  status: running(['du']),
};

export const ptpDaemonPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'linuxptp-daemon-7xk2p', namespace: 'openshift-ptp', labels: { app: 'linuxptp-daemon' } },
  spec: {
    nodeName: NODE,
    hostNetwork: true,
    containers: [
      { name: 'linuxptp-daemon-container', image: 'registry.example/linuxptp-daemon-container:1', ports: [{ name: 'metrics-port', containerPort: 9091, protocol: 'TCP' }] },
      { name: 'kube-rbac-proxy', image: 'registry.example/kube-rbac-proxy:1', ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }] },
    ],
  },
  status: running(['linuxptp-daemon-container', 'kube-rbac-proxy'], 1),
};

const network: KubeObject = {
  apiVersion: 'config.openshift.io/v1',
  kind: 'Network',
  metadata: { name: 'cluster' },
  spec: { networkType: 'OVNKubernetes', clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }], serviceNetwork: ['172.30.0.0/16'] },
  status: { networkType: 'OVNKubernetes', clusterNetworkMTU: 1400, clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }], serviceNetwork: ['172.30.0.0/16'] },
};

export const fleet: Domain = {
  name: 'fleet',
  objects: [ns('openshift-ptp'), ns('openshift-sriov-network-operator'), ns('du-vdu'), network, node, ptpDaemonPod, vduPod],
  checks: [
    {
      name: 'cluster version, platform, health',
      query: `{ cluster(name: "${CLUSTER}") { version platform health { reachable errorCode } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const c = answer.data.cluster;
        expect(c).toMatchObject({ version: 'v1.20.2', platform: 'OPENSHIFT', health: { reachable: true, errorCode: null } });
        return `${c.version} ${c.platform}`;
      },
    },
    {
      name: 'node: ready, roles, kubelet, capacity',
      query: `{ cluster(name: "${CLUSTER}") { nodes { name ready roles kubeletVersion osImage conditions { type status } allocatable { name value } } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const [n] = answer.data.cluster.nodes;
        expect(n).toMatchObject({ name: NODE, ready: true, kubeletVersion: 'v1.31.6', osImage: expect.stringContaining('CoreOS') });
        expect([...n.roles].sort()).toEqual(['control-plane', 'master', 'worker']);
        expect(n.allocatable).toContainEqual({ name: 'openshift.io/du_fh', value: '4' });
        return `${n.name} ready ${n.roles.length} roles`;
      },
    },
    {
      name: 'pods and CNF workloads',
      query: `{ cluster(name: "${CLUSTER}") { pods(namespace: "du-vdu") { name phase nodeName podIP containers { name ready restartCount state } } workloads { kind rule pod { namespace name } } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const c = answer.data.cluster;
        expect(c.pods).toEqual([{ name: 'vdu-0', phase: 'Running', nodeName: NODE, podIP: POD_IP, containers: [{ name: 'du', ready: true, restartCount: 0, state: 'running' }] }]);
        expect(c.workloads).toEqual([{ kind: 'VDU', rule: expect.any(String), pod: { namespace: 'du-vdu', name: 'vdu-0' } }]);
        return `${c.pods.length} pod, ${c.workloads.map((w: { kind: string }) => w.kind).join(',')} (${codes(answer)})`;
      },
    },
  ],
};
