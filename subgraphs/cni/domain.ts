// The cni domain as the manifest (subgraphs/domains.ts) knows it: codegen's types, the start function and the RBAC it needs on each cluster.
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
  // Detection reads discovery (/apis) and, from the shared watch caches (list + watch), the OpenShift
  // Network objects, DaemonSets, Nodes and the Calico/Tigera/Cilium kinds; NADs from their watch cache;
  // pod Events from the event feed's watch cache or one field-selected LIST; pods through the loaders
  // (one GET for one pod, one LIST for several).
  rbac: [
    { nonResourceURLs: ['/apis'], verbs: ['get'] },
    { apiGroups: ['config.openshift.io'], resources: ['networks'], verbs: ['list', 'watch'] },
    { apiGroups: ['operator.openshift.io'], resources: ['networks'], verbs: ['list', 'watch'] },
    { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['nodes', 'events'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    { apiGroups: ['k8s.cni.cncf.io'], resources: ['network-attachment-definitions'], verbs: ['list', 'watch'] },
    { apiGroups: ['crd.projectcalico.org'], resources: ['ippools'], verbs: ['list', 'watch'] },
    { apiGroups: ['operator.tigera.io'], resources: ['installations'], verbs: ['list', 'watch'] },
    { apiGroups: ['cilium.io'], resources: ['ciliumnodes'], verbs: ['list', 'watch'] },
  ],
};
export default cni;
