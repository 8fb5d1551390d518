// The sriov domain as the manifest (subgraphs/domains.ts) knows it: codegen's types, the start function and the RBAC it needs on each cluster.
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
  // Node states from the shared watch cache (list + watch); policies, networks and NADs one LIST per
  // cluster; pods and nodes through the loaders; a node subscription checks its node (get).
  rbac: [
    { apiGroups: ['sriovnetwork.openshift.io'], resources: ['sriovnetworknodestates'], verbs: ['list', 'watch'] },
    { apiGroups: ['sriovnetwork.openshift.io'], resources: ['sriovnetworknodepolicies', 'sriovnetworks'], verbs: ['list'] },
    { apiGroups: ['k8s.cni.cncf.io'], resources: ['network-attachment-definitions'], verbs: ['list'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
  ],
};
export default sriov;
