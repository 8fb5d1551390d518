// cni-sandbox-failure: the pods of a site that use one secondary network are re-created (a StatefulSet
// roll) and cannot get a sandbox. First the network's IPAM pool is empty (the plugin fails every ADD),
// then the operator deletes the network to resize it (Multus cannot find the NAD: Warning
// NoNetworkFound, and the ADD fails before any interface), then the NAD comes back with a wider pool and
// the pods start. Events are written as kubelet and Multus write them (see event-recorder.ts): each
// attempt's sandbox failure has its own sandbox id, so kubelet writes distinct Events until it combines
// them; Multus' AddedInterface and NoNetworkFound repeat identically and count up.
import type { SimCluster } from '../cluster.js';
import { K } from '../fleet/kind-keys.js';
import { LEGACY_NETWORK_STATUS_ANNOTATION, NETWORK_STATUS_ANNOTATION } from '../fleet/cnf.js';
import { hashOf, hexString, mulberry32, nameSuffix, uuidFrom, type Rng } from '../fleet/random.js';
import {
  multusAddedInterface,
  multusDelegateError,
  multusNadNotFound,
  multusNoNetworkFound,
  multusSandboxFailure,
  type ContainerRuntime,
} from '../fleet/sandbox-messages.js';
import type { KubeObject } from '../types.js';
import { exhaustedError, ipamPoolOf, nextAddress, widenPool, type IpamPool } from './cni-ipam.js';
import { eventRecorderFor, type EventRecorder } from './event-recorder.js';
import { optionalNumber, optionalString, ParamError, podRef, targetClusters, timeScaleOf } from './params.js';
import type { ScenarioContext, ScenarioDefinition } from './scenario.js';

/** How many addresses the operator adds to the pool when it re-creates the network. */
const POOL_GROWTH = 50;

interface StatusEntry {
  name?: string;
  interface?: string;
  ips?: string[];
  default?: boolean;
  'device-info'?: { pci?: { 'pci-address'?: string } };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function statusOf(pod: KubeObject): StatusEntry[] {
  const a = pod.metadata.annotations ?? {};
  try {
    const parsed: unknown = JSON.parse(a[NETWORK_STATUS_ANNOTATION] ?? a[LEGACY_NETWORK_STATUS_ANNOTATION] ?? '[]');
    return Array.isArray(parsed) ? (parsed as StatusEntry[]) : [];
  } catch {
    return [];
  }
}

/** The NAD (`namespace/name`) a network-status entry names; bare names (old Multus) are in the pod's namespace. */
function entryNetwork(entry: StatusEntry, podNamespace: string): string | undefined {
  if (entry.default || !entry.name) return undefined;
  return entry.name.includes('/') ? entry.name : `${podNamespace}/${entry.name}`;
}

interface Target {
  old: KubeObject;
  /** The replacement, as currently stored. */
  name: string;
  namespace: string;
  node: string;
  uid: string;
  status: StatusEntry[];
  /** Index of the first status entry on the broken network: Multus adds the ones before it first. */
  failingIndex: number;
  /** Multus' AddedInterface text per interface of the old pod. */
  added: Map<string, string>;
}

interface Broken {
  nad: KubeObject;
  sriovNetwork?: KubeObject;
  pool: IpamPool;
  key: string;
}

function findNetwork(cluster: SimCluster, key: string): Broken {
  const [ns, name] = key.split('/');
  const nad = cluster.store.get(K.netAttachDefs, ns, name);
  if (!nad) throw new ParamError(`no NetworkAttachmentDefinition ${key} in ${cluster.name}`);
  const pool = ipamPoolOf((nad.spec as { config?: string } | undefined)?.config ?? '');
  if (!pool) throw new ParamError(`network ${key} has no host-local or whereabouts range whose pool could run dry`);
  const sriovNetwork = cluster.store
    .list(K.sriovNetworks)
    .find((n) => n.metadata.name === name && ((n.spec as { networkNamespace?: string }).networkNamespace ?? n.metadata.namespace) === ns);
  return { nad, sriovNetwork, pool, key };
}

/** The default network: the given one, else the first secondary network with a pool among the candidate pods. */
function chooseNetwork(cluster: SimCluster, candidates: KubeObject[], requested: string | undefined): Broken {
  if (requested !== undefined) {
    if (requested.split('/').length !== 2) throw new ParamError('"network" must be "<namespace>/<name>"');
    return findNetwork(cluster, requested);
  }
  for (const pod of candidates) {
    for (const entry of statusOf(pod)) {
      const key = entryNetwork(entry, pod.metadata.namespace ?? '');
      if (!key) continue;
      const [ns, name] = key.split('/');
      const nad = cluster.store.get(K.netAttachDefs, ns, name);
      if (nad && ipamPoolOf((nad.spec as { config?: string }).config ?? '')) return findNetwork(cluster, key);
    }
  }
  throw new ParamError(`no pod in ${cluster.name} has a secondary network with a host-local or whereabouts pool; give "network"`);
}

function pendingStatus(old: KubeObject, now: number): Record<string, unknown> {
  const s = (old.status ?? {}) as { hostIP?: string; hostIPs?: unknown; qosClass?: string; containerStatuses?: { name: string; image?: string }[] };
  const t = iso(now);
  const containers = ((old.spec as { containers?: { name: string; image?: string }[] }).containers ?? []).map((c) => c.name);
  const unready = `containers with unready status: [${containers.join(' ')}]`;
  return {
    phase: 'Pending',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: t, reason: 'ContainersNotReady', message: unready },
      { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: t, reason: 'ContainersNotReady', message: unready },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
    ],
    hostIP: s.hostIP,
    hostIPs: s.hostIPs,
    startTime: t,
    qosClass: s.qosClass,
    containerStatuses: (s.containerStatuses ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
    })),
  };
}

