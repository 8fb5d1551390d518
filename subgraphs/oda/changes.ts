// What a watch event of a Component or an ExposedAPI changed, for the subscriptions: deployment_status
// transitions and version changes of components, readiness and URL changes of exposed APIs. A MODIFIED
// event that changed none of what the registry shows (operator bookkeeping such as `status.kopf`, a
// resourceVersion bump) yields null and is not sent.
import type {
  OdaChangeType,
  OdaComponentChange,
  OdaComponentEventModel,
  OdaComponentModel,
  OdaExposedApiChange,
  OdaExposedApiEventModel,
  OdaExposedApiModel,
} from './models.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Identity {
  clusterName: string;
  namespace: string;
  name: string;
}

/** Type, change list and identity of an event; null for a MODIFIED that changed nothing of interest (not sent). */
function eventHead<M extends Identity, C>(type: OdaChangeType, previous: M | null, current: M, diff: (p: M, c: M) => C[]) {
  const changes = type === 'MODIFIED' && previous ? diff(previous, current) : [];
  if (type === 'MODIFIED' && previous && changes.length === 0) return null;
  return { type, changes, clusterName: current.clusterName, namespace: current.namespace, name: current.name };
}

function componentChanges(previous: OdaComponentModel, current: OdaComponentModel): OdaComponentChange[] {
  const changes: OdaComponentChange[] = [];
  const p = previous.status;
  const c = current.status;
  if ((p?.deploymentStatusText ?? null) !== (c?.deploymentStatusText ?? null)) changes.push('DEPLOYMENT_STATUS');
  if (previous.version !== current.version) changes.push('VERSION');
  if (!same(p?.exposedApis ?? null, c?.exposedApis ?? null)) changes.push('API_STATUS');
  if (!same(p?.dependentApis ?? null, c?.dependentApis ?? null)) changes.push('DEPENDENT_API_STATUS');
  if (!same([previous.exposedApis, previous.dependentApis], [current.exposedApis, current.dependentApis])) changes.push('DECLARED_APIS');
  if (!same(previous.labels, current.labels)) changes.push('LABELS');
  const metadata = (m: OdaComponentModel) => [
    m.componentId,
    m.componentName,
    m.description,
    m.functionalBlock,
    m.publicationDate,
    m.specificationStatus,
    m.eTom,
    m.sid,
    m.functionalFramework,
    m.maintainers,
    m.owners,
    m.canvasSystemRole,
    m.secretsManagement,
  ];
  if (!same(metadata(previous), metadata(current))) changes.push('METADATA');
  if (previous.statusError !== current.statusError) changes.push('STATUS_ERROR');
  return changes;
}

/**
 * The event for a Component watch event. `previous` is the cache's state before it (null when unknown:
 * an ADDED, or a MODIFIED of an object the cache never held). ADDED and DELETED carry no change list.
 */
export function componentEvent(type: OdaChangeType, previous: OdaComponentModel | null, current: OdaComponentModel): OdaComponentEventModel | null {
  const head = eventHead(type, previous, current, componentChanges);
  if (!head) return null;
  return {
    ...head,
    previousDeploymentStatus: previous?.status?.deploymentStatus ?? null,
    deploymentStatus: current.status?.deploymentStatus ?? null,
    previousVersion: previous?.version ?? null,
    version: current.version,
    component: current,
  };
}

function exposedApiChanges(previous: OdaExposedApiModel, current: OdaExposedApiModel): OdaExposedApiChange[] {
  const changes: OdaExposedApiChange[] = [];
  if (previous.ready !== current.ready) changes.push('READINESS');
  if (previous.url !== current.url || previous.developerUiUrl !== current.developerUiUrl) changes.push('URL');
  const spec = (a: OdaExposedApiModel) => [a.apiName, a.segment, a.apiType, a.apiSDO, a.specifications, a.implementation, a.path, a.port, a.developerUI, a.required];
  if (!same(spec(previous), spec(current))) changes.push('SPECIFICATION');
  if (!same(previous.gateway, current.gateway)) changes.push('GATEWAY');
  if (!same(previous.owner, current.owner)) changes.push('OWNER');
  return changes;
}

/** The event for an ExposedAPI watch event (same rules as componentEvent). */
export function exposedApiEvent(type: OdaChangeType, previous: OdaExposedApiModel | null, current: OdaExposedApiModel): OdaExposedApiEventModel | null {
  const head = eventHead(type, previous, current, exposedApiChanges);
  if (!head) return null;
  return {
    ...head,
    previousReady: previous ? previous.ready : null,
    ready: current.ready,
    previousUrl: previous?.url ?? null,
    url: current.url,
    exposedApi: current,
  };
}

/**
 * When each API was seen turning not ready (status has no transition time): fed with every ExposedAPI /
 * DependentAPI state a watch delivers, it answers RegistryCheckOptions.notReadySince. An object first seen
 * not ready gets no entry (its creationTimestamp is the better bound).
 */
export class NotReadyClock {
  private readonly since = new Map<string, number>();
  private readonly ready = new Map<string, boolean>();

  observe(uid: string | null, ready: boolean, at: number): void {
    if (!uid) return;
    const was = this.ready.get(uid);
    this.ready.set(uid, ready);
    if (ready) this.since.delete(uid);
    else if (was === true) this.since.set(uid, at);
  }

  forget(uid: string | null): void {
    if (!uid) return;
    this.since.delete(uid);
    this.ready.delete(uid);
  }

  notReadySince = (uid: string): number | undefined => this.since.get(uid);
}
