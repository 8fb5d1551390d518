// Pod-network Events (domain-models §5): which core/v1 Events are about a pod's network, and their
// correlation: the pod and node, the network/NAD and CNI plugin the message names, a failure category
// with the rule that chose it, and the repeat count. Messages are parsed as kubelet, CRI-O/containerd,
// Multus (thin plugin, or thick with its shim's 400 body), the plugins and their IPAMs, and
// OVN-Kubernetes write them — see simulator/fleet/sandbox-messages.ts for the wrapping, and the
// upstream texts in test/unit/cni-events.test.ts.
import type { CniEventCategory, CountSource, EventNetworkModel, NadModel, PodNetworkEventModel } from './models.js';
import type { EventObject } from './upstream.js';

const KUBELET_REASONS = ['FailedCreatePodSandBox', 'FailedPodSandBoxStatus', 'NetworkNotReady', 'SandboxChanged'];
const MULTUS_REASONS = ['AddedInterface', 'NoNetworkFound'];
const OVN_REASONS = ['ErrorAddingLogicalPort', 'ErrorReconcilingPod', 'ErrorAllocatingPod', 'ErrorAddingResource', 'ErrorUpdatingResource', 'ErrorDeletingResource'];

export const POD_NETWORK_REASONS: ReadonlySet<string> = new Set([...KUBELET_REASONS, ...MULTUS_REASONS, ...OVN_REASONS]);

/** kubelet's EventAggregator prefix for an Event standing for several similar ones. */
const COMBINED_PREFIX = '(combined from similar events): ';

/** Multus' own network and the primary CNIs' config names (networks, but not NADs), with their plugin. */
const DEFAULT_NETWORKS: ReadonlyMap<string, string | null> = new Map([
  ['multus-cni-network', 'multus'],
  ['ovn-kubernetes', 'ovn-kubernetes'],
  ['default', 'ovn-kubernetes'],
  ['cilium', 'cilium'],
  ['k8s-pod-network', 'calico'],
]);

export function isPodNetworkEvent(event: EventObject): boolean {
  return event.involvedObject?.kind === 'Pod' && POD_NETWORK_REASONS.has(event.reason ?? '');
}

interface MessageRule {
  category: CniEventCategory;
  rule: string;
  test: RegExp;
  ipamPlugin?: string;
}

/** Signs that a sandbox failure went through a CNI plugin (otherwise it is not a CNI error). */
const CNI_MARKERS =
  /error adding container to network|plugin type="[^"]+"(?: name="[^"]*")? failed \((?:add|del|delete|check)\)|failed to set ?up network for sandbox|failed to create pod network sandbox|error adding pod \S+ to CNI network|SRIOV-CNI failed|networkPlugin cni failed|CNI request failed/;

