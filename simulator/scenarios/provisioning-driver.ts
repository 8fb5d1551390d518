// What the o2ims operator, Porch and Cluster API do to one ProvisioningRequest on a hub, as scheduled
// scenario steps (scenario seconds, divided by timeScale): validate, render a PackageVariant, create the
// Cluster API Cluster, follow it to Provisioned and add the edge cluster to the running simulator — or
// stall in Porch, or time out — and on deletion tear it all down again and remove the edge cluster.
// Every step re-reads the request first, so a request deleted meanwhile is never written again.
import type { SimCluster } from '../cluster.js';
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { generateEdgeCluster } from '../fleet/generate.js';
import { bmcUnreachableMessage, capiClusterObject, capiClusterStatus } from '../fleet/capi.js';
import { crdVariant, PR_CRD_NAME, PR_FINALIZERS, templateBehaviour, type PrVariant, type TemplateBehaviour } from '../fleet/o2ims.js';
import { packageVariantObject, packageVariantStatus, PV_NAMESPACE } from '../fleet/porch.js';
import { applyStep, type ProvisioningStep } from '../fleet/provisioning-steps.js';
import { OCP_KUBERNETES_VERSION } from '../fleet/profiles.js';
import { hashOf, mulberry32, uuidFrom } from '../fleet/random.js';
import type { ScenarioContext } from './scenario.js';

/** Scenario seconds after the request at which each step happens. */
export const PROVISIONING_STEPS = { received: 0, validated: 1, rendering: 2, rendered: 4, creating: 5, infrastructureReady: 7, fulfilled: 10 } as const;
/** Seconds after `creating` before the operator gives up on a Cluster that never gets Provisioned (templateParameters.creationTimeout overrides). */
export const DEFAULT_CREATION_TIMEOUT_SECONDS = 20;
/** Scenario seconds after the deletion at which each teardown step happens. */
export const DELETION_STEPS = { deleting: 0, packageVariantGone: 1, clusterGone: 3, requestGone: 4 } as const;

