// provisioning-lifecycle / provisioning-delete: an O2IMS ProvisioningRequest on a hub walks through its
// operator's lifecycle (provisioning-driver.ts) in the hub's CRD variant — the new edge cluster joins
// the fleet through runtime.addCluster — and deleting it tears everything down again, the edge cluster
// leaving through runtime.removeCluster. startProvisioningOperator() (provisioning-operator.ts) does
// the same for requests that clients create and delete through the API.
import type { SimCluster, SimulatorRuntime } from '../cluster.js';
import { K } from '../fleet/kind-keys.js';
import { PR_TEMPLATES, provisioningRequestObject, specFor, type TemplateBehaviour } from '../fleet/o2ims.js';
import { edgeName } from '../fleet/profiles.js';
import { optionalBoolean, optionalNumber, optionalString, ParamError, timeScaleOf, type Params } from './params.js';
import type { ScenarioDefinition } from './scenario.js';
import { acceptRequest, defaultRegion, requestTarget, scheduleDeletion, scheduleLifecycle, variantOfHub, type RequestRef } from './provisioning-driver.js';

export { PROVISIONING_STEPS, DELETION_STEPS, provisioningDurationsMs } from './provisioning-driver.js';

function hubOf(runtime: SimulatorRuntime, params: Params): SimCluster {
  const name = optionalString(params, 'hub') ?? optionalString(params, 'cluster');
  if (name !== undefined) {
    const c = runtime.clusters.get(name);
    if (!c) throw new ParamError(`unknown cluster "${name}"`);
    if (c.spec.role !== 'hub') throw new ParamError(`cluster "${name}" is not a management (hub) cluster`);
    return c;
  }
  const hub = [...runtime.clusters.values()].find((c) => c.spec.role === 'hub');
  if (!hub) throw new ParamError('no hub cluster in the fleet; give "hub"');
  return hub;
}

/** The next `du-NNN` name that is neither a cluster nor requested on any hub already. */
function nextSiteName(runtime: SimulatorRuntime): string {
  const requested = new Set<string>();
  for (const c of runtime.clusters.values()) {
    if (c.spec.role !== 'hub') continue;
    const variant = variantOfHub(c);
    for (const pr of c.store.list(K.provisioningRequests)) {
      const name = requestTarget(variant, pr).clusterName;
      if (name) requested.add(name);
    }
  }
  for (let i = 0; ; i++) {
    const name = edgeName(i);
    if (!runtime.clusters.has(name) && !requested.has(name)) return name;
  }
}

function behaviourOf(params: Params): TemplateBehaviour {
  const template = optionalString(params, 'template');
  if (template !== undefined) {
    if (!(template in PR_TEMPLATES)) throw new ParamError(`"template" must be one of ${Object.keys(PR_TEMPLATES).join(', ')}`);
    return template as TemplateBehaviour;
  }
  if (optionalBoolean(params, 'fail', false)) return 'timeout';
  if (optionalBoolean(params, 'stall', false)) return 'stall';
  return 'ok';
}

export const provisioningLifecycle: ScenarioDefinition = {
  name: 'provisioning-lifecycle',
  description:
    'A ProvisioningRequest on a hub (in that hub\'s CRD variant) is validated, renders a Porch PackageVariant, creates a Cluster API Cluster and ends fulfilled — the new edge cluster joins the fleet — or failed: template timeout (fail: true) times out, template stall (stall: true) stalls its PackageVariant.',
  params: [
    'hub? (default the first hub)',
    "name? (an existing request to drive, or the new request's name)",
    'clusterName? (default the next free du-NNN)',
    'region? (east | west)',
    'template? (ok | timeout | stall)',
    'fail?',
    'stall?',
    'creationTimeoutSeconds? (20)',
    'seed?',
    'timeScale?',
  ],
  start(ctx, params) {
    timeScaleOf(params);
    const hub = hubOf(ctx.runtime, params);
    const variant = variantOfHub(hub);
    const behaviour = behaviourOf(params);
    const seed = optionalNumber(params, 'seed', 1, { integer: true });
    const creationTimeout = optionalNumber(params, 'creationTimeoutSeconds', 0, { min: 1 });
    const requested = optionalString(params, 'name');
    const ref: RequestRef = { hub, variant, name: requested ?? '', seed };
    const existing = requested ? hub.store.get(K.provisioningRequests, undefined, requested) : undefined;
    if (existing) {
      if (existing.metadata.deletionTimestamp) throw new ParamError(`ProvisioningRequest "${requested}" is being deleted`);
      if (existing.status !== undefined) throw new ParamError(`ProvisioningRequest "${requested}" already has a status; its operator drives it`);
      acceptRequest(ctx, ref);
      scheduleLifecycle(ctx, ref);
      return;
    }
    const clusterName = optionalString(params, 'clusterName') ?? nextSiteName(ctx.runtime);
    if (ctx.runtime.clusters.has(clusterName)) throw new ParamError(`cluster "${clusterName}" already exists`);
    const region = optionalString(params, 'region') ?? defaultRegion(clusterName);
    if (region !== 'east' && region !== 'west') throw new ParamError('"region" must be east or west');
    ref.name = requested ?? `pr-${clusterName}`;
    const template = PR_TEMPLATES[behaviour];
    const spec = specFor(variant, { clusterName, labels: { site: clusterName, region, role: 'edge' }, templateName: template.name, templateVersion: template.version });
    if (creationTimeout > 0) (spec.templateParameters as Record<string, unknown>).creationTimeout = creationTimeout;
    hub.store.create(K.provisioningRequests, provisioningRequestObject({ name: ref.name }, spec));
    acceptRequest(ctx, ref);
    scheduleLifecycle(ctx, ref);
  },
};

export const provisioningDelete: ScenarioDefinition = {
  name: 'provisioning-delete',
  description:
    'Deletes a ProvisioningRequest as its operator would: deleting, the PackageVariant deleted and the Cluster API Cluster Deleting, then gone with the edge cluster it created (removed from the simulator and the kubeconfig), then the request itself.',
  params: ['hub? (default the first hub)', 'name', 'timeScale?'],
  start(ctx, params) {
    timeScaleOf(params);
    const hub = hubOf(ctx.runtime, params);
    const name = optionalString(params, 'name');
    if (name === undefined) throw new ParamError('give "name" (the ProvisioningRequest to delete)');
    const pr = hub.store.get(K.provisioningRequests, undefined, name);
    if (!pr) throw new ParamError(`no ProvisioningRequest "${name}" on ${hub.name}`);
    if (!beginDeletion(ctx.runtime, hub, name)) throw new ParamError(`ProvisioningRequest "${name}" is already being deleted`);
    hub.store.markDeleting(K.provisioningRequests, undefined, name, ctx.now());
    scheduleDeletion(ctx, { hub, variant: variantOfHub(hub), name, seed: 1 });
  },
};

/** Requests whose teardown is scheduled, per runtime (so the operator and a scenario never both run it). */
const deleting = new WeakMap<SimulatorRuntime, Set<string>>();

/** Claims the teardown of hub/name; false when it is already running. Released when the request is gone. */
export function beginDeletion(runtime: SimulatorRuntime, hub: SimCluster, name: string): boolean {
  let set = deleting.get(runtime);
  if (!set) deleting.set(runtime, (set = new Set()));
  const key = `${hub.name}/${name}`;
  if (set.has(key)) return false;
  set.add(key);
  const unsubscribe = hub.store.subscribe(K.provisioningRequests, (e) => {
    if (e.type !== 'DELETED' || e.object.metadata.name !== name) return;
    set.delete(key);
    unsubscribe();
  });
  return true;
}