/** Tried in order on the message; the first match sets the category. */
const MESSAGE_RULES: readonly MessageRule[] = [
  // Sandbox errors that never reached a CNI plugin (checked first: some carry timeouts of their own).
  { category: 'NOT_CNI', rule: 'the sandbox (pause) image could not be pulled', test: /failed to get sandbox image|failed to pull (?:and unpack )?image/ },
  { category: 'NOT_CNI', rule: 'CRI-O: the sandbox name is still reserved by an earlier attempt', test: /error reserving pod name \S+ for id \S+: name is reserved/ },
  { category: 'NOT_CNI', rule: 'the runtime could not create the sandbox container', test: /OCI runtime create failed|failed to mount container|no space left on device/ },
  { category: 'NAD_MISSING', rule: 'Multus cannot find the network-attachment-definition', test: /cannot find a network-attachment-definition \(/ },
  { category: 'IPAM_EXHAUSTED', rule: 'host-local: no IP addresses available in range set', test: /no IP addresses available in range set/, ipamPlugin: 'host-local' },
  { category: 'IPAM_EXHAUSTED', rule: 'whereabouts: could not allocate IP in range', test: /Could not allocate IP in range/, ipamPlugin: 'whereabouts' },
  { category: 'IPAM_EXHAUSTED', rule: 'Calico IPAM allocated fewer addresses than requested', test: /failed to request \d+ IPv[46] addresses\. IPAM allocated only/i, ipamPlugin: 'calico-ipam' },
  { category: 'IPAM_EXHAUSTED', rule: 'Calico IPAM: per-host block limit reached', test: /cannot allocate new block due to per host block limit/, ipamPlugin: 'calico-ipam' },
  { category: 'IPAM_EXHAUSTED', rule: 'Cilium agent IPAM has no free address', test: /unable to allocate IP via local cilium agent: .*(?:range is full|exhausted|no IPs currently available)/, ipamPlugin: 'cilium' },
  { category: 'IPAM_EXHAUSTED', rule: 'OVN-Kubernetes: subnet range is full', test: /failed to assign pod addresses for \S+: range is full/, ipamPlugin: 'ovn-kubernetes' },
  { category: 'TIMEOUT', rule: 'OVN-Kubernetes timed out waiting for the pod annotation or OVS port binding', test: /timed out waiting for (?:annotations|OVS port binding)/ },
  { category: 'TIMEOUT', rule: 'the CRI or CNI call ran out of time (deadline exceeded)', test: /context deadline exceeded|code = DeadlineExceeded/ },
  {
    category: 'NETWORK_NOT_READY',
    rule: 'container runtime network not ready (no CNI configuration yet)',
    test: /NetworkReady=false|NetworkPluginNotReady|cni plugin not initialized|cni config uninitialized|No CNI configuration file/,
  },
  { category: 'PLUGIN_ERROR', rule: 'CNI plugin binary not found', test: /failed to find plugin "[^"]+" in path/ },
  { category: 'PLUGIN_ERROR', rule: 'CNI ADD failed in the plugin', test: CNI_MARKERS },
];

interface Categorised {
  category: CniEventCategory;
  rule: string;
  ipamPlugin: string | null;
}

function categorise(reason: string, message: string): Categorised {
  if (reason === 'AddedInterface') return { category: 'INTERFACE_ADDED', rule: 'reason AddedInterface (Multus added an interface)', ipamPlugin: null };
  if (reason === 'NoNetworkFound') return { category: 'NAD_MISSING', rule: 'reason NoNetworkFound (Multus)', ipamPlugin: null };
  if (reason === 'SandboxChanged') return { category: 'SANDBOX_CHANGED', rule: 'reason SandboxChanged (kubelet re-creates the sandbox)', ipamPlugin: null };
  if (reason === 'NetworkNotReady') return { category: 'NETWORK_NOT_READY', rule: 'reason NetworkNotReady (kubelet)', ipamPlugin: null };
  for (const r of MESSAGE_RULES) {
    if (r.test.test(message)) return { category: r.category, rule: `message: ${r.rule}`, ipamPlugin: r.ipamPlugin ?? null };
  }
  if (OVN_REASONS.includes(reason)) return { category: 'PLUGIN_ERROR', rule: `reason ${reason} (OVN-Kubernetes)`, ipamPlugin: null };
  return { category: 'NOT_CNI', rule: `reason ${reason} with no CNI plugin in the message (a runtime or sandbox error)`, ipamPlugin: null };
}

const NAD_MISSING = /cannot find a network-attachment-definition \(([^)]+)\) in namespace \(([^)]+)\)/;
/** Multus: `[<ns>/<pod>/<uid>:<conf name>]: error adding container to network "<conf name>"`. */
const DELEGATE = /\[[^/\]\s]+\/[^/\]\s]+\/[^:\]\s]*:([^\]]+)\]: error adding container to network "([^"]+)"/;
const ADDED = /^Add (\S+) \[([^\]]*)\](?: from (\S+))?/;
/** OVN-Kubernetes CNI request: `[<ns>/<pod> <sandbox> network <network> NAD <nad>]`. */
const OVN_REQUEST = /\[[^/\s]+\/\S+ [0-9a-f]{64} network (\S+) NAD (\S+)\]/;
const SANDBOX_IDS = [/k8s_[^(\s]+\(([0-9a-f]{64})\)/, /sandbox "([0-9a-f]{64})"/, /ContainerID:"([0-9a-f]{64})"/];

function networkOf(name: string): EventNetworkModel {
  const slash = name.indexOf('/');
  if (slash > 0) return { name, nadNamespace: name.slice(0, slash), nadName: name.slice(slash + 1) };
  return { name, nadNamespace: null, nadName: null };
}

interface Parsed {
  network: EventNetworkModel | null;
  interface: string | null;
  ips: string[];
  plugin: string | null;
  ipamPlugin: string | null;
  sandboxId: string | null;
}

/** The innermost `plugin type="X"` that is not Multus itself. */
function innermostPlugin(message: string): string | null {
  const types = [...message.matchAll(/plugin type="([^"]+)"/g)].map((m) => m[1]).filter((t) => !t.startsWith('multus'));
  return types.length > 0 ? types[types.length - 1] : null;
}

function parseMessage(reason: string, message: string): Parsed {
  const out: Parsed = { network: null, interface: null, ips: [], plugin: null, ipamPlugin: null, sandboxId: null };
  const added = reason === 'AddedInterface' ? ADDED.exec(message) : null;
  const missing = NAD_MISSING.exec(message);
  const delegate = DELEGATE.exec(message);
  const ovn = OVN_REQUEST.exec(message);
  if (added) {
    out.interface = added[1];
    out.ips = added[2].split(/\s+/).filter(Boolean);
    if (added[3]) out.network = networkOf(added[3]);
  } else if (missing) {
    out.network = { name: `${missing[2]}/${missing[1]}`, nadNamespace: missing[2], nadName: missing[1] };
  } else if (delegate) {
    out.network = networkOf(delegate[2]);
  } else if (ovn) {
    out.network = networkOf(ovn[2]);
  }
  const ipamType = /IPAM plugin type "([^"]+)"/.exec(message)?.[1];
  if (ipamType) out.ipamPlugin = ipamType;
  const binary = /failed to find plugin "([^"]+)" in path/.exec(message)?.[1];
  if (/SRIOV-CNI failed|failed to set up IPAM plugin type "[^"]+" from the device/.test(message)) out.plugin = 'sriov';
  else if (binary) out.plugin = binary;
  else if (innermostPlugin(message)) out.plugin = innermostPlugin(message);
  else if (ovn || /waiting for OVS port binding/.test(message) || OVN_REASONS.includes(reason) || delegate?.[2] === 'ovn-kubernetes') out.plugin = 'ovn-kubernetes';
  for (const re of SANDBOX_IDS) {
    const id = re.exec(message)?.[1];
    if (id) {
      out.sandboxId = id;
      break;
    }
  }
  return out;
}

