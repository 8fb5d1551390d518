// The oda domain as the manifest (subgraphs/domains.ts) knows it: codegen's types and the start function.
import type { DomainModule } from '../common/domain.js';
import { startOdaSubgraph } from './server.js';

const oda: DomainModule = {
  codegen: {
    contextType: 'OdaContext',
    mappers: {
      FleetSummary: '../../common/summary.js#FleetSummaryRef',
      OdaSummary: '../summary.js#OdaSummaryModel',
      SummaryCount: '../../common/summary.js#SummaryCountModel',
      UnreadableCluster: '../../common/summary.js#UnreadableClusterModel',
      Cluster: '../models.js#ClusterRef',
      OdaComponent: '../models.js#OdaComponentModel',
      OdaComponentStatus: '../models.js#OdaComponentStatusModel',
      OdaComponentApi: '../models.js#OdaComponentApiModel',
      OdaComponentDependentApi: '../models.js#OdaComponentDependentApiModel',
      OdaApiStatus: '../models.js#OdaApiStatusModel',
      OdaExposedApi: '../models.js#OdaExposedApiModel',
      OdaDependentApi: '../models.js#OdaDependentApiModel',
      OdaFinding: '../models.js#OdaFindingModel',
      OdaRegistryCounts: '../models.js#OdaRegistryCountsModel',
      OdaComponentEvent: '../models.js#OdaComponentEventMessage',
      OdaExposedApiEvent: '../models.js#OdaExposedApiEventMessage',
    },
  },
  start: startOdaSubgraph,
  // ODA Canvas objects from the shared watch caches (list + watch) at the version discovery serves
  // (GET /apis/oda.tmforum.org).
  rbac: [
    { apiGroups: ['oda.tmforum.org'], resources: ['components', 'exposedapis', 'dependentapis'], verbs: ['list', 'watch'] },
    { nonResourceURLs: ['/apis/oda.tmforum.org'], verbs: ['get'] },
  ],
};
export default oda;
