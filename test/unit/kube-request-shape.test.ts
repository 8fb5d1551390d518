// The names traces and metrics give a Kubernetes API request: verb and kind as RBAC names them, and a
// path template without namespaces or object names (low cardinality).
import { requestShape } from '../../subgraphs/kube/request-shape.js';

describe('requestShape', () => {
  it.each([
    ['GET', '/api/v1/nodes?limit=500', { verb: 'list', kind: 'nodes', template: '/api/v1/nodes' }],
    ['GET', '/api/v1/nodes/du-001-sno', { verb: 'get', kind: 'nodes', template: '/api/v1/nodes/{name}' }],
    ['GET', '/api/v1/namespaces/openshift-ptp/pods?labelSelector=app%3Dlinuxptp-daemon', { verb: 'list', kind: 'pods', template: '/api/v1/namespaces/{namespace}/pods' }],
    ['GET', '/api/v1/pods?watch=true&resourceVersion=12&allowWatchBookmarks=true', { verb: 'watch', kind: 'pods', template: '/api/v1/pods' }],
    ['GET', '/api/v1/namespaces/openshift-ptp/pods/linuxptp-daemon-x:9091/proxy/metrics', { verb: 'proxy', kind: 'pods', template: '/api/v1/namespaces/{namespace}/pods/{name}/proxy/{path}' }],
    ['POST', '/api/v1/namespaces/openshift-ptp/pods/linuxptp-daemon-x:9043/proxy/api/ocloudNotifications/v2/subscriptions', { verb: 'proxy_create', kind: 'pods', template: '/api/v1/namespaces/{namespace}/pods/{name}/proxy/{path}' }],
    ['DELETE', '/api/v1/namespaces/openshift-ptp/pods/linuxptp-daemon-x:9043/proxy/api/ocloudNotifications/v2/subscriptions/s1', { verb: 'proxy_delete', kind: 'pods', template: '/api/v1/namespaces/{namespace}/pods/{name}/proxy/{path}' }],
    ['GET', '/apis/ptp.openshift.io/v1/namespaces/openshift-ptp/ptpconfigs/du-ptp', { verb: 'get', kind: 'ptp.openshift.io/ptpconfigs', template: '/apis/ptp.openshift.io/v1/namespaces/{namespace}/ptpconfigs/{name}' }],
    ['POST', '/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests', { verb: 'create', kind: 'o2ims.provisioning.oran.org/provisioningrequests', template: '/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests' }],
    ['DELETE', '/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests/pr-1', { verb: 'delete', kind: 'o2ims.provisioning.oran.org/provisioningrequests', template: '/apis/o2ims.provisioning.oran.org/v1alpha1/provisioningrequests/{name}' }],
    ['PATCH', '/api/v1/namespaces/ns/pods/p/status', { verb: 'patch', kind: 'pods', template: '/api/v1/namespaces/{namespace}/pods/{name}/status' }],
    ['GET', '/api/v1/namespaces', { verb: 'list', kind: 'namespaces', template: '/api/v1/namespaces' }],
    ['GET', '/api/v1/namespaces/default', { verb: 'get', kind: 'namespaces', template: '/api/v1/namespaces/{name}' }],
    ['GET', '/version', { verb: 'discovery', kind: '/version', template: '/version' }],
    ['GET', '/apis', { verb: 'discovery', kind: '/apis', template: '/apis' }],
    ['GET', '/apis/ptp.openshift.io/v1', { verb: 'discovery', kind: '/apis/ptp.openshift.io/v1', template: '/apis/ptp.openshift.io/v1' }],
  ])('%s %s', (method, path, shape) => {
    expect(requestShape(method, path)).toEqual(shape);
  });
});
