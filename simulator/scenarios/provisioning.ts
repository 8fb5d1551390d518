// provisioning-lifecycle: an O2IMS ProvisioningRequest on a hub walks through the Nephio operator's
// messages (progressing …) and ends fulfilled — the new edge cluster then joins the fleet through
// runtime.addCluster — or failed ("… failed reached timeout"). startProvisioningOperator() drives the
// requests that clients create (no status yet) the same way, as the real operator would.
import type { SimCluster, SimulatorRuntime } from '../cluster.js';
import type { KubeObject, StoreEvent } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { generateEdgeCluster } from '../fleet/generate.js';
import { PR_MESSAGES, provisioningRequestObject, provisioningStatus, type ProvisioningState } from '../fleet/o2ims.js';
import { edgeName } from '../fleet/profiles.js';
import { hashOf, mulberry32, uuidFrom } from '../fleet/random.js';
import { optionalBoolean, optionalNumber, optionalString, ParamError, timeScaleOf, type Params } from './params.js';
import { runScenario, type ScenarioContext, type ScenarioDefinition, type ScenarioHandle } from './scenario.js';

/** Seconds after the request at which the operator writes each status (scenario time). */
export const PROVISIONING_STEPS = { received: 0, validated: 2, rendered: 4, creating: 6, finished: 10 } as const;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function hubOf(runtime: SimulatorRuntime, params: Params): SimCluster {
  const name = optionalString(params, 'hub') ?? optionalString(params, 'cluster');
  if (name !== undefined) {
    const c = runtime.clusters.get(name);
    if (!c) throw new ParamError(`unknown cluster "${name}"`);
    return c;
  }
  const hub = [...runtime.clusters.values()].find((c) => c.spec.role === 'hub');
  if (!hub) throw new ParamError('no hub cluster in the fleet; give "hub"');
  return hub;
}

/** The next `du-NNN` name that is neither a cluster nor requested already. */
function nextSiteName(runtime: SimulatorRuntime, hub: SimCluster): string {
  const requested = new Set(
    hub.store.list(K.provisioningRequests).map((pr) => (pr.spec as { templateParameters?: { clusterName?: string } }).templateParameters?.clusterName),
  );
  for (let i = 0; ; i++) {
    const name = edgeName(i);
    if (!runtime.clusters.has(name) && !requested.has(name)) return name;
  }
}

function siteIndex(name: string, fallback: number): number {
  const m = /^du-(\d+)$/.exec(name);
  return m ? Number(m[1]) - 1 : fallback;
}

interface Lifecycle {
  hub: SimCluster;
  request: string;
  clusterName: string;
  labels: Record<string, string>;
  fail: boolean;
  seed: number;
}

function writeStatus(hub: SimCluster, name: string, state: ProvisioningState, message: string, now: number, resources?: { nodeClusterId: string; infrastructureIds: string[] }): void {
  hub.store.mutate(K.provisioningRequests, undefined, name, (pr) => ({ ...pr, status: provisioningStatus(state, message, iso(now), resources) }));
}

function scheduleLifecycle(ctx: ScenarioContext, l: Lifecycle, writeReceived: boolean): void {
  const step = (state: ProvisioningState, message: string) => () => writeStatus(l.hub, l.request, state, message, ctx.now());
  if (writeReceived) step('progressing', PR_MESSAGES.received)();
  ctx.after(PROVISIONING_STEPS.validated, step('progressing', PR_MESSAGES.validated));
  ctx.after(PROVISIONING_STEPS.rendered, step('progressing', PR_MESSAGES.rendered));
  ctx.after(PROVISIONING_STEPS.creating, step('progressing', PR_MESSAGES.creating));
  ctx.after(PROVISIONING_STEPS.finished, async () => {
    if (l.fail) {
      writeStatus(l.hub, l.request, 'failed', PR_MESSAGES.timedOut, ctx.now());
      return;
    }
    if (!ctx.runtime.clusters.has(l.clusterName)) {
      const spec = generateEdgeCluster({
        seed: l.seed,
        index: siteIndex(l.clusterName, ctx.runtime.clusters.size),
        name: l.clusterName,
        labels: l.labels,
        referenceTime: ctx.now(),
        installedAt: ctx.now() - 600_000,
      });
      await ctx.runtime.addCluster(spec);
    }
    const rng = mulberry32(hashOf(l.hub.name, l.request, l.clusterName));
    writeStatus(l.hub, l.request, 'fulfilled', PR_MESSAGES.created, ctx.now(), { nodeClusterId: uuidFrom(rng), infrastructureIds: [uuidFrom(rng)] });
  });
}

