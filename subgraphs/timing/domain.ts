// The timing domain as the manifest (subgraphs/domains.ts) knows it: codegen's types, the start function and the RBAC it needs on each cluster.
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
  // PTP operator objects, the linuxptp-daemon pods and nodes from the shared watch caches (list + watch);
  // a node subscription checks its node (get); metrics without Prometheus through the daemon's pod proxy.
  rbac: [
    { apiGroups: ['ptp.openshift.io'], resources: ['ptpconfigs', 'nodeptpdevices', 'ptpoperatorconfigs'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['pods/proxy'], verbs: ['get'] },
    // cloud-event-proxy subscriptions (POST / DELETE through the proxy), only made with CALLBACK_BASE_URL
    // set: opt-in, so by default the timing subgraph stays read-only (its feeds then only poll).
    { apiGroups: [''], resources: ['pods/proxy'], verbs: ['create', 'delete'], feature: 'ptpEventPush' },
  ],
};
export default timing;
