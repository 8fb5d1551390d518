// The OpenAPI v3 schema subset the catalogue describes kinds with (apiextensions.k8s.io/v1
// JSONSchemaProps), and a few builders so a schema reads like the object it describes. One schema per
// kind serves three purposes: the simulator's /openapi/v3 (kubectl explain), the CRDs the real-apiserver
// tests install (test/e2e), and the simulator's schema validation of custom resources (api/validation.ts).
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: (string | number)[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-embedded-resource'?: true;
  /** `map` lists merge by `x-kubernetes-list-map-keys`, `set` by value, `atomic` (default for CRDs) as a whole. */
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
}

type Props = Record<string, JsonSchema>;

export const str = (description?: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
export const int = (description?: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'integer', ...(description ? { description } : {}), ...extra });
export const int64 = (description?: string, extra: Partial<JsonSchema> = {}): JsonSchema => int(description, { format: 'int64', ...extra });
export const num = (description?: string): JsonSchema => ({ type: 'number', ...(description ? { description } : {}) });
export const bool = (description?: string): JsonSchema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const time = (description?: string): JsonSchema => str(description, { format: 'date-time' });
export const quantity = (description?: string): JsonSchema => ({ 'x-kubernetes-int-or-string': true, ...(description ? { description } : {}) });

export function obj(properties: Props, description?: string, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'object', ...(description ? { description } : {}), properties, ...extra };
}

export function arr(items: JsonSchema, description?: string, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'array', ...(description ? { description } : {}), items, ...extra };
}

/** A list merged by key(s) (server-side apply, strategic merge): containers by name, conditions by type. */
export function listMap(items: JsonSchema, keys: string[], description?: string): JsonSchema {
  return arr(items, description, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys });
}

export function mapOf(values: JsonSchema, description?: string): JsonSchema {
  return { type: 'object', ...(description ? { description } : {}), additionalProperties: values };
}

/** A free-form object whose fields the server keeps as written. */
export function free(description?: string): JsonSchema {
  return { type: 'object', ...(description ? { description } : {}), 'x-kubernetes-preserve-unknown-fields': true };
}

export const stringMap = (description?: string): JsonSchema => mapOf(str(), description);

/** The top-level schema of a kind: apiVersion, kind, metadata, then its own fields. */
export function kindSchema(description: string, fields: Props, required?: string[]): JsonSchema {
  return obj(
    {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: { type: 'object' },
      ...fields,
    },
    description,
    required ? { required } : {},
  );
}
