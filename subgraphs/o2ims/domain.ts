// The o2ims domain as the manifest (subgraphs/domains.ts) knows it: codegen's types and the start function.
import type { DomainModule } from '../common/domain.js';
import { startO2imsSubgraph } from './server.js';

const o2ims: DomainModule = {
  codegen: {
    contextType: 'O2imsContext',
    mappers: {
      FleetSummary: '../../common/summary.js#FleetSummaryRef',
      O2imsSummary: '../summary.js#O2imsSummaryModel',
      SummaryCount: '../../common/summary.js#SummaryCountModel',
      UnreadableCluster: '../../common/summary.js#UnreadableClusterModel',
      Cluster: '../models.js#ClusterRef',
      ProvisioningRequest: '../models.js#ProvisioningRequestModel',
      ProvisioningCondition: '../models.js#ConditionModel',
      ProvisionedResources: '../models.js#ProvisionedResourcesModel',
      PackageVariant: '../models.js#PackageVariantModel',
      CapiCluster: '../models.js#CapiClusterModel',
      ProvisioningTrace: '../models.js#ProvisioningTraceModel',
      PackageVariantLink: '../models.js#PackageVariantLinkModel',
      CapiClusterLink: '../models.js#CapiClusterLinkModel',
      FleetClusterLink: '../models.js#FleetClusterLinkModel',
      ProvisioningStateEvent: '../models.js#ProvisioningTransitionModel',
      CreateProvisioningRequestPayload: '../models.js#CreatePayloadModel',
      DeleteProvisioningRequestPayload: '../models.js#DeletePayloadModel',
    },
  },
  start: startO2imsSubgraph,
};
export default o2ims;
