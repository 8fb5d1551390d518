// Maps ptp.openshift.io objects (upstream shapes, domain-models §1.1) to the timing schema's types,
// and works out which profile applies to which node. Pure functions.
import { text } from '../kube/values.js';
import type {
  NodePtpDevice,
  PtpConfig,
  PtpHardwareInfo,
  PtpKeyValue,
  PtpOperatorConfig,
  PtpProfile,
  PtpThresholds,
} from './generated/types.js';
import type {
  NodePtpDeviceObject,
  PtpConfigObject,
  PtpOperatorConfigObject,
  PtpProfileSpec,
  PtpRecommendSpec,
} from './upstream.js';
import { memoByObject } from '../../lib/memo.js';

/** Operator defaults of `ptpClockThreshold` (ptp-operator CRD). */
export const DEFAULT_THRESHOLDS = Object.freeze({ holdOverTimeoutSeconds: 5, maxOffsetNs: 100, minOffsetNs: -100 });

/**
 * The alias linuxptp-daemon writes in offset / clock-state metrics for a real port name: the last digit
 * run before an optional Mellanox `np<N>` suffix and an optional VLAN becomes `x`
 * (ens5f0 → ens5fx, enP2s2f0np0 → enP2s2fx, ens1f0.100 → ens1fx.100). Names that do not fit stay as they are.
 */
export function aliasOf(ifname: string): string {
  const m = /^(.+?)(\d+)(?:np\d+)?(\..+)?$/.exec(ifname);
  return m ? `${m[1]}x${m[3] ?? ''}` : ifname;
}

export function keyValues(map: Record<string, unknown> | undefined | null): PtpKeyValue[] {
  return Object.entries(map ?? {})
    .map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }))
    .sort((a, b) => a.key.localeCompare(b.key));
}


function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

function nonBlank(value: string | undefined): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** ptpClockThreshold with the operator's defaults for what is not set. */
export function profileThresholds(profile: PtpProfileSpec | undefined): PtpThresholds {
  const t = profile?.ptpClockThreshold;
  const set = t && (t.holdOverTimeout !== undefined || t.maxOffsetThreshold !== undefined || t.minOffsetThreshold !== undefined);
  return {
    profile: text(profile?.name),
    holdOverTimeoutSeconds: int(t?.holdOverTimeout) ?? DEFAULT_THRESHOLDS.holdOverTimeoutSeconds,
    maxOffsetNs: int(t?.maxOffsetThreshold) ?? DEFAULT_THRESHOLDS.maxOffsetNs,
    minOffsetNs: int(t?.minOffsetThreshold) ?? DEFAULT_THRESHOLDS.minOffsetNs,
    source: set ? 'PTP_CONFIG' : 'DEFAULT',
  };
}

/** Config-file sections that are not interfaces. */
const NON_INTERFACE_SECTIONS = new Set(['global', 'nmea', 'unicast_master_table']);

/** Interfaces a profile names: `interface`, and the `[section]` headers of its ptp4l / ts2phc config text. */
export function profileInterfaces(profile: PtpProfileSpec): string[] {
  const names = new Set<string>();
  if (nonBlank(profile.interface)) names.add(profile.interface!.trim());
  for (const conf of [profile.ptp4lConf, profile.ts2phcConf]) {
    for (const m of (conf ?? '').matchAll(/^\s*\[([^\]\s]+)\]\s*$/gm)) {
      if (!NON_INTERFACE_SECTIONS.has(m[1]) && !m[1].startsWith('/')) names.add(m[1]);
    }
  }
  return [...names];
}

/** A profile runs ts2phc (T-GM with GNSS). */
export function isGrandmasterProfile(profile: PtpProfileSpec): boolean {
  return nonBlank(profile.ts2phcConf) || nonBlank(profile.ts2phcOpts);
}

