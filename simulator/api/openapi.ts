// OpenAPI v3 for the served kinds, from the catalogue's schemas (catalogue/schemas.ts): one document
// per group-version with a schema per kind (`x-kubernetes-group-version-kind`, metadata as a reference
// to ObjectMeta, named as the real server names them), which is what `kubectl explain` reads. Each
// kind's PATCH operation lists `fieldValidation`, so kubectl create/apply (default --validate=strict)
// validates server-side instead of downloading schemas (client-go queryParamVerifierV3).
// kubectl ≤ 1.27 instead downloads `/openapi/v2` (protobuf) for client-side validation and skips kinds
// the document does not define; an empty document (zero protobuf bytes) therefore lets it create any kind.
import { createHash } from 'node:crypto';
import { allGroups, DEFAULT_VERSIONS, kindsOfGroupVersion, servedVersionOf, type JsonSchema, type KindInfo, type ServedVersions } from '../kinds.js';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const str = (description: string): JsonSchema => ({ type: 'string', description });
const OBJECT_META_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  properties: {
    name: str('Name must be unique within a namespace.'),
    generateName: str('An optional prefix, used by the server to generate a unique name if the Name field has not been provided.'),
    namespace: str('Namespace defines the space within which each name must be unique.'),
    uid: str('UID is the unique in time and space value for this object.'),
    resourceVersion: str('An opaque value that represents the internal version of this object.'),
    generation: { type: 'integer', format: 'int64', description: 'A sequence number representing a specific generation of the desired state.' },
    creationTimestamp: { type: 'string', format: 'date-time', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' },
    deletionTimestamp: { type: 'string', format: 'date-time', description: 'The time at which this resource will be deleted.' },
    labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Map of string keys and values that can be used to organize and categorize objects.' },
    annotations: { type: 'object', additionalProperties: { type: 'string' }, description: 'Annotations is an unstructured key value map stored with a resource.' },
    ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, description: 'List of objects depended by this object.' },
    finalizers: { type: 'array', items: { type: 'string' }, description: 'Must be empty before the object is deleted from the registry.' },
    managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, description: 'Maps workflow-id and version to the set of fields that are managed by that workflow.' },
  },
};

const BUILT_IN_PACKAGES: Record<string, string> = {
  '': 'io.k8s.api.core',
  apps: 'io.k8s.api.apps',
  'authorization.k8s.io': 'io.k8s.api.authorization',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
};

/** `io.k8s.api.core.v1.Pod`, `io.openshift.ptp.v1.PtpConfig` (a CRD's group reversed), as the real server names them. */
export function schemaName(kind: KindInfo): string {
  const pkg = BUILT_IN_PACKAGES[kind.group] ?? kind.group.split('.').reverse().join('.');
  return `${pkg}.${kind.version}.${kind.kind}`;
}

function kindComponent(kind: KindInfo): object {
  const props = { ...(kind.schema.properties ?? {}) } as Record<string, unknown>;
  props.metadata = { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }], default: {}, description: "Standard object's metadata." };
  return { ...kind.schema, properties: props, 'x-kubernetes-group-version-kind': [{ group: kind.group, kind: kind.kind, version: kind.version }] };
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function itemPath(kind: KindInfo): string {
  const base = `/${gvPath(kind.group, kind.version)}`;
  return kind.namespaced ? `${base}/namespaces/{namespace}/${kind.plural}/{name}` : `${base}/${kind.plural}/{name}`;
}

const gvDocs = new Map<string, { body: string; hash: string }>();

function gvDocument(group: string, version: string): { body: string; hash: string } | undefined {
  const key = `${group}/${version}`;
  let doc = gvDocs.get(key);
  if (doc) return doc;
  const kinds = kindsOfGroupVersion(group, version);
  if (kinds.length === 0) return undefined;
  const paths: Record<string, object> = {};
  for (const kind of kinds) {
    const gvk = { group: kind.group, version: kind.version, kind: kind.kind };
    const queryParams = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
      name,
      in: 'query',
      schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
    }));
    paths[itemPath(kind)] = {
      patch: {
        operationId: `patch${kind.kind}`,
        parameters: queryParams,
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
      },
    };
  }
  const body = JSON.stringify({
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: { schemas: { [OBJECT_META]: OBJECT_META_SCHEMA, ...Object.fromEntries(kinds.map((k) => [schemaName(k), kindComponent(k)])) } },
  });
  doc = { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase() };
  gvDocs.set(key, doc);
  return doc;
}

/** `/openapi/v3`: one entry per served group-version. */
export function openApiRoot(installed: ReadonlySet<string>, versions: ServedVersions = DEFAULT_VERSIONS): string {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of allGroups(versions)) {
    if (!installed.has(group)) continue;
    const doc = gvDocument(group, version);
    if (doc) paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${doc.hash}` };
  }
  return JSON.stringify({ paths });
}

/** `/openapi/v3/api/v1` or `/openapi/v3/apis/<group>/<version>`. */
export function openApiGroupVersion(installed: ReadonlySet<string>, group: string, version: string, versions: ServedVersions = DEFAULT_VERSIONS): string | undefined {
  if (!installed.has(group) || servedVersionOf(group, versions) !== version) return undefined;
  return gvDocument(group, version)?.body;
}

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** `/openapi/v2`: an empty OpenAPI v2 document, as protobuf (what kubectl asks for) or JSON. */
export function openApiV2(accept: string | undefined): { contentType: string; body: string } {
  // the response spells the version with a dot: Go's mime parser refuses the '@' of the Accept form
  if (accept?.includes('protobuf')) return { contentType: OPENAPI_V2_PROTOBUF.replace('@', '.'), body: '' };
  return {
    contentType: 'application/json',
    body: JSON.stringify({ swagger: '2.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths: {}, definitions: {} }),
  };
}
