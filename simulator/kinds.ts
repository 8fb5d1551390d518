// The catalogue of kinds the simulated API servers serve. Discovery, routing, the OpenAPI stub and the
// object store's kind keys are all derived from this one table, so a kind is added in one place.
// Names, scopes and short names follow the upstream CRDs / built-in types (reference/domain-models.md).
import { kindKey, type KindKey, type KubeObject } from './types.js';

export type Verb = 'create' | 'delete' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface KindInfo {
  /** API group, '' for core. */
  group: string;
  /** Served version (the only one this simulator serves for the kind; also the storage version). */
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  /** True when the kind has a `/status` subresource: status is only written through it. */
  statusSubresource: boolean;
  /** `<group>/<plural>`, the object store key. */
  key: KindKey;
  /** `v1` or `<group>/<version>`. */
  apiVersion: string;
}

const ALL_VERBS: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

interface KindDef {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  status?: boolean;
}

function define(def: KindDef): KindInfo {
  return {
    group: def.group,
    version: def.version,
    kind: def.kind,
    plural: def.plural,
    singular: def.kind.toLowerCase(),
    namespaced: def.namespaced,
    shortNames: def.shortNames ?? [],
    categories: def.categories ?? [],
    verbs: ALL_VERBS,
    statusSubresource: def.status ?? true,
    key: kindKey(def.group, def.plural),
    apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
  };
}

