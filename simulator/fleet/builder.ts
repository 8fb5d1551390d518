// Per-cluster object factory: deterministic uids, timestamps and name suffixes from the cluster's own
// random stream, and the list of objects the cluster starts with.
import type { KubeObject, ObjectMeta, OwnerReference } from '../types.js';
import { nameSuffix, rngFor, uuidFrom, hexString, type Rng } from './random.js';

export interface MetaInput {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /** Seconds after the cluster's creation time (default: a few minutes, drawn from the stream). */
  createdAfterSeconds?: number;
}

export class ClusterBuilder {
  readonly objects: KubeObject[] = [];
  readonly rng: Rng;
  /** When the cluster was installed (ms since epoch). */
  readonly installedAt: number;

  constructor(
    readonly seed: number,
    readonly clusterName: string,
    /** Reference "now" of the fleet (ms); the cluster was installed some days before. */
    readonly referenceTime: number,
    /** Installation time (ms) when known (a cluster provisioned just now); else drawn from the stream. */
    installedAt?: number,
  ) {
    this.rng = rngFor(seed, clusterName);
    const ageDays = 20 + Math.floor(this.rng() * 180);
    this.installedAt = installedAt ?? referenceTime - ageDays * 86_400_000;
  }

  uid(): string {
    return uuidFrom(this.rng);
  }

  suffix(length = 5): string {
    return nameSuffix(this.rng, length);
  }

  /** Hex id (e.g. a ReplicaSet pod-template-hash is 9–10 chars of the suffix alphabet; events use hex). */
  hex(length: number): string {
    return hexString(this.rng, length);
  }

  /** RFC 3339 timestamp `seconds` after installation, second precision as the API server writes it. */
  time(seconds: number): string {
    return new Date(this.installedAt + Math.round(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  meta(name: string, namespace: string | undefined, input: MetaInput = {}): ObjectMeta {
    const meta: ObjectMeta = { name };
    if (namespace !== undefined) meta.namespace = namespace;
    meta.uid = this.uid();
    meta.creationTimestamp = this.time(input.createdAfterSeconds ?? 60 + Math.floor(this.rng() * 3600));
    if (input.labels) meta.labels = input.labels;
    if (input.annotations) meta.annotations = input.annotations;
    if (input.ownerReferences) meta.ownerReferences = input.ownerReferences;
    return meta;
  }

  add<T extends KubeObject>(obj: T): T {
    this.objects.push(obj);
    return obj;
  }
}

/** A controller owner reference, as a DaemonSet/ReplicaSet controller writes it on its pods. */
export function ownerRef(owner: KubeObject): OwnerReference & { blockOwnerDeletion: boolean } {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
