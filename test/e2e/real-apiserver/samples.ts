// One object of every listable kind, so `kubectl get` prints its header on both servers: the fixtures
// where a domain has one, hand-written built-ins, and for custom resources an object generated from the
// kind's schema (required fields filled), so kinds added to the catalogue later are covered too.
import { KINDS, type JsonSchema, type KindInfo } from '../../../simulator/kinds.js';
import type { KubeObject } from '../../../simulator/types.js';

function sampleValue(schema: JsonSchema): unknown {
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      return 'sample';
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 0, 1);
    case 'boolean':
      return false;
    case 'array':
      return [];
    default: {
      const out: Record<string, unknown> = {};
      for (const field of schema.required ?? []) out[field] = sampleValue(schema.properties?.[field] ?? {});
      return out;
    }
  }
}

const BUILT_IN: Record<string, Omit<KubeObject, 'apiVersion' | 'kind'>> = {
  '/services': { metadata: { name: 'sample', namespace: 'default' }, spec: { ports: [{ port: 443, protocol: 'TCP', targetPort: 8443 }], selector: { app: 'sample' } } },
  '/configmaps': { metadata: { name: 'sample', namespace: 'default' }, data: { a: 'b' } },
  '/events': {
    metadata: { name: 'sample', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
    reason: 'Started',
    message: 'Started container',
    type: 'Normal',
    source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    count: 1,
  },
  'apps/daemonsets': {
    metadata: { name: 'sample', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'sample' } }, template: { metadata: { labels: { app: 'sample' } }, spec: { containers: [{ name: 'c', image: 'registry.example/c:1' }] } } },
  },
  'apps/deployments': {
    metadata: { name: 'sample', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'sample' } }, template: { metadata: { labels: { app: 'sample' } }, spec: { containers: [{ name: 'c', image: 'registry.example/c:1' }] } } },
  },
};

/** Kinds `kubectl get` can list. */
export const LISTABLE: readonly KindInfo[] = KINDS.filter((k) => k.verbs.includes('list'));

/** A sample of `kind` unless one of `existing` is already of that kind (or the kind needs none). */
export function sampleOf(kind: KindInfo, existing: readonly KubeObject[]): KubeObject | undefined {
  if (existing.some((o) => o.apiVersion === kind.apiVersion && o.kind === kind.kind)) return undefined;
  if (['/namespaces', 'apiextensions.k8s.io/customresourcedefinitions', '/nodes', '/pods'].includes(kind.key)) return undefined;
  const base = BUILT_IN[kind.key] ?? {
    ...(sampleValue({ ...kind.schema, properties: { ...kind.schema.properties, metadata: {} } }) as object),
    metadata: { name: 'sample', ...(kind.namespaced ? { namespace: 'default' } : {}) },
  };
  return { apiVersion: kind.apiVersion, kind: kind.kind, ...base } as KubeObject;
}
