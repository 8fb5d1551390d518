// The sriov domain as the manifest (subgraphs/domains.ts) knows it: codegen's types and the start function.
import type { DomainModule } from '../common/domain.js';
import { startSriovSubgraph } from './server.js';

const sriov: DomainModule = {
  codegen: {
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
      FleetSummary: '../../common/summary.js#FleetSummaryRef',
      SriovSummary: '../summary.js#SriovSummaryModel',
      SummaryCount: '../../common/summary.js#SummaryCountModel',
      UnreadableCluster: '../../common/summary.js#UnreadableClusterModel',
    },
  },
  start: startSriovSubgraph,
};
export default sriov;
