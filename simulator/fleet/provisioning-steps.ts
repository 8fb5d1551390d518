// The steps a ProvisioningRequest goes through, written as each operator writes them: the Nephio
// operator's provisioningState + provisioningMessage, or the O-Cloud Manager's provisioningPhase +
// provisioningDetails + conditions + extensions. The hub generator (final states) and the simulated
// operator (every transition) both render status through applyStep, so the two never disagree.
import {
  nephioStatus,
  OCM_CONDITIONS,
  OCM_DETAILS,
  openshiftExtensions,
  openshiftStatus,
  PR_MESSAGES,
  setCondition,
  type Condition,
  type NephioState,
  type OcmPhase,
  type PrVariant,
  type ProvisionedResources,
} from './o2ims.js';

export type ProvisioningStep =
  | 'received'
  | 'validated'
  | 'validationFailed'
  | 'rendering'
  | 'rendered'
  | 'renderingFailed'
  | 'creating'
  | 'fulfilled'
  | 'timedOut'
  | 'deleting';

export interface StepContext {
  time: string;
  clusterName: string;
  /** The object's metadata.generation (observedGeneration of the O-Cloud Manager). */
  generation: number;
  /** Set on `fulfilled`. */
  resources?: ProvisionedResources;
  /** The PackageVariant's Stalled message, on `renderingFailed`. */
  stallMessage?: string;
}

const NEPHIO: Record<ProvisioningStep, [NephioState, string]> = {
  received: ['progressing', PR_MESSAGES.received],
  validated: ['progressing', PR_MESSAGES.validated],
  validationFailed: ['failed', PR_MESSAGES.validationFailed],
  rendering: ['progressing', PR_MESSAGES.renderingOngoing],
  rendered: ['progressing', PR_MESSAGES.rendered],
  renderingFailed: ['failed', PR_MESSAGES.renderingFailed],
  creating: ['progressing', PR_MESSAGES.creating],
  fulfilled: ['fulfilled', PR_MESSAGES.created],
  timedOut: ['failed', PR_MESSAGES.timedOut],
  deleting: ['deleting', PR_MESSAGES.deleting],
};

function nephioStep(current: Record<string, unknown> | undefined, step: ProvisioningStep, ctx: StepContext): Record<string, unknown> {
  const [state, message] = NEPHIO[step];
  const status = nephioStatus(state, message, ctx.time, ctx.resources);
  // The resource set stays while the cluster is being deleted.
  if (!ctx.resources && current?.provisionedResourceSet) status.provisionedResourceSet = current.provisionedResourceSet;
  return status;
}

type OcmChange = { phase: OcmPhase; details: string; conditions: [string, Condition['status'], string, string][] };

function ocmChange(step: ProvisioningStep, ctx: StepContext): OcmChange {
  const c = OCM_CONDITIONS;
  switch (step) {
    case 'received':
      return { phase: 'pending', details: OCM_DETAILS.pending, conditions: [] };
    case 'validated':
      return { phase: 'pending', details: OCM_DETAILS.pending, conditions: [[c.validated, 'True', 'Completed', 'The provisioning request validation succeeded']] };
    case 'validationFailed':
      return { phase: 'failed', details: OCM_DETAILS.validationFailed, conditions: [[c.validated, 'False', 'Failed', OCM_DETAILS.validationFailed]] };
    case 'rendering':
      return { phase: 'progressing', details: OCM_DETAILS.rendering, conditions: [] };
    case 'rendered':
      return { phase: 'progressing', details: OCM_DETAILS.rendering, conditions: [[c.rendered, 'True', 'Completed', 'ClusterInstance rendered and passed dry-run validation']] };
    case 'renderingFailed': {
      const details = `Failed to render and validate ClusterInstance: ${ctx.stallMessage ?? 'the PackageVariant did not render'}`;
      return { phase: 'failed', details, conditions: [[c.rendered, 'False', 'Failed', details]] };
    }
    case 'creating':
      return {
        phase: 'progressing',
        details: OCM_DETAILS.installing,
        conditions: [
          [c.resourcesCreated, 'True', 'Completed', 'Cluster resources applied'],
          [c.processed, 'True', 'Completed', 'Applied and processed ClusterInstance successfully'],
          [c.provisioned, 'False', 'InProgress', 'Provisioning cluster'],
        ],
      };
    case 'fulfilled':
      return {
        phase: 'fulfilled',
        details: OCM_DETAILS.fulfilled,
        conditions: [
          [c.provisioned, 'True', 'Completed', 'Provisioning completed'],
          [c.configured, 'True', 'Completed', 'The configuration is up to date'],
        ],
      };
    case 'timedOut':
      return { phase: 'failed', details: OCM_DETAILS.timedOut, conditions: [[c.provisioned, 'False', 'TimedOut', OCM_DETAILS.timedOut]] };
    case 'deleting':
      return { phase: 'deleting', details: OCM_DETAILS.deleting, conditions: [] };
  }
}

function openshiftStep(current: Record<string, unknown> | undefined, step: ProvisioningStep, ctx: StepContext): Record<string, unknown> {
  const change = ocmChange(step, ctx);
  let conditions = (current?.conditions as Condition[] | undefined) ?? [];
  for (const [type, status, reason, message] of change.conditions) {
    conditions = setCondition(conditions, { type, status, reason, message, lastTransitionTime: ctx.time, observedGeneration: ctx.generation });
  }
  const previous = current?.provisioningStatus as { provisionedResources?: { oCloudNodeClusterId?: string } } | undefined;
  const nodeClusterId = ctx.resources?.nodeClusterId ?? previous?.provisionedResources?.oCloudNodeClusterId;
  const previousExtensions = current?.extensions as { clusterDetails?: { clusterProvisionStartedAt?: string } } | undefined;
  let extensions = current?.extensions as Record<string, unknown> | undefined;
  if (step === 'creating') extensions = openshiftExtensions(ctx.clusterName, ctx.time, false);
  if (step === 'fulfilled') {
    extensions = openshiftExtensions(ctx.clusterName, previousExtensions?.clusterDetails?.clusterProvisionStartedAt ?? ctx.time, true, ctx.resources?.infrastructureIds[0]);
  }
  return openshiftStatus({ phase: change.phase, details: change.details, time: ctx.time, generation: ctx.generation, conditions, nodeClusterId, extensions });
}

/** The request's `status` after `step`, given its current status (the O-Cloud Manager keeps its conditions). */
export function applyStep(variant: PrVariant, current: Record<string, unknown> | undefined, step: ProvisioningStep, ctx: StepContext): Record<string, unknown> {
  return variant === 'nephio' ? nephioStep(current, step, ctx) : openshiftStep(current, step, ctx);
}

/** The state a step leaves the request in, in the variant's own words (`pending` only on the O-Cloud Manager). */
export function stateAfter(variant: PrVariant, step: ProvisioningStep): OcmPhase {
  return variant === 'nephio' ? NEPHIO[step][0] : ocmChange(step, { time: '', clusterName: '', generation: 1 }).phase;
}
