// What the cni-sandbox-failure scenario needs to know about a NAD's IPAM: the address range a pool
// hands out (host-local `subnet`/`rangeStart`/`rangeEnd` or `ranges`, whereabouts `range` with
// `range_start`/`range_end`), the error text its plugin chain gives when the pool is empty, and the same
// config with a wider range (how an operator fixes the pool). IPv4 only, as the fleet's networks are.
import { hostLocalExhausted, sriovIpamError, whereaboutsExhausted } from '../fleet/sandbox-messages.js';

type Json = Record<string, unknown>;

export interface IpamPool {
  /** The CNI config `name` (Multus names the network by it). */
  confName: string;
  /** The CNI `type` of the plugin that calls the IPAM. */
  pluginType: string;
  ipamType: 'host-local' | 'whereabouts';
  /** e.g. 192.168.20.0/24 */
  subnet: string;
  first: string;
  last: string;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function subnetBounds(cidr: string): { first: number; last: number } {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const base = ipToInt(ip) - (ipToInt(ip) % size);
  return { first: base + 1, last: base + size - 2 };
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The plugin of a config (or conflist) that has an ipam, and the CNI name. */
function ipamPlugin(config: Json): { plugin: Json; confName: string } | undefined {
  const confName = typeof config.name === 'string' ? config.name : '';
  const plugins = Array.isArray(config.plugins) ? config.plugins.filter(isObject) : [config];
  const plugin = plugins.find((p) => isObject(p.ipam));
  return plugin ? { plugin, confName } : undefined;
}

/** The pool of a NAD config text; undefined when it has no host-local/whereabouts range (static, dhcp, none). */
export function ipamPoolOf(configText: string): IpamPool | undefined {
  let config: unknown;
  try {
    config = JSON.parse(configText);
  } catch {
    return undefined;
  }
  if (!isObject(config)) return undefined;
  const found = ipamPlugin(config);
  if (!found) return undefined;
  const ipam = found.plugin.ipam as Json;
  const pluginType = String(found.plugin.type ?? '');
  const pool = (ipamType: IpamPool['ipamType'], subnet: string, start: unknown, end: unknown): IpamPool => {
    const b = subnetBounds(subnet);
    return {
      confName: found.confName,
      pluginType,
      ipamType,
      subnet,
      first: typeof start === 'string' ? start : intToIp(b.first),
      last: typeof end === 'string' ? end : intToIp(b.last),
    };
  };
  if (ipam.type === 'host-local') {
    const range = (Array.isArray(ipam.ranges) && Array.isArray(ipam.ranges[0]) ? (ipam.ranges[0] as Json[])[0] : ipam) as Json | undefined;
    if (!range || typeof range.subnet !== 'string') return undefined;
    return pool('host-local', range.subnet, range.rangeStart, range.rangeEnd);
  }
  if (ipam.type === 'whereabouts' && typeof ipam.range === 'string') return pool('whereabouts', ipam.range, ipam.range_start, ipam.range_end);
  return undefined;
}

/** The plugin chain's error for an empty pool (sriov-cni names the PF the VF belongs to). */
export function exhaustedError(pool: IpamPool, master: string): string {
  const ipamError = pool.ipamType === 'host-local' ? hostLocalExhausted([`${pool.first}-${pool.last}`]) : whereaboutsExhausted(pool.first, pool.last, pool.subnet);
  return pool.pluginType === 'sriov' ? sriovIpamError(pool.ipamType, master, ipamError) : ipamError;
}

/** The address after the pool's last one (the first one a widened pool hands out), with the subnet's prefix. */
export function nextAddress(pool: IpamPool, offset = 0): string {
  return `${intToIp(ipToInt(pool.last) + 1 + offset)}/${pool.subnet.split('/')[1]}`;
}

/**
 * The same config (or ipam text, for a SriovNetwork's `spec.ipam`) with the pool's end moved `extra`
 * addresses further, kept inside the subnet.
 */
export function widenPool(text: string, extra: number): string {
  const json = JSON.parse(text) as Json;
  const ipam = (isObject(json.ipam) ? json.ipam : ipamPlugin(json)?.plugin.ipam ?? json) as Json;
  const widen = (range: Json, subnetKey: string, endKey: string) => {
    const subnet = range[subnetKey];
    if (typeof subnet !== 'string') return;
    const limit = subnetBounds(subnet).last;
    const end = typeof range[endKey] === 'string' ? ipToInt(range[endKey] as string) : limit;
    range[endKey] = intToIp(Math.min(limit, end + extra));
  };
  if (ipam.type === 'host-local') {
    if (Array.isArray(ipam.ranges) && Array.isArray(ipam.ranges[0])) widen((ipam.ranges[0] as Json[])[0], 'subnet', 'rangeEnd');
    else widen(ipam, 'subnet', 'rangeEnd');
  } else if (ipam.type === 'whereabouts') widen(ipam, 'range', 'range_end');
  return JSON.stringify(json);
}
