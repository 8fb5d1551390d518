// Object validation on create and update, as the real server does it:
//  - every kind: metadata.name (DNS-1123 subdomain; a label for namespaces);
//  - custom resources: their CRD schema (catalogue/schemas.ts): types, required fields, enums,
//    minimum/maximum, with the apiextensions validator's reasons and messages;
//  - core kinds: the rules of the real validation for the fields clients write (a Pod without
//    containers is 422 `spec.containers: Required value`, a Service without ports, a ConfigMap key
//    with a space, a Deployment without selector …). Messages are the real server's (checked against
//    v1.20). Not every upstream rule is here: README "what still differs".
import type { JsonSchema, KindInfo } from '../kinds.js';
import type { KubeObject } from '../types.js';
import type { StatusCause } from './status.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isRecord) : []);

const required = (field: string): StatusCause => ({ reason: 'FieldValueRequired', message: 'Required value', field });
const invalidValue = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${typeof value === 'string' ? JSON.stringify(value) : formatGo(value)}: ${detail}`,
  field,
});

function formatGo(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function validateName(kind: KindInfo, name: string): StatusCause[] {
  const label = kind.key === '/namespaces';
  const ok = label ? DNS1123_LABEL.test(name) && name.length <= 63 : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
  return ok ? [] : [invalidValue('metadata.name', name, label ? LABEL_MESSAGE : SUBDOMAIN_MESSAGE)];
}

/** The apiextensions validator over a CRD schema (types, required, enum, minimum/maximum), recursively. */
export function validateSchema(schema: JsonSchema, value: unknown, path: string, out: StatusCause[] = []): StatusCause[] {
  if (value === undefined || schema['x-kubernetes-int-or-string']) return out;
  const expected = schema.type;
  const actual = typeOf(value);
  if (expected && !(expected === actual || (expected === 'number' && actual === 'integer'))) {
    out.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${actual}": ${path} in body must be of type ${expected}: "${actual}"`, field: path });
    return out;
  }
  if (schema.enum && !schema.enum.includes(value as string | number)) {
    out.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`,
      field: path,
    });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(invalidValue(path, value, `${path} in body should be greater than or equal to ${schema.minimum}`));
    if (schema.maximum !== undefined && value > schema.maximum) out.push(invalidValue(path, value, `${path} in body should be less than or equal to ${schema.maximum}`));
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      const child = schema.properties?.[k] ?? schema.additionalProperties;
      if (child) validateSchema(child, v, path ? `${path}.${k}` : k, out);
    }
    for (const r of schema.required ?? []) if (value[r] === undefined) out.push(required(path ? `${path}.${r}` : r));
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => validateSchema(schema.items!, item, `${path}[${i}]`, out));
  }
  return out;
}

function validateContainers(containers: unknown, path: string): StatusCause[] {
  if (!Array.isArray(containers) || containers.length === 0) return [required(path)];
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  list(containers).forEach((c, i) => {
    const name = c.name;
    if (typeof name !== 'string' || name === '') causes.push(required(`${path}[${i}].name`));
    else if (!DNS1123_LABEL.test(name) || name.length > 63) causes.push(invalidValue(`${path}[${i}].name`, name, LABEL_MESSAGE));
    else if (seen.has(name)) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: "${name}"`, field: `${path}[${i}].name` });
    if (typeof name === 'string') seen.add(name);
    if (typeof c.image !== 'string' || c.image.trim() === '') causes.push(required(`${path}[${i}].image`));
  });
  return causes;
}

function selectorMatches(selector: unknown, labels: unknown): boolean {
  const matchLabels = isRecord(selector) && isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const have = isRecord(labels) ? labels : {};
  const keys = Object.keys(matchLabels);
  return keys.length > 0 && keys.every((k) => have[k] === matchLabels[k]);
}