export function mapProfile(profile: PtpProfileSpec, nodes: string[]): PtpProfile {
  return {
    name: profile.name ?? '',
    interface: text(profile.interface),
    ptp4lOpts: text(profile.ptp4lOpts),
    phc2sysOpts: text(profile.phc2sysOpts),
    ts2phcOpts: text(profile.ts2phcOpts),
    synce4lOpts: text(profile.synce4lOpts),
    chronydOpts: text(profile.chronydOpts),
    ptp4lConf: text(profile.ptp4lConf),
    phc2sysConf: text(profile.phc2sysConf),
    ts2phcConf: text(profile.ts2phcConf),
    synce4lConf: text(profile.synce4lConf),
    chronydConf: text(profile.chronydConf),
    schedulingPolicy: text(profile.ptpSchedulingPolicy),
    schedulingPriority: int(profile.ptpSchedulingPriority),
    thresholds: profileThresholds(profile),
    processDowntimeThresholds: Object.entries(profile.ptpClockThreshold?.processDowntimeThresholds ?? {})
      .filter(([, seconds]) => typeof seconds === 'number')
      .map(([process, seconds]) => ({ process, seconds: Math.trunc(seconds) }))
      .sort((a, b) => a.process.localeCompare(b.process)),
    settings: keyValues(profile.ptpSettings),
    plugins: Object.keys(profile.plugins ?? {}).sort(),
    interfaces: profileInterfaces(profile),
    grandmasterCapable: isGrandmasterProfile(profile),
    nodes: [...nodes].sort(),
  };
}

/** What recommend evaluation needs to know of a node. */
export interface NodeIdentity {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** A recommend rule matches a node by name, or by a label key the node carries (any value), as the operator does. */
function recommendMatches(rule: PtpRecommendSpec, node: NodeIdentity): boolean {
  return (rule.match ?? []).some(
    (m) => (m.nodeName !== undefined && m.nodeName === node.name) || (m.nodeLabel !== undefined && Object.prototype.hasOwnProperty.call(node.labels, m.nodeLabel)),
  );
}

/**
 * The profile names the operator would apply to `node` (ptp-operator controllers/recommend.go): the
 * recommend rules of every PtpConfig, strongest priority (lowest number) first, rules without priority
 * last; rules without a profile or without match entries are skipped; the first matching rule sets the
 * priority and every other matching rule of that same priority adds its profile.
 */
export function recommendedProfiles(configs: readonly PtpConfigObject[], node: NodeIdentity): string[] {
  const rules = configs
    .flatMap((c) => c.spec?.recommend ?? [])
    .filter((r) => r.profile && (r.match?.length ?? 0) > 0)
    .map((rule, order) => ({ rule, order }))
    .sort((a, b) => {
      const pa = a.rule.priority;
      const pb = b.rule.priority;
      if (pa !== undefined && pb !== undefined && pa !== pb) return pa - pb;
      if ((pa === undefined) !== (pb === undefined)) return pa === undefined ? 1 : -1;
      return a.order - b.order;
    });
  const names: string[] = [];
  let priority: number | undefined;
  let found = false;
  for (const { rule } of rules) {
    if (!recommendMatches(rule, node)) continue;
    if (!found) {
      found = true;
      priority = rule.priority;
      names.push(rule.profile!);
    } else if (rule.priority === priority && !names.includes(rule.profile!)) {
      names.push(rule.profile!);
    }
  }
  return names;
}

export interface ProfileMatch {
  nodeName: string;
  profile: string;
  /** The PtpConfig that defines the profile. */
  config: string;
}

export interface ProfileAssignment {
  /** Per PtpConfig name: where its matches came from. */
  sources: Map<string, 'STATUS' | 'EVALUATED'>;
  matches: ProfileMatch[];
}

/** Does this PtpConfig need node labels to know its matches (no status.matchList)? */
export function needsEvaluation(config: PtpConfigObject): boolean {
  return !Array.isArray(config.status?.matchList);
}

/**
 * Node → profile for every PtpConfig of a cluster: `status.matchList` where the operator wrote it,
 * otherwise the recommend rules evaluated against `nodes` (pass every node of the cluster; when
 * unknown, configs without status get no matches).
 */
export function assignProfiles(configs: readonly PtpConfigObject[], nodes: readonly NodeIdentity[] | null): ProfileAssignment {
  const sources = new Map<string, 'STATUS' | 'EVALUATED'>();
  const matches: ProfileMatch[] = [];
  let evaluated: Map<string, string[]> | undefined;
  for (const config of configs) {
    const name = config.metadata.name;
    if (!needsEvaluation(config)) {
      sources.set(name, 'STATUS');
      for (const m of config.status!.matchList!) {
        if (m.nodeName && m.profile) matches.push({ nodeName: m.nodeName, profile: m.profile, config: name });
      }
      continue;
    }
    sources.set(name, 'EVALUATED');
    evaluated ??= new Map((nodes ?? []).map((n) => [n.name, recommendedProfiles(configs, n)]));
    const own = new Set((config.spec?.profile ?? []).map((p) => p.name));
    for (const [nodeName, profiles] of evaluated) {
      for (const profile of profiles) {
        if (own.has(profile)) matches.push({ nodeName, profile, config: name });
      }
    }
  }
  matches.sort((a, b) => a.nodeName.localeCompare(b.nodeName) || a.profile.localeCompare(b.profile));
  return { sources, matches };
}

export function mapPtpConfig(clusterName: string, config: PtpConfigObject, assignment: ProfileAssignment): PtpConfig {
  const name = config.metadata.name;
  const own = assignment.matches.filter((m) => m.config === name);
  return {
    clusterName,
    namespace: config.metadata.namespace ?? '',
    name,
    profiles: (config.spec?.profile ?? []).map((p) =>
      mapProfile(
        p,
        own.filter((m) => m.profile === p.name).map((m) => m.nodeName),
      ),
    ),
    recommend: (config.spec?.recommend ?? []).map((r) => ({
      profile: r.profile ?? '',
      priority: int(r.priority),
      match: (r.match ?? []).map((m) => ({ nodeLabel: text(m.nodeLabel), nodeName: text(m.nodeName) })),
    })),
    matches: own.map((m) => ({ nodeName: m.nodeName, profile: m.profile })),
    matchSource: assignment.sources.get(name) ?? 'EVALUATED',
    conditions: (config.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: text(c.reason),
      message: text(c.message),
      lastTransitionTime: text(c.lastTransitionTime),
    })),
  };
}

