// Query results are filtered by namespace for every domain at once, as subscription events are
// (visible-events.ts). The domains' readers work on the shared, unrestricted caches, and the request's
// ClusterView already hides whole clusters; what it cannot see inside a visible cluster is a namespace
// the caller's grant leaves out. So every field whose type is an object of the schema that has both
// `clusterName` and `namespace` (Pod, NetworkAttachmentDefinition, CniEvent, OdaComponent, PtpConfig …)
// drops, for a restricted caller, the objects of namespaces it may not see: list items are removed, a
// nullable single object is null, a non-null one is NOT_FOUND (as an unknown object). Chosen by type
// when the schema is built, so fields of other types cost nothing; unrestricted callers pay one check.
import {
  GraphQLError,
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { ClusterView } from '../kube/cluster-view.js';

/** Whether objects of this GraphQL type (or of one of its union/interface members) name a cluster and a namespace. */
function namespacedType(schema: GraphQLSchema, type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  const objects = isAbstractType(named) ? schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
  return objects.some((o) => 'clusterName' in o.getFields() && 'namespace' in o.getFields());
}

function stringProp(value: unknown, name: string): string | undefined {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** An object the view may not see: it names a cluster and a namespace the caller's grant leaves out. */
function hidden(view: ClusterView, value: unknown): boolean {
  const cluster = stringProp(value, 'clusterName');
  const namespace = stringProp(value, 'namespace');
  return cluster !== undefined && namespace !== undefined && !view.sees(cluster, namespace);
}

/** `value` as `type` may show it to `view` (lists filtered item by item, nested lists too). */
function visibleValue(view: ClusterView, type: GraphQLOutputType, value: unknown, field: string): unknown {
  if (value === null || value === undefined) return value;
  const inner = getNullableType(type);
  if (isListType(inner)) {
    if (!Array.isArray(value)) return value;
    const itemType = inner.ofType as GraphQLOutputType;
    if (isListType(getNullableType(itemType))) return value.map((v) => visibleValue(view, itemType, v, field));
    // Federation's `_entities` answers by position: a hidden entity is null there, as an unknown one.
    if (field === '_entities') return value.map((v) => (hidden(view, v) ? null : v));
    return value.filter((v) => !hidden(view, v));
  }
  if (!hidden(view, value)) return value;
  if (!isNonNullType(type)) return null;
  throw new GraphQLError(`${field}: not found`, { extensions: { code: 'NOT_FOUND', cluster: stringProp(value, 'clusterName') } });
}

function wrap(field: GraphQLField<unknown, unknown>): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  const type = field.type;
  const wrapped: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
    const result = resolve(source, args, ctx, info);
    const view = (ctx as { registry?: unknown } | null)?.registry;
    if (!(view instanceof ClusterView) || view.unrestricted) return result;
    return result instanceof Promise ? result.then((r) => visibleValue(view, type, r, field.name)) : visibleValue(view, type, result, field.name);
  };
  field.resolve = wrapped;
}

/** Wraps every field of `schema` (Subscription excepted: its events are filtered per event) whose type is a namespaced object. */
export function filterNamespacedResults(schema: GraphQLSchema): void {
  const subscription = schema.getSubscriptionType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === subscription) continue;
    for (const field of Object.values(type.getFields())) if (namespacedType(schema, field.type)) wrap(field);
  }
}
