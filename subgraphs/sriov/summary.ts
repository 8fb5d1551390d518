// The sriov part of FleetSummary: every cluster's SriovNetworkNodeStates from the shared watch caches
// (the same ones `Cluster.sriov` and `sriovSyncStatusChanged` use: 0 requests warm; a cold cache's
// LIST is its only request), counted as `Cluster.sriov` counts them. No operator (404): not counted.
import { ChangeClock, SummaryCounts, readSummaryClusters, type SummaryCountModel, type UnreadableClusterModel } from '../common/summary.js';
import type { FanOutFleet } from '../kube/fan-out.js';
import type { SriovReader } from './reader.js';
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

export class SriovSummary {
  private readonly clock = new ChangeClock();

  constructor(
    private readonly fleet: FanOutFleet,
    private readonly reader: SriovReader,
  ) {}

  async part(selector: string): Promise<SriovSummaryModel> {
    const { results, unreadable } = await readSummaryClusters(this.fleet, selector, (cluster, signal) => this.reader.nodeStates(cluster, signal, true));
    const counts = new SummaryCounts(KEYS);
    let vfsTotal = 0;
    let vfsConfigured = 0;
    for (const { cluster, value: states } of results) {
      if (!states) continue;
      const nodes = states.map((s) => mapNodeState(cluster, s));
      counts.add('clusters', cluster);
      counts.add('nodes', cluster, nodes.length);
      counts.add('nodesOutOfSync', cluster, nodes.filter((n) => !n.inSync).length);
      counts.add('nodesFailed', cluster, nodes.filter((n) => n.syncStatus === 'Failed').length);
      counts.add('nodesInProgress', cluster, nodes.filter((n) => n.syncStatus === 'InProgress').length);
      const vfs = vfCounts(nodes, new Map());
      vfsTotal += vfs.total;
      vfsConfigured += vfs.configured;
    }
    const part = { ...Object.fromEntries(KEYS.map((k) => [k, counts.get(k)])), vfsTotal, vfsConfigured, unreadable } as Omit<SriovSummaryModel, 'computedAt'>;
    return { ...part, computedAt: this.clock.observe(selector, part) };
  }
}
