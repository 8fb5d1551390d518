// The dpdk domain as the manifest (subgraphs/domains.ts) knows it: codegen's types, the start function and the RBAC it needs on each cluster.
import type { DomainModule } from '../common/domain.js';
import { startDpdkSubgraph } from './server.js';

const dpdk: DomainModule = {
  codegen: {
    contextType: 'DpdkContext',
    mappers: {
      FleetSummary: '../../common/summary.js#FleetSummaryRef',
      DpdkSummary: '../summary.js#DpdkSummaryModel',
      SummaryCount: '../../common/summary.js#SummaryCountModel',
      UnreadableCluster: '../../common/summary.js#UnreadableClusterModel',
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
  start: startDpdkSubgraph,
  // Pods through the loaders (LIST, or GET for one name); DPDK telemetry through the pod proxy.
  rbac: [
    // watch: the summary's poll loop reads DPDK pods from the shared pods cache.
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods/proxy'], verbs: ['get'] },
  ],
};
export default dpdk;
