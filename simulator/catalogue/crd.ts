// The CustomResourceDefinition of a custom kind of the catalogue, as its operator would install it:
// names, scope, short names, categories, the status subresource, the printer columns and the schema.
// The real-apiserver tests install these, so the real server and the simulator serve the same kinds
// from one description.
import type { KindInfo } from '../kinds.js';
import type { KubeObject } from '../types.js';

export function crdOf(kind: KindInfo): KubeObject {
  if (kind.builtIn) throw new Error(`${kind.kind} is built into kube-apiserver, it has no CRD`);
  const names: Record<string, unknown> = { plural: kind.plural, singular: kind.singular, kind: kind.kind, listKind: `${kind.kind}List` };
  if (kind.shortNames.length) names.shortNames = kind.shortNames;
  if (kind.categories.length) names.categories = kind.categories;
  const version: Record<string, unknown> = {
    name: kind.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: kind.schema },
  };
  if (kind.statusSubresource) version.subresources = { status: {} };
  if (kind.printerColumns.length) {
    version.additionalPrinterColumns = kind.printerColumns.map((c) => ({
      name: c.name,
      type: c.type,
      jsonPath: c.jsonPath,
      ...(c.description ? { description: c.description } : {}),
      ...(c.format ? { format: c.format } : {}),
      ...(c.priority ? { priority: c.priority } : {}),
    }));
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${kind.group}` },
    spec: { group: kind.group, names, scope: kind.namespaced ? 'Namespaced' : 'Cluster', versions: [version] },
  };
}