/** How long (wall ms) each outcome takes at a time scale, for clients that wait for it. */
export function provisioningDurationsMs(timeScale = 1, creationTimeoutSeconds = DEFAULT_CREATION_TIMEOUT_SECONDS): { fulfilled: number; timedOut: number; stalled: number; deleted: number } {
  const ms = (s: number) => (s * 1000) / timeScale;
  return {
    fulfilled: ms(PROVISIONING_STEPS.fulfilled),
    timedOut: ms(PROVISIONING_STEPS.creating + creationTimeoutSeconds),
    stalled: ms(PROVISIONING_STEPS.rendered),
    deleted: ms(DELETION_STEPS.requestGone),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The variant the hub's ProvisioningRequest CRD describes (Nephio when it has none). */
export function variantOfHub(hub: SimCluster): PrVariant {
  return crdVariant(hub.store.get(K.crds, undefined, PR_CRD_NAME)) ?? 'nephio';
}

export interface RequestTarget {
  clusterName?: string;
  labels: Record<string, string>;
  /** Why the operator rejects the request (its validation), when it does. */
  invalid?: string;
  behaviour: TemplateBehaviour;
  creationTimeoutSeconds: number;
}

/** What a request asks for, read as the hub's operator reads templateParameters. */
export function requestTarget(variant: PrVariant, pr: KubeObject): RequestTarget {
  const spec = record(pr.spec) ?? {};
  const tp = record(spec.templateParameters) ?? {};
  const strings = (value: unknown) => Object.fromEntries(Object.entries(record(value) ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const timeout = typeof tp.creationTimeout === 'number' && tp.creationTimeout > 0 ? tp.creationTimeout : DEFAULT_CREATION_TIMEOUT_SECONDS;
  // `fail: true` is kept from the first simulator for scripts that used it: it behaves like the timeout template.
  const behaviour = tp.fail === true ? 'timeout' : templateBehaviour(spec.templateName);
  if (variant === 'nephio') {
    const ok = typeof tp.clusterName === 'string' && tp.clusterName !== '' && typeof tp.clusterProvisioner === 'string';
    return {
      clusterName: typeof tp.clusterName === 'string' && tp.clusterName !== '' ? tp.clusterName : undefined,
      labels: strings(tp.labels),
      invalid: ok ? undefined : 'missing clusterName or clusterProvisioner',
      behaviour,
      creationTimeoutSeconds: timeout,
    };
  }
  const ci = record(tp.clusterInstanceParameters);
  const missing = [
    typeof tp.nodeClusterName === 'string' && tp.nodeClusterName !== '' ? undefined : 'nodeClusterName',
    typeof tp.oCloudSiteId === 'string' && tp.oCloudSiteId !== '' ? undefined : 'oCloudSiteId',
    ci ? undefined : 'clusterInstanceParameters',
    record(tp.policyTemplateParameters) ? undefined : 'policyTemplateParameters',
  ].filter((m): m is string => m !== undefined);
  return {
    clusterName: typeof tp.nodeClusterName === 'string' && tp.nodeClusterName !== '' ? tp.nodeClusterName : undefined,
    labels: strings(record(ci?.extraLabels)?.ManagedCluster),
    invalid: missing.length ? `missing ${missing.join(', ')}` : undefined,
    behaviour,
    creationTimeoutSeconds: timeout,
  };
}

export interface RequestRef {
  hub: SimCluster;
  variant: PrVariant;
  name: string;
  seed: number;
}

function live(ref: RequestRef): KubeObject | undefined {
  const pr = ref.hub.store.get(K.provisioningRequests, undefined, ref.name);
  return pr && !pr.metadata.deletionTimestamp ? pr : undefined;
}

function write(ctx: ScenarioContext, ref: RequestRef, pr: KubeObject, step: ProvisioningStep, extra: { clusterName: string; stallMessage?: string; resources?: { nodeClusterId: string; infrastructureIds: string[] } }): void {
  ref.hub.store.mutate(K.provisioningRequests, undefined, ref.name, (current) => ({
    ...current,
    status: applyStep(ref.variant, record(current.status), step, { time: iso(ctx.now()), generation: pr.metadata.generation ?? 1, ...extra }),
  }));
}

/** The operator takes the request: its finalizer (and kopf's bookkeeping annotation) and the first status. */
export function acceptRequest(ctx: ScenarioContext, ref: RequestRef): void {
  ref.hub.store.mutate(K.provisioningRequests, undefined, ref.name, (current) => {
    const finalizers = [...new Set([...(current.metadata.finalizers ?? []), PR_FINALIZERS[ref.variant]])];
    const annotations = ref.variant === 'nephio' ? { ...current.metadata.annotations, 'provisioningrequests.o2ims.provisioning.oran.org/kopf-managed': 'yes' } : current.metadata.annotations;
    const metadata = { ...current.metadata, finalizers, ...(annotations ? { annotations } : {}) };
    return { ...current, metadata, status: applyStep(ref.variant, undefined, 'received', { time: iso(ctx.now()), clusterName: '', generation: current.metadata.generation ?? 1 }) };
  });
}

function siteIndex(name: string, fallback: number): number {
  const m = /^du-(\d+)$/.exec(name);
  return m ? Number(m[1]) - 1 : fallback;
}

/** The region a site name gets when the request does not say (du-001 east, du-002 west, … as generated sites). */
export function defaultRegion(name: string): 'east' | 'west' {
  return siteIndex(name, 0) % 2 === 0 ? 'east' : 'west';
}

function edgeLabels(name: string, given: Record<string, string>): Record<string, string> {
  return { site: name, region: defaultRegion(name), role: 'edge', ...given };
}

/** Schedule the rest of the lifecycle of a request that already has its `received` status. */
export function scheduleLifecycle(ctx: ScenarioContext, ref: RequestRef): void {
  const first = live(ref);
  if (!first) return;
  const target = requestTarget(ref.variant, first);
  const spec = record(first.spec) ?? {};
  const templateName = String(spec.templateName ?? '');
  const templateVersion = String(spec.templateVersion ?? '');
  const clusterName = target.clusterName ?? '';
  const labels = edgeLabels(clusterName, target.labels);
  const step = (at: number, run: (pr: KubeObject) => void | Promise<void>) =>
    ctx.after(at, () => {
      const pr = live(ref);
      return pr ? run(pr) : undefined;
    });
  const S = PROVISIONING_STEPS;

  if (target.invalid) {
    step(S.validated, (pr) => write(ctx, ref, pr, 'validationFailed', { clusterName }));
    return;
  }
  step(S.validated, (pr) => write(ctx, ref, pr, 'validated', { clusterName }));
  step(S.rendering, (pr) => {
    if (!ref.hub.store.get(K.packageVariants, PV_NAMESPACE, ref.name)) {
      ref.hub.store.create(K.packageVariants, packageVariantObject({ name: ref.name, namespace: PV_NAMESPACE }, { request: ref.name, clusterName, templateName, templateVersion, labels }));
    }
    write(ctx, ref, pr, 'rendering', { clusterName });
  });
  step(S.rendered, (pr) => {
    const outcome = target.behaviour === 'stall' ? 'stalled' : 'ready';
    if (!ref.hub.store.get(K.packageVariants, PV_NAMESPACE, ref.name)) return; // deleted by hand: nothing renders
    const pv = ref.hub.store.mutate(K.packageVariants, PV_NAMESPACE, ref.name, (current) => ({
      ...current,
      status: packageVariantStatus({ upstream: { package: templateName, revision: templateVersion }, downstream: { package: clusterName } }, outcome, iso(ctx.now())),
    }));
    if (outcome === 'stalled') {
      const stalled = ((pv.status as { conditions: { type: string; message: string }[] }).conditions).find((c) => c.type === 'Stalled');
      write(ctx, ref, pr, 'renderingFailed', { clusterName, stallMessage: stalled?.message });
      return;
    }
    write(ctx, ref, pr, 'rendered', { clusterName });
  });
  if (target.behaviour === 'stall') return;

  const capiStatus = (phase: 'Provisioning' | 'Provisioned', stuck?: string): void => {
    if (!ref.hub.store.get(K.capiClusters, PV_NAMESPACE, clusterName)) return;
    ref.hub.store.mutate(K.capiClusters, PV_NAMESPACE, clusterName, (c) => ({ ...c, status: capiClusterStatus(phase, iso(ctx.now()), c.metadata.generation ?? 1, stuck) }));
  };
  const stuck = target.behaviour === 'timeout' ? bmcUnreachableMessage(clusterName) : undefined;
  const pvReady = () =>
    ((ref.hub.store.get(K.packageVariants, PV_NAMESPACE, ref.name)?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    );
  step(S.creating, (pr) => {
    if (!pvReady()) return; // nothing rendered, nothing for ConfigSync to apply
    if (!ref.hub.store.get(K.capiClusters, PV_NAMESPACE, clusterName)) {
      const meta = { name: clusterName, namespace: PV_NAMESPACE };
      ref.hub.store.create(K.capiClusters, capiClusterObject(meta, { clusterName, templateName, kubernetesVersion: OCP_KUBERNETES_VERSION['4.18'], endpointHost: `api.${clusterName}.ran.example.net` }));
    }
    ref.hub.store.mutate(K.capiClusters, PV_NAMESPACE, clusterName, (c) => ({ ...c, status: capiClusterStatus('Pending', iso(ctx.now()), c.metadata.generation ?? 1) }));
    write(ctx, ref, pr, 'creating', { clusterName });
  });
  step(S.infrastructureReady, () => {
    capiStatus('Provisioning', stuck);
  });
  if (target.behaviour === 'timeout') {
    step(S.creating + target.creationTimeoutSeconds, (pr) => write(ctx, ref, pr, 'timedOut', { clusterName }));
    return;
  }
  step(S.fulfilled, async () => {
    if (!ref.hub.store.get(K.capiClusters, PV_NAMESPACE, clusterName)) return;
    capiStatus('Provisioned');
    if (!ctx.runtime.clusters.has(clusterName)) {
      const now = ctx.now();
      await ctx.runtime.addCluster(
        generateEdgeCluster({ seed: ref.seed, index: siteIndex(clusterName, ctx.runtime.clusters.size), name: clusterName, labels, referenceTime: now, installedAt: now - 600_000 }),
      );
    }
    const pr = live(ref);
    if (!pr) return;
    const rng = mulberry32(hashOf(ref.hub.name, ref.name, clusterName));
    write(ctx, ref, pr, 'fulfilled', { clusterName, resources: { nodeClusterId: uuidFrom(rng), infrastructureIds: [uuidFrom(rng)] } });
  });
}

/** True when the request's status says it provisioned a cluster (so deleting it removes that cluster). */
function provisioned(pr: KubeObject): boolean {
  const status = record(pr.status);
  const ps = record(status?.provisioningStatus);
  return Boolean(record(status?.provisionedResourceSet)?.oCloudNodeClusterId ?? record(ps?.provisionedResources)?.oCloudNodeClusterId);
}

/**
 * Schedule the teardown of a request marked for deletion: `deleting`, the PackageVariant deleted and the
 * Cluster API Cluster Deleting, then gone together with the edge cluster it created, then the
 * operator's finalizer released, which lets the request go.
 */
export function scheduleDeletion(ctx: ScenarioContext, ref: RequestRef): void {
  const store = ref.hub.store;
  const pr = store.get(K.provisioningRequests, undefined, ref.name);
  if (!pr) return;
  const clusterName = requestTarget(ref.variant, pr).clusterName;
  const removesCluster = provisioned(pr);
  const D = DELETION_STEPS;
  ctx.after(D.deleting, () => {
    if (!store.get(K.provisioningRequests, undefined, ref.name)) return;
    store.mutate(K.provisioningRequests, undefined, ref.name, (current) => ({
      ...current,
      status: applyStep(ref.variant, record(current.status), 'deleting', { time: iso(ctx.now()), clusterName: clusterName ?? '', generation: current.metadata.generation ?? 1 }),
    }));
  });
  ctx.after(D.packageVariantGone, () => {
    if (store.get(K.packageVariants, PV_NAMESPACE, ref.name)) store.delete(K.packageVariants, PV_NAMESPACE, ref.name);
    if (clusterName && store.get(K.capiClusters, PV_NAMESPACE, clusterName)) {
      store.mutate(K.capiClusters, PV_NAMESPACE, clusterName, (c) => ({
        ...c,
        metadata: { ...c.metadata, deletionTimestamp: iso(ctx.now()) },
        status: capiClusterStatus('Deleting', iso(ctx.now()), c.metadata.generation ?? 1),
      }));
    }
  });
  ctx.after(D.clusterGone, async () => {
    if (clusterName && store.get(K.capiClusters, PV_NAMESPACE, clusterName)) store.delete(K.capiClusters, PV_NAMESPACE, clusterName);
    if (clusterName && removesCluster && ctx.runtime.clusters.has(clusterName)) await ctx.runtime.removeCluster(clusterName);
  });
  ctx.after(D.requestGone, () => {
    // releasing the last finalizer: the API server removes the object
    if (store.get(K.provisioningRequests, undefined, ref.name)) store.delete(K.provisioningRequests, undefined, ref.name);
  });
}