export const KINDS: readonly KindInfo[] = [
  // core/v1
  define({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'] }),
  define({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'] }),
  define({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'] }),
  define({ group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], categories: ['all'] }),
  define({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], status: false }),
  define({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'], status: false }),
  // apps/v1
  define({ group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'], categories: ['all'] }),
  define({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ['all'] }),
  // apiextensions.k8s.io/v1: lets a generator declare an installed operator without any CR of it
  define({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false, shortNames: ['crd', 'crds'] }),
  // OpenShift cluster configuration
  define({ group: 'config.openshift.io', version: 'v1', kind: 'Network', plural: 'networks', namespaced: false }),
  define({ group: 'operator.openshift.io', version: 'v1', kind: 'Network', plural: 'networks', namespaced: false }),
  // PTP operator (no short names upstream)
  define({ group: 'ptp.openshift.io', version: 'v1', kind: 'PtpConfig', plural: 'ptpconfigs', namespaced: true }),
  define({ group: 'ptp.openshift.io', version: 'v1', kind: 'NodePtpDevice', plural: 'nodeptpdevices', namespaced: true }),
  define({ group: 'ptp.openshift.io', version: 'v1', kind: 'PtpOperatorConfig', plural: 'ptpoperatorconfigs', namespaced: true }),
  // SR-IOV network operator
  define({ group: 'sriovnetwork.openshift.io', version: 'v1', kind: 'SriovNetworkNodeState', plural: 'sriovnetworknodestates', namespaced: true }),
  define({ group: 'sriovnetwork.openshift.io', version: 'v1', kind: 'SriovNetworkNodePolicy', plural: 'sriovnetworknodepolicies', namespaced: true }),
  define({ group: 'sriovnetwork.openshift.io', version: 'v1', kind: 'SriovNetwork', plural: 'sriovnetworks', namespaced: true }),
  define({ group: 'sriovnetwork.openshift.io', version: 'v1', kind: 'SriovOperatorConfig', plural: 'sriovoperatorconfigs', namespaced: true }),
  // Multus
  define({ group: 'k8s.cni.cncf.io', version: 'v1', kind: 'NetworkAttachmentDefinition', plural: 'network-attachment-definitions', namespaced: true, shortNames: ['net-attach-def'], status: false }),
  // TM Forum ODA Canvas
  define({ group: 'oda.tmforum.org', version: 'v1', kind: 'Component', plural: 'components', namespaced: true }),
  define({ group: 'oda.tmforum.org', version: 'v1', kind: 'ExposedAPI', plural: 'exposedapis', namespaced: true }),
  define({ group: 'oda.tmforum.org', version: 'v1', kind: 'DependentAPI', plural: 'dependentapis', namespaced: true, shortNames: ['depapi'] }),
  // O-RAN O2IMS (Nephio CRD: no short name)
  define({ group: 'o2ims.provisioning.oran.org', version: 'v1alpha1', kind: 'ProvisioningRequest', plural: 'provisioningrequests', namespaced: false }),
  // What the o2ims operator drives on a management cluster: Porch PackageVariants and Cluster API Clusters
  define({ group: 'config.porch.kpt.dev', version: 'v1alpha1', kind: 'PackageVariant', plural: 'packagevariants', namespaced: true }),
  define({ group: 'cluster.x-k8s.io', version: 'v1beta1', kind: 'Cluster', plural: 'clusters', namespaced: true, shortNames: ['cl'], categories: ['cluster-api'] }),
  // CNI variety on plain-Kubernetes regional clusters
  define({ group: 'cilium.io', version: 'v2', kind: 'CiliumNode', plural: 'ciliumnodes', namespaced: false, shortNames: ['cn', 'ciliumn'] }),
  define({ group: 'cilium.io', version: 'v2', kind: 'CiliumEndpoint', plural: 'ciliumendpoints', namespaced: true, shortNames: ['cep', 'ciliumep'] }),
  define({ group: 'cilium.io', version: 'v2', kind: 'CiliumIdentity', plural: 'ciliumidentities', namespaced: false, shortNames: ['ciliumid'], status: false }),
  define({ group: 'crd.projectcalico.org', version: 'v1', kind: 'IPPool', plural: 'ippools', namespaced: false, status: false }),
  define({ group: 'crd.projectcalico.org', version: 'v1', kind: 'ClusterInformation', plural: 'clusterinformations', namespaced: false, status: false }),
  define({ group: 'operator.tigera.io', version: 'v1', kind: 'Installation', plural: 'installations', namespaced: false }),
];

/** Groups every cluster serves whatever objects it holds (as every real API server does). */
export const BUILTIN_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'apiextensions.k8s.io']);

const byKey = new Map<KindKey, KindInfo>(KINDS.map((k) => [k.key, k]));
const byApiVersionKind = new Map<string, KindInfo>(KINDS.map((k) => [`${k.apiVersion}|${k.kind}`, k]));
const byGroupVersion = new Map<string, KindInfo[]>();
for (const k of KINDS) {
  const gv = `${k.group}/${k.version}`;
  byGroupVersion.set(gv, [...(byGroupVersion.get(gv) ?? []), k]);
}

export function kindByKey(key: KindKey): KindInfo | undefined {
  return byKey.get(key);
}

export function kindOf(apiVersion: string, kind: string): KindInfo | undefined {
  return byApiVersionKind.get(`${apiVersion}|${kind}`);
}

/** The kinds of one group/version ('' group for core), in catalogue order. */
export function kindsOfGroupVersion(group: string, version: string): readonly KindInfo[] {
  return byGroupVersion.get(`${group}/${version}`) ?? [];
}

export function kindByPlural(group: string, version: string, plural: string): KindInfo | undefined {
  return kindsOfGroupVersion(group, version).find((k) => k.plural === plural);
}

/** Every group in catalogue order, with its single served version. */
export function allGroups(): { group: string; version: string }[] {
  const seen = new Map<string, string>();
  for (const k of KINDS) if (!seen.has(k.group)) seen.set(k.group, k.version);
  return [...seen].map(([group, version]) => ({ group, version }));
}

/** `pods`, `ptpconfigs.ptp.openshift.io`: how the real server names a resource in error messages. */
export function qualifiedResource(kind: KindInfo): string {
  return kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
}

/**
 * The API groups one cluster serves. A real cluster serves a CRD's group only once the operator that
 * owns it is installed, so a cluster without the PTP operator answers `kubectl get ptpconfigs` with
 * "the server doesn't have a resource type". The rule here: the built-in groups, plus every group of
 * which the cluster's initial objects contain at least one object, plus the group of every
 * CustomResourceDefinition object it holds (named `<plural>.<group>`, as upstream). config.openshift.io
 * and operator.openshift.io are additionally served on every OpenShift cluster.
 */
export function installedGroups(objects: readonly KubeObject[], platform: 'OpenShift' | 'Kubernetes'): Set<string> {
  const groups = new Set(BUILTIN_GROUPS);
  if (platform === 'OpenShift') {
    groups.add('config.openshift.io');
    groups.add('operator.openshift.io');
  }
  for (const obj of objects) {
    const slash = obj.apiVersion.indexOf('/');
    if (slash > 0) groups.add(obj.apiVersion.slice(0, slash));
    if (obj.kind === 'CustomResourceDefinition') {
      const dot = obj.metadata.name.indexOf('.');
      if (dot > 0) groups.add(obj.metadata.name.slice(dot + 1));
    }
  }
  return groups;
}
