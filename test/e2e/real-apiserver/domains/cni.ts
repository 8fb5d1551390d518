// CNI: Multus' DaemonSet, NADs as users and the SR-IOV operator write them (a conflist whose CNI name is
// not the NAD's, and one whose spec.config is not JSON: the API server stores any string), a pod still
// waiting for its sandbox, and pod Events as kubelet and Multus write them (real message texts; Multus
// names no host). Namespace `netcheck`, so the fleet domain's du-vdu checks see only its own pod; the vDU
// pod, the OpenShift Network and du-vdu/du-fh-net come from the fleet and sriov fixtures.
import { expect } from '@jest/globals';
import type { KubeObject } from '../../../../simulator/types.js';
import { CLUSTER, NODE, type Domain } from '../domain.js';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const NS = 'netcheck';
const POD = 'probe-0';

const multus: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'multus', namespace: 'openshift-multus', labels: { app: 'multus' } },
  spec: {
    selector: { matchLabels: { app: 'multus' } },
    template: { metadata: { labels: { app: 'multus' } }, spec: { containers: [{ name: 'kube-multus', image: 'quay.io/openshift/multus-cni:4.18' }] } },
  },
};

const nad = (name: string, config: string): KubeObject => ({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: NS }, spec: { config } });

const conflist = nad('n4-conflist', '{"cniVersion":"0.4.0","name":"n4","plugins":[{"type":"macvlan","master":"ens3f3","mode":"bridge","capabilities":{"ips":true},"ipam":{"type":"static"}},{"type":"tuning","mtu":9000}]}');
const mh = nad('mh-net', '{"cniVersion":"1.0.0","name":"mh-net","type":"sriov","vlan":20,"ipam":{"type":"host-local","subnet":"192.168.20.0/24","rangeStart":"192.168.20.10","rangeEnd":"192.168.20.100"}}');
const invalid = nad('broken', '{"cniVersion":"0.4.0","name":"broken","type":"macvlan"');

const UID = '3f0c5d1e-8a9b-4c2d-9e1f-0a1b2c3d4e5f';
const SBX = '8d6e2f0a9b1c4d3e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6';
const sandboxFailure = (multusError: string) =>
  `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox k8s_${POD}_${NS}_${UID}_0(${SBX}): ` +
  `error adding pod ${NS}_${POD} to CNI network "multus-cni-network": plugin type="multus-shim" name="multus-cni-network" failed (add): ` +
  `CmdAdd (shim): CNI request failed with status 400: 'ContainerID:"${SBX}" Netns:"/var/run/netns/6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" IfName:"eth0" ` +
  `Args:"IgnoreUnknown=1;K8S_POD_NAMESPACE=${NS};K8S_POD_NAME=${POD};K8S_POD_INFRA_CONTAINER_ID=${SBX};K8S_POD_UID=${UID}" Path:"" ERRORED: ` +
  `error configuring pod [${NS}/${POD}] networking: ${multusError}\n'`;

/** A pod waiting for its sandbox: no network-status yet. */
const pendingPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: POD, namespace: NS, annotations: { 'k8s.v1.cni.cncf.io/networks': 'du-vdu/du-fh-net,mh-net@net3' } },
  spec: { nodeName: NODE, containers: [{ name: 'vdu', image: 'registry.example/vdu:1' }] },
  status: {
    phase: 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:01:00Z' },
      { type: 'PodReadyToStartContainers', status: 'False', lastTransitionTime: '2026-01-01T00:01:00Z' },
    ],
  },
};

const event = (name: string, reason: string, type: string, message: string, component: string, host: string | undefined, count: number, first: string, last = first): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name, namespace: NS },
  involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: NS, name: POD },
  reason,
  type,
  message,
  source: host ? { component, host } : { component },
  count,
  firstTimestamp: first,
  lastTimestamp: last,
  reportingComponent: component,
  reportingInstance: host ?? '',
});

const events: KubeObject[] = [
  event(`${POD}.1`, 'AddedInterface', 'Normal', 'Add eth0 [10.128.0.21/23] from ovn-kubernetes', 'multus', undefined, 4, '2026-01-01T00:01:02Z', '2026-01-01T00:01:32Z'),
  event(
    `${POD}.2`,
    'FailedCreatePodSandBox',
    'Warning',
    sandboxFailure(
      `[${NS}/${POD}/${UID}:mh-net]: error adding container to network "mh-net": failed to set up IPAM plugin type "host-local" from the device "ens1f1": failed to allocate for range 0: no IP addresses available in range set: 192.168.20.10-192.168.20.100`,
    ),
    'kubelet',
    NODE,
    1,
    '2026-01-01T00:01:03Z',
  ),
  event(`${POD}.3`, 'NoNetworkFound', 'Warning', 'cannot find a network-attachment-definition (gone-net) in namespace (netcheck): network-attachment-definitions.k8s.cni.cncf.io "gone-net" not found', 'multus', undefined, 3, '2026-01-01T00:01:40Z', '2026-01-01T00:02:00Z'),
  event(`${POD}.4`, 'Pulled', 'Normal', 'Container image "registry.example/vdu:1" already present on machine', 'kubelet', NODE, 1, '2026-01-01T00:00:30Z'),
];

