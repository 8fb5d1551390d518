// The timing domain as the manifest (subgraphs/domains.ts) knows it: codegen's types and the start function.
import type { DomainModule } from '../common/domain.js';
import { startTimingSubgraph } from './server.js';

const timing: DomainModule = {
  codegen: {
    contextType: 'TimingContext',
    mappers: {
      Cluster: '../models.js#ClusterRef',
      Node: '../models.js#NodeRef',
      NodePtp: '../models.js#NodePtpModel',
      ClusterPtp: '../models.js#ClusterPtpModel',
      PtpClockStateEvent: '../models.js#PtpClockStateEventModel',
      PtpClockClassEvent: '../models.js#PtpClockClassEventModel',
      FleetSummary: '../../common/summary.js#FleetSummaryRef',
      TimingSummary: '../summary.js#TimingSummaryModel',
      SummaryCount: '../../common/summary.js#SummaryCountModel',
      UnreadableCluster: '../../common/summary.js#UnreadableClusterModel',
    },
  },
  start: startTimingSubgraph,
};
export default timing;
