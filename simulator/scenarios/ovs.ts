// Open vSwitch scenarios on ovnkube-node nodes: `ovs-flow-storm` drives one site's datapath flows and
// ovs-vswitchd CPU past the seed's critical thresholds (20,000 flows, 85 %) along a rise-hold-fall
// episode and back. (`ovs-load`, a plain load factor, lives in network.ts.)
import type { SimCluster } from '../cluster.js';
import { K } from '../fleet/kind-keys.js';
import { telemetryFor } from '../exporters/telemetry.js';
import type { OvsNodeTelemetry } from '../exporters/ovs.js';
import { optionalNumber, optionalString, ParamError, targetClusters, timeScaleOf } from './params.js';
import type { ScenarioContext, ScenarioDefinition } from './scenario.js';

/** Names of the nodes that run ovnkube-node (OVN-Kubernetes only), optionally just `node`. */
export function ovsNodeNames(cluster: SimCluster, node?: string): string[] {
  return cluster.store
    .list(K.pods)
    .filter((p) => p.metadata.labels?.app === 'ovnkube-node')
    .map((p) => (p.spec as { nodeName?: string }).nodeName ?? '')
    .filter((n) => n !== '' && (node === undefined || n === node))
    .sort();
}

/** The OVS telemetry of those nodes, read on the scenario's clock. */
export function ovsTargets(ctx: ScenarioContext, cluster: SimCluster, node?: string): OvsNodeTelemetry[] {
  const tel = telemetryFor(cluster, () => ctx.runtime.now());
  return ovsNodeNames(cluster, node).map((n) => tel.ovs(n));
}

export const ovsFlowStorm: ScenarioDefinition = {
  name: 'ovs-flow-storm',
  description:
    'A datapath flow storm on one site: datapath flows and ovs-vswitchd CPU rise to peakFlows / peakCpuPercent over rampSeconds, hold for holdSeconds, and fall back over rampSeconds.',
  params: ['cluster', 'node? (default every ovnkube-node node of the cluster)', 'peakFlows? (default 30000)', 'peakCpuPercent? (default 95)', 'rampSeconds? (default 10)', 'holdSeconds? (default 60)', 'timeScale?'],
  start(ctx, params) {
    const timeScale = timeScaleOf(params);
    if (params.clusters !== undefined || params.region !== undefined) throw new ParamError('ovs-flow-storm hits one site: give "cluster"');
    const [cluster] = targetClusters(ctx.runtime, params);
    const node = optionalString(params, 'node');
    const peakFlows = optionalNumber(params, 'peakFlows', 30_000, { min: 0, max: 10_000_000, integer: true });
    const peakCpuPercent = optionalNumber(params, 'peakCpuPercent', 95, { min: 0, max: 12_800 });
    const rampSeconds = optionalNumber(params, 'rampSeconds', 10, { min: 0 });
    const holdSeconds = optionalNumber(params, 'holdSeconds', 60, { min: 0 });
    if (rampSeconds + holdSeconds <= 0) throw new ParamError('"rampSeconds" + "holdSeconds" must be greater than 0');
    const targets = ovsTargets(ctx, cluster, node);
    if (targets.length === 0) throw new ParamError(`no ovnkube-node ${node ? `on node "${node}" ` : ''}in ${cluster.name} (OVN-Kubernetes only)`);
    const now = ctx.now();
    const storm = { peakFlows, peakCpuPercent, rampMs: (rampSeconds * 1000) / timeScale, holdMs: (holdSeconds * 1000) / timeScale };
    for (const t of targets) t.startStorm(now, storm);
    // `done` settles once the flows are back down.
    ctx.after(2 * rampSeconds + holdSeconds, () => undefined);
    ctx.onCancel(() => {
      for (const t of targets) t.stopStorms(ctx.now());
    });
  },
};