function edgeLabels(name: string, given: unknown, region: string): Record<string, string> {
  const labels: Record<string, string> = { site: name, region, role: 'edge' };
  if (given && typeof given === 'object') {
    for (const [k, v] of Object.entries(given as Record<string, unknown>)) if (typeof v === 'string') labels[k] = v;
  }
  return labels;
}

export const provisioningLifecycle: ScenarioDefinition = {
  name: 'provisioning-lifecycle',
  description:
    'A ProvisioningRequest on the hub goes progressing (operator messages) → fulfilled, and the new edge cluster joins the fleet; with fail: true it ends failed ("… failed reached timeout").',
  params: ['hub? (default the first hub)', 'name? (an existing request to drive, or the new request\'s name)', 'clusterName? (default the next free du-NNN)', 'region? (east | west)', 'fail?', 'seed?', 'timeScale?'],
  start(ctx, params) {
    timeScaleOf(params);
    const hub = hubOf(ctx.runtime, params);
    const fail = optionalBoolean(params, 'fail', false);
    const seed = optionalNumber(params, 'seed', 1, { integer: true });
    const requested = optionalString(params, 'name');
    const existing = requested ? hub.store.get(K.provisioningRequests, undefined, requested) : undefined;
    if (existing) {
      const state = (existing.status as { provisioningStatus?: { provisioningState?: string } } | undefined)?.provisioningStatus?.provisioningState;
      if (state === 'fulfilled' || state === 'failed') throw new ParamError(`ProvisioningRequest "${requested}" is already ${state}`);
      const tp = (existing.spec as { templateParameters?: { clusterName?: unknown; labels?: unknown } } | undefined)?.templateParameters;
      const clusterName = typeof tp?.clusterName === 'string' ? tp.clusterName : nextSiteName(ctx.runtime, hub);
      const labels = edgeLabels(clusterName, tp?.labels, 'east');
      scheduleLifecycle(ctx, { hub, request: requested!, clusterName, labels, fail, seed }, true);
      return;
    }
    const clusterName = optionalString(params, 'clusterName') ?? nextSiteName(ctx.runtime, hub);
    if (ctx.runtime.clusters.has(clusterName)) throw new ParamError(`cluster "${clusterName}" already exists`);
    const region = optionalString(params, 'region') ?? (siteIndex(clusterName, 0) % 2 === 0 ? 'east' : 'west');
    if (region !== 'east' && region !== 'west') throw new ParamError('"region" must be east or west');
    const request = requested ?? `pr-${clusterName}`;
    const labels = edgeLabels(clusterName, undefined, region);
    const now = ctx.now();
    // Created with the operator's first status, so startProvisioningOperator() leaves it to this scenario.
    hub.store.create(
      K.provisioningRequests,
      provisioningRequestObject({ name: request }, { clusterName, labels }, provisioningStatus('progressing', PR_MESSAGES.received, iso(now))),
    );
    scheduleLifecycle(ctx, { hub, request, clusterName, labels, fail, seed }, false);
  },
};

/**
 * Drive every ProvisioningRequest that a client creates on a hub (ADDED without status) through the
 * lifecycle, as the Nephio operator would. Requests with `spec.templateParameters.fail: true` (or a
 * template name containing "fail") end failed. Returns a function that stops watching.
 */
export function startProvisioningOperator(runtime: SimulatorRuntime, options: { timeScale?: number; seed?: number } = {}): () => void {
  const handles: ScenarioHandle[] = [];
  const unsubscribes: (() => void)[] = [];
  const watchHub = (hub: SimCluster) => {
    unsubscribes.push(
      hub.store.subscribe(K.provisioningRequests, (event: StoreEvent) => {
        if (event.type !== 'ADDED' || event.object.status !== undefined) return;
        const pr: KubeObject = event.object;
        const tp = (pr.spec as { templateName?: string; templateParameters?: { fail?: unknown } } | undefined) ?? {};
        const fail = tp.templateParameters?.fail === true || (tp.templateName ?? '').includes('fail');
        // Run after the create returns: the store is in the middle of recording the ADDED event.
        queueMicrotask(() => {
          if (!hub.store.get(K.provisioningRequests, undefined, pr.metadata.name)) return;
          handles.push(
            runScenario(runtime, provisioningLifecycle, { hub: hub.name, name: pr.metadata.name, fail, seed: options.seed ?? 1, timeScale: options.timeScale ?? 1 }, options.timeScale ?? 1),
          );
        });
      }),
    );
  };
  for (const c of runtime.clusters.values()) if (c.spec.role === 'hub') watchHub(c);
  return () => {
    for (const u of unsubscribes) u();
    for (const h of handles) h.cancel();
  };
}
