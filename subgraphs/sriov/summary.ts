// The sriov part of FleetSummary: every cluster's SriovNetworkNodeStates from the shared watch caches
// (the same ones `Cluster.sriov` and `sriovSyncStatusChanged` use: 0 requests warm; a cold cache's
// LIST is its only request), counted as `Cluster.sriov` counts them. No operator (404): not counted.
import { ChangeClock, SummaryCounts, SummaryMemo, partKey, readSummaryClusters, type SummaryCountModel, type UnreadableClusterModel } from '../common/summary.js';
import type { FanOutFleet } from '../kube/fan-out.js';
import type { WatchCaches } from '../kube/watch-cache-view.js';
import { memoByInputs } from '../../lib/memo.js';
import type { SriovReader } from './reader.js';
import type { SriovNetworkNodeStateObject } from './upstream.js';
import { mapNodeState, vfCounts } from './sources.js';

export interface SriovSummaryModel {
  clusters: SummaryCountModel;
  nodes: SummaryCountModel;
  nodesOutOfSync: SummaryCountModel;
  nodesFailed: SummaryCountModel;
  nodesInProgress: SummaryCountModel;
  vfsTotal: number;
  vfsConfigured: number;
  unreadable: UnreadableClusterModel[];
  computedAt: string;
}

const KEYS = ['clusters', 'nodes', 'nodesOutOfSync', 'nodesFailed', 'nodesInProgress'] as const;

/** One cluster's numbers, once per change of its node-state list (the watch cache's array). */
const clusterCounts = memoByInputs((states: readonly SriovNetworkNodeStateObject[], cluster: string) => {
  const nodes = states.map((s) => mapNodeState(cluster, s));
  const vfs = vfCounts(nodes, new Map());
  return {
    nodes: nodes.length,
    nodesOutOfSync: nodes.filter((n) => !n.inSync).length,
    nodesFailed: nodes.filter((n) => n.syncStatus === 'Failed').length,
    nodesInProgress: nodes.filter((n) => n.syncStatus === 'InProgress').length,
    vfsTotal: vfs.total,
    vfsConfigured: vfs.configured,
  };
});

export class SriovSummary {
  private readonly clock = new ChangeClock();
  /** Each cluster's node states with the epoch of its caches: a warm summary reads only clusters that changed. */
  private readonly memo = new SummaryMemo<readonly SriovNetworkNodeStateObject[] | null>();

  constructor(
    private readonly reader: SriovReader,
    private readonly caches: Pick<WatchCaches, 'epoch'>,
  ) {}

  /** The part over the clusters `fleet` (the request's view) lets the caller see. */
  async part(selector: string, fleet: FanOutFleet): Promise<SriovSummaryModel> {
    const { results, unreadable } = await readSummaryClusters(fleet, selector, (cluster, signal) => this.reader.nodeStates(cluster, signal, true), {
      memo: this.memo,
      inputs: (cluster) => this.caches.epoch(cluster),
    });
    const counts = new SummaryCounts(KEYS);
    let vfsTotal = 0;
    let vfsConfigured = 0;
    for (const { cluster, value: states } of results) {
      if (!states) continue;
      const c = clusterCounts(states, cluster);
      counts.add('clusters', cluster);
      counts.add('nodes', cluster, c.nodes);
      counts.add('nodesOutOfSync', cluster, c.nodesOutOfSync);
      counts.add('nodesFailed', cluster, c.nodesFailed);
      counts.add('nodesInProgress', cluster, c.nodesInProgress);
      vfsTotal += c.vfsTotal;
      vfsConfigured += c.vfsConfigured;
    }
    const part = { ...Object.fromEntries(KEYS.map((k) => [k, counts.get(k)])), vfsTotal, vfsConfigured, unreadable } as Omit<SriovSummaryModel, 'computedAt'>;
    return { ...part, computedAt: this.clock.observe(partKey(fleet, selector), part) };
  }
}
