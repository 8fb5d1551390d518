// What the linuxptp-daemon on a node runs, derived from the cluster's objects the way the daemon does:
// PtpOperatorConfig (event mode), the PtpConfig profile for the node (status.matchList, else the
// recommend rules by priority against the node's labels/name), the profile's ports and thresholds.
import type { ClusterStore } from '../store.js';
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { PTP_NAMESPACE } from '../fleet/ptp.js';
import { ocpVersionOf, type PtpRole } from '../fleet/profiles.js';

export interface PtpThresholds {
  holdOverTimeout: number;
  maxOffsetThreshold: number;
  minOffsetThreshold: number;
}

export interface PtpPortConfig {
  name: string;
  masterOnly: boolean;
}

export interface PtpNodeConfig {
  node: string;
  profile: string;
  role: PtpRole;
  /** cloud-event-proxy serves the metrics (clock_state 0/1/2 and the threshold gauges). */
  eventsEnabled: boolean;
  /** PtpOperatorConfig ptpEventConfig.apiVersion ('1.0' legacy REST, '2.x' O-RAN v2 REST), if set. */
  eventsApiVersion?: string;
  /** clock_class carries the `config` label (OCP ≥ 4.18). */
  clockClassConfigLabel: boolean;
  ports: PtpPortConfig[];
  /** The port that follows the upstream master (T-BC, OC). */
  slavePort?: string;
  /** The port whose PHC ts2phc disciplines from GNSS (T-GM). */
  timeReceiverPort?: string;
  thresholds: PtpThresholds;
}

interface PtpProfile {
  name?: string;
  interface?: string;
  ptp4lConf?: string;
  ts2phcOpts?: string;
  ts2phcConf?: string;
  ptpClockThreshold?: Partial<PtpThresholds>;
}

interface RecommendRule {
  profile?: string;
  priority?: number;
  match?: { nodeLabel?: string; nodeName?: string }[];
}

interface PtpConfigSpec {
  profile?: PtpProfile[];
  recommend?: RecommendRule[];
}

/** Interface sections of a ptp4l config text with their masterOnly setting. */
export function ptp4lPorts(conf: string): PtpPortConfig[] {
  const ports: PtpPortConfig[] = [];
  let current: PtpPortConfig | undefined;
  for (const raw of conf.split('\n')) {
    const line = raw.trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = section[1];
      current = name === 'global' || name === 'nmea' || name === 'unicast_master_table' ? undefined : { name, masterOnly: false };
      if (current) ports.push(current);
      continue;
    }
    const setting = /^(masterOnly|serverOnly)\s+(\d)/.exec(line);
    if (current && setting) current.masterOnly = setting[2] === '1';
  }
  return ports;
}

function profileForNode(configs: KubeObject[], node: KubeObject): PtpProfile | undefined {
  const byName = new Map<string, PtpProfile>();
  for (const c of configs) for (const p of (c.spec as PtpConfigSpec | undefined)?.profile ?? []) if (p.name) byName.set(p.name, p);
  for (const c of configs) {
    const matchList = (c.status as { matchList?: { nodeName?: string; profile?: string }[] } | undefined)?.matchList;
    const hit = matchList?.find((m) => m.nodeName === node.metadata.name);
    if (hit?.profile && byName.has(hit.profile)) return byName.get(hit.profile);
  }
  const labels = node.metadata.labels ?? {};
  const candidates: { priority: number; profile: string }[] = [];
  for (const c of configs) {
    for (const rule of (c.spec as PtpConfigSpec | undefined)?.recommend ?? []) {
      const matches = (rule.match ?? []).some(
        (m) => (m.nodeName !== undefined && m.nodeName === node.metadata.name) || (m.nodeLabel !== undefined && m.nodeLabel in labels),
      );
      if (matches && rule.profile) candidates.push({ priority: rule.priority ?? 0, profile: rule.profile });
    }
  }
  candidates.sort((a, b) => a.priority - b.priority);
  return candidates.length > 0 ? byName.get(candidates[0].profile) : undefined;
}

export function derivePtpNodeConfig(store: ClusterStore, nodeName: string, kubernetesVersion: string): PtpNodeConfig | undefined {
  const node = store.get(K.nodes, undefined, nodeName);
  if (!node) return undefined;
  const profile = profileForNode(store.list(K.ptpConfigs, PTP_NAMESPACE), node);
  if (!profile?.name) return undefined;
  const operatorConfig = store.get(K.ptpOperatorConfigs, PTP_NAMESPACE, 'default');
  const eventConfig = (operatorConfig?.spec as { ptpEventConfig?: { enableEventPublisher?: boolean; apiVersion?: string } } | undefined)?.ptpEventConfig;
  const eventsEnabled = eventConfig?.enableEventPublisher === true;
  const ports = profile.ptp4lConf ? ptp4lPorts(profile.ptp4lConf) : [];
  if (ports.length === 0 && profile.interface) ports.push({ name: profile.interface, masterOnly: false });
  const gm = (profile.ts2phcOpts !== undefined && profile.ts2phcOpts !== '') || profile.ts2phcConf !== undefined;
  const slaves = ports.filter((p) => !p.masterOnly);
  const role: PtpRole = gm ? 'T-GM' : slaves.length < ports.length ? 'T-BC' : 'OC';
  const version = ocpVersionOf(kubernetesVersion);
  const t = profile.ptpClockThreshold ?? {};
  return {
    node: nodeName,
    profile: profile.name,
    role,
    eventsEnabled,
    eventsApiVersion: eventConfig?.apiVersion,
    clockClassConfigLabel: version === undefined || version !== '4.16',
    ports,
    slavePort: gm ? undefined : slaves[0]?.name,
    timeReceiverPort: gm ? (ports[0]?.name ?? profile.interface) : undefined,
    thresholds: {
      holdOverTimeout: t.holdOverTimeout ?? 5,
      maxOffsetThreshold: t.maxOffsetThreshold ?? 100,
      minOffsetThreshold: t.minOffsetThreshold ?? -100,
    },
  };
}

/**
 * The interface alias the daemon uses in offset/state metrics: the trailing digit run becomes `x`
 * after dropping an `np<N>` suffix (`ens5f0` → `ens5fx`, `enP2s2f0np0` → `enP2s2fx`).
 */
export function ptpInterfaceAlias(name: string): string {
  return name.replace(/np\d+$/, '').replace(/\d+$/, 'x');
}
