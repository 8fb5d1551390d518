// Alert thresholds: the seed's defaults (OVS Performance Monitoring) and their overrides from the fleet
// file. The house hands each cluster its `settings.ovs` (defaults → matching label groups → the
// cluster, deep-merged; `null` removes what an earlier level set), which reads
//
//   settings:
//     ovs:
//       counterWindow: 5m          # counters alert on their increase over this window
//       hysteresisPercent: 5       # an alert clears only below its threshold minus this margin
//       thresholds:
//         vswitchdCpu:    {warning: 60, critical: 80}         # % of one core
//         vswitchdMemory: {warning: 768Mi, critical: 1.5Gi}   # bytes, or a quantity
//         dpFlows:        {critical: 40000}
//         dpLookupLost:   {warning: 1, critical: 100}         # metrics without defaults can be enabled
//         rconnOverflow:  {enabled: false}
//
// Metric keys are camelCase metric ids (VSWITCHD_CPU → vswitchdCpu; the enum spelling is accepted too).
// INFO fires at `info` (default 80 % of `warning`; `info: false` turns INFO off). `resolveOvsSettings`
// also takes several layers itself, applied field by field in order.
import { metricDef, OVS_METRIC_IDS, type OvsMetricId } from './catalogue.js';
import { parseDuration } from './duration.js';

export interface OvsThreshold {
  metric: OvsMetricId;
  enabled: boolean;
  info: number | null;
  warning: number | null;
  critical: number | null;
}

export interface OvsAlertSettings {
  /** Metrics with at least one level in force, in catalogue order. */
  thresholds: OvsThreshold[];
  counterWindowMs: number;
  hysteresisPercent: number;
}

const MiB = 1024 * 1024;

/** The seed's thresholds (its MB are MiB: `bytes / 1024 / 1024`). Counters: events over the counter window. */
export const DEFAULT_LEVELS: Readonly<Partial<Record<OvsMetricId, { warning: number; critical: number }>>> = Object.freeze({
  VSWITCHD_CPU: { warning: 70, critical: 85 },
  OVSDB_CPU: { warning: 70, critical: 85 },
  VSWITCHD_MEMORY: { warning: 500 * MiB, critical: 1000 * MiB },
  OVSDB_MEMORY: { warning: 500 * MiB, critical: 1000 * MiB },
  DP_FLOWS: { warning: 5_000, critical: 20_000 },
  BRIDGE_FLOWS: { warning: 10_000, critical: 50_000 },
  RCONN_OVERFLOW: { warning: 100, critical: 1_000 },
  RCONN_DISCARDED: { warning: 50, critical: 500 },
});

export const DEFAULT_INFO_RATIO = 0.8;
export const DEFAULT_COUNTER_WINDOW_MS = 5 * 60_000;
export const DEFAULT_HYSTERESIS_PERCENT = 5;

