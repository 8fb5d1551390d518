// Core/v1 and apps/v1 objects in the shapes the API server serves: Namespace, Node, Pod, Event, Service,
// DaemonSet. Constant sub-objects are shared between objects to keep a 2,000-cluster fleet small; the
// store never mutates stored objects in place (changes clone first), so sharing is safe.
import type { KubeObject } from '../types.js';
import { ownerRef, type ClusterBuilder } from './builder.js';
import { deepFreeze } from './frozen.js';

const NAMESPACE_SPEC = deepFreeze({ finalizers: ['kubernetes'] });
const NAMESPACE_STATUS = deepFreeze({ phase: 'Active' });

export function namespace(b: ClusterBuilder, name: string, labels: Record<string, string> = {}): KubeObject {
  return b.add({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: b.meta(name, undefined, {
      labels: { 'kubernetes.io/metadata.name': name, ...labels },
      createdAfterSeconds: 0,
    }),
    spec: NAMESPACE_SPEC,
    status: NAMESPACE_STATUS,
  });
}

export interface NodeInput {
  name: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  ip: string;
  kubeletVersion: string;
  openshift: boolean;
  /** Extra capacity entries (hugepages, `openshift.io/<sriov resource>` …), also allocatable. */
  extraResources?: Record<string, string>;
  cpu: number;
  memoryGi: number;
}

export function node(b: ClusterBuilder, input: NodeInput): KubeObject {
  const created = b.time(0);
  const heartbeat = b.time(60);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: created,
    reason,
    message,
  });
  const reservedCpu = input.cpu > 16 ? 4 : 1;
  const memoryKi = input.memoryGi * 1024 * 1024;
  return b.add({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: b.meta(input.name, undefined, {
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': input.name,
        'kubernetes.io/os': 'linux',
        ...(input.openshift ? { 'node.openshift.io/os_id': 'rhcos' } : {}),
        ...input.labels,
      },
      annotations: input.annotations,
      createdAfterSeconds: 0,
    }),
    spec: {},
    status: {
      addresses: [
        { type: 'InternalIP', address: input.ip },
        { type: 'Hostname', address: input.name },
      ],
      capacity: {
        cpu: String(input.cpu),
        'ephemeral-storage': '467039804Ki',
        'hugepages-2Mi': '0',
        memory: `${memoryKi}Ki`,
        pods: '250',
        ...input.extraResources,
      },
      allocatable: {
        cpu: String(input.cpu - reservedCpu),
        'ephemeral-storage': '430324950316',
        'hugepages-2Mi': '0',
        memory: `${memoryKi - 4 * 1024 * 1024}Ki`,
        pods: '250',
        ...input.extraResources,
      },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: b.uid(),
        containerRuntimeVersion: input.openshift ? 'cri-o://1.31.6-3.rhaos4.18.git1b8a1a8.el9' : 'containerd://1.7.24',
        kernelVersion: input.openshift ? '5.14.0-427.50.1.el9_4.x86_64+rt' : '6.8.0-51-generic',
        kubeProxyVersion: input.kubeletVersion,
        kubeletVersion: input.kubeletVersion,
        machineID: b.hex(32),
        operatingSystem: 'linux',
        osImage: input.openshift
          ? 'Red Hat Enterprise Linux CoreOS 418.94.202502100215-0'
          : 'Ubuntu 24.04.1 LTS',
        systemUUID: b.uid(),
      },
    },
  });
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: 'TCP' | 'UDP';
}

