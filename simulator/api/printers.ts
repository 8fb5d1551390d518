// Server-side printing of the built-in kinds, as kube-apiserver's printers compute their Table rows
// (kubectl get shows these columns; `-o wide` adds the priority-1 ones, which the server always fills).
// Column names, types and order are the real server's (checked against v1.20 in
// test/e2e/real-apiserver-fidelity.test.ts); cell rules follow the upstream printers for the fields
// the simulated objects carry.
import type { KindKey, KubeObject } from '../types.js';
import { ageOf } from './human-duration.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean | null;

export interface Printer {
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: number): Cell[];
}

export const col = (name: string, type: string, description: string, priority = 0, format = ''): ColumnDefinition => ({ name, type, format, description, priority });
export const NAME_COLUMN = col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
export const AGE_DESCRIPTION = 'CreationTimestamp is a timestamp representing the server time when this object was created.';
const AGE_COLUMN = col('Age', 'string', AGE_DESCRIPTION);

// Loose views of the fields the printers read (objects are JSON as stored).
type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(rec) : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);
const orNone = (s: string): string => (s === '' ? '<none>' : s);

/** `a=b,c=d` sorted by key, `<none>` when empty (labels.FormatLabels). */
export function formatLabels(map: unknown): string {
  const entries = Object.entries(rec(map)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(',') : '<none>';
}

/** metav1.FormatLabelSelector: matchLabels then expressions, `<none>` when empty. */
function formatSelector(selector: unknown): string {
  const s = rec(selector);
  const parts = Object.entries(rec(s.matchLabels))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${String(v)}`);
  for (const e of list(s.matchExpressions)) {
    const values = Array.isArray(e.values) ? e.values.map(String).join(',') : '';
    const op = text(e.operator);
    if (op === 'In') parts.push(`${text(e.key)} in (${values})`);
    else if (op === 'NotIn') parts.push(`${text(e.key)} notin (${values})`);
    else if (op === 'Exists') parts.push(text(e.key));
    else if (op === 'DoesNotExist') parts.push(`!${text(e.key)}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

function containerCells(template: unknown): [string, string] {
  const containers = list(rec(rec(template).spec).containers);
  return [containers.map((c) => text(c.name)).join(','), containers.map((c) => text(c.image)).join(',')];
}

function nodeRoles(labels: unknown): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(rec(labels))) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.add(String(v));
  }
  return orNone([...roles].filter((r) => r !== '').sort().join(','));
}

const node: Printer = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release.', 1),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r'.", 1),
    col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API.', 1),
  ],
  cells(obj, now) {
    const status = rec(obj.status);
    const ready = list(status.conditions).find((c) => c.type === 'Ready');
    const states = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
    if (rec(obj.spec).unschedulable === true) states.push('SchedulingDisabled');
    const info = rec(status.nodeInfo);
    const address = (type: string) => orNone(text(list(status.addresses).find((a) => a.type === type)?.address));
    const known = (v: unknown) => text(v) || '<unknown>';
    return [
      obj.metadata.name,
      states.join(','),
      nodeRoles(obj.metadata.labels),
      ageOf(obj.metadata.creationTimestamp, now),
      text(info.kubeletVersion),
      address('InternalIP'),
      address('ExternalIP'),
      known(info.osImage),
      known(info.kernelVersion),
      known(info.containerRuntimeVersion),
    ];
  },
};

