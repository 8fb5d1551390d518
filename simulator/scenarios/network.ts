// Data-plane scenarios: CNI sandbox failures (kubelet Warning events on a pod), OVS load on
// ovnkube-node (flows and CPU up) and DPDK drops in one pod (imissed and rx_nombuf climb).
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { NETWORK_STATUS_ANNOTATION, sandboxFailureMessage } from '../fleet/cnf.js';
import { hashOf, hexString, mulberry32 } from '../fleet/random.js';
import { telemetryFor } from '../exporters/telemetry.js';
import { isDpdkPod } from '../exporters/dpdk.js';
import { optionalNumber, optionalString, ParamError, podRef, targetClusters, timeScaleOf } from './params.js';
import type { ScenarioDefinition } from './scenario.js';
import { ovsTargets } from './ovs.js';

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The pod's first secondary network (`<ns>/<nad>` → `<nad>`) from its network-status. */
function secondaryNetwork(pod: KubeObject): string | undefined {
  try {
    const entries = JSON.parse(pod.metadata.annotations?.[NETWORK_STATUS_ANNOTATION] ?? '[]') as { name?: string; default?: boolean }[];
    const name = entries.find((e) => !e.default)?.name;
    return name?.split('/').pop();
  } catch {
    return undefined;
  }
}

export const cniSandboxFailure: ScenarioDefinition = {
  name: 'cni-sandbox-failure',
  description: 'Kubelet reports Warning FailedCreatePodSandBox (a Multus/SR-IOV CNI ADD error) on a pod, repeatedly: one Event whose count grows.',
  params: ['cluster', 'pod? (namespace/name; default the first pod with a secondary network)', 'count? (default 3)', 'intervalSeconds? (default 10)', 'timeScale?'],
  start(ctx, params) {
    timeScaleOf(params);
    const [cluster] = targetClusters(ctx.runtime, { cluster: params.cluster });
    const count = optionalNumber(params, 'count', 3, { min: 1, max: 1000, integer: true });
    const interval = optionalNumber(params, 'intervalSeconds', 10, { min: 0.001 });
    const ref = podRef(params);
    const pod = ref
      ? cluster.store.get(K.pods, ref.namespace, ref.name)
      : cluster.store.list(K.pods).find((p) => secondaryNetwork(p) !== undefined) ??
        cluster.store.list(K.pods).find((p) => p.metadata.labels?.['cnf-type'] !== undefined);
    if (!pod) throw new ParamError(ref ? `no pod ${ref.namespace}/${ref.name} in ${cluster.name}` : `no CNF pod in ${cluster.name}; give "pod"`);
    const ns = pod.metadata.namespace ?? 'default';
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    const rng = mulberry32(hashOf(cluster.name, pod.metadata.name, ctx.startedAt));
    const name = `${pod.metadata.name}.${hexString(rng, 16)}`;
    const now = ctx.now();
    cluster.store.create(K.events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: ns, uid: pod.metadata.uid },
      reason: 'FailedCreatePodSandBox',
      message: sandboxFailureMessage(ns, pod.metadata.name, pod.metadata.uid ?? '', secondaryNetwork(pod) ?? 'multus-cni-network', hexString(rng, 64)),
      source: { component: 'kubelet', host: node },
      firstTimestamp: iso(now),
      lastTimestamp: iso(now),
      count: 1,
      type: 'Warning',
      eventTime: null,
      reportingComponent: 'kubelet',
      reportingInstance: node,
    });
    for (let i = 2; i <= count; i++) {
      ctx.after((i - 1) * interval, () => {
        cluster.store.mutate(K.events, ns, name, (e) => ({ ...e, count: i, lastTimestamp: iso(ctx.now()) }));
      });
    }
  },
};

export const ovsLoad: ScenarioDefinition = {
  name: 'ovs-load',
  description: 'Open vSwitch under load on ovnkube-node nodes: datapath/OpenFlow flows, upcalls and vswitchd CPU rise by `factor` for `seconds`.',
  params: ['cluster | clusters | region', 'node?', 'factor? (default 5, ≥ 1)', 'seconds? (default 60)', 'timeScale?'],
  start(ctx, params) {
    timeScaleOf(params);
    const factor = optionalNumber(params, 'factor', 5, { min: 1 });
    const seconds = optionalNumber(params, 'seconds', 60, { min: 0.001 });
    const node = optionalString(params, 'node');
    const targets = targetClusters(ctx.runtime, params).flatMap((cluster) => ovsTargets(ctx, cluster, node));
    if (targets.length === 0) throw new ParamError(`no ovnkube-node ${node ? `on node "${node}" ` : ''}in the chosen clusters (OVN-Kubernetes only)`);
    const now = ctx.now();
    for (const t of targets) t.setLoad(now, factor);
    const restore = () => {
      for (const t of targets) t.setLoad(ctx.now(), 1);
    };
    ctx.after(seconds, restore);
    ctx.onCancel(restore);
  },
};

export const dpdkDrop: ScenarioDefinition = {
  name: 'dpdk-drop',
  description: 'One DPDK pod starts dropping: imissed (and rx_nombuf, a quarter of it) climb at missedPerSecond for `seconds`.',
  params: ['cluster', 'pod? (namespace/name; default the first DPDK pod)', 'missedPerSecond? (default 20000)', 'seconds? (default 60)', 'timeScale?'],
  start(ctx, params) {
    timeScaleOf(params);
    const [cluster] = targetClusters(ctx.runtime, { cluster: params.cluster });
    const rate = optionalNumber(params, 'missedPerSecond', 20_000, { min: 1 });
    const seconds = optionalNumber(params, 'seconds', 60, { min: 0.001 });
    const ref = podRef(params);
    const pod = ref ? cluster.store.get(K.pods, ref.namespace, ref.name) : cluster.store.list(K.pods).find(isDpdkPod);
    if (!pod) throw new ParamError(ref ? `no pod ${ref.namespace}/${ref.name} in ${cluster.name}` : `no DPDK pod in ${cluster.name}`);
    if (!isDpdkPod(pod)) throw new ParamError(`pod ${pod.metadata.namespace}/${pod.metadata.name} carries no DPDK telemetry exporter`);
    const dpdk = telemetryFor(cluster, () => ctx.runtime.now()).dpdk(pod);
    dpdk.startDrop(ctx.now(), rate);
    const stop = () => dpdk.stopDrop(ctx.now());
    ctx.after(seconds, stop);
    ctx.onCancel(stop);
  },
};
