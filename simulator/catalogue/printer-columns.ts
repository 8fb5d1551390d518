// The `additionalPrinterColumns` the upstream CRDs declare for the custom resources the simulator serves
// (what `kubectl get` shows as columns, server-side printed). A kind listed here with no columns declares
// none upstream, so the real server shows NAME and AGE; a kind not listed at all gets the same default.
// Kinds added to the catalogue later can declare `printerColumns` in their own entry instead.
// Sources, read at these versions: openshift/ptp-operator config/crd/bases (main);
// k8snetworkplumbingwg/sriov-network-operator config/crd/bases (master); tmforum-oda/oda-canvas
// charts/oda-crds (v1); nephio-project/api (o2ims); cilium/cilium pkg/k8s/apis/cilium.io/client/crds/v2
// (1.12-era ciliumendpoints, ciliumnodes, ciliumidentities). Calico, Tigera, OpenShift config/operator
// Network and Multus NetworkAttachmentDefinition CRDs declare none.
import type { KindKey } from '../types.js';

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** A simple JSONPath (`.status.conditions[?(@.type=="Ready")].status`), evaluated per object. */
  jsonPath: string;
  description?: string;
  format?: string;
  /** 0 in the default view, >0 only with `-o wide`. */
  priority?: number;
}

const age = (description?: string): PrinterColumn => ({ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', ...(description ? { description } : {}) });
const sriovReady: PrinterColumn = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' };

export const UPSTREAM_PRINTER_COLUMNS: Readonly<Record<KindKey, readonly PrinterColumn[]>> = {
  'ptp.openshift.io/ptpconfigs': [],
  'ptp.openshift.io/nodeptpdevices': [age()],
  // no Age: the CRD lists only this column
  'ptp.openshift.io/ptpoperatorconfigs': [{ name: 'Event Enabled', type: 'boolean', jsonPath: '.spec.ptpEventConfig.enableEventPublisher', description: 'Event Enabled' }],
  'sriovnetwork.openshift.io/sriovnetworknodestates': [
    { name: 'Sync Status', type: 'string', jsonPath: '.status.syncStatus' },
    { name: 'Desired Sync State', type: 'string', jsonPath: '.metadata.annotations.sriovnetwork\\.openshift\\.io/desired-state' },
    { name: 'Current Sync State', type: 'string', jsonPath: '.metadata.annotations.sriovnetwork\\.openshift\\.io/current-state' },
    age(),
  ],
  'sriovnetwork.openshift.io/sriovnetworknodepolicies': [],
  'sriovnetwork.openshift.io/sriovnetworks': [sriovReady, age()],
  'sriovnetwork.openshift.io/sriovoperatorconfigs': [sriovReady, age()],
  'k8s.cni.cncf.io/network-attachment-definitions': [],
  'oda.tmforum.org/components': [
    { name: 'deployment_status', type: 'string', jsonPath: '.status.summary/status.deployment_status', description: 'Deployment status [in progress, complete, failed]' },
  ],
  'oda.tmforum.org/exposedapis': [
    { name: 'API_endpoint', type: 'string', jsonPath: '.status.apiStatus.url', description: 'API endpoint Url' },
    { name: 'Implementation_ready', type: 'string', jsonPath: '.status.implementation.ready', description: 'API implementation is ready - has passed startup probe checks' },
  ],
  'oda.tmforum.org/dependentapis': [
    { name: 'ready', type: 'string', jsonPath: '.status.implementation.ready', description: 'Dependent API configuration is ready - e.g. gateway configuration' },
    age('The age of this resource'),
    { name: 'svcInvID', type: 'string', jsonPath: '.status.depapiStatus.svcInvID', description: 'ID published in the Canvas Info Service' },
    { name: 'url', type: 'string', jsonPath: '.status.depapiStatus.url', description: 'Dependent API endpoint Url' },
  ],
  'o2ims.provisioning.oran.org/provisioningrequests': [],
  'cilium.io/ciliumnodes': [
    { name: 'CiliumInternalIP', type: 'string', jsonPath: '.spec.addresses[?(@.type=="CiliumInternalIP")].ip', description: 'Cilium internal IP for this node' },
    { name: 'InternalIP', type: 'string', jsonPath: '.spec.addresses[?(@.type=="InternalIP")].ip', description: 'IP of the node' },
    age('Time duration since creation of Ciliumnode'),
  ],
  'cilium.io/ciliumendpoints': [
    { name: 'Endpoint ID', type: 'integer', jsonPath: '.status.id', description: 'Cilium endpoint id' },
    { name: 'Identity ID', type: 'integer', jsonPath: '.status.identity.id', description: 'Cilium identity id' },
    { name: 'Ingress Enforcement', type: 'string', jsonPath: '.status.policy.ingress.state', description: 'Ingress enforcement in the endpoint' },
    { name: 'Egress Enforcement', type: 'string', jsonPath: '.status.policy.egress.state', description: 'Egress enforcement in the endpoint' },
    { name: 'Visibility Policy', type: 'string', jsonPath: '.status.visibility-policy-status', description: 'Status of visibility policy in the endpoint' },
    { name: 'Endpoint State', type: 'string', jsonPath: '.status.state', description: 'Endpoint current state' },
    { name: 'IPv4', type: 'string', jsonPath: '.status.networking.addressing[0].ipv4', description: 'Endpoint IPv4 address' },
    { name: 'IPv6', type: 'string', jsonPath: '.status.networking.addressing[0].ipv6', description: 'Endpoint IPv6 address' },
  ],
  'cilium.io/ciliumidentities': [
    { name: 'Namespace', type: 'string', jsonPath: '.metadata.labels.io\\.kubernetes\\.pod\\.namespace', description: 'The namespace of the entity' },
    age('The age of the identity'),
  ],
  'crd.projectcalico.org/ippools': [],
  'crd.projectcalico.org/clusterinformations': [],
  'operator.tigera.io/installations': [],
  'config.openshift.io/networks': [],
  'operator.openshift.io/networks': [],
};

/** Categories upstream CRDs declare (`kubectl get cilium` lists every kind of the category). */
export const UPSTREAM_CATEGORIES: Readonly<Record<KindKey, readonly string[]>> = {
  'cilium.io/ciliumnodes': ['cilium'],
  'cilium.io/ciliumendpoints': ['cilium'],
  'cilium.io/ciliumidentities': ['cilium'],
};