export const cni: Domain = {
  name: 'cni',
  objects: [ns('openshift-multus'), ns(NS), multus, conflist, mh, invalid, pendingPod, ...events],
  checks: [
    {
      name: 'primary plugin from the OpenShift Network, Multus from its DaemonSet',
      query: `{ cluster(name: "${CLUSTER}") { network { primaryPlugin detectedBy multus { running rule } } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        expect(answer.data.cluster.network).toEqual({ primaryPlugin: 'OVN_KUBERNETES', detectedBy: 'OPENSHIFT_NETWORK_STATUS', multus: { running: true, rule: 'DaemonSet openshift-multus/multus' } });
        return `${answer.data.cluster.network.primaryPlugin}, multus ${answer.data.cluster.network.multus.running}`;
      },
    },
    {
      name: 'NADs parsed; the one whose config is not JSON fails only its config',
      query: `{ cluster(name: "${CLUSTER}") { network { attachmentDefinitions { namespace name config { kind type networkName ipam { type ranges { size } } } } } } }`,
      verify(answer) {
        const nads = answer.data.cluster.network.attachmentDefinitions as { namespace: string; name: string; config: unknown }[];
        expect(nads.map((n) => `${n.namespace}/${n.name}`)).toEqual(['du-vdu/du-fh-net', 'netcheck/broken', 'netcheck/mh-net', 'netcheck/n4-conflist']);
        expect(answer.errors).toEqual([expect.objectContaining({ path: ['cluster', 'network', 'attachmentDefinitions', 1, 'config'], extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR', reason: 'InvalidNadConfig' }) })]);
        expect(nads[3].config).toEqual({ kind: 'CONFLIST', type: 'macvlan', networkName: 'n4', ipam: { type: 'static', ranges: [] } });
        expect(nads[2].config).toMatchObject({ type: 'sriov', ipam: { type: 'host-local', ranges: [{ size: 91 }] } });
        return `${nads.length} NADs, 1 invalid`;
      },
    },
    {
      name: 'pod networks: requests matched, a pod waiting for its sandbox missing both',
      query: `{ cluster(name: "${CLUSTER}") { pods { name networks { requestForm complete requested { name attachment { interface mac pciAddress } } missing { name interface } } } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const pods = new Map((answer.data.cluster.pods as { name: string; networks: any }[]).map((p) => [p.name, p.networks]));
        expect(pods.get('vdu-0')).toEqual({
          requestForm: 'JSON',
          complete: true,
          requested: [
            { name: 'du-fh-net', attachment: { interface: 'net1', mac: null, pciAddress: '0000:51:01.0' } },
            { name: 'du-fh-net', attachment: { interface: 'net2', mac: null, pciAddress: '0000:51:01.1' } },
          ],
          missing: [],
        });
        expect(pods.get(POD)).toMatchObject({ requestForm: 'LIST', complete: false, missing: [{ name: 'du-fh-net', interface: null }, { name: 'mh-net', interface: 'net3' }] });
        return `vdu-0 complete, ${POD} missing 2`;
      },
    },
    {
      name: 'pod-network events correlated: category, NAD, plugin, node (Multus names none), count',
      query: `{ cniEvents(clusters: ["${CLUSTER}"]) { podName nodeName reason category nadName network plugin ipamPlugin count } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        expect(answer.data.cniEvents).toEqual([
          { podName: POD, nodeName: NODE, reason: 'NoNetworkFound', category: 'NAD_MISSING', nadName: 'gone-net', network: 'netcheck/gone-net', plugin: 'multus', ipamPlugin: null, count: 3 },
          { podName: POD, nodeName: NODE, reason: 'AddedInterface', category: 'INTERFACE_ADDED', nadName: null, network: 'ovn-kubernetes', plugin: 'ovn-kubernetes', ipamPlugin: null, count: 4 },
          { podName: POD, nodeName: NODE, reason: 'FailedCreatePodSandBox', category: 'IPAM_EXHAUSTED', nadName: 'mh-net', network: 'mh-net', plugin: 'sriov', ipamPlugin: 'host-local', count: 1 },
        ]);
        return 'NAD_MISSING, INTERFACE_ADDED, IPAM_EXHAUSTED (Pulled left out by the field selector)';
      },
    },
    {
      name: 'readiness of the pod waiting for its sandbox',
      query: `{ cluster(name: "${CLUSTER}") { pods(namespace: "${NS}") { name networkReadiness { pending measuredBy interfacesAdded interfacesExpected } } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        expect(answer.data.cluster.pods).toEqual([{ name: POD, networkReadiness: { pending: true, measuredBy: 'NONE', interfacesAdded: 1, interfacesExpected: 3 } }]);
        return `${POD} pending, 1 of 3 interfaces`;
      },
    },
  ],
};