function validateWorkload(spec: Json): StatusCause[] {
  const causes: StatusCause[] = [];
  const template = isRecord(spec.template) ? spec.template : {};
  const labels = isRecord(template.metadata) ? template.metadata.labels : undefined;
  if (spec.selector === undefined) causes.push(required('spec.selector'));
  if (!selectorMatches(spec.selector, labels)) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${labels === undefined ? 'map[string]string(nil)' : `map[string]string{${Object.entries(labels as Json).map(([k, v]) => `"${k}":"${String(v)}"`).join(', ')}}`}: \`selector\` does not match template \`labels\``,
      field: 'spec.template.metadata.labels',
    });
  }
  causes.push(...validateContainers(isRecord(template.spec) ? template.spec.containers : undefined, 'spec.template.spec.containers'));
  return causes;
}

/** Rules of the real core/apps validation, per kind key. */
const CORE_RULES: Record<string, (obj: KubeObject) => StatusCause[]> = {
  '/pods': (obj) => validateContainers(isRecord(obj.spec) ? obj.spec.containers : undefined, 'spec.containers'),
  '/services': (obj) => {
    const spec = isRecord(obj.spec) ? obj.spec : {};
    const headless = spec.clusterIP === 'None';
    if (spec.type !== 'ExternalName' && !headless && (!Array.isArray(spec.ports) || spec.ports.length === 0)) return [required('spec.ports')];
    return [];
  },
  '/configmaps': (obj) =>
    Object.keys(isRecord(obj.data) ? obj.data : {})
      .filter((key) => !CONFIG_KEY.test(key))
      .map((key) => invalidValue(`data[${key}]`, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")),
  '/events': (obj) => {
    const involved = isRecord(obj.involvedObject) ? obj.involvedObject : {};
    const ns = typeof involved.namespace === 'string' ? involved.namespace : '';
    const own = obj.metadata.namespace ?? '';
    // an event about a cluster-scoped object lives in "" or "default"
    if (ns === '') return own === '' || own === 'default' ? [] : [invalidValue('involvedObject.namespace', ns, 'does not match event.namespace')];
    return ns !== own ? [invalidValue('involvedObject.namespace', ns, 'does not match event.namespace')] : [];
  },
  'apps/deployments': (obj) => validateWorkload(isRecord(obj.spec) ? obj.spec : {}),
  'apps/daemonsets': (obj) => validateWorkload(isRecord(obj.spec) ? obj.spec : {}),
};

export function validateObject(kind: KindInfo, obj: KubeObject): StatusCause[] {
  const causes = validateName(kind, obj.metadata.name);
  if (!kind.builtIn) {
    // metadata is the server's; the CRD schema covers the rest
    const { metadata: _m, ...rest } = obj;
    const props = { ...kind.schema.properties };
    delete props.metadata;
    causes.push(...validateSchema({ ...kind.schema, properties: props }, rest, ''));
  } else {
    causes.push(...(CORE_RULES[kind.key]?.(obj) ?? []));
  }
  return causes;
}

/** Drops the fields a structural CRD schema does not declare (the real server prunes them on write). */
export function prune(schema: JsonSchema, value: unknown): unknown {
  if (schema['x-kubernetes-preserve-unknown-fields'] || schema['x-kubernetes-int-or-string']) return value;
  if (isRecord(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const child = schema.properties?.[k] ?? schema.additionalProperties;
      if (child) out[k] = prune(child, v);
    }
    return out;
  }
  if (Array.isArray(value) && schema.items) return value.map((item) => prune(schema.items!, item));
  return value;
}

/** A custom resource as the real server stores it: unknown fields pruned (metadata is the server's). */
export function pruneObject(kind: KindInfo, obj: KubeObject): KubeObject {
  if (kind.builtIn) return obj;
  const { metadata, ...rest } = obj;
  const props = { ...kind.schema.properties };
  delete props.metadata;
  return { ...(prune({ ...kind.schema, properties: props }, rest) as Json), metadata } as KubeObject;
}