function podStatusCells(obj: KubeObject): { ready: string; reason: string; restarts: number } {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  let reason = text(status.reason) || text(status.phase);
  let restarts = 0;
  let initializing = false;
  const inits = list(status.initContainerStatuses);
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += count(c.restartCount);
    const state = rec(c.state);
    const terminated = state.terminated === undefined ? undefined : rec(state.terminated);
    const waiting = state.waiting === undefined ? undefined : rec(state.waiting);
    if (terminated && count(terminated.exitCode) === 0) continue;
    if (terminated) reason = text(terminated.reason) ? `Init:${text(terminated.reason)}` : count(terminated.signal) ? `Init:Signal:${count(terminated.signal)}` : `Init:ExitCode:${count(terminated.exitCode)}`;
    else if (waiting && text(waiting.reason) && waiting.reason !== 'PodInitializing') reason = `Init:${text(waiting.reason)}`;
    else reason = `Init:${i}/${list(spec.initContainers).length}`;
    initializing = true;
    break;
  }
  let readyCount = 0;
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses = list(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += count(c.restartCount);
      const state = rec(c.state);
      const terminated = state.terminated === undefined ? undefined : rec(state.terminated);
      const waiting = state.waiting === undefined ? undefined : rec(state.waiting);
      if (waiting && text(waiting.reason)) reason = text(waiting.reason);
      else if (terminated && text(terminated.reason)) reason = text(terminated.reason);
      else if (terminated) reason = count(terminated.signal) ? `Signal:${count(terminated.signal)}` : `ExitCode:${count(terminated.exitCode)}`;
      else if (c.ready === true && state.running !== undefined) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = list(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  if (obj.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { ready: `${readyCount}/${list(spec.containers).length}`, reason, restarts };
}

const pod: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'integer', 'The number of times the containers in this pod have been restarted.'),
    AGE_COLUMN,
    col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster.', 1),
    col('Node', 'string', 'Name of the Node the Pod is running on.', 1),
    col('Nominated Node', 'string', 'Name of the Node the Pod is nominated to run on by the scheduler.', 1),
    col('Readiness Gates', 'string', 'The readiness gates of the pod, and how many of them are true.', 1),
  ],
  cells(obj, now) {
    const { ready, reason, restarts } = podStatusCells(obj);
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const ip = text(list(status.podIPs)[0]?.ip) || text(status.podIP);
    const gates = list(spec.readinessGates);
    const conditions = list(status.conditions);
    const trueGates = gates.filter((g) => conditions.some((c) => c.type === g.conditionType && c.status === 'True')).length;
    return [
      obj.metadata.name,
      ready,
      reason,
      restarts,
      ageOf(obj.metadata.creationTimestamp, now),
      orNone(ip),
      orNone(text(spec.nodeName)),
      orNone(text(status.nominatedNodeName)),
      gates.length ? `${trueGates}/${gates.length}` : '<none>',
    ];
  },
};