export class OvsSettingsError extends Error {
  override readonly name = 'OvsSettingsError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** One validated layer: only what it sets. `info: null` means "off". */
export interface OvsSettingsLayer {
  counterWindowMs?: number;
  hysteresisPercent?: number;
  thresholds: Partial<Record<OvsMetricId, { enabled?: boolean; info?: number | null; warning?: number; critical?: number }>>;
}

function camel(id: OvsMetricId): string {
  return id.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

const KEY_TO_ID = new Map<string, OvsMetricId>(OVS_METRIC_IDS.flatMap((id) => [[camel(id), id] as [string, OvsMetricId], [id, id] as [string, OvsMetricId]]));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const QUANTITY = /^(\d+(?:\.\d+)?)\s*(Ki|Mi|Gi|Ti|K|k|M|G|T|KB|MB|GB|TB|KiB|MiB|GiB|TiB|B)?$/;
const FACTORS: Record<string, number> = {
  B: 1, K: 1e3, k: 1e3, KB: 1e3, M: 1e6, MB: 1e6, G: 1e9, GB: 1e9, T: 1e12, TB: 1e12,
  Ki: 1024, KiB: 1024, Mi: MiB, MiB, Gi: 1024 * MiB, GiB: 1024 * MiB, Ti: 1024 ** 4, TiB: 1024 ** 4,
};

/** A threshold value: a number, or for BYTES metrics a quantity such as 512Mi, 1.5Gi, 500MB. */
function thresholdValue(raw: unknown, id: OvsMetricId, path: string): number {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) throw new OvsSettingsError(path, `must be a number ≥ 0, got ${raw}`);
    return raw;
  }
  if (typeof raw === 'string' && metricDef(id).unit === 'BYTES') {
    const m = QUANTITY.exec(raw.trim());
    if (!m) throw new OvsSettingsError(path, `"${raw}" is not a byte quantity (e.g. 524288000, 500Mi, 1Gi, 500MB)`);
    return Math.round(Number(m[1]) * FACTORS[m[2] ?? 'B']);
  }
  throw new OvsSettingsError(path, `must be a number${metricDef(id).unit === 'BYTES' ? ' or a byte quantity such as 500Mi' : ''}, got ${JSON.stringify(raw)}`);
}

/**
 * Validates one `settings.ovs` object (any layer). `path` names it in messages, e.g.
 * `clusters[3].settings.ovs`. Undefined/null is an empty layer.
 */
export function parseOvsSettings(raw: unknown, path = 'settings.ovs'): OvsSettingsLayer {
  const layer: OvsSettingsLayer = { thresholds: {} };
  if (raw === undefined || raw === null) return layer;
  if (!isRecord(raw)) throw new OvsSettingsError(path, 'must be a map');
  for (const key of Object.keys(raw)) {
    if (!['counterWindow', 'hysteresisPercent', 'thresholds'].includes(key)) {
      throw new OvsSettingsError(`${path}.${key}`, 'unknown setting; known: counterWindow, hysteresisPercent, thresholds');
    }
  }
  if (raw.counterWindow !== undefined && raw.counterWindow !== null) {
    if (typeof raw.counterWindow !== 'string') throw new OvsSettingsError(`${path}.counterWindow`, 'must be a duration such as 5m');
    try {
      layer.counterWindowMs = parseDuration(raw.counterWindow, 'counterWindow', { minMs: 10_000 });
    } catch (err) {
      throw new OvsSettingsError(`${path}.counterWindow`, (err as Error).message);
    }
  }
  if (raw.hysteresisPercent !== undefined && raw.hysteresisPercent !== null) {
    const h = raw.hysteresisPercent;
    if (typeof h !== 'number' || !Number.isFinite(h) || h < 0 || h >= 100) throw new OvsSettingsError(`${path}.hysteresisPercent`, 'must be a number in [0, 100)');
    layer.hysteresisPercent = h;
  }
  const thresholds = raw.thresholds;
  if (thresholds === undefined || thresholds === null) return layer;
  if (!isRecord(thresholds)) throw new OvsSettingsError(`${path}.thresholds`, 'must be a map of metric → {warning, critical, info, enabled}');
  for (const [key, value] of Object.entries(thresholds)) {
    const where = `${path}.thresholds.${key}`;
    const id = KEY_TO_ID.get(key);
    if (!id) throw new OvsSettingsError(where, `unknown metric; known: ${OVS_METRIC_IDS.map(camel).join(', ')}`);
    if (value === null) continue; // as in the fleet file's merge: null removes an override, it does not disable
    if (!isRecord(value)) throw new OvsSettingsError(where, 'must be a map with warning / critical / info / enabled');
    const entry: { enabled?: boolean; info?: number | null; warning?: number; critical?: number } = {};
    for (const [field, v] of Object.entries(value)) {
      if (field === 'enabled') {
        if (typeof v !== 'boolean') throw new OvsSettingsError(`${where}.enabled`, 'must be true or false');
        entry.enabled = v;
      } else if (field === 'info') {
        if (v === null) continue;
        entry.info = v === false ? null : thresholdValue(v, id, `${where}.info`);
      } else if (field === 'warning' || field === 'critical') {
        if (v === null || v === undefined) continue;
        entry[field] = thresholdValue(v, id, `${where}.${field}`);
      } else {
        throw new OvsSettingsError(`${where}.${field}`, 'unknown field; known: warning, critical, info, enabled');
      }
    }
    layer.thresholds[id] = entry;
  }
  return layer;
}

