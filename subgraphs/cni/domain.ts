// The cni domain as the manifest (subgraphs/domains.ts) knows it: codegen's types and the start function.
import type { DomainModule } from '../common/domain.js';
import { startCniSubgraph } from './server.js';

const cni: DomainModule = {
  codegen: {
    contextType: 'CniContext',
    mappers: {
      FleetSummary: '../../common/summary.js#FleetSummaryRef',
      CniSummary: '../summary.js#CniSummaryModel',
      SummaryCount: '../../common/summary.js#SummaryCountModel',
      UnreadableCluster: '../../common/summary.js#UnreadableClusterModel',
      Cluster: '../models.js#ClusterRef',
      Node: '../models.js#NodeRef',
      Pod: '../models.js#PodRef',
      ClusterNetwork: '../models.js#ClusterNetworkModel',
      NetworkAttachmentDefinition: '../models.js#NadModel',
      NadConfig: '../models.js#NadConfigModel',
      PodNetworks: '../models.js#PodNetworksModel',
      PodNetworkRequest: '../models.js#PodNetworkRequestModel',
      PodNetworkAttachment: '../models.js#PodNetworkAttachmentModel',
      CniEvent: '../models.js#PodNetworkEventModel',
      CniPluginSummary: '../models.js#PluginSummaryModel',
    },
  },
  start: startCniSubgraph,
};
export default cni;
