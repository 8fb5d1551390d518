// Porch PackageVariant `config.porch.kpt.dev/v1alpha1` (nephio-project/porch
// controllers/packagevariants/api/v1alpha1, namespaced), as the Nephio o2ims operator creates it for a
// ProvisioningRequest (controllers/utils.py create_package_variant): named after the request, upstream
// = the template in `catalog-infra-capi`, downstream = the cluster's package in `mgmt`. Conditions are
// the ones the PackageVariant controller sets: Stalled (Valid / ValidationError) and Ready (NoErrors /
// Error).
import type { KubeObject, ObjectMeta } from '../types.js';
import { setCondition, type Condition } from './o2ims.js';

export const PV_API_VERSION = 'config.porch.kpt.dev/v1alpha1';
export const PV_NAMESPACE = 'default';
/** The operator's GIT_REPOSITORY default and the hard-coded downstream repository. */
export const PV_UPSTREAM_REPO = 'catalog-infra-capi';
export const PV_DOWNSTREAM_REPO = 'mgmt';

export interface PackageVariantInput {
  request: string;
  clusterName: string;
  templateName: string;
  templateVersion: string;
  labels: Record<string, string>;
}

export function packageVariantObject(meta: ObjectMeta, input: PackageVariantInput): KubeObject {
  return {
    apiVersion: PV_API_VERSION,
    kind: 'PackageVariant',
    metadata: meta,
    spec: {
      upstream: { repo: PV_UPSTREAM_REPO, package: input.templateName, revision: input.templateVersion },
      downstream: { repo: PV_DOWNSTREAM_REPO, package: input.clusterName },
      annotations: { 'approval.nephio.org/policy': 'initial' },
      pipeline: { mutators: [{ image: 'gcr.io/kpt-fn/set-labels:v0.2.0', configMap: input.labels }] },
    },
  };
}

/** The downstream PackageRevision name Porch gives the first draft (`<repo>.<package>.<workspace>`). */
export function downstreamRevision(clusterName: string): string {
  return `${PV_DOWNSTREAM_REPO}.${clusterName}.packagevariant-1`;
}

export type PackageVariantOutcome = 'ready' | 'stalled';

/** `status` after one reconcile: ready (downstream revision created) or stalled (upstream not found). */
export function packageVariantStatus(spec: { upstream: { package: string; revision: string }; downstream: { package: string } }, outcome: PackageVariantOutcome, time: string): Record<string, unknown> {
  let conditions: Condition[] = [];
  if (outcome === 'stalled') {
    const upstream = `&v1alpha1.Upstream{Repo:"${PV_UPSTREAM_REPO}", Package:"${spec.upstream.package}", Revision:"${spec.upstream.revision}"}`;
    conditions = setCondition(conditions, { type: 'Stalled', status: 'True', reason: 'ValidationError', message: `could not find upstream package revision ${upstream}`, lastTransitionTime: time });
    conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: 'Error', message: 'invalid packagevariant object', lastTransitionTime: time });
    return { conditions };
  }
  conditions = setCondition(conditions, { type: 'Stalled', status: 'False', reason: 'Valid', message: 'all validation checks passed', lastTransitionTime: time });
  conditions = setCondition(conditions, { type: 'Ready', status: 'True', reason: 'NoErrors', message: 'successfully ensured downstream package variant', lastTransitionTime: time });
  return { conditions, downstreamTargets: [{ name: downstreamRevision(spec.downstream.package) }] };
}
