// The registry view over one cluster's ODA objects: which ExposedAPI / DependentAPI belongs to which
// Component (ownerReference uid, else the `oda.tmforum.org/componentName` label), which declared API each
// one implements, and the consistency check the seed's orphan clean-up did, with reasons: children whose
// Component is gone, declared APIs without their child object, APIs not ready for longer than a threshold.
// Pure functions over mapped models (sources.ts).
import type {
  DeclaredApiInstance,
  DeclaredDependentInstance,
  OdaComponentModel,
  OdaDependentApiModel,
  OdaDeploymentStatus,
  OdaExposedApiModel,
  OdaFindingModel,
  OdaOwnerModel,
  OdaRegistryCountsModel,
  OdaSpecification,
} from './models.js';
import { isV1Family } from './sources.js';

interface Child {
  clusterName: string;
  namespace: string;
  owner: OdaOwnerModel | null;
}

/** The child names this component: by ownerReference uid when it has one, else by name (label). */
export function belongsTo(child: Child, component: OdaComponentModel): boolean {
  if (!child.owner || child.clusterName !== component.clusterName || child.namespace !== component.namespace) return false;
  if (child.owner.via === 'OWNER_REFERENCE' && child.owner.componentUid) return child.owner.componentUid === component.uid;
  return child.owner.componentName === component.name;
}

export function componentOf(child: Child, components: readonly OdaComponentModel[]): OdaComponentModel | null {
  return components.find((c) => belongsTo(child, c)) ?? null;
}

export function childrenOf<T extends Child>(component: OdaComponentModel, children: readonly T[]): T[] {
  return children.filter((c) => belongsTo(c, component));
}

const lower = (s: string | null) => (s ?? '').toLowerCase();

function majorsCompatible(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}

function instancesOf(component: OdaComponentModel, declared: { specifications: OdaSpecification[] }): (OdaSpecification | null)[] {
  return isV1Family(component.layout) && declared.specifications.length > 0 ? declared.specifications : [null];
}

/** Every API instance the component declares, with the ExposedAPI that implements it (null: missing). */
export function declaredApiInstances(component: OdaComponentModel, exposedApis: readonly OdaExposedApiModel[]): DeclaredApiInstance[] {
  const own = childrenOf(component, exposedApis);
  const used = new Set<OdaExposedApiModel>();
  const out: DeclaredApiInstance[] = [];
  for (const declared of component.exposedApis) {
    for (const specification of instancesOf(component, declared)) {
      const exposedApi =
        own.find(
          (a) =>
            !used.has(a) &&
            lower(a.apiName) === lower(declared.name) &&
            (a.segment === null || a.segment === declared.segment) &&
            majorsCompatible(specification?.majorVersion ?? null, a.specifications[0]?.majorVersion ?? null),
        ) ?? null;
      if (exposedApi) used.add(exposedApi);
      const names = [`${component.name}-${declared.name}`.toLowerCase()];
      if (specification?.majorVersion) names.unshift(`${names[0]}-${specification.majorVersion}`);
      const entries = component.status?.exposedApis ?? [];
      const status =
        (exposedApi?.uid ? entries.find((e) => e.uid === exposedApi.uid) : undefined) ??
        entries.find((e) => e.segment === declared.segment && names.includes(e.name.toLowerCase())) ??
        null;
      out.push({ declared, specification, exposedApi, status });
    }
  }
  return out;
}

export function declaredDependentInstances(component: OdaComponentModel, dependentApis: readonly OdaDependentApiModel[]): DeclaredDependentInstance[] {
  const own = childrenOf(component, dependentApis);
  const used = new Set<OdaDependentApiModel>();
  const out: DeclaredDependentInstance[] = [];
  for (const declared of component.dependentApis) {
    for (const specification of instancesOf(component, declared)) {
      const dependentApi =
        own.find(
          (d) =>
            !used.has(d) &&
            lower(d.apiName) === lower(declared.name) &&
            majorsCompatible(specification?.majorVersion ?? null, d.specifications[0]?.majorVersion ?? null),
        ) ?? null;
      if (dependentApi) used.add(dependentApi);
      out.push({ declared, specification, dependentApi });
    }
  }
  return out;
}

/** The ExposedAPI a resolved DependentAPI points at (same cluster, its URL). */
export function providerOf(dependent: OdaDependentApiModel, exposedApis: readonly OdaExposedApiModel[]): OdaExposedApiModel | null {
  if (!dependent.url) return null;
  return exposedApis.find((a) => a.clusterName === dependent.clusterName && a.url === dependent.url) ?? null;
}

export interface RegistryCheckOptions {
  /** ms since epoch. */
  now: number;
  /** A declared API missing, or an API not ready, is reported once it lasted this long. */
  olderThanSeconds: number;
  /** When an object (by uid) was seen turning not ready, if the caller watched it happen (status has no transition time). */
  notReadySince?: (uid: string) => number | undefined;
}

export interface RegistryObjects {
  components: readonly OdaComponentModel[];
  exposedApis: readonly OdaExposedApiModel[];
  dependentApis: readonly OdaDependentApiModel[];
}

function orphanMessage(kind: string, child: Child & { name: string }): string {
  if (!child.owner) return `${kind} ${child.name} has neither an ownerReference to a Component nor the oda.tmforum.org/componentName label`;
  if (child.owner.via === 'OWNER_REFERENCE' && child.owner.componentUid) {
    return `${kind} ${child.name} is owned by Component ${child.owner.componentName} (uid ${child.owner.componentUid}), which no longer exists in namespace ${child.namespace}`;
  }
  return `${kind} ${child.name} is labelled for Component ${child.owner.componentName}, which does not exist in namespace ${child.namespace}`;
}