export function eventPublisherEnabled(config: PtpOperatorConfigObject | null | undefined): boolean {
  return config?.spec?.ptpEventConfig?.enableEventPublisher === true;
}

export function mapOperatorConfig(config: PtpOperatorConfigObject): PtpOperatorConfig {
  const events = config.spec?.ptpEventConfig;
  return {
    namespace: config.metadata.namespace ?? '',
    name: config.metadata.name,
    daemonNodeSelector: keyValues(config.spec?.daemonNodeSelector),
    eventPublisherEnabled: eventPublisherEnabled(config),
    eventApiVersion: text(events?.apiVersion),
    transportHost: text(events?.transportHost),
    storageType: text(events?.storageType),
    plugins: Object.keys(config.spec?.plugins ?? {}).sort(),
  };
}

const HARDWARE_FIELDS = [
  'pciAddress',
  'vendorID',
  'deviceID',
  'subsystemVendorID',
  'subsystemDeviceID',
  'firmwareVersion',
  'driverVersion',
  'linkStatus',
  'linkSpeed',
  'fec',
  'vpdIdentifierString',
  'vpdPartNumber',
  'vpdSerialNumber',
  'vpdManufacturerID',
  'vpdProductName',
] as const;

export const mapNodePtpDevice = memoByObject(function mapNodePtpDevice(device: NodePtpDeviceObject): NodePtpDevice {
  return {
    nodeName: device.metadata.name,
    devices: (device.status?.devices ?? [])
      .filter((d) => typeof d.name === 'string' && d.name !== '')
      .map((d) => {
        let hardware: PtpHardwareInfo | null = null;
        if (d.hardwareInfo && typeof d.hardwareInfo === 'object') {
          const info = d.hardwareInfo;
          hardware = Object.fromEntries(HARDWARE_FIELDS.map((f) => [f, text(info[f])])) as PtpHardwareInfo;
        }
        return { name: d.name!, alias: aliasOf(d.name!), profile: text(d.profile), hardware };
      }),
    hwconfig: (device.status?.hwconfig ?? []).map((h) => ({
      deviceID: text(h.deviceID),
      vendorID: text(h.vendorID),
      failed: typeof h.failed === 'boolean' ? h.failed : null,
      status: text(h.status),
    })),
  };
});
