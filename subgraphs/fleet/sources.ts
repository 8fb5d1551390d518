// Maps Kubernetes Node and Pod objects (upstream shapes) to the fleet schema's types. Pure functions.
import { text } from '../kube/values.js';
import type { ContainerStatus, Node, Pod } from '../kube/index.js';
import type { LabelModel, NodeModel, PodModel } from './models.js';
import { classifyPod } from './classify.js';
import { memoByScopedObject } from '../../lib/memo.js';

export function labelList(labels: Record<string, string> | undefined): LabelModel[] {
  return Object.entries(labels ?? {})
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';

function quantities(map: Record<string, string> | undefined): { name: string; value: string }[] {
  return Object.entries(map ?? {})
    .map(([name, value]) => ({ name, value: String(value) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function isoTime(value: string | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** A Node as the schema's Node; once per object (lib/memo.ts). */
export const mapNode = memoByScopedObject(function mapNode(clusterName: string, node: Node): NodeModel {
  const labels = node.metadata?.labels ?? {};
  const conditions = node.status?.conditions ?? [];
  return {
    clusterName,
    name: node.metadata?.name ?? '',
    roles: Object.keys(labels)
      .filter((k) => k.startsWith(ROLE_PREFIX))
      .map((k) => k.slice(ROLE_PREFIX.length))
      .filter(Boolean)
      .sort(),
    labels: labelList(labels),
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    conditions: conditions.map((c) => ({
      type: c.type,
      status: c.status,
      reason: text(c.reason),
      message: text(c.message),
      lastTransitionTime: isoTime(c.lastTransitionTime),
    })),
    kubeletVersion: text(node.status?.nodeInfo?.kubeletVersion),
    osImage: text(node.status?.nodeInfo?.osImage),
    capacity: quantities(node.status?.capacity),
    allocatable: quantities(node.status?.allocatable),
  };
});

function containerState(status: ContainerStatus): string | null {
  if (status.state?.running) return 'running';
  if (status.state?.waiting) return 'waiting';
  if (status.state?.terminated) return 'terminated';
  return null;
}

/** A Pod as the schema's Pod; once per object (lib/memo.ts). */
export const mapPod = memoByScopedObject(function mapPod(clusterName: string, pod: Pod): PodModel {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const labels = pod.metadata?.labels ?? {};
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  return {
    clusterName,
    namespace,
    name,
    phase: text(pod.status?.phase),
    nodeName: text(pod.spec?.nodeName),
    labels: labelList(labels),
    containers: (pod.spec?.containers ?? []).map((c) => {
      const status = statuses.get(c.name);
      return {
        name: c.name,
        image: c.image ?? '',
        ready: status?.ready ?? null,
        restartCount: status?.restartCount ?? null,
        state: status ? containerState(status) : null,
      };
    }),
    podIP: text(pod.status?.podIP),
    createdAt: isoTime(pod.metadata?.creationTimestamp),
    cnf: classifyPod({ namespace, name, labels, ownerName: owner?.name }),
  };
});
