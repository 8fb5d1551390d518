// Data-plane scenarios: CNI sandbox failures (cni-sandbox.ts), OVS load on ovnkube-node (flows and CPU
// up) and DPDK drops in one pod (imissed and rx_nombuf climb).
import { K } from '../fleet/kind-keys.js';
import { telemetryFor } from '../exporters/telemetry.js';
import { isDpdkPod } from '../exporters/dpdk.js';
import { optionalNumber, optionalString, ParamError, podRef, targetClusters, timeScaleOf } from './params.js';
import type { ScenarioDefinition } from './scenario.js';
import { ovsTargets } from './ovs.js';

export { cniSandboxFailure } from './cni-sandbox.js';

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
