// Object validation that the real server (or a CRD's OpenAPI schema) does on create and update,
// for the fields our clients write. Causes use the real reasons and field paths.
import type { KindInfo } from '../kinds.js';
import type { KubeObject } from '../types.js';
import type { StatusCause } from './status.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function required(field: string): StatusCause {
  return { reason: 'FieldValueRequired', message: 'Required value', field };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function wrongType(field: string, value: unknown, expected: string): StatusCause {
  const actual = typeOf(value);
  return { reason: 'FieldValueTypeInvalid', message: `Invalid value: "${actual}": ${field} in body must be of type ${expected}: "${actual}"`, field };
}

function validateName(kind: KindInfo, name: string): StatusCause[] {
  const namespaceLike = kind.key === '/namespaces';
  const ok = namespaceLike ? DNS1123_LABEL.test(name) && name.length <= 63 : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
  if (ok) return [];
  const message = namespaceLike
    ? `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
    : `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  return [{ reason: 'FieldValueInvalid', message, field: 'metadata.name' }];
}

/** Nephio's ProvisioningRequest CRD: spec.templateName, templateVersion, templateParameters are required. */
function validateProvisioningRequest(obj: KubeObject): StatusCause[] {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return [required('spec')];
  if (typeof spec !== 'object' || Array.isArray(spec)) return [wrongType('spec', spec, 'object')];
  const s = spec as Record<string, unknown>;
  const causes: StatusCause[] = [];
  for (const field of ['templateName', 'templateVersion'] as const) {
    if (s[field] === undefined) causes.push(required(`spec.${field}`));
    else if (typeof s[field] !== 'string') causes.push(wrongType(`spec.${field}`, s[field], 'string'));
  }
  if (s.templateParameters === undefined) causes.push(required('spec.templateParameters'));
  else if (typeOf(s.templateParameters) !== 'object') causes.push(wrongType('spec.templateParameters', s.templateParameters, 'object'));
  for (const field of ['name', 'description'] as const) {
    if (s[field] !== undefined && typeof s[field] !== 'string') causes.push(wrongType(`spec.${field}`, s[field], 'string'));
  }
  return causes;
}

export function validateObject(kind: KindInfo, obj: KubeObject): StatusCause[] {
  const causes = validateName(kind, obj.metadata.name);
  if (kind.key === 'o2ims.provisioning.oran.org/provisioningrequests') causes.push(...validateProvisioningRequest(obj));
  return causes;
}
