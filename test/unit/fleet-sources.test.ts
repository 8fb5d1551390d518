import type { Node, Pod } from '../../subgraphs/kube/index.js';
import { mapNode, mapPod } from '../../subgraphs/fleet/sources.js';

const node: Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'du-001-sno',
    labels: { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/worker': '', 'kubernetes.io/hostname': 'du-001-sno' },
  },
  status: {
    capacity: { cpu: '64', memory: '256Gi', 'openshift.io/du_fh': '8' },
    allocatable: { cpu: '60', memory: '250Gi', 'openshift.io/du_fh': '8' },
    conditions: [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ],
    nodeInfo: { kubeletVersion: 'v1.31.6', osImage: 'Red Hat Enterprise Linux CoreOS 418' },
  },
};

describe('node mapping', () => {
  it('derives roles from node-role labels and readiness from the Ready condition', () => {
    const mapped = mapNode('du-001', node);
    expect(mapped.clusterName).toBe('du-001');
    expect(mapped.roles).toEqual(['master', 'worker']);
    expect(mapped.ready).toBe(true);
    expect(mapped.kubeletVersion).toBe('v1.31.6');
    expect(mapped.allocatable).toContainEqual({ name: 'openshift.io/du_fh', value: '8' });
  });

  it('is not ready without a True Ready condition', () => {
    const notReady = { ...node, status: { ...node.status, conditions: [{ type: 'Ready', status: 'Unknown' }] } };
    expect(mapNode('c', notReady).ready).toBe(false);
  });
});

describe('pod mapping', () => {
  const pod: Pod = {
    metadata: {
      name: 'vdu-l1-0',
      namespace: 'du-ran',
      labels: { app: 'vdu' },
      creationTimestamp: '2026-01-02T03:04:05Z',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'vdu-l1', uid: 'u', controller: true }],
    },
    spec: { nodeName: 'du-001-sno', containers: [{ name: 'l1', image: 'registry/vdu:1.0' }, { name: 'telemetry', image: 'registry/dpdk-exporter:1' }] },
    status: {
      phase: 'Running',
      podIP: '10.128.0.7',
      containerStatuses: [{ name: 'l1', image: 'registry/vdu:1.0', ready: true, restartCount: 2, state: { running: {} } }],
    },
  };

  it('maps phase, node, containers (with and without status) and classification', () => {
    const mapped = mapPod('du-001', pod);
    expect(mapped).toMatchObject({ clusterName: 'du-001', namespace: 'du-ran', name: 'vdu-l1-0', phase: 'Running', nodeName: 'du-001-sno' });
    expect(mapped.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(mapped.containers).toEqual([
      { name: 'l1', image: 'registry/vdu:1.0', ready: true, restartCount: 2, state: 'running' },
      { name: 'telemetry', image: 'registry/dpdk-exporter:1', ready: null, restartCount: null, state: null },
    ]);
    expect(mapped.cnf).toEqual({ kind: 'VDU', rule: 'label app=vdu' });
  });
});