const namespace: Printer = {
  columns: [NAME_COLUMN, col('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  cells: (obj, now) => [obj.metadata.name, text(rec(obj.status).phase), ageOf(obj.metadata.creationTimestamp, now)],
};

function servicePorts(ports: unknown): string {
  const out = list(ports).map((p) => (count(p.nodePort) ? `${count(p.port)}:${count(p.nodePort)}/${text(p.protocol) || 'TCP'}` : `${count(p.port)}/${text(p.protocol) || 'TCP'}`));
  return orNone(out.join(','));
}

function serviceExternalIP(spec: Json, status: Json): string {
  const external = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
  switch (text(spec.type) || 'ClusterIP') {
    case 'ExternalName':
      return text(spec.externalName);
    case 'LoadBalancer': {
      const ingress = list(rec(status.loadBalancer).ingress).map((i) => text(i.ip) || text(i.hostname));
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return external.length ? external.join(',') : '<none>';
  }
}

const service: Printer = {
  columns: [
    NAME_COLUMN,
    col('Type', 'string', 'The type of the service'),
    col('Cluster-IP', 'string', 'The cluster IP of the service'),
    col('External-IP', 'string', 'The external IPs of the service'),
    col('Port(s)', 'string', 'The ports of the service'),
    AGE_COLUMN,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const clusterIP = (Array.isArray(spec.clusterIPs) ? text(spec.clusterIPs[0]) : '') || text(spec.clusterIP);
    return [
      obj.metadata.name,
      text(spec.type) || 'ClusterIP',
      orNone(clusterIP),
      serviceExternalIP(spec, rec(obj.status)),
      servicePorts(spec.ports),
      ageOf(obj.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};

const event: Printer = {
  columns: [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning).'),
    col('Reason', 'string', 'Why the action was taken.'),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'The subobject of the object this event is about (fieldPath).', 1),
    col('Source', 'string', 'The component reporting this event.', 1),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded.', 1),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(obj, now) {
    const first = obj.firstTimestamp ? ageOf(obj.firstTimestamp, now) : ageOf(obj.eventTime, now);
    const last = obj.lastTimestamp ? ageOf(obj.lastTimestamp, now) : first;
    const involved = rec(obj.involvedObject);
    const kind = text(involved.kind).toLowerCase();
    const source = rec(obj.source);
    const series = obj.series === undefined ? undefined : rec(obj.series);
    return [
      series ? ageOf(series.lastObservedTime, now) : last,
      text(obj.type),
      text(obj.reason),
      text(involved.name) ? `${kind}/${text(involved.name)}` : kind,
      text(involved.fieldPath),
      text(source.host) ? `${text(source.component)}, ${text(source.host)}` : text(source.component),
      text(obj.message).trim(),
      first,
      series ? count(series.count) : count(obj.count) || 1,
      obj.metadata.name,
    ];
  },
};

const configMap: Printer = {
  columns: [NAME_COLUMN, col('Data', 'string', 'The number of keys in the config map'), AGE_COLUMN],
  cells: (obj, now) => [obj.metadata.name, Object.keys(rec(obj.data)).length + Object.keys(rec(obj.binaryData)).length, ageOf(obj.metadata.creationTimestamp, now)],
};

const daemonSet: Printer = {
  columns: [
    NAME_COLUMN,
    col('Desired', 'integer', 'The desired number of daemon pods.'),
    col('Current', 'integer', 'The current number of daemon pods.'),
    col('Ready', 'integer', 'The number of daemon pods that are ready.'),
    col('Up-to-date', 'integer', 'The number of daemon pods running the updated template.'),
    col('Available', 'integer', 'The number of daemon pods that are available.'),
    col('Node Selector', 'string', 'The node selector of the daemon pods.'),
    AGE_COLUMN,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'A label query over pods that are managed by the daemon set.', 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const [names, images] = containerCells(spec.template);
    return [
      obj.metadata.name,
      count(status.desiredNumberScheduled),
      count(status.currentNumberScheduled),
      count(status.numberReady),
      count(status.updatedNumberScheduled),
      count(status.numberAvailable),
      formatLabels(rec(rec(spec.template).spec).nodeSelector),
      ageOf(obj.metadata.creationTimestamp, now),
      names,
      images,
      formatSelector(spec.selector),
    ];
  },
};

const deployment: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'Label selector for pods.', 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const [names, images] = containerCells(spec.template);
    const replicas = spec.replicas === undefined ? 1 : count(spec.replicas);
    return [
      obj.metadata.name,
      `${count(status.readyReplicas)}/${replicas}`,
      count(status.updatedReplicas),
      count(status.availableReplicas),
      ageOf(obj.metadata.creationTimestamp, now),
      names,
      images,
      formatSelector(spec.selector),
    ];
  },
};

/** The generic registry's default (kinds with no printer of their own, e.g. CustomResourceDefinition). */
export const DEFAULT_PRINTER: Printer = {
  columns: [NAME_COLUMN, col('Created At', 'date', AGE_DESCRIPTION)],
  cells: (obj) => [obj.metadata.name, text(obj.metadata.creationTimestamp)],
};

export const BUILT_IN_PRINTERS: ReadonlyMap<KindKey, Printer> = new Map([
  ['/nodes', node],
  ['/pods', pod],
  ['/namespaces', namespace],
  ['/services', service],
  ['/events', event],
  ['/configmaps', configMap],
  ['apps/daemonsets', daemonSet],
  ['apps/deployments', deployment],
]);
