// What a management cluster holds for O2IMS: the ProvisioningRequest CRD of its variant, the Porch and
// Cluster API CRDs, and for every edge site it provisioned the request (fulfilled), its PackageVariant
// (Ready) and its Cluster API Cluster (Provisioned); plus sample requests stuck at each way a request
// can stick, with the objects the operator had created by then.
import type { ClusterBuilder } from './builder.js';
import type { KubeObject } from '../types.js';
import { capiClusterObject, capiClusterStatus, bmcUnreachableMessage, CAPI_API_VERSION } from './capi.js';
import { PR_CRD_NAME, PR_FINALIZERS, PR_TEMPLATES, provisioningRequestCrd, provisioningRequestObject, specFor, type PrVariant, type TemplateBehaviour } from './o2ims.js';
import { packageVariantObject, packageVariantStatus, PV_API_VERSION, PV_NAMESPACE } from './porch.js';
import { applyStep, type ProvisioningStep } from './provisioning-steps.js';
import { OCP_KUBERNETES_VERSION, type Region } from './profiles.js';

/** How far a sample request got: still installing, timed out, not yet looked at, or stalled in Porch. */
export type SampleRequest = 'progressing' | 'timedOut' | 'pending' | 'stalled';

export interface HubProvisioningOptions {
  variant: PrVariant;
  edges: { name: string; region: Region }[];
  samples: { name: string; region: Region; sample: SampleRequest }[];
}

const STEPS: Record<SampleRequest | 'fulfilled', ProvisioningStep[]> = {
  fulfilled: ['received', 'validated', 'rendering', 'rendered', 'creating', 'fulfilled'],
  progressing: ['received', 'validated', 'rendering', 'rendered', 'creating'],
  timedOut: ['received', 'validated', 'rendering', 'rendered', 'creating', 'timedOut'],
  pending: ['received'],
  stalled: ['received', 'validated', 'rendering', 'renderingFailed'],
};

const TEMPLATE: Record<SampleRequest | 'fulfilled', TemplateBehaviour> = { fulfilled: 'ok', progressing: 'ok', timedOut: 'timeout', pending: 'ok', stalled: 'stall' };

function crd(b: ClusterBuilder, name: string, apiVersion: string, kind: string, plural: string): KubeObject {
  const [group, version] = apiVersion.split('/');
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: b.meta(name, undefined, { createdAfterSeconds: 600 }),
    spec: { group, names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` }, scope: 'Namespaced', versions: [{ name: version, served: true, storage: true, subresources: { status: {} } }] },
  };
}

function addRequest(b: ClusterBuilder, variant: PrVariant, cluster: string, region: Region, kind: SampleRequest | 'fulfilled', at: number): void {
  const template = PR_TEMPLATES[TEMPLATE[kind]];
  const labels = { site: cluster, region, role: 'edge' };
  const request = `pr-${cluster}`;
  const meta = b.meta(request, undefined, { createdAfterSeconds: at });
  meta.finalizers = [PR_FINALIZERS[variant]];
  const spec = specFor(variant, { clusterName: cluster, labels, templateName: template.name, templateVersion: template.version });
  const steps = STEPS[kind];
  let status: Record<string, unknown> | undefined;
  let stallMessage: string | undefined;
  const pvStatus = (outcome: 'ready' | 'stalled', time: string) =>
    packageVariantStatus({ upstream: { package: template.name, revision: template.version }, downstream: { package: cluster } }, outcome, time);

  if (steps.includes('rendering')) {
    const pv = packageVariantObject(b.meta(request, PV_NAMESPACE, { createdAfterSeconds: at + 60 }), {
      request,
      clusterName: cluster,
      templateName: template.name,
      templateVersion: template.version,
      labels,
    });
    const pvStatusNow = pvStatus(kind === 'stalled' ? 'stalled' : 'ready', b.time(at + 90));
    pv.status = pvStatusNow;
    if (kind === 'stalled') stallMessage = (pvStatusNow.conditions as { message: string }[])[0].message;
    b.add(pv);
  }
  if (steps.includes('creating')) {
    const capi = capiClusterObject(b.meta(cluster, PV_NAMESPACE, { createdAfterSeconds: at + 120 }), {
      clusterName: cluster,
      templateName: template.name,
      kubernetesVersion: OCP_KUBERNETES_VERSION['4.18'],
      endpointHost: `api.${cluster}.ran.example.net`,
    });
    const phase = kind === 'fulfilled' ? 'Provisioned' : 'Provisioning';
    capi.status = capiClusterStatus(phase, b.time(at + (kind === 'fulfilled' ? 1700 : 300)), 1, kind === 'timedOut' ? bmcUnreachableMessage(cluster) : undefined);
    b.add(capi);
  }
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const resources = step === 'fulfilled' ? { nodeClusterId: b.uid(), infrastructureIds: [b.uid()] } : undefined;
    status = applyStep(variant, status, step, { time: b.time(at + (last ? 1800 : i * 60)), clusterName: cluster, generation: 1, resources, stallMessage });
  });
  b.add(provisioningRequestObject(meta, spec, status));
}

export function addHubProvisioning(b: ClusterBuilder, options: HubProvisioningOptions): void {
  b.add(provisioningRequestCrd(b.meta(PR_CRD_NAME, undefined, { createdAfterSeconds: 600 }), options.variant));
  b.add(crd(b, 'packagevariants.config.porch.kpt.dev', PV_API_VERSION, 'PackageVariant', 'packagevariants'));
  b.add(crd(b, 'clusters.cluster.x-k8s.io', CAPI_API_VERSION, 'Cluster', 'clusters'));
  options.edges.forEach((edge, i) => addRequest(b, options.variant, edge.name, edge.region, 'fulfilled', 7200 + i * 60));
  const at = 7200 + options.edges.length * 60;
  options.samples.forEach((s, i) => addRequest(b, options.variant, s.name, s.region, s.sample, at + i * 60));
}
