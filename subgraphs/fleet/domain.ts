// The fleet domain as the manifest (subgraphs/domains.ts) knows it: codegen's types and the start function.
import type { DomainModule } from '../common/domain.js';
import { startFleetSubgraph } from './server.js';

const fleet: DomainModule = {
  codegen: {
    contextType: 'FleetContext',
    mappers: {
      Cluster: '../models.js#ClusterModel',
      Node: '../models.js#NodeModel',
      Pod: '../models.js#PodModel',
      CnfWorkload: '../models.js#CnfWorkloadModel',
      FleetSummary: '../../common/summary.js#FleetSummaryRef',
      SummaryCount: '../../common/summary.js#SummaryCountModel',
      UnreadableCluster: '../../common/summary.js#UnreadableClusterModel',
    },
  },
  start: startFleetSubgraph,
};
export default fleet;
