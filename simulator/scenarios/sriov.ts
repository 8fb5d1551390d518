// sriov-policy-reconcile: change a SriovNetworkNodePolicy's numVfs and let the config daemons reconcile
// the matching nodes as the operator does — syncStatus InProgress with the drain annotations
// (desired Drain_Required; current Idle → Draining → DrainComplete), then Succeeded with the new VFs in
// status and in the Node's allocatable, or Failed with lastSyncError on `failNode`.
import type { SimCluster } from '../cluster.js';
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { SRIOV_NAMESPACE, SRIOV_RESOURCE_PREFIX } from '../fleet/sriov.js';
import { hashOf, macFrom, mulberry32 } from '../fleet/random.js';
import { optionalNumber, optionalString, ParamError, targetClusters, timeScaleOf, type Params } from './params.js';
import type { ScenarioDefinition } from './scenario.js';

const DESIRED = 'sriovnetwork.openshift.io/desired-state';
const CURRENT = 'sriovnetwork.openshift.io/current-state';

/** Seconds after the policy change at which each reconcile step happens (scenario time). */
export const SRIOV_RECONCILE_STEPS = { draining: 2, drainComplete: 6, done: 10 } as const;

interface PolicySpec {
  resourceName: string;
  numVfs: number;
  nodeSelector?: Record<string, string>;
  nicSelector?: { pfNames?: string[] };
}

interface VfStatus {
  vfID: number;
  pciAddress: string;
  name?: string;
  mac?: string;
  mtu?: number;
  driver?: string;
  deviceID?: string;
  vendor?: string;
  Vlan?: number;
}

interface InterfaceStatus {
  name: string;
  totalvfs?: number;
  numVfs?: number;
  mtu?: number;
  Vfs?: VfStatus[];
}

function pfName(selector: string): string {
  return selector.split('#')[0];
}

/** VF PCI address `vfID` places after VF 0 (8 functions per PCI device). */
function vfAddress(vf0: string, vfID: number): string {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(vf0);
  if (!m) return vf0;
  const index = parseInt(m[3], 16) * 8 + Number(m[4]) + vfID;
  return `${m[1]}:${m[2]}:${Math.floor(index / 8).toString(16).padStart(2, '0')}.${index % 8}`;
}

function resizeVfs(node: string, iface: InterfaceStatus, numVfs: number): InterfaceStatus {
  const vfs = iface.Vfs ?? [];
  const template = vfs[0];
  const next: VfStatus[] = [];
  const rng = mulberry32(hashOf(node, iface.name, numVfs));
  for (let id = 0; id < numVfs; id++) {
    const existing = vfs.find((v) => v.vfID === id);
    if (existing) next.push(existing);
    else if (template) {
      const vf: VfStatus = { vfID: id, pciAddress: vfAddress(template.pciAddress, id), vendor: template.vendor, deviceID: template.deviceID, driver: template.driver };
      if (template.name !== undefined) {
        vf.name = `${iface.name}v${id}`;
        vf.mac = macFrom(rng);
        vf.mtu = template.mtu;
      }
      vf.Vlan = 0;
      next.push(vf);
    }
  }
  return { ...iface, numVfs, Vfs: next };
}

