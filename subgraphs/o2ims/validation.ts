// Input checks for createProvisioningRequest, before anything is sent: what the API server and the CRD
// would reject (metadata.name a DNS-1123 subdomain; spec.templateName / templateVersion / templateParameters
// required, strings / an object, non-empty on the O-Cloud Manager CRD) and what the hub's operator
// would refuse at once (Nephio: templateParameters.clusterName + clusterProvisioner, only `capi`; the
// O-Cloud Manager: nodeClusterName, oCloudSiteId, clusterInstanceParameters, policyTemplateParameters).
// Each problem names the input field, so the GraphQL error can list them (BAD_USER_INPUT).
import type { SchemaVariant } from './models.js';
import { record, str } from './sources.js';
import { PR_GROUP, PR_VERSION, type ProvisioningRequestObject } from './upstream.js';

export interface CreateProvisioningRequestInput {
  /** metadata.name of the request. */
  name: string;
  /** spec.name (a human-readable name). */
  displayName?: string | null;
  description?: string | null;
  templateName: string;
  templateVersion: string;
  templateParameters: unknown;
}

export interface InputProblem {
  /** Path in the mutation input, e.g. `input.templateParameters.clusterName`. */
  field: string;
  message: string;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The Nephio operator supports only Cluster API (provisioning_request_validation_controller.py). */
export const NEPHIO_PROVISIONERS = ['capi'] as const;

function nameProblem(field: string, value: unknown, label: boolean): InputProblem | null {
  if (typeof value !== 'string' || value === '') return { field, message: 'is required' };
  const max = label ? 63 : 253;
  if (value.length > max) return { field, message: `must be no more than ${max} characters` };
  if (!(label ? DNS1123_LABEL : DNS1123_SUBDOMAIN).test(value)) {
    return {
      field,
      message: label
        ? `"${value}" must be a lowercase RFC 1123 label: lower case alphanumeric characters or '-', starting and ending with an alphanumeric character`
        : `"${value}" must be a lowercase RFC 1123 subdomain: lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character`,
    };
  }
  return null;
}

function requiredString(field: string, value: unknown): InputProblem | null {
  if (value === undefined || value === null) return { field, message: 'is required' };
  if (typeof value !== 'string') return { field, message: 'must be a string' };
  if (value.trim() === '') return { field, message: 'must not be empty' };
  return null;
}

function optionalString(field: string, value: unknown): InputProblem | null {
  return value === undefined || value === null || typeof value === 'string' ? null : { field, message: 'must be a string' };
}

function requiredObject(field: string, value: unknown): InputProblem | null {
  if (value === undefined || value === null) return { field, message: 'is required' };
  return record(value) ? null : { field, message: 'must be a JSON object' };
}

function nephioParameters(tp: Record<string, unknown>): InputProblem[] {
  const at = (k: string) => `input.templateParameters.${k}`;
  const problems: (InputProblem | null)[] = [nameProblem(at('clusterName'), tp.clusterName, true)];
  if (tp.clusterProvisioner !== undefined && !NEPHIO_PROVISIONERS.includes(tp.clusterProvisioner as 'capi')) {
    problems.push({ field: at('clusterProvisioner'), message: `must be one of ${NEPHIO_PROVISIONERS.join(', ')} (the Nephio operator provisions through Cluster API only)` });
  }
  if (tp.labels !== undefined) {
    const labels = record(tp.labels);
    if (!labels) problems.push({ field: at('labels'), message: 'must be a JSON object of strings' });
    else for (const [k, v] of Object.entries(labels)) if (typeof v !== 'string') problems.push({ field: at(`labels.${k}`), message: 'must be a string' });
  }
  return problems.filter((p): p is InputProblem => p !== null);
}

function openshiftParameters(tp: Record<string, unknown>): InputProblem[] {
  const at = (k: string) => `input.templateParameters.${k}`;
  return [
    nameProblem(at('nodeClusterName'), tp.nodeClusterName, true),
    requiredString(at('oCloudSiteId'), tp.oCloudSiteId),
    requiredObject(at('clusterInstanceParameters'), tp.clusterInstanceParameters),
    requiredObject(at('policyTemplateParameters'), tp.policyTemplateParameters),
  ].filter((p): p is InputProblem => p !== null);
}

/**
 * Every problem of a create input for a hub serving `variant` (null: the hub's schema is unknown, so
 * only the CRD rules apply plus a cluster name under either schema's key).
 */
export function validateCreateInput(input: CreateProvisioningRequestInput, variant: SchemaVariant | null): InputProblem[] {
  const problems: (InputProblem | null)[] = [
    nameProblem('input.name', input.name, false),
    optionalString('input.displayName', input.displayName),
    optionalString('input.description', input.description),
    requiredString('input.templateName', input.templateName),
    requiredString('input.templateVersion', input.templateVersion),
    requiredObject('input.templateParameters', input.templateParameters),
  ];
  const tp = record(input.templateParameters);
  if (tp) {
    if (variant === 'NEPHIO') problems.push(...nephioParameters(tp));
    else if (variant === 'OPENSHIFT') problems.push(...openshiftParameters(tp));
    else if (str(tp.clusterName) === null && str(tp.nodeClusterName) === null) {
      problems.push({ field: 'input.templateParameters', message: 'must name the cluster to provision (clusterName, or nodeClusterName for the O-Cloud Manager)' });
    }
  }
  return problems.filter((p): p is InputProblem => p !== null);
}

/**
 * The object to POST for a valid input. For Nephio hubs a missing clusterProvisioner is filled with
 * `capi`, the only value its operator accepts (the operator would otherwise fail the request).
 */
export function provisioningRequestBody(input: CreateProvisioningRequestInput, variant: SchemaVariant | null): ProvisioningRequestObject {
  const templateParameters = { ...(record(input.templateParameters) ?? {}) };
  if (variant === 'NEPHIO' && templateParameters.clusterProvisioner === undefined) templateParameters.clusterProvisioner = 'capi';
  const spec: Record<string, unknown> = { templateName: input.templateName, templateVersion: input.templateVersion, templateParameters };
  if (input.displayName) spec.name = input.displayName;
  if (input.description) spec.description = input.description;
  return { apiVersion: `${PR_GROUP}/${PR_VERSION}`, kind: 'ProvisioningRequest', metadata: { name: input.name }, spec };
}
