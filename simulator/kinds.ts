// The catalogue of kinds the simulated API servers serve. Discovery, routing, the OpenAPI stub and the
// object store's kind keys are all derived from this one table, so a kind is added in one place.
// Names, scopes and short names follow the upstream CRDs / built-in types (reference/domain-models.md).
import { kindKey, type KindKey, type KubeObject } from './types.js';
import { UPSTREAM_CATEGORIES, UPSTREAM_PRINTER_COLUMNS, type PrinterColumn } from './catalogue/printer-columns.js';
import { KIND_SCHEMAS, openSchema } from './catalogue/schemas.js';
import type { JsonSchema } from './catalogue/json-schema.js';

export type { PrinterColumn } from './catalogue/printer-columns.js';
export type { JsonSchema } from './catalogue/json-schema.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface KindInfo {
  /** API group, '' for core. */
  group: string;
  /**
   * Served version: the default (storage) version in KINDS; a variant of `versions()` for a cluster whose
   * CRD serves an older one (SimClusterSpec.servedVersions).
   */
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
  /** Served by kube-apiserver itself (core, apps, apiextensions) rather than through a CRD. */
  builtIn: boolean;
  /** Custom resources: the CRD's additionalPrinterColumns (`kubectl get` columns); built-ins print in api/printers.ts. */
  printerColumns: readonly PrinterColumn[];
  /** OpenAPI v3 schema of the kind (explain, CRD rendering, custom-resource validation). */
  schema: JsonSchema;
}

const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** Kinds whose collection cannot be deleted in one call upstream (no deletecollection verb). */
const NO_DELETECOLLECTION = new Set<KindKey>(['/namespaces', '/services']);
const BUILT_IN_GROUPS = new Set(['', 'apps', 'apiextensions.k8s.io', 'authorization.k8s.io']);

interface KindDef {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  status?: boolean;
  /** additionalPrinterColumns of the upstream CRD (custom resources); default: catalogue/printer-columns.ts. */
  printerColumns?: PrinterColumn[];
  /** OpenAPI v3 schema; default: catalogue/schemas.ts, else open spec/status. */
  schema?: JsonSchema;
  /** Verbs when not every storage verb is served (e.g. create-only reviews). */
  verbs?: Verb[];
  /** Older versions the upstream CRD also defines; a cluster may serve one of them instead (servedVersions). */
  olderVersions?: string[];
}

const OLDER_VERSIONS = new Map<string, string[]>();

function define(def: KindDef): KindInfo {
  const key = kindKey(def.group, def.plural);
  if (def.olderVersions) OLDER_VERSIONS.set(key, def.olderVersions);
  return {
    group: def.group,
    version: def.version,
    kind: def.kind,
    plural: def.plural,
    singular: def.kind.toLowerCase(),
    namespaced: def.namespaced,
    shortNames: def.shortNames ?? [],
    categories: [...new Set([...(def.categories ?? []), ...(UPSTREAM_CATEGORIES[key] ?? [])])],
    verbs: def.verbs ?? (NO_DELETECOLLECTION.has(key) ? ALL_VERBS.filter((v) => v !== 'deletecollection') : ALL_VERBS),
    statusSubresource: def.status ?? true,
    key,
    apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
    builtIn: BUILT_IN_GROUPS.has(def.group),
    printerColumns: def.printerColumns ?? UPSTREAM_PRINTER_COLUMNS[key] ?? [],
    schema: def.schema ?? KIND_SCHEMAS[key] ?? openSchema(def.kind),
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
  // authorization.k8s.io/v1: `kubectl auth can-i` (answered from the token's rules, never stored: api/access-review.ts)
  define({ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: false, status: false, verbs: ['create'] }),
  define({ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', namespaced: false, status: false, verbs: ['create'] }),
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
  // TM Forum ODA Canvas (chart oda-crds 1.3: no status subresource, the operators write status with the object)
  define({ group: 'oda.tmforum.org', version: 'v1', kind: 'Component', plural: 'components', namespaced: true, status: false, olderVersions: ['v1beta4', 'v1beta3', 'v1beta2'] }),
  define({ group: 'oda.tmforum.org', version: 'v1', kind: 'ExposedAPI', plural: 'exposedapis', namespaced: true, status: false, olderVersions: ['v1beta4', 'v1beta3'] }),
  define({ group: 'oda.tmforum.org', version: 'v1', kind: 'DependentAPI', plural: 'dependentapis', namespaced: true, shortNames: ['depapi', 'depapis'], status: false, olderVersions: ['v1beta4', 'v1beta3'] }),
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
export const BUILTIN_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'apiextensions.k8s.io', 'authorization.k8s.io']);

/** Every kind at an older version its CRD defines (same store key: one object, read in one version per cluster). */
const OLDER_KINDS: readonly KindInfo[] = KINDS.flatMap((k) =>
  (OLDER_VERSIONS.get(k.key) ?? []).map((version) => ({ ...k, version, apiVersion: k.group ? `${k.group}/${version}` : version })),
);

const byKey = new Map<KindKey, KindInfo>(KINDS.map((k) => [k.key, k]));
const byApiVersionKind = new Map<string, KindInfo>([...KINDS, ...OLDER_KINDS].map((k) => [`${k.apiVersion}|${k.kind}`, k]));
const byGroupVersion = new Map<string, KindInfo[]>();
for (const k of [...KINDS, ...OLDER_KINDS]) {
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

/**
 * Per cluster, the groups served at another version than the catalogue's default (group → version), as a
 * cluster whose CRDs are an older release serves them (e.g. `oda.tmforum.org` → `v1beta3`). Empty: defaults.
 */
export type ServedVersions = ReadonlyMap<string, string>;

export const DEFAULT_VERSIONS: ServedVersions = new Map();

/** Every group in catalogue order, with the single version served (the default unless `versions` says otherwise). */
export function allGroups(versions: ServedVersions = DEFAULT_VERSIONS): { group: string; version: string }[] {
  const seen = new Map<string, string>();
  for (const k of KINDS) if (!seen.has(k.group)) seen.set(k.group, versions.get(k.group) ?? k.version);
  return [...seen].map(([group, version]) => ({ group, version }));
}

/** The version a cluster serves `group` at ('' → v1). */
export function servedVersionOf(group: string, versions: ServedVersions = DEFAULT_VERSIONS): string | undefined {
  return versions.get(group) ?? KINDS.find((k) => k.group === group)?.version;
}

/**
 * Checks a cluster's servedVersions: every entry must name a catalogue group and a version all of that
 * group's kinds define. Returns the map, or throws with a message naming the bad entry.
 */
export function servedVersionsFrom(cluster: string, entries: Readonly<Record<string, string>> | undefined): ServedVersions {
  const versions = new Map(Object.entries(entries ?? {}));
  for (const [group, version] of versions) {
    const kinds = KINDS.filter((k) => k.group === group);
    const missing = kinds.filter((k) => !kindsOfGroupVersion(group, version).some((v) => v.key === k.key));
    if (kinds.length === 0 || missing.length > 0) {
      throw new Error(`cluster "${cluster}": servedVersions ${group}=${version}: ${kinds.length === 0 ? 'unknown group' : `not a version of ${missing.map((k) => k.kind).join(', ')}`}`);
    }
  }
  return versions;
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
