// A tiny, hand-written fleet for simulator tests (the real fleet generator is not needed for them):
// an OpenShift hub with ProvisioningRequests, an OpenShift single-node edge with PTP and SR-IOV,
// and a plain Kubernetes regional cluster without any operator CRDs.
import type { SimClusterSpec } from '../../simulator/fleet/model.js';
import type { KubeObject } from '../../simulator/types.js';

function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function node(name: string, roles: string[]): KubeObject {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' };
  for (const role of roles) labels[`node-role.kubernetes.io/${role}`] = '';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: { kubeletVersion: 'v1.31.6', osImage: 'Red Hat Enterprise Linux CoreOS' },
      capacity: { cpu: '64', memory: '263835028Ki', 'openshift.io/intelnics': '8' },
      allocatable: { cpu: '60', memory: '250000000Ki', 'openshift.io/intelnics': '8' },
    },
  };
}

function pod(ns: string, name: string, nodeName: string, labels: Record<string, string>, phase = 'Running'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { nodeName, containers: [{ name: 'main', image: 'registry.example/main:1' }] },
    status: { phase, podIP: '10.128.0.10' },
  };
}

function ptpConfig(name: string): KubeObject {
  return {
    apiVersion: 'ptp.openshift.io/v1',
    kind: 'PtpConfig',
    metadata: { name, namespace: 'openshift-ptp' },
    spec: {
      profile: [
        {
          name: 'slave',
          interface: 'ens5f0',
          ptp4lOpts: '-2 -s --summary_interval -4',
          phc2sysOpts: '-a -r -m -n 24 -N 8 -R 16',
          ptpClockThreshold: { holdOverTimeout: 5, maxOffsetThreshold: 100, minOffsetThreshold: -100 },
        },
      ],
      recommend: [{ profile: 'slave', priority: 4, match: [{ nodeLabel: 'node-role.kubernetes.io/master' }] }],
    },
    status: { matchList: [{ nodeName: 'edge-1-node', profile: 'slave' }] },
  };
}

function sriovNodeState(nodeName: string): KubeObject {
  return {
    apiVersion: 'sriovnetwork.openshift.io/v1',
    kind: 'SriovNetworkNodeState',
    metadata: { name: nodeName, namespace: 'openshift-sriov-network-operator' },
    spec: { interfaces: [] },
    status: {
      syncStatus: 'Succeeded',
      interfaces: [{ name: 'ens1f0', pciAddress: '0000:3b:00.0', vendor: '8086', deviceID: '158b', driver: 'i40e', numVfs: 8, totalvfs: 64, mtu: 1500 }],
    },
  };
}

export function provisioningRequest(name: string, state = 'progressing'): KubeObject {
  return {
    apiVersion: 'o2ims.provisioning.oran.org/v1alpha1',
    kind: 'ProvisioningRequest',
    metadata: { name },
    spec: { name, templateName: 'sno-ran-du', templateVersion: 'v4.18', templateParameters: { clusterName: name } },
    status: { provisioningStatus: { provisioningState: state, provisioningMessage: 'Cluster provisioning request received', provisioningUpdateTime: '2025-01-31T14:52:21Z' } },
  };
}

export function hubSpec(name = 'hub-1'): SimClusterSpec {
  return {
    name,
    role: 'hub',
    labels: { role: 'hub', region: 'eu-west' },
    platform: 'OpenShift',
    kubernetesVersion: 'v1.31.6',
    objects: [
      namespace('default'),
      namespace('oran-o2ims'),
      node(`${name}-master-0`, ['master', 'control-plane']),
      provisioningRequest('edge-100'),
      provisioningRequest('edge-101', 'fulfilled'),
    ],
  };
}

export function edgeSpec(name = 'edge-1'): SimClusterSpec {
  const nodeName = `${name}-node`;
  const objects: KubeObject[] = [
    namespace('default'),
    namespace('openshift-ptp'),
    namespace('openshift-sriov-network-operator'),
    namespace('vdu'),
    node(nodeName, ['master', 'worker']),
    pod('openshift-ptp', 'linuxptp-daemon-abcde', nodeName, { app: 'linuxptp-daemon' }),
    pod('openshift-ptp', 'ptp-operator-5d9c7f6b8-x2x4q', nodeName, { name: 'ptp-operator' }),
    pod('openshift-sriov-network-operator', 'sriov-network-config-daemon-qwert', nodeName, { app: 'sriov-network-config-daemon' }),
    ptpConfig('du-slave'),
    ptpConfig('du-boundary'),
    sriovNodeState(nodeName),
  ];
  for (let i = 0; i < 5; i++) objects.push(pod('vdu', `vdu-${i}`, nodeName, { app: 'vdu', tier: i % 2 ? 'odd' : 'even' }, i === 4 ? 'Pending' : 'Running'));
  return { name, role: 'edge', labels: { role: 'edge', site: `du-${name}`, region: 'eu-west' }, platform: 'OpenShift', kubernetesVersion: 'v1.31.6', objects };
}

export function regionalSpec(name = 'regional-1'): SimClusterSpec {
  return {
    name,
    role: 'regional',
    labels: { role: 'regional', region: 'eu-west' },
    platform: 'Kubernetes',
    kubernetesVersion: 'v1.31.6',
    objects: [namespace('default'), namespace('kube-system'), node(`${name}-a`, ['control-plane']), node(`${name}-b`, ['worker'])],
  };
}

export function testFleet(): SimClusterSpec[] {
  return [hubSpec(), edgeSpec(), regionalSpec()];
}