function matchesSelector(node: KubeObject | undefined, selector: Record<string, string> | undefined): boolean {
  const labels = node?.metadata.labels ?? {};
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

export const sriovPolicyReconcile: ScenarioDefinition = {
  name: 'sriov-policy-reconcile',
  description:
    'Change a SriovNetworkNodePolicy (numVfs): matching SriovNetworkNodeStates go InProgress with drain annotations, then Succeeded (or Failed with lastSyncError on failNode).',
  params: ['cluster', 'policy? (default the first policy)', 'numVfs? (default current + 2)', 'failNode?', 'timeScale?'],
  start(ctx, params: Params) {
    timeScaleOf(params);
    const [cluster] = targetClusters(ctx.runtime, { cluster: params.cluster });
    const store = cluster.store;
    const policies = store.list(K.sriovPolicies, SRIOV_NAMESPACE);
    if (policies.length === 0) throw new ParamError(`cluster "${cluster.name}" has no SriovNetworkNodePolicy (no SR-IOV operator?)`);
    const policyName = optionalString(params, 'policy') ?? policies[0].metadata.name;
    const policy = store.get(K.sriovPolicies, SRIOV_NAMESPACE, policyName);
    if (!policy) throw new ParamError(`no SriovNetworkNodePolicy "${policyName}" in ${cluster.name}/${SRIOV_NAMESPACE}`);
    const spec = policy.spec as PolicySpec;
    const pfNames = (spec.nicSelector?.pfNames ?? []).map(pfName);
    const states = store.list(K.sriovNodeStates, SRIOV_NAMESPACE).filter((s) => {
      const ifaces = (s.status as { interfaces?: InterfaceStatus[] } | undefined)?.interfaces ?? [];
      return matchesSelector(store.get(K.nodes, undefined, s.metadata.name), spec.nodeSelector) && ifaces.some((i) => pfNames.includes(i.name));
    });
    if (states.length === 0) throw new ParamError(`policy "${policyName}" matches no SriovNetworkNodeState in ${cluster.name}`);
    const maxVfs = Math.min(
      ...states.flatMap((s) => ((s.status as { interfaces?: InterfaceStatus[] }).interfaces ?? []).filter((i) => pfNames.includes(i.name)).map((i) => i.totalvfs ?? 64)),
    );
    const numVfs = optionalNumber(params, 'numVfs', Math.min(spec.numVfs + 2, maxVfs), { min: 1, max: maxVfs, integer: true });
    const failNode = optionalString(params, 'failNode');
    if (failNode !== undefined && !states.some((s) => s.metadata.name === failNode)) {
      throw new ParamError(`"failNode" must be one of ${states.map((s) => s.metadata.name).join(', ')}`);
    }

    store.mutate(K.sriovPolicies, SRIOV_NAMESPACE, policyName, (p) => ({ ...p, spec: { ...(p.spec as object), numVfs } }), { bumpGeneration: true });
    const setState = (node: string, change: (s: KubeObject) => KubeObject) => store.mutate(K.sriovNodeStates, SRIOV_NAMESPACE, node, change);
    const annotate = (s: KubeObject, desired: string, current: string): KubeObject => ({
      ...s,
      metadata: { ...s.metadata, annotations: { ...s.metadata.annotations, [DESIRED]: desired, [CURRENT]: current } },
    });
    for (const s of states) {
      setState(s.metadata.name, (obj) => {
        const next = annotate(obj, 'Drain_Required', 'Idle');
        const specIfaces = ((obj.spec as { interfaces?: Record<string, unknown>[] } | undefined)?.interfaces ?? []).map((i) =>
          pfNames.includes(i.name as string)
            ? {
                ...i,
                numVfs,
                vfGroups: ((i.vfGroups as Record<string, unknown>[] | undefined) ?? []).map((g) =>
                  g.policyName === policyName ? { ...g, vfRange: `0-${numVfs - 1}` } : g,
                ),
              }
            : i,
        );
        const status: Record<string, unknown> = { ...(obj.status as Record<string, unknown>), syncStatus: 'InProgress' };
        delete status.lastSyncError;
        return { ...next, spec: { ...(obj.spec as object), interfaces: specIfaces }, status };
      });
    }

    ctx.after(SRIOV_RECONCILE_STEPS.draining, () => {
      for (const s of states) setState(s.metadata.name, (obj) => annotate(obj, 'Drain_Required', 'Draining'));
    });
    ctx.after(SRIOV_RECONCILE_STEPS.drainComplete, () => {
      for (const s of states) setState(s.metadata.name, (obj) => annotate(obj, 'Drain_Required', 'DrainComplete'));
    });
    ctx.after(SRIOV_RECONCILE_STEPS.done, () => {
      for (const s of states) {
        const node = s.metadata.name;
        if (node === failNode) {
          setState(node, (obj) => ({
            ...annotate(obj, 'Idle', 'Idle'),
            status: {
              ...(obj.status as object),
              syncStatus: 'Failed',
              lastSyncError: `failed to configure SR-IOV on ${pfNames.join(', ')}: write /sys/bus/pci/devices/.../sriov_numvfs: device or resource busy`,
            },
          }));
          continue;
        }
        setState(node, (obj) => {
          const status = obj.status as { interfaces?: InterfaceStatus[] };
          return {
            ...annotate(obj, 'Idle', 'Idle'),
            status: {
              ...status,
              interfaces: (status.interfaces ?? []).map((i) => (pfNames.includes(i.name) ? resizeVfs(node, i, numVfs) : i)),
              syncStatus: 'Succeeded',
            },
          };
        });
        updateAllocatable(cluster, node, `${SRIOV_RESOURCE_PREFIX}/${spec.resourceName}`, numVfs * pfNames.length);
      }
    });
  },
};

/** The device plugin re-advertises the resource: node capacity and allocatable follow the new VF count. */
function updateAllocatable(cluster: SimCluster, node: string, resource: string, count: number): void {
  if (!cluster.store.get(K.nodes, undefined, node)) return;
  cluster.store.mutate(K.nodes, undefined, node, (n) => {
    const status = n.status as { capacity?: Record<string, string>; allocatable?: Record<string, string> };
    return {
      ...n,
      status: {
        ...status,
        capacity: { ...status.capacity, [resource]: String(count) },
        allocatable: { ...status.allocatable, [resource]: String(count) },
      },
    };
  });
}
