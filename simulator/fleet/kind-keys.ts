// The kinds the fleet generator emits, with the store KindKey (`<group>/<plural>`) of each. The API
// server's catalogue (simulator/kinds.ts) serves discovery for these; this small table only lets the
// generator, exporters, scenarios and bench address the store without depending on the API server.
import { kindKey, type KindKey, type KubeObject } from '../types.js';

export const K = {
  namespaces: kindKey('', 'namespaces'),
  nodes: kindKey('', 'nodes'),
  pods: kindKey('', 'pods'),
  events: kindKey('', 'events'),
  services: kindKey('', 'services'),
  daemonSets: kindKey('apps', 'daemonsets'),
  ocpNetworks: kindKey('config.openshift.io', 'networks'),
  ptpConfigs: kindKey('ptp.openshift.io', 'ptpconfigs'),
  nodePtpDevices: kindKey('ptp.openshift.io', 'nodeptpdevices'),
  ptpOperatorConfigs: kindKey('ptp.openshift.io', 'ptpoperatorconfigs'),
  sriovNodeStates: kindKey('sriovnetwork.openshift.io', 'sriovnetworknodestates'),
  sriovPolicies: kindKey('sriovnetwork.openshift.io', 'sriovnetworknodepolicies'),
  sriovNetworks: kindKey('sriovnetwork.openshift.io', 'sriovnetworks'),
  sriovOperatorConfigs: kindKey('sriovnetwork.openshift.io', 'sriovoperatorconfigs'),
  netAttachDefs: kindKey('k8s.cni.cncf.io', 'network-attachment-definitions'),
  odaComponents: kindKey('oda.tmforum.org', 'components'),
  odaExposedApis: kindKey('oda.tmforum.org', 'exposedapis'),
  odaDependentApis: kindKey('oda.tmforum.org', 'dependentapis'),
  provisioningRequests: kindKey('o2ims.provisioning.oran.org', 'provisioningrequests'),
  packageVariants: kindKey('config.porch.kpt.dev', 'packagevariants'),
  capiClusters: kindKey('cluster.x-k8s.io', 'clusters'),
  crds: kindKey('apiextensions.k8s.io', 'customresourcedefinitions'),
  calicoIpPools: kindKey('crd.projectcalico.org', 'ippools'),
  calicoClusterInformations: kindKey('crd.projectcalico.org', 'clusterinformations'),
  tigeraInstallations: kindKey('operator.tigera.io', 'installations'),
  ciliumNodes: kindKey('cilium.io', 'ciliumnodes'),
  ciliumEndpoints: kindKey('cilium.io', 'ciliumendpoints'),
} as const satisfies Record<string, KindKey>;

/** apiVersion + kind → KindKey for every kind the generator emits. */
const BY_KIND: Record<string, KindKey> = {
  'v1/Namespace': K.namespaces,
  'v1/Node': K.nodes,
  'v1/Pod': K.pods,
  'v1/Event': K.events,
  'v1/Service': K.services,
  'apps/v1/DaemonSet': K.daemonSets,
  'config.openshift.io/v1/Network': K.ocpNetworks,
  'ptp.openshift.io/v1/PtpConfig': K.ptpConfigs,
  'ptp.openshift.io/v1/NodePtpDevice': K.nodePtpDevices,
  'ptp.openshift.io/v1/PtpOperatorConfig': K.ptpOperatorConfigs,
  'sriovnetwork.openshift.io/v1/SriovNetworkNodeState': K.sriovNodeStates,
  'sriovnetwork.openshift.io/v1/SriovNetworkNodePolicy': K.sriovPolicies,
  'sriovnetwork.openshift.io/v1/SriovNetwork': K.sriovNetworks,
  'sriovnetwork.openshift.io/v1/SriovOperatorConfig': K.sriovOperatorConfigs,
  'k8s.cni.cncf.io/v1/NetworkAttachmentDefinition': K.netAttachDefs,
  'oda.tmforum.org/v1/Component': K.odaComponents,
  'oda.tmforum.org/v1/ExposedAPI': K.odaExposedApis,
  'oda.tmforum.org/v1/DependentAPI': K.odaDependentApis,
  // regional clusters whose ODA CRDs serve only v1beta3
  'oda.tmforum.org/v1beta3/Component': K.odaComponents,
  'oda.tmforum.org/v1beta3/ExposedAPI': K.odaExposedApis,
  'oda.tmforum.org/v1beta3/DependentAPI': K.odaDependentApis,
  'o2ims.provisioning.oran.org/v1alpha1/ProvisioningRequest': K.provisioningRequests,
  'config.porch.kpt.dev/v1alpha1/PackageVariant': K.packageVariants,
  'cluster.x-k8s.io/v1beta1/Cluster': K.capiClusters,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': K.crds,
  'crd.projectcalico.org/v1/IPPool': K.calicoIpPools,
  'crd.projectcalico.org/v1/ClusterInformation': K.calicoClusterInformations,
  'operator.tigera.io/v1/Installation': K.tigeraInstallations,
  'cilium.io/v2/CiliumNode': K.ciliumNodes,
  'cilium.io/v2/CiliumEndpoint': K.ciliumEndpoints,
};

/** The store KindKey of a generated object; throws for a kind the generator does not emit. */
export function kindKeyOf(obj: KubeObject): KindKey {
  const key = BY_KIND[`${obj.apiVersion}/${obj.kind}`];
  if (!key) throw new Error(`fleet: no KindKey for ${obj.apiVersion} ${obj.kind}`);
  return key;
}

/** Every apiVersion/kind the generator emits (the API server's catalogue must serve all of them). */
export function generatedKinds(): { apiVersion: string; kind: string; kindKey: KindKey }[] {
  return Object.entries(BY_KIND).map(([id, key]) => {
    const slash = id.lastIndexOf('/');
    return { apiVersion: id.slice(0, slash), kind: id.slice(slash + 1), kindKey: key };
  });
}