function parseTime(text: string | null): number | null {
  if (!text) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

/** Consistency findings of one cluster's registry, sorted by namespace, component, reason, object. */
export function registryFindings(objects: RegistryObjects, options: RegistryCheckOptions): OdaFindingModel[] {
  const findings: OdaFindingModel[] = [];
  const threshold = options.olderThanSeconds * 1000;
  const lasted = (since: number | null) => since === null || options.now - since >= threshold;
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  /** The later of creation and the moment the caller saw the object turn not ready. */
  const notReadySince = (uid: string | null, created: string | null): number | null => {
    const c = parseTime(created);
    const seen = uid ? options.notReadySince?.(uid) : undefined;
    if (seen === undefined) return c;
    return c === null ? seen : Math.max(c, seen);
  };

  for (const api of objects.exposedApis) {
    const component = componentOf(api, objects.components);
    const base = { clusterName: api.clusterName, namespace: api.namespace, componentName: api.owner?.componentName ?? null, objectKind: 'ExposedAPI' as const, objectName: api.name, apiName: api.apiName };
    if (!component) {
      findings.push({ ...base, reason: 'ORPHANED_EXPOSED_API', since: null, message: orphanMessage('ExposedAPI', api) });
      continue;
    }
    if (api.ready) continue;
    const since = notReadySince(api.uid, api.creationTimestamp);
    if (!lasted(since)) continue;
    const what = api.url ? `published at ${api.url}` : 'not yet published on the gateway';
    findings.push({ ...base, componentName: component.name, reason: 'EXPOSED_API_NOT_READY', since: iso(since), message: `ExposedAPI ${api.name} (${what}) has no ready implementation${since === null ? '' : ` since ${iso(since)}`}` });
  }
  for (const dep of objects.dependentApis) {
    const component = componentOf(dep, objects.components);
    const base = { clusterName: dep.clusterName, namespace: dep.namespace, componentName: dep.owner?.componentName ?? null, objectKind: 'DependentAPI' as const, objectName: dep.name, apiName: dep.apiName };
    if (!component) {
      findings.push({ ...base, reason: 'ORPHANED_DEPENDENT_API', since: null, message: orphanMessage('DependentAPI', dep) });
      continue;
    }
    if (dep.ready) continue;
    const since = notReadySince(dep.uid, dep.creationTimestamp);
    if (!lasted(since)) continue;
    const spec = dep.specifications.map((s) => s.tmfApiId ?? s.url).filter(Boolean).join(', ');
    findings.push({
      ...base,
      componentName: component.name,
      reason: 'DEPENDENT_API_NOT_READY',
      since: iso(since),
      message: `DependentAPI ${dep.name}${spec ? ` (${spec})` : ''} is not resolved to a ready API${since === null ? '' : ` since ${iso(since)}`}`,
    });
  }
  for (const component of objects.components) {
    const created = parseTime(component.creationTimestamp);
    if (!lasted(created)) continue; // the operator may still be creating the children
    const base = { clusterName: component.clusterName, namespace: component.namespace, componentName: component.name, objectKind: 'Component' as const, objectName: component.name, since: iso(created) };
    for (const i of declaredApiInstances(component, objects.exposedApis)) {
      if (i.exposedApi) continue;
      const version = i.specification?.majorVersion ? ` ${i.specification.majorVersion}` : '';
      const stale = i.status ? ` (its status still lists ${i.status.name})` : '';
      findings.push({ ...base, reason: 'MISSING_EXPOSED_API', apiName: i.declared.name, message: `Component ${component.name} declares ${i.declared.segment.toLowerCase()} API ${i.declared.name}${version} but no ExposedAPI implements it${stale}` });
    }
    for (const i of declaredDependentInstances(component, objects.dependentApis)) {
      if (i.dependentApi) continue;
      findings.push({ ...base, reason: 'MISSING_DEPENDENT_API', apiName: i.declared.name, message: `Component ${component.name} declares dependent API ${i.declared.name} but no DependentAPI exists for it` });
    }
  }
  const key = (f: OdaFindingModel) => [f.namespace, f.componentName ?? '', f.reason, f.objectName, f.apiName ?? ''].join('\u0000');
  return findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Counts of one cluster's registry (what the seed exported as Prometheus gauges). */
export function registryCounts(clusterName: string, objects: RegistryObjects): OdaRegistryCountsModel {
  const byStatus = new Map<string, { status: OdaDeploymentStatus | null; count: number }>();
  for (const c of objects.components) {
    const status = c.status?.deploymentStatus ?? null;
    const k = status ?? '';
    byStatus.set(k, { status, count: (byStatus.get(k)?.count ?? 0) + 1 });
  }
  return {
    clusterName,
    components: objects.components.length,
    byDeploymentStatus: [...byStatus.values()].sort((a, b) => (a.status ?? '').localeCompare(b.status ?? '')),
    exposedApis: objects.exposedApis.length,
    readyExposedApis: objects.exposedApis.filter((a) => a.ready).length,
    dependentApis: objects.dependentApis.length,
    readyDependentApis: objects.dependentApis.filter((d) => d.ready).length,
  };
}
