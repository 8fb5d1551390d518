// The fleet domain as the manifest (subgraphs/domains.ts) knows it: codegen's types, the start function and the RBAC it needs on each cluster.
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
  // Nodes (a pre-warmed watch cache) and pods (loaders: one LIST per cluster, or one GET for a single
  // name); the platform probe reads discovery (/apis) and /version.
  rbac: [
    // watch: the summary's Node caches and the capabilities' pod caches (ovnkube-node, every pod).
    { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
    { nonResourceURLs: ['/version', '/apis'], verbs: ['get'] },
  ],
};
export default fleet;
