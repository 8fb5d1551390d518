// A minimal OpenAPI v3 surface. kubectl create/apply (default --validate=strict) reads it to learn that
// the server supports the `fieldValidation` query parameter for a kind (client-go
// queryParamVerifierV3: the PATCH operation tagged with x-kubernetes-group-version-kind must list it);
// then it validates server-side instead of downloading schemas. No schemas are published: this is
// not meant for `kubectl explain`.
// kubectl ≤ 1.27 instead downloads `/openapi/v2` (protobuf) for client-side validation and skips kinds
// the document does not define; an empty document (zero protobuf bytes) therefore lets it create any kind.
import { createHash } from 'node:crypto';
import { allGroups, DEFAULT_VERSIONS, kindsOfGroupVersion, servedVersionOf, type KindInfo, type ServedVersions } from '../kinds.js';

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
    components: { schemas: {} },
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
