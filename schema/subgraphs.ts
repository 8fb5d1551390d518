// The subgraphs of the supergraph: name, default port, and what codegen needs to type their resolvers.
// `npm run compose` composes schema/<name>.graphql of every entry into schema/supergraph.graphql.
export interface SubgraphEntry {
  name: string;
  /** Default port of `npm start` (the gateway is 4000). */
  port: number;
  codegen: boolean;
  /** Name of the context type exported by subgraphs/<name>/context.ts. */
  contextType: string;
  /** GraphQL type → `../models.js#TypeName` (the parent type its resolvers receive). */
  mappers: Record<string, string>;
}

export const SUBGRAPHS: SubgraphEntry[] = [
  {
    name: 'fleet',
    port: 4001,
    codegen: true,
    contextType: 'FleetContext',
    mappers: {
      Cluster: '../models.js#ClusterModel',
      Node: '../models.js#NodeModel',
      Pod: '../models.js#PodModel',
      CnfWorkload: '../models.js#CnfWorkloadModel',
    },
  },
  {
    name: 'timing',
    port: 4002,
    codegen: true,
    contextType: 'TimingContext',
    mappers: {
      Cluster: '../models.js#ClusterRef',
      Node: '../models.js#NodeRef',
      NodePtp: '../models.js#NodePtpModel',
      ClusterPtp: '../models.js#ClusterPtpModel',
      PtpClockStateEvent: '../models.js#PtpClockStateEventModel',
      PtpClockClassEvent: '../models.js#PtpClockClassEventModel',
    },
  },
  {
    name: 'sriov',
    port: 4003,
    codegen: true,
    contextType: 'SriovContext',
    mappers: {
      Cluster: '../models.js#ClusterRef',
      Node: '../models.js#NodeRef',
      Pod: '../models.js#PodRef',
      NodeSriov: '../models.js#NodeSriovModel',
      ClusterSriov: '../models.js#ClusterSriovModel',
      SriovPhysicalFunction: '../models.js#PhysicalFunctionModel',
      SriovVirtualFunction: '../models.js#VirtualFunctionModel',
      SriovVfAllocation: '../models.js#VfAllocationModel',
      SriovVfTotals: '../models.js#VfTotalsModel',
      SriovNetwork: '../models.js#SriovNetworkModel',
      SriovSyncStatusEvent: '../models.js#SyncStatusEventModel',
    },
  },
  {
    name: 'dpdk',
    port: 4004,
    codegen: true,
    contextType: 'DpdkContext',
    mappers: {
      Cluster: '../models.js#ClusterRef',
      Node: '../models.js#NodeRef',
      Pod: '../models.js#PodRef',
      SriovVirtualFunction: '../models.js#VfRef',
      PodDpdk: '../models.js#PodDpdkModel',
      NodeDpdk: '../models.js#NodeDpdkModel',
      ClusterDpdk: '../models.js#ClusterDpdkModel',
      DpdkPort: '../models.js#DpdkPortModel',
    },
  },
];
