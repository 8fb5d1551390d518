// Fill object stores from generated specs without the API server (bench, unit tests). The API server
// does the same through its kind catalogue when it starts.
import { ClusterStore, type StoreOptions } from '../store.js';
import type { SimCluster } from '../cluster.js';
import type { SimClusterSpec } from './model.js';
import { kindKeyOf } from './kind-keys.js';

export function loadStore(spec: SimClusterSpec, options: StoreOptions = {}): ClusterStore {
  const store = new ClusterStore(options);
  for (const obj of spec.objects) store.create(kindKeyOf(obj), obj);
  return store;
}

/** A SimCluster backed by a freshly loaded store (no server, no token checks). */
export function memoryCluster(spec: SimClusterSpec, options: StoreOptions = {}): SimCluster {
  return { name: spec.name, spec, token: `token-${spec.name}`, store: loadStore(spec, options), faults: {}, counters: new Map() };
}
