// NetworkAttachmentDefinition `spec.config` parsing: one CNI config or a conflist (`plugins`), the plugin
// chain, and the first plugin's IPAM with its ranges as host-local (`subnet`/`rangeStart`/`rangeEnd`,
// or `ranges` = range sets of ranges), whereabouts (`range` with `range_start`/`range_end`/`exclude`,
// or `ipRanges`) and static (`addresses`) write them. A config that is not valid JSON, not an object,
// or has neither `type` nor `plugins` is an error for that NAD alone, naming it.
import type { CniConfigJson, NetworkAttachmentDefinitionObject } from './upstream.js';
import { RESOURCE_NAME_ANNOTATION } from './upstream.js';
import { text as str } from '../kube/values.js';
import type { CniPluginConfigModel, IpamModel, IpRangeModel, NadConfigModel, NadConfigResult, NadModel } from './models.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** First and last host address of an IPv4 CIDR (network and broadcast left out, as the IPAMs do). */
function ipv4Hosts(cidr: string): { first: number; last: number } | null {
  const [ip, bits] = cidr.split('/');
  const base = ipv4ToInt(ip ?? '');
  const prefix = Number(bits);
  if (base === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  const network = base - (base % size);
  return prefix >= 31 ? { first: network, last: network + size - 1 } : { first: network + 1, last: network + size - 2 };
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** `192.168.2.225/24` → `192.168.2.0/24` (other texts unchanged). */
function canonicalIpv4(cidr: string): string {
  const [ip, bits] = cidr.split('/');
  const base = ipv4ToInt(ip ?? '');
  const prefix = Number(bits);
  if (base === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return cidr;
  const size = 2 ** (32 - prefix);
  return `${intToIpv4(base - (base % size))}/${prefix}`;
}

/** Addresses a range hands out; null when a bound is unknown or not IPv4. */
export function rangeSize(subnet: string | null, start: string | null, end: string | null): number | null {
  const hosts = subnet ? ipv4Hosts(subnet) : null;
  const first = start ? ipv4ToInt(start) : (hosts?.first ?? null);
  const last = end ? ipv4ToInt(end) : (hosts?.last ?? null);
  if (first === null || last === null || last < first) return null;
  return last - first + 1;
}

function range(subnet: string | null, start: string | null, end: string | null, gateway: string | null, exclude: string[] = []): IpRangeModel {
  return { subnet, rangeStart: start, rangeEnd: end, gateway, exclude, size: rangeSize(subnet, start, end) };
}

/** whereabouts also accepts `range: "10.0.0.10-10.0.0.50/24"`. */
function whereaboutsRange(r: Json): IpRangeModel | null {
  const text = str(r.range);
  if (!text) return null;
  const dash = /^([^-/]+)-([^/]+)\/(\d+)$/.exec(text);
  if (dash) {
    const subnet = canonicalIpv4(`${dash[1]}/${dash[3]}`);
    return range(subnet, str(r.range_start) ?? dash[1], str(r.range_end) ?? dash[2], str(r.gateway), strings(r.exclude));
  }
  return range(text, str(r.range_start), str(r.range_end), str(r.gateway), strings(r.exclude));
}

export function parseIpam(raw: unknown): IpamModel | null {
  if (!isObject(raw)) return null;
  const type = str(raw.type);
  const ranges: IpRangeModel[] = [];
  if (Array.isArray(raw.ranges)) {
    // host-local: a list of range sets, each a list of ranges.
    for (const set of raw.ranges) {
      for (const r of Array.isArray(set) ? set : [set]) {
        if (isObject(r)) ranges.push(range(str(r.subnet), str(r.rangeStart), str(r.rangeEnd), str(r.gateway)));
      }
    }
  } else if (str(raw.subnet)) {
    ranges.push(range(str(raw.subnet), str(raw.rangeStart), str(raw.rangeEnd), str(raw.gateway)));
  }
  const single = whereaboutsRange(raw);
  if (single) ranges.push(single);
  for (const r of Array.isArray(raw.ipRanges) ? raw.ipRanges : []) {
    const parsed = isObject(r) ? whereaboutsRange(r) : null;
    if (parsed) ranges.push(parsed);
  }
  const addresses = (Array.isArray(raw.addresses) ? raw.addresses : [])
    .filter(isObject)
    .map((a) => ({ address: str(a.address) ?? '', gateway: str(a.gateway) }))
    .filter((a) => a.address !== '');
  const routes = (Array.isArray(raw.routes) ? raw.routes : []).filter(isObject).map((r) => ({ dst: str(r.dst) ?? '', gw: str(r.gw) })).filter((r) => r.dst !== '');
  return { type, ranges, addresses, routes };
}

function plugin(raw: Json): CniPluginConfigModel {
  const capabilities = isObject(raw.capabilities) ? Object.keys(raw.capabilities).filter((k) => (raw.capabilities as Json)[k] === true) : [];
  return {
    type: str(raw.type) ?? '',
    master: str(raw.master),
    mode: str(raw.mode),
    vlan: int(raw.vlan),
    bridge: str(raw.bridge),
    device: str(raw.device) ?? str(raw.pciBusID),
    mtu: int(raw.mtu),
    capabilities: capabilities.sort(),
    ipam: parseIpam(raw.ipam),
  };
}

/** Parse a `spec.config` text. `nad` (`namespace/name`) names the NAD in errors. */
export function parseNadConfig(text: string | null | undefined, nad: string): NadConfigResult {
  if (text === undefined || text === null || text.trim() === '') {
    return { ok: true, config: { kind: 'NODE_FILE', cniVersion: null, networkName: null, type: null, plugins: [], ipam: null } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `NetworkAttachmentDefinition ${nad}: spec.config is not valid JSON (${(err as Error).message})` };
  }
  if (!isObject(parsed)) return { ok: false, error: `NetworkAttachmentDefinition ${nad}: spec.config is not a JSON object` };
  const conf = parsed as CniConfigJson;
  let plugins: CniPluginConfigModel[];
  let kind: NadConfigModel['kind'];
  if (conf.plugins !== undefined) {
    if (!Array.isArray(conf.plugins) || conf.plugins.length === 0) return { ok: false, error: `NetworkAttachmentDefinition ${nad}: spec.config "plugins" is not a non-empty list` };
    const bad = conf.plugins.findIndex((p) => !isObject(p) || str(p.type) === null);
    if (bad >= 0) return { ok: false, error: `NetworkAttachmentDefinition ${nad}: spec.config plugins[${bad}] has no "type"` };
    plugins = (conf.plugins as Json[]).map(plugin);
    kind = 'CONFLIST';
  } else {
    if (str(conf.type) === null) return { ok: false, error: `NetworkAttachmentDefinition ${nad}: spec.config has neither "type" nor "plugins"` };
    plugins = [plugin(conf)];
    kind = 'SINGLE';
  }
  return {
    ok: true,
    config: {
      kind,
      cniVersion: str(conf.cniVersion),
      networkName: str(conf.name),
      type: plugins[0].type,
      plugins,
      ipam: plugins.find((p) => p.ipam !== null)?.ipam ?? null,
    },
  };
}

export function mapNad(clusterName: string, nad: NetworkAttachmentDefinitionObject): NadModel {
  const namespace = nad.metadata.namespace ?? '';
  const configText = typeof nad.spec?.config === 'string' ? nad.spec.config : null;
  return {
    clusterName,
    namespace,
    name: nad.metadata.name,
    resourceName: str(nad.metadata.annotations?.[RESOURCE_NAME_ANNOTATION]),
    configText,
    config: parseNadConfig(configText, `${namespace}/${nad.metadata.name}`),
    createdAt: str(nad.metadata.creationTimestamp),
  };
}
