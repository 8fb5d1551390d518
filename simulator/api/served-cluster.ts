// A simulated cluster as the API server serves it: the shared SimCluster plus what only the server
// needs (the API groups it has installed, a second, scoped token).
import { randomBytes } from 'node:crypto';
import type { SimCluster, Faults } from '../cluster.js';
import type { SimClusterSpec } from '../fleet/model.js';
import { installedGroups, kindOf, servedVersionOf, servedVersionsFrom, type ServedVersions } from '../kinds.js';
import { ClusterStore } from '../store.js';
import type { KubeObject } from '../types.js';

export interface ServedCluster extends SimCluster {
  /** API groups discovery lists and routing accepts on this cluster (see kinds.ts installedGroups). */
  readonly installedGroups: ReadonlySet<string>;
  /** Groups served at another version than the default (SimClusterSpec.servedVersions). */
  readonly servedVersions: ServedVersions;
  /** A token of a read-only service account limited to namespaced kinds (see auth.ts). */
  readonly scopedToken: string;
  /** A token of an account without any grant: every read is 403 (see auth.ts). */
  readonly noGrantsToken: string;
}

export interface ServedClusterOptions {
  historySize?: number;
  /** Called for each initial object whose apiVersion/kind the catalogue (or this cluster's served version) does not know (it is skipped). */
  onUnknownKind?: (cluster: string, obj: KubeObject) => void;
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function createServedCluster(spec: SimClusterSpec, options: ServedClusterOptions = {}): ServedCluster {
  const store = new ClusterStore({ historySize: options.historySize });
  const servedVersions = servedVersionsFrom(spec.name, spec.servedVersions);
  for (const obj of spec.objects) {
    const kind = kindOf(obj.apiVersion, obj.kind);
    if (!kind || kind.version !== servedVersionOf(kind.group, servedVersions)) {
      options.onUnknownKind?.(spec.name, obj);
      continue;
    }
    const metadata = { ...obj.metadata };
    if (!kind.namespaced) delete metadata.namespace;
    store.create(kind.key, { ...obj, metadata });
  }
  const faults: Faults = {};
  return {
    name: spec.name,
    spec,
    token: newToken(),
    scopedToken: newToken(),
    noGrantsToken: newToken(),
    store,
    faults,
    counters: new Map(),
    installedGroups: installedGroups(spec.objects, spec.platform),
    servedVersions,
  };
}

export function countRequest(cluster: SimCluster, key: string): void {
  cluster.counters.set(key, (cluster.counters.get(key) ?? 0) + 1);
}
