// Shapes shared by every part of the simulator (API server, fleet generator, exporters, scenarios).

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  /** Set: DELETE only marks the object (deletionTimestamp) until the last finalizer is removed. */
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  generateName?: string;
}

/** Any Kubernetes object as the API server serializes it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

/** Identifies a resource collection: API group ('' for core) and plural, e.g. `ptp.openshift.io/ptpconfigs` or `/nodes`. */
export type KindKey = string;

export function kindKey(group: string, plural: string): KindKey {
  return `${group}/${plural}`;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  kindKey: KindKey;
  /** The object after the change (for DELETED: the last state, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The state before the change (MODIFIED, DELETED): lets a list at an older resourceVersion be served. */
  previous?: KubeObject;
  resourceVersion: number;
}