/** A container as it appears in pod.spec (image, ports, resources); share instances between pods. */
export interface ContainerSpec {
  name: string;
  image: string;
  ports?: ContainerPort[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  [field: string]: unknown;
}

export interface PodInput {
  name: string;
  namespace: string;
  nodeName: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  containers: readonly ContainerSpec[];
  hostIP: string;
  /** Defaults to the host IP (hostNetwork pods). */
  podIP?: string;
  hostNetwork?: boolean;
  owner?: KubeObject;
  serviceAccountName?: string;
  priorityClassName?: string;
  qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort';
  /** Seconds after the cluster's installation the pod started (default: drawn from the stream). */
  startedAfterSeconds?: number;
  /** When each condition became True (seconds after installation); overrides startedAfterSeconds. */
  timeline?: PodTimeline;
}

/** A pod's start-up as kubelet reports it: scheduled, sandbox (with its networks) up, containers ready. */
export interface PodTimeline {
  created: number;
  scheduled: number;
  sandboxReady: number;
  ready: number;
}

const POD_TOLERATIONS = deepFreeze([{ operator: 'Exists' }]);

export function pod(b: ClusterBuilder, input: PodInput): KubeObject {
  const startSeconds = input.timeline?.scheduled ?? input.startedAfterSeconds ?? 120 + Math.floor(b.rng() * 600);
  const started = b.time(startSeconds);
  const podIP = input.podIP ?? input.hostIP;
  const t = input.timeline;
  const transition: Record<string, number> = t
    ? { PodReadyToStartContainers: t.sandboxReady, Initialized: t.scheduled, Ready: t.ready, ContainersReady: t.ready, PodScheduled: t.scheduled }
    : {};
  const conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: type in transition ? b.time(transition[type]) : started,
  }));
  const containerStarted = t ? b.time(t.sandboxReady + 1) : started;
  const spec: Record<string, unknown> = {
    nodeName: input.nodeName,
    containers: input.containers,
    restartPolicy: 'Always',
    dnsPolicy: input.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    schedulerName: 'default-scheduler',
    serviceAccountName: input.serviceAccountName ?? 'default',
    terminationGracePeriodSeconds: 30,
  };
  if (input.hostNetwork) {
    spec.hostNetwork = true;
    spec.tolerations = POD_TOLERATIONS;
  }
  if (input.priorityClassName) spec.priorityClassName = input.priorityClassName;
  return b.add({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: b.meta(input.name, input.namespace, {
      labels: input.labels,
      annotations: input.annotations,
      ownerReferences: input.owner ? [ownerRef(input.owner)] : undefined,
      createdAfterSeconds: t ? t.created : startSeconds - 4,
    }),
    spec,
    status: {
      phase: 'Running',
      conditions,
      hostIP: input.hostIP,
      hostIPs: [{ ip: input.hostIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: started,
      qosClass: input.qosClass ?? 'Burstable',
      containerStatuses: input.containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: c.image,
        containerID: `cri-o://${b.hex(64)}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: containerStarted } },
      })),
    },
  });
}

export interface DaemonSetInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  containers: readonly ContainerSpec[];
  nodeCount: number;
  nodeSelector?: Record<string, string>;
}

/** A DaemonSet with a compact pod template; its pods reference it as their controller. */
export function daemonSet(b: ClusterBuilder, input: DaemonSetInput): KubeObject {
  const n = input.nodeCount;
  return b.add({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: b.meta(input.name, input.namespace, { labels: input.labels, createdAfterSeconds: 30 }),
    spec: {
      selector: { matchLabels: input.labels },
      template: {
        metadata: { labels: input.labels },
        spec: { containers: input.containers, ...(input.nodeSelector ? { nodeSelector: input.nodeSelector } : {}) },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
    status: {
      currentNumberScheduled: n,
      desiredNumberScheduled: n,
      numberAvailable: n,
      numberMisscheduled: 0,
      numberReady: n,
      observedGeneration: 1,
      updatedNumberScheduled: n,
    },
  });
}

export interface ServiceInput {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  selector: Record<string, string>;
  ports: { name: string; port: number; targetPort: number | string }[];
  headless?: boolean;
  clusterIP?: string;
}

export function service(b: ClusterBuilder, input: ServiceInput): KubeObject {
  const clusterIP = input.headless ? 'None' : (input.clusterIP ?? '172.30.0.1');
  return b.add({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: b.meta(input.name, input.namespace, { labels: input.labels }),
    spec: {
      clusterIP,
      clusterIPs: [clusterIP],
      ports: input.ports.map((p) => ({ ...p, protocol: 'TCP' })),
      selector: input.selector,
      type: 'ClusterIP',
      sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  });
}

export interface EventInput {
  involved: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
  host?: string;
  count?: number;
  /** Seconds after installation of the first occurrence. */
  firstSeconds: number;
  lastSeconds?: number;
}

export function event(b: ClusterBuilder, input: EventInput): KubeObject {
  const o = input.involved;
  const first = b.time(input.firstSeconds);
  const last = b.time(input.lastSeconds ?? input.firstSeconds);
  return b.add({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: b.meta(`${o.metadata.name}.${b.hex(16)}`, o.metadata.namespace ?? 'default', {
      createdAfterSeconds: input.firstSeconds,
    }),
    involvedObject: {
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
    },
    reason: input.reason,
    message: input.message,
    source: input.host ? { component: input.component, host: input.host } : { component: input.component },
    firstTimestamp: first,
    lastTimestamp: last,
    count: input.count ?? 1,
    type: input.type,
    eventTime: null,
    reportingComponent: input.component,
    reportingInstance: input.host ?? '',
  });
}
