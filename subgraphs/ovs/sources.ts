// Pure mappers from one node's OVS samples to NodeOvs. The same function serves a Prometheus answer
// (instantQuery: raw series + tagged CPU % and scrape times) and a pod-proxy scrape of ovnkube-node's
// :9105 page (raw series only; CPU % then comes from two reads, see withCpuRates).
import type { MetricRead, MetricSample } from '../metrics/types.js';
import { INSTANT_TAGS, TAG } from './promql.js';
import type {
  NodeOvsModel,
  OvsBridgeModel,
  OvsConnectionsModel,
  OvsDatapathModel,
  OvsInterfaceTotalsModel,
  OvsPodRef,
  OvsProcessModel,
  OvsServiceModel,
  OvsTcPolicy,
} from './models.js';
import { CadvisorMetric, COVERAGE_COUNTERS, OVS_DAEMONS, OvsMetric, TC_POLICIES, coverageMetric, processMetric, type OvsDaemon } from './upstream.js';

export interface NodeOvsInput {
  clusterName: string;
  nodeName: string;
  /** The node's ovnkube-node pod, when known (series of other pods on the node are then ignored). */
  pod: OvsPodRef | null;
  samples: readonly MetricSample[];
  read: MetricRead;
}

function finite(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

function iso(seconds: number | null): string | null {
  return seconds === null ? null : new Date(Math.round(seconds * 1000)).toISOString();
}

/** Samples of one node, indexed by name (raw series) and by tag (computed series). */
class NodeSamples {
  private readonly raw = new Map<string, MetricSample[]>();
  private readonly tagged = new Map<string, MetricSample[]>();

  constructor(samples: readonly MetricSample[]) {
    for (const s of samples) {
      const tag = s.labels[TAG.metric];
      const map = tag !== undefined ? this.tagged : this.raw;
      const key = tag ?? s.name;
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      list.push(s);
    }
  }

  all(name: string): MetricSample[] {
    return this.raw.get(name) ?? [];
  }

  /** The value of a series without dimension (the first, if an odd relabelling gives several). */
  one(name: string, match: Record<string, string> = {}): number | null {
    const s = this.all(name).find((x) => Object.entries(match).every(([k, v]) => x.labels[k] === v));
    return finite(s?.value);
  }

  taggedValue(tag: string, match: Record<string, string> = {}): number | null {
    const list = this.tagged.get(tag) ?? [];
    const s = list.find((x) => Object.entries(match).every(([k, v]) => x.labels[k] === v));
    return finite(s?.value);
  }

  taggedMax(tag: string): number | null {
    const values = (this.tagged.get(tag) ?? []).map((s) => s.value).filter(Number.isFinite);
    return values.length > 0 ? Math.max(...values) : null;
  }

  /** Distinct values of `label` on the series named. */
  labelValues(label: string, names: readonly string[]): string[] {
    const out = new Set<string>();
    for (const name of names) for (const s of this.all(name)) if (s.labels[label]) out.add(s.labels[label]);
    return [...out];
  }
}

const DATAPATH_SERIES = [
  OvsMetric.dp, OvsMetric.dpIfTotal, OvsMetric.dpFlowsTotal, OvsMetric.dpLookupHit, OvsMetric.dpLookupMissed,
  OvsMetric.dpLookupLost, OvsMetric.dpPacketsTotal, OvsMetric.dpMasksHit, OvsMetric.dpMasksTotal, OvsMetric.dpMasksHitRatio,
];
const BRIDGE_SERIES = [OvsMetric.bridge, OvsMetric.bridgePortsTotal, OvsMetric.bridgeFlowsTotal];

function datapaths(s: NodeSamples): OvsDatapathModel[] {
  return s
    .labelValues('datapath', DATAPATH_SERIES)
    .sort()
    .map((name) => {
      const dp = { datapath: name };
      return {
        name,
        type: s.all(OvsMetric.dp).find((x) => x.labels.datapath === name)?.labels.type ?? null,
        ports: s.one(OvsMetric.dpIfTotal, dp),
        flows: s.one(OvsMetric.dpFlowsTotal, dp),
        lookupHit: s.one(OvsMetric.dpLookupHit, dp),
        lookupMissed: s.one(OvsMetric.dpLookupMissed, dp),
        lookupLost: s.one(OvsMetric.dpLookupLost, dp),
        packets: s.one(OvsMetric.dpPacketsTotal, dp),
        masksHit: s.one(OvsMetric.dpMasksHit, dp),
        masksTotal: s.one(OvsMetric.dpMasksTotal, dp),
        masksHitRatio: s.one(OvsMetric.dpMasksHitRatio, dp),
      };
    });
}

/** br-int first, then br-ex, then the rest by name (the order operators read them in). */
function bridgeRank(name: string): string {
  return name === 'br-int' ? '0' : name === 'br-ex' ? '1' : `2${name}`;
}

function bridges(s: NodeSamples): OvsBridgeModel[] {
  return s
    .labelValues('bridge', BRIDGE_SERIES)
    .sort((a, b) => bridgeRank(a).localeCompare(bridgeRank(b)))
    .map((name) => ({ name, ports: s.one(OvsMetric.bridgePortsTotal, { bridge: name }), flows: s.one(OvsMetric.bridgeFlowsTotal, { bridge: name }) }));
}

function interfaces(s: NodeSamples): OvsInterfaceTotalsModel {
  return {
    count: s.one(OvsMetric.interfacesTotal),
    resets: s.one(OvsMetric.interfaceResets),
    rxDropped: s.one(OvsMetric.interfaceRxDropped),
    txDropped: s.one(OvsMetric.interfaceTxDropped),
    rxErrors: s.one(OvsMetric.interfaceRxErrors),
    txErrors: s.one(OvsMetric.interfaceTxErrors),
    collisions: s.one(OvsMetric.interfaceCollisions),
    upWaitSeconds: s.one(OvsMetric.interfaceUpWaitSeconds),
  };
}

function connections(s: NodeSamples): OvsConnectionsModel {
  const c = (name: (typeof COVERAGE_COUNTERS)[number]) => s.one(coverageMetric(name));
  return {
    streamOpen: c('stream_open'),
    pstreamOpen: c('pstream_open'),
    vconnOpen: c('vconn_open'),
    vconnSent: c('vconn_sent'),
    vconnReceived: c('vconn_received'),
    rconnSent: c('rconn_sent'),
    rconnQueued: c('rconn_queued'),
    rconnOverflow: c('rconn_overflow'),
    rconnDiscarded: c('rconn_discarded'),
  };
}

/** `ovs_vswitchd_tc_policy`: 0 none, 1 skip_sw, 2 skip_hw; another value UNKNOWN; absent null. */
export function decodeTcPolicy(value: number | null): OvsTcPolicy | null {
  if (value === null) return null;
  return Number.isInteger(value) && value >= 0 && value < TC_POLICIES.length ? TC_POLICIES[value] : 'UNKNOWN';
}

function decodeFlag(value: number | null): boolean | null {
  return value === 1 ? true : value === 0 ? false : null;
}

const CPU_TAG: Record<OvsDaemon, { process: string; service: string }> = {
  vswitchd: { process: 'VSWITCHD_CPU', service: 'VSWITCHD_SERVICE_CPU' },
  ovsdb: { process: 'OVSDB_CPU', service: 'OVSDB_SERVICE_CPU' },
};

function service(s: NodeSamples, daemon: OvsDaemon): OvsServiceModel | null {
  const id = { id: OVS_DAEMONS[daemon].unit };
  const cpuSecondsTotal = s.one(CadvisorMetric.cpuSecondsTotal, id);
  const memoryRssBytes = s.one(CadvisorMetric.memoryRss, id);
  const memoryWorkingSetBytes = s.one(CadvisorMetric.memoryWorkingSet, id);
  const cpuPercent = s.taggedValue(CPU_TAG[daemon].service);
  if (cpuSecondsTotal === null && memoryRssBytes === null && memoryWorkingSetBytes === null && cpuPercent === null) return null;
  return {
    unit: OVS_DAEMONS[daemon].unit,
    cpuSecondsTotal,
    cpuPercent,
    memoryRssBytes,
    memoryWorkingSetBytes,
    sampledAt: iso(s.taggedValue(INSTANT_TAGS.serviceSampledAt, id)),
  };
}

function processOf(s: NodeSamples, daemon: OvsDaemon): OvsProcessModel {
  return {
    daemon,
    cpuSecondsTotal: s.one(processMetric(daemon, 'cpuSecondsTotal')),
    cpuPercent: s.taggedValue(CPU_TAG[daemon].process),
    residentMemoryBytes: s.one(processMetric(daemon, 'residentMemoryBytes')),
    virtualMemoryBytes: s.one(processMetric(daemon, 'virtualMemoryBytes')),
    virtualMemoryMaxBytes: s.one(processMetric(daemon, 'virtualMemoryMaxBytes')),
    openFds: s.one(processMetric(daemon, 'openFds')),
    maxFds: s.one(processMetric(daemon, 'maxFds')),
    startTime: iso(s.one(processMetric(daemon, 'startTimeSeconds'))),
    service: service(s, daemon),
  };
}

/**
 * Keeps the series of the node's current ovnkube-node pod when several pods' series are present (a
 * restarted pod's old series until they go stale); cAdvisor series (no pod label) always stay.
 */
function currentPodOnly(samples: readonly MetricSample[], pod: OvsPodRef | null): MetricSample[] {
  if (!pod) return [...samples];
  const pods = new Set(samples.map((s) => s.labels.pod).filter((p): p is string => p !== undefined));
  if (pods.size <= 1 || !pods.has(pod.name)) return [...samples];
  return samples.filter((s) => s.labels.pod === undefined || s.labels.pod === pod.name);
}

/** True when the samples hold any OVS exporter series (a node without them has no `ovs`). */
export function hasOvsSeries(samples: readonly MetricSample[]): boolean {
  return samples.some((s) => s.name.startsWith('ovs_'));
}

export function nodeOvsFromSamples(input: NodeOvsInput): NodeOvsModel {
  const s = new NodeSamples(currentPodOnly(input.samples, input.pod));
  const coverage = COVERAGE_COUNTERS.flatMap((name) => {
    const total = s.one(coverageMetric(name));
    return total === null ? [] : [{ name, total }];
  });
  const sampledAt = iso(s.taggedMax(INSTANT_TAGS.exporterSampledAt)) ?? input.read.readAt;
  return {
    clusterName: input.clusterName,
    nodeName: input.nodeName,
    pod: input.pod,
    version: s.all(OvsMetric.buildInfo).find((x) => x.labels.version)?.labels.version ?? null,
    datapathCount: s.one(OvsMetric.dpTotal),
    datapaths: datapaths(s),
    bridgeCount: s.one(OvsMetric.bridgeTotal),
    bridges: bridges(s),
    interfaces: interfaces(s),
    handlerThreads: s.one(OvsMetric.handlersTotal),
    revalidatorThreads: s.one(OvsMetric.revalidatorsTotal),
    hwOffload: decodeFlag(s.one(OvsMetric.hwOffload)),
    tcPolicy: decodeTcPolicy(s.one(OvsMetric.tcPolicy)),
    connections: connections(s),
    coverage,
    vswitchd: processOf(s, 'vswitchd'),
    ovsdb: processOf(s, 'ovsdb'),
    sampledAt,
    read: input.read,
  };
}

/**
 * CPU % between two reads of the same node (the pod-proxy path: a scrape holds only the cumulative
 * CPU seconds). Keeps a value already present (Prometheus). No rate when the interval is not positive,
 * the process restarted (start time changed) or the counter went down.
 */
export function withCpuRates(current: NodeOvsModel, previous: NodeOvsModel | undefined): NodeOvsModel {
  if (!previous) return current;
  const seconds = (Date.parse(current.sampledAt) - Date.parse(previous.sampledAt)) / 1000;
  const rate = (cur: OvsProcessModel, prev: OvsProcessModel): OvsProcessModel => {
    if (cur.cpuPercent !== null || !(seconds > 0) || cur.cpuSecondsTotal === null || prev.cpuSecondsTotal === null) return cur;
    if (cur.startTime !== prev.startTime || cur.cpuSecondsTotal < prev.cpuSecondsTotal) return cur;
    return { ...cur, cpuPercent: ((cur.cpuSecondsTotal - prev.cpuSecondsTotal) / seconds) * 100 };
  };
  return { ...current, vswitchd: rate(current.vswitchd, previous.vswitchd), ovsdb: rate(current.ovsdb, previous.ovsdb) };
}
