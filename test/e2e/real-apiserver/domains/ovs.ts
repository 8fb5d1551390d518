// OVS: Open vSwitch health comes from ovnkube-node's OVN metrics endpoint (:9105) through the API
// server's pod proxy (no Prometheus in this fleet). First the cluster runs no ovnkube-node: by the
// domain's contract it is not OVN-Kubernetes, `ovs: null` without an error. Then ovnkube-node is
// scheduled on the node (as its DaemonSet would: hostNetwork, the kube-rbac-proxy ports) and the
// cluster is OVN: the simulator's exporter answers, the real server has no pod network behind its proxy,
// so the metrics fail there by design — a coded error on the metric fields (NodeOvs is all metrics:
// Node.ovs null; ClusterOvs keeps its source and thresholds, its node entry is null), nothing crashes.
import { expect } from '@jest/globals';
import type { KubeObject } from '../../../../simulator/types.js';
import { waitUntil } from '../../../helpers/wait.js';
import { CLUSTER, codes, errorsAt, NODE, type Domain, type GraphQLAnswer } from '../domain.js';
import { POD_IP } from './fleet.js';

const NS = 'openshift-ovn-kubernetes';
const IMAGE = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:ovn-kubernetes';
const RBAC_PROXY = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:kube-rbac-proxy';
const CONTAINERS = ['ovn-controller', 'ovn-acl-logging', 'kube-rbac-proxy-node', 'kube-rbac-proxy-ovn-metrics', 'northd', 'nbdb', 'sbdb', 'ovnkube-controller'];

const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };

const ovnkubeNode: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'ovnkube-node-5kq8d', namespace: NS, labels: { app: 'ovnkube-node', component: 'network', type: 'infra', 'ovn-db-pod': 'true' } },
  spec: {
    nodeName: NODE,
    hostNetwork: true,
    containers: CONTAINERS.map((name) => ({
      name,
      image: name.startsWith('kube-rbac-proxy') ? RBAC_PROXY : IMAGE,
      ...(name === 'kube-rbac-proxy-node' ? { ports: [{ name: 'metrics', containerPort: 9103, protocol: 'TCP' }] } : {}),
      ...(name === 'kube-rbac-proxy-ovn-metrics' ? { ports: [{ name: 'ovn-metrics', containerPort: 9105, protocol: 'TCP' }] } : {}),
    })),
  },
  status: {
    phase: 'Running',
    // hostNetwork: the pod IP is the node's; loopback here so the real server's proxy refuses at once (fleet.ts)
    podIP: POD_IP,
    podIPs: [{ ip: POD_IP }],
    hostIP: POD_IP,
    startTime: '2026-01-01T00:00:00Z',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:20Z' }],
    containerStatuses: CONTAINERS.map((name) => ({
      name,
      ready: true,
      started: true,
      restartCount: 0,
      image: name.startsWith('kube-rbac-proxy') ? RBAC_PROXY : IMAGE,
      imageID: `${IMAGE}@sha256:0`,
      containerID: `cri-o://${name}`,
      state: { running: { startedAt: '2026-01-01T00:00:05Z' } },
    })),
  },
};

const OVS_QUERY = `{
  cluster(name: "${CLUSTER}") {
    ovs { clusterName source thresholds { counterWindow thresholds { metric } } nodes { nodeName version read { source } } window(duration: "5m") { duration } }
    node(name: "${NODE}") { name ready ovs { nodeName pod { name } version datapathCount bridges { name } read { source endpoint } } }
  }
  ovsAlerts(clusters: ["${CLUSTER}"]) { id level }
}`;

export const ovs: Domain = {
  name: 'ovs',
  objects: [namespace],
  checks: [
    {
      name: 'no ovnkube-node: not OVN-Kubernetes, ovs null without an error',
      query: `{ cluster(name: "${CLUSTER}") { ovs { clusterName } node(name: "${NODE}") { name ovs { nodeName } } } ovsAlerts(clusters: ["${CLUSTER}"]) { id } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        expect(answer.data).toEqual({ cluster: { ovs: null, node: { name: NODE, ovs: null } }, ovsAlerts: [] });
        return 'Cluster.ovs null, Node.ovs null, no alerts, no error';
      },
    },
    {
      name: 'ovnkube-node scheduled: values through the pod proxy, or a coded error on the metric fields only',
      async run(t) {
        await t.admin.load(structuredClone(ovnkubeNode));
        const ms = Date.now();
        await waitUntil('the ovnkube-node pod in the watch cache', async () => ((await t.query(`{ cluster(name: "${CLUSTER}") { ovs { clusterName } } }`)).data?.cluster?.ovs ? true : undefined), 20_000);
        const answer: GraphQLAnswer = await t.query(OVS_QUERY);
        const { ovs: c, node } = answer.data.cluster;
        // configuration answers on both: where values come from, the thresholds in force; windows need Prometheus
        expect(c).toMatchObject({ clusterName: CLUSTER, source: 'POD_PROXY', thresholds: { counterWindow: '5m' }, window: null });
        expect(c.thresholds.thresholds.length).toBeGreaterThan(0);
        expect(node).toMatchObject({ name: NODE, ready: true });
        expect(errorsAt(answer, ['cluster', 'ovs', 'window']).map((e) => e.extensions?.code)).toEqual(['PROMETHEUS_REQUIRED']);
        const metricErrors = (answer.errors ?? []).filter((e) => e.extensions?.code !== 'PROMETHEUS_REQUIRED');
        const seen = `${Date.now() - ms} ms after the pod was created`;
        if (t.name === 'simulator') {
          expect(metricErrors).toEqual([]);
          expect(c.nodes).toEqual([{ nodeName: NODE, version: node.ovs.version, read: { source: 'POD_PROXY' } }]);
          expect(node.ovs).toMatchObject({ nodeName: NODE, pod: { name: ovnkubeNode.metadata.name }, read: { source: 'POD_PROXY', endpoint: expect.stringContaining(`/pods/${ovnkubeNode.metadata.name}:9105/proxy/metrics`) } });
          expect(node.ovs.bridges[0].name).toBe('br-int');
          expect(Array.isArray(answer.data.ovsAlerts)).toBe(true);
          return `OVS ${node.ovs.version}, ${node.ovs.bridges.length} bridges, ${answer.data.ovsAlerts.length} alerts (seen ${seen})`;
        }
        // No pod network behind the real server: the node's read fails; by the contract Node.ovs (all
        // metrics) is null with the error, the cluster's node entry is null with its error, and the
        // alerts are missing (never silently cleared) with the same error.
        expect(c.nodes).toEqual([null]);
        expect(node.ovs).toBeNull();
        expect(answer.data.ovsAlerts).toEqual([null]);
        expect(metricErrors.map((e) => (e.path ?? []).join('.')).sort()).toEqual(['cluster.node.ovs', 'cluster.ovs.nodes.0', 'ovsAlerts.0']);
        for (const e of metricErrors) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', cluster: CLUSTER });
        return `source POD_PROXY, thresholds answer; ${codes(answer)} (seen ${seen})`;
      },
    },
  ],
};
