// The ovs domain as the manifest (subgraphs/domains.ts) knows it: codegen's types and the start function.
import type { DomainModule } from '../common/domain.js';
import { startOvsSubgraph } from './server.js';

const ovs: DomainModule = {
  codegen: {
    contextType: 'OvsContext',
    mappers: {
      FleetSummary: '../../common/summary.js#FleetSummaryRef',
      OvsSummary: '../summary.js#OvsSummaryModel',
      SummaryCount: '../../common/summary.js#SummaryCountModel',
      UnreadableCluster: '../../common/summary.js#UnreadableClusterModel',
      Cluster: '../models.js#ClusterRef',
      Node: '../models.js#NodeRef',
      NodeOvs: '../models.js#NodeOvsModel',
      ClusterOvs: '../models.js#ClusterOvsModel',
      OvsWindow: '../models.js#NodeOvsWindowModel',
      OvsWindowSeries: '../models.js#OvsWindowSeriesModel',
      OvsClusterWindow: '../models.js#ClusterOvsWindowModel',
      OvsClusterWindowSeries: '../models.js#ClusterOvsWindowSeriesModel',
      OvsClusterCounterWindow: '../models.js#ClusterOvsWindowCounterModel',
      OvsRanking: '../models.js#OvsRankingResult',
      OvsRankEntry: '../models.js#OvsRankEntryModel',
      OvsAlert: '../models.js#OvsAlertModel',
      OvsAlertEvent: '../models.js#OvsAlertChange',
      OvsThresholdSettings: '../models.js#OvsThresholdSettingsModel',
      OvsThreshold: '../models.js#OvsThresholdModel',
    },
  },
  start: startOvsSubgraph,
  // The ovnkube-node pods from the shared watch cache (list + watch, every namespace); each node's OVS
  // exporter through the pod proxy when no Prometheus is configured.
  rbac: [
    { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['pods/proxy'], verbs: ['get'] },
  ],
};
export default ovs;