/** A StatefulSet keeps the pod's name; a ReplicaSet's replacement gets a fresh suffix. */
function replacementName(old: KubeObject, rng: Rng): string {
  if (old.metadata.labels?.['statefulset.kubernetes.io/pod-name']) return old.metadata.name;
  return `${old.metadata.name.replace(/-[a-z0-9]{5}$/, '')}-${nameSuffix(rng)}`;
}

/** Delete the pod and create its replacement, scheduled to the same node, with no sandbox yet. */
function recreate(ctx: ScenarioContext, cluster: SimCluster, old: KubeObject, broken: Broken, rng: Rng): Target {
  const namespace = old.metadata.namespace ?? 'default';
  const node = (old.spec as { nodeName?: string }).nodeName ?? '';
  const status = statusOf(old);
  const added = new Map<string, string>();
  for (const e of cluster.store.list(K.events, namespace)) {
    const io = e.involvedObject as { uid?: string } | undefined;
    if (io?.uid !== old.metadata.uid || e.reason !== 'AddedInterface') continue;
    const ifName = /^Add (\S+) /.exec(String(e.message))?.[1];
    if (ifName) added.set(ifName, String(e.message));
  }
  const annotations = { ...old.metadata.annotations };
  delete annotations[NETWORK_STATUS_ANNOTATION];
  delete annotations[LEGACY_NETWORK_STATUS_ANNOTATION];
  cluster.store.delete(K.pods, namespace, old.metadata.name);
  const now = ctx.now();
  const name = replacementName(old, rng);
  const created = cluster.store.create(K.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: uuidFrom(rng),
      creationTimestamp: iso(now),
      labels: old.metadata.labels,
      annotations,
      ownerReferences: old.metadata.ownerReferences,
    },
    spec: old.spec,
    status: pendingStatus(old, now),
  });
  // The scheduler writes events.k8s.io/v1 Events: as core/v1 they carry eventTime, no count or timestamps.
  cluster.store.create(K.events, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${hexString(rng, 16)}`, namespace, creationTimestamp: iso(now) },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name, namespace, uid: created.metadata.uid },
    reason: 'Scheduled',
    message: `Successfully assigned ${namespace}/${name} to ${node}`,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type: 'Normal',
    eventTime: new Date(now).toISOString().replace('Z', '000Z'),
    action: 'Binding',
    reportingComponent: 'default-scheduler',
    reportingInstance: `default-scheduler-${node}`,
  });
  const failingIndex = status.findIndex((e) => entryNetwork(e, namespace) === broken.key);
  return { old, name, namespace, node, uid: created.metadata.uid ?? '', status, failingIndex, added };
}

/** The PF a VF belongs to, from the node's SriovNetworkNodeState (sriov-cni names it in its errors). */
function masterOf(cluster: SimCluster, t: Target): string {
  const pci = t.status[t.failingIndex]?.['device-info']?.pci?.['pci-address'];
  for (const state of cluster.store.list(K.sriovNodeStates)) {
    if (state.metadata.name !== t.node) continue;
    for (const pf of (state.status as { interfaces?: { name?: string; Vfs?: { pciAddress?: string }[] }[] }).interfaces ?? []) {
      if (pf.Vfs?.some((vf) => vf.pciAddress === pci)) return pf.name ?? '';
    }
  }
  return '';
}

export const cniSandboxFailure: ScenarioDefinition = {
  name: 'cni-sandbox-failure',
  description:
    'Pods using one secondary network are re-created and fail sandbox creation: its IPAM pool is empty, then its NAD is deleted (Multus NoNetworkFound), then the NAD returns with a wider pool and the pods start.',
  params: [
    'cluster',
    'network? (namespace/name of a NAD with a host-local or whereabouts pool; default the first one a CNF pod uses)',
    'pod? (namespace/name; default every pod on that network)',
    'ipamSeconds? (default 60)',
    'nadMissingSeconds? (default 60)',
    'retrySeconds? (default 10: kubelet retries the sandbox)',
    'timeScale?',
  ],
  start(ctx, params) {
    timeScaleOf(params);
    const [cluster] = targetClusters(ctx.runtime, { cluster: params.cluster });
    const ipamSeconds = optionalNumber(params, 'ipamSeconds', 60, { min: 0 });
    const nadSeconds = optionalNumber(params, 'nadMissingSeconds', 60, { min: 0 });
    const retry = optionalNumber(params, 'retrySeconds', 10, { min: 0.001 });
    const ref = podRef(params);
    const given = ref ? cluster.store.get(K.pods, ref.namespace, ref.name) : undefined;
    if (ref && !given) throw new ParamError(`no pod ${ref.namespace}/${ref.name} in ${cluster.name}`);
    const cnfPods = cluster.store.list(K.pods).filter((p) => p.metadata.labels?.['cnf-type'] !== undefined);
    const broken = chooseNetwork(cluster, given ? [given] : cnfPods, optionalString(params, 'network'));
    const onNetwork = (given ? [given] : cluster.store.list(K.pods)).filter((p) =>
      statusOf(p).some((e) => entryNetwork(e, p.metadata.namespace ?? '') === broken.key),
    );
    if (onNetwork.length === 0) throw new ParamError(`no pod${ref ? ` ${ref.namespace}/${ref.name}` : ''} in ${cluster.name} is attached to ${broken.key}`);

    const rng = mulberry32(hashOf(cluster.name, broken.key, ctx.startedAt));
    const runtime: ContainerRuntime = cluster.spec.platform === 'OpenShift' ? 'cri-o' : 'containerd';
    const recorder: EventRecorder = eventRecorderFor(cluster, () => ctx.now());
    const targets = onNetwork.map((p) => recreate(ctx, cluster, p, broken, rng));
    const podRefOf = (t: Target) => ({ namespace: t.namespace, name: t.name, uid: t.uid });
    const current = (t: Target) => cluster.store.get(K.pods, t.namespace, t.name);
    let nadDeleted = false;
    let recovered = false;

    const attempt = (t: Target, phase: 'ipam' | 'nad') => {
      const involved = current(t);
      if (!involved) return;
      const sandbox = { runtime, pod: podRefOf(t), sandboxId: hexString(rng, 64), netnsId: uuidFrom(rng) };
      let multusError: string;
      if (phase === 'ipam') {
        // Multus adds the default network and the secondaries before the failing one, and reports each.
        for (const e of t.status.slice(0, t.failingIndex)) {
          const text = t.added.get(e.interface ?? '');
          if (text) recorder.record({ involved, type: 'Normal', reason: 'AddedInterface', message: text, component: 'multus' });
        }
        multusError = multusDelegateError(podRefOf(t), broken.pool.confName, exhaustedError(broken.pool, masterOf(cluster, t)));
      } else {
        const [ns, nad] = broken.key.split('/');
        recorder.record({ involved, type: 'Warning', reason: 'NoNetworkFound', message: multusNoNetworkFound(ns, nad), component: 'multus' });
        multusError = multusNadNotFound(podRefOf(t), ns, nad);
      }
      recorder.record({ involved, type: 'Warning', reason: 'FailedCreatePodSandBox', message: multusSandboxFailure(sandbox, multusError), component: 'kubelet', host: t.node });
    };

    const deleteNetwork = () => {
      if (nadDeleted) return;
      nadDeleted = true;
      if (broken.sriovNetwork) cluster.store.delete(K.sriovNetworks, broken.sriovNetwork.metadata.namespace, broken.sriovNetwork.metadata.name);
      cluster.store.delete(K.netAttachDefs, broken.nad.metadata.namespace, broken.nad.metadata.name);
    };

    const restoreNetwork = () => {
      if (!nadDeleted) return;
      nadDeleted = false;
      const fresh = (o: KubeObject): KubeObject => ({
        ...o,
        metadata: { name: o.metadata.name, namespace: o.metadata.namespace, labels: o.metadata.labels, annotations: o.metadata.annotations, creationTimestamp: iso(ctx.now()) },
      });
      if (broken.sriovNetwork) {
        const spec = broken.sriovNetwork.spec as { ipam?: string };
        cluster.store.create(K.sriovNetworks, { ...fresh(broken.sriovNetwork), spec: { ...spec, ipam: widenPool(spec.ipam ?? '{}', POOL_GROWTH) } });
      }
      const config = (broken.nad.spec as { config: string }).config;
      cluster.store.create(K.netAttachDefs, { ...fresh(broken.nad), spec: { config: widenPool(config, POOL_GROWTH) } });
    };

    const startPods = () => {
      if (recovered) return;
      recovered = true;
      let next = 0;
      for (const t of targets) {
        const involved = current(t);
        if (!involved) continue;
        const status = t.status.map((e, i) => {
          if (i < t.failingIndex || entryNetwork(e, t.namespace) !== broken.key || !e.ips) return e;
          return { ...e, ips: e.ips.map(() => nextAddress(broken.pool, next++).split('/')[0]) };
        });
        status.forEach((e, i) => {
          const old = t.added.get(e.interface ?? '');
          const text =
            entryNetwork(e, t.namespace) === broken.key && i >= t.failingIndex
              ? multusAddedInterface(e.interface ?? '', (e.ips ?? []).map((ip) => `${ip}/${broken.pool.subnet.split('/')[1]}`), broken.key)
              : old;
          if (text) recorder.record({ involved, type: 'Normal', reason: 'AddedInterface', message: text, component: 'multus' });
        });
        const oldAnnotations = t.old.metadata.annotations ?? {};
        const text = JSON.stringify(status);
        const oldStatus = t.old.status as { podIP?: string; podIPs?: unknown };
        cluster.store.mutate(K.pods, t.namespace, t.name, (p) => {
          const annotations = { ...p.metadata.annotations };
          if (oldAnnotations[NETWORK_STATUS_ANNOTATION] !== undefined) annotations[NETWORK_STATUS_ANNOTATION] = text;
          if (oldAnnotations[LEGACY_NETWORK_STATUS_ANNOTATION] !== undefined) annotations[LEGACY_NETWORK_STATUS_ANNOTATION] = text;
          const s = p.status as { conditions: { type: string; status: string; lastTransitionTime: string }[] };
          const at = iso(ctx.now());
          return {
            ...p,
            metadata: { ...p.metadata, annotations },
            status: {
              ...s,
              podIP: oldStatus.podIP,
              podIPs: oldStatus.podIPs,
              conditions: s.conditions.map((c) => (c.type === 'PodReadyToStartContainers' ? { ...c, status: 'True', lastTransitionTime: at } : c)),
            },
          };
        });
      }
    };

    const podsReady = () => {
      for (const t of targets) {
        if (!current(t)) continue;
        cluster.store.mutate(K.pods, t.namespace, t.name, (p) => {
          const s = p.status as { conditions: Record<string, unknown>[]; containerStatuses?: Record<string, unknown>[] };
          const at = iso(ctx.now());
          return {
            ...p,
            status: {
              ...s,
              phase: 'Running',
              conditions: s.conditions.map((c) =>
                c.type === 'Ready' || c.type === 'ContainersReady' ? { type: c.type, status: 'True', lastProbeTime: null, lastTransitionTime: at } : c,
              ),
              containerStatuses: (s.containerStatuses ?? []).map((c) => ({
                ...c,
                imageID: c.image,
                containerID: `${runtime}://${hexString(rng, 64)}`,
                ready: true,
                started: true,
                state: { running: { startedAt: at } },
              })),
            },
          };
        });
      }
    };

    const end = ipamSeconds + nadSeconds;
    for (let at = 1; at < end; at += retry) {
      const phase = at < ipamSeconds ? 'ipam' : 'nad';
      ctx.after(at, () => {
        if (phase === 'nad') deleteNetwork();
        for (const t of targets) attempt(t, phase);
      });
    }
    ctx.after(ipamSeconds, deleteNetwork);
    ctx.after(end, restoreNetwork);
    ctx.after(end + 1, startPods);
    ctx.after(end + 3, podsReady);
    ctx.onCancel(() => {
      restoreNetwork();
      startPods();
      podsReady();
    });
  },
};
