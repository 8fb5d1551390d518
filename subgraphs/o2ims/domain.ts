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
  // ProvisioningRequests from the shared watch cache, read one by name before a delete, created and
  // deleted by the mutations (the only writes fleetgraph makes anywhere); PackageVariants, CAPI
  // clusters and the ProvisioningRequest CRD (which variant a hub serves) from watch caches.
  rbac: [
    { apiGroups: ['o2ims.provisioning.oran.org'], resources: ['provisioningrequests'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    { apiGroups: ['config.porch.kpt.dev'], resources: ['packagevariants'], verbs: ['list', 'watch'] },
    { apiGroups: ['cluster.x-k8s.io'], resources: ['clusters'], verbs: ['list', 'watch'] },
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['list', 'watch'] },
  ],
};
export default o2ims;