/**
 * The settings in force for one cluster: defaults, then each layer in order (fleet defaults, matching
 * label groups, the cluster), field by field. Layers are raw `settings.ovs` objects (validated here) or
 * already parsed ones. Throws OvsSettingsError when the merged levels are out of order
 * (info ≤ warning ≤ critical).
 */
export function resolveOvsSettings(layers: readonly (OvsSettingsLayer | { raw: unknown; path: string })[]): OvsAlertSettings {
  const parsed = layers.map((l) => ('raw' in l ? { layer: parseOvsSettings(l.raw, l.path), path: l.path } : { layer: l, path: 'settings.ovs' }));
  let counterWindowMs = DEFAULT_COUNTER_WINDOW_MS;
  let hysteresisPercent = DEFAULT_HYSTERESIS_PERCENT;
  const merged = new Map<OvsMetricId, { enabled: boolean; info: number | null | undefined; warning?: number; critical?: number; path: string }>();
  for (const id of OVS_METRIC_IDS) {
    const d = DEFAULT_LEVELS[id];
    if (d) merged.set(id, { enabled: true, info: undefined, warning: d.warning, critical: d.critical, path: 'defaults' });
  }
  for (const { layer, path } of parsed) {
    if (layer.counterWindowMs !== undefined) counterWindowMs = layer.counterWindowMs;
    if (layer.hysteresisPercent !== undefined) hysteresisPercent = layer.hysteresisPercent;
    for (const [id, t] of Object.entries(layer.thresholds) as [OvsMetricId, NonNullable<OvsSettingsLayer['thresholds'][OvsMetricId]>][]) {
      const cur = merged.get(id) ?? { enabled: true, info: undefined, path };
      const next = { ...cur, path };
      if (t.enabled !== undefined) next.enabled = t.enabled;
      if (t.info !== undefined) next.info = t.info;
      if (t.warning !== undefined) next.warning = t.warning;
      if (t.critical !== undefined) next.critical = t.critical;
      merged.set(id, next);
    }
  }
  const thresholds: OvsThreshold[] = [];
  for (const id of OVS_METRIC_IDS) {
    const m = merged.get(id);
    if (!m) continue;
    const warning = m.warning ?? null;
    const critical = m.critical ?? null;
    const info = m.info === undefined ? (warning !== null ? warning * DEFAULT_INFO_RATIO : null) : m.info;
    const levels = [info, warning, critical].filter((v): v is number => v !== null);
    for (let i = 1; i < levels.length; i++) {
      if (levels[i] < levels[i - 1]) {
        throw new OvsSettingsError(`${m.path}.thresholds.${camel(id)}`, `levels out of order: info ${info ?? '-'} ≤ warning ${warning ?? '-'} ≤ critical ${critical ?? '-'} must hold`);
      }
    }
    if (levels.length === 0) continue;
    thresholds.push({ metric: id, enabled: m.enabled, info, warning, critical });
  }
  return { thresholds, counterWindowMs, hysteresisPercent };
}

/** The settings with no override (what a cluster without `settings.ovs` gets). */
export const DEFAULT_OVS_SETTINGS: OvsAlertSettings = resolveOvsSettings([]);

/** `thresholds` in force (enabled), for the alert query and evaluation. */
export function activeThresholds(settings: OvsAlertSettings): OvsThreshold[] {
  return settings.thresholds.filter((t) => t.enabled);
}
