// Maps Kubernetes Node and Pod objects (upstream shapes) to the fleet schema's types. Pure functions.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { LabelModel, NodeModel, PodModel } from './models.js';
import { classifyPod } from './classify.js';

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

function isoTime(value: Date | string | undefined): string | null {
  if (!value) return null;
  return value instanceof Date ? value.toISOString() : value;
}

export function mapNode(clusterName: string, node: V1Node): NodeModel {
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
      reason: c.reason ?? null,
      message: c.message ?? null,
      lastTransitionTime: isoTime(c.lastTransitionTime as Date | string | undefined),
    })),
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? null,
    osImage: node.status?.nodeInfo?.osImage ?? null,
    capacity: quantities(node.status?.capacity),
    allocatable: quantities(node.status?.allocatable),
  };
}

function containerState(state: NonNullable<V1Pod['status']>['containerStatuses'] extends (infer S)[] | undefined ? S : never): string | null {
  if (!state?.state) return null;
  if (state.state.running) return 'running';
  if (state.state.waiting) return 'waiting';
  if (state.state.terminated) return 'terminated';
  return null;
}

export function mapPod(clusterName: string, pod: V1Pod): PodModel {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const labels = pod.metadata?.labels ?? {};
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  return {
    clusterName,
    namespace,
    name,
    phase: pod.status?.phase ?? null,
    nodeName: pod.spec?.nodeName ?? null,
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
    podIP: pod.status?.podIP ?? null,
    createdAt: isoTime(pod.metadata?.creationTimestamp as Date | string | undefined),
    cnf: classifyPod({ namespace, name, labels, ownerName: owner?.name }),
  };
}