/** A NAD for a network the message names: `<ns>/<nad>` as is; a CNI config name by the NADs' config names (pod namespace first). */
export function resolveNad(network: EventNetworkModel, podNamespace: string, nads: readonly NadModel[]): NadModel | null {
  if (network.nadName !== null) return nads.find((n) => n.namespace === network.nadNamespace && n.name === network.nadName) ?? null;
  if (DEFAULT_NETWORKS.has(network.name)) return null;
  const byConfName = (n: NadModel) => n.config.ok && n.config.config.networkName === network.name;
  return (
    nads.find((n) => n.namespace === podNamespace && byConfName(n)) ??
    nads.find((n) => n.namespace === podNamespace && n.name === network.name) ??
    (nads.filter(byConfName).length === 1 ? nads.find(byConfName)! : null)
  );
}

function iso(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function countOf(e: EventObject): { count: number; source: CountSource } {
  if (e.series && typeof e.series.count === 'number' && e.series.count > 0) return { count: e.series.count, source: 'SERIES' };
  if (typeof e.count === 'number' && e.count > 0) return { count: e.count, source: 'COUNT' };
  return { count: 1, source: 'SINGLE' };
}

export interface CorrelationContext {
  clusterName: string;
  /** The pod's spec.nodeName, for Events whose source names no host (Multus, OVN-Kubernetes, the scheduler). */
  podNodeName?: string | null;
  /** The cluster's NADs, to resolve CNI config names and to name the plugin of a network. */
  nads?: readonly NadModel[];
}

/** Correlate one pod-network Event; null when it is not one (see isPodNetworkEvent). */
export function correlatePodNetworkEvent(event: EventObject, ctx: CorrelationContext): PodNetworkEventModel | null {
  if (!isPodNetworkEvent(event)) return null;
  const reason = event.reason ?? '';
  const raw = event.message ?? '';
  const combined = raw.startsWith(COMBINED_PREFIX);
  const message = combined ? raw.slice(COMBINED_PREFIX.length) : raw;
  const { category, rule, ipamPlugin } = categorise(reason, message);
  const parsed = parseMessage(reason, message);
  const podNamespace = event.involvedObject?.namespace ?? event.metadata.namespace ?? '';
  let network = parsed.network;
  let nadType: string | null = null;
  if (network && ctx.nads) {
    const nad = resolveNad(network, podNamespace, ctx.nads);
    if (nad) {
      network = { ...network, nadNamespace: nad.namespace, nadName: nad.name };
      nadType = nad.config.ok ? nad.config.config.type : null;
    }
  }
  const component = event.source?.component || event.reportingComponent || null;
  const reporter = component === 'multus' || MULTUS_REASONS.includes(reason) || category === 'NAD_MISSING' ? 'multus' : null;
  const { count, source } = countOf(event);
  const first = iso(event.firstTimestamp) ?? iso(event.eventTime) ?? iso(event.metadata.creationTimestamp);
  const host = event.source?.host || (component === 'kubelet' ? event.reportingInstance : '') || null;
  return {
    clusterName: ctx.clusterName,
    namespace: event.metadata.namespace ?? podNamespace,
    eventName: event.metadata.name,
    podName: event.involvedObject?.name ?? '',
    podUid: event.involvedObject?.uid ?? null,
    nodeName: host ?? ctx.podNodeName ?? null,
    type: event.type ?? 'Normal',
    reason,
    message,
    combined,
    category,
    rule,
    network,
    // A missing NAD has no plugin to blame: Multus reports it (whatever a stale NAD list says).
    plugin: category === 'NAD_MISSING' ? 'multus' : (parsed.plugin ?? nadType ?? (network && DEFAULT_NETWORKS.get(network.name)) ?? reporter),
    ipamPlugin: parsed.ipamPlugin ?? ipamPlugin,
    interface: parsed.interface,
    ips: parsed.ips,
    sandboxId: parsed.sandboxId,
    count,
    countSource: source,
    firstTime: first,
    lastTime: iso(event.series?.lastObservedTime) ?? iso(event.lastTimestamp) ?? iso(event.eventTime) ?? first,
    component,
  };
}
