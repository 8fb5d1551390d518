// The optional fleet file: what a kubeconfig cannot say about a cluster (labels, Prometheus URL,
// deadlines, per-domain settings). YAML (or JSON):
//
//   deadlineMs: 5000            # defaults for every cluster (also accepted under `defaults:`)
//   concurrency: 8
//   prometheusUrl: https://thanos.example/   # optional fleet-wide default
//   labels: {operator: acme}                 # merged under each cluster's labels
//   defaults:
//     settings:                              # per domain, opaque to the fleet-access layer
//       ovs: {cpuAlertPercent: 80}
//   groups:                                  # settings for the clusters whose labels match (in order)
//     - labels: [{key: role, value: edge}]   # LabelFilter: key, op (EQUALS … DOES_NOT_EXIST), value/values
//       settings: {ovs: {cpuAlertPercent: 90}}
//   clusters:
//     - name: edge-0001          # = kubeconfig context name
//       labels: {role: edge, site: du-0001, region: eu-west}
//       prometheusUrl: https://prom.edge-0001.example/
//       deadlineMs: 3000
//       concurrency: 4
//       settings: {ovs: {bridges: [br-ex]}}
//
// A cluster's `settings.<domain>` is the deep merge of defaults → every matching group (file order) →
// the cluster's own: maps merge key by key, anything else (lists included) is replaced by the later
// value, and `null` removes what an earlier level set (as Helm values do). Groups match the cluster's
// final labels (defaults' labels under its own). The kube layer never reads a domain's settings: the
// domain parses its own part (`domainSettings(entry, 'ovs')`).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { matchesFilters, validateLabelFilters, type LabelFilter, type LabelOperator } from './labels.js';

/** One domain's settings: a JSON-like map only that domain interprets. */
export type DomainSettingsMap = Readonly<Record<string, unknown>>;

/** Settings by domain name (`ovs`, `cni` …). */
export type SettingsByDomain = Readonly<Record<string, DomainSettingsMap>>;

export interface ClusterSettings {
  labels: Record<string, string>;
  prometheusUrl?: string;
  deadlineMs?: number;
  concurrency?: number;
  /** As written at this level (not merged). */
  settings?: SettingsByDomain;
}

/** Settings for the clusters whose labels match every filter. */
export interface SettingsGroup {
  labels: LabelFilter[];
  settings: SettingsByDomain;
}

export interface FleetFile {
  defaults: ClusterSettings;
  groups: SettingsGroup[];
  clusters: Map<string, ClusterSettings>;
}

export const EMPTY_FLEET_FILE: FleetFile = { defaults: { labels: {} }, groups: [], clusters: new Map() };

const OPERATORS: readonly LabelOperator[] = ['EQUALS', 'NOT_EQUALS', 'IN', 'NOT_IN', 'EXISTS', 'DOES_NOT_EXIST'];

function fail(file: string, message: string): never {
  throw new Error(`fleet file ${file}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function settings(file: string, where: string, raw: Record<string, unknown>): ClusterSettings {
  const out: ClusterSettings = { labels: {} };
  if (raw.labels !== undefined && raw.labels !== null) {
    if (!isRecord(raw.labels)) fail(file, `${where}.labels must be a map`);
    for (const [key, value] of Object.entries(raw.labels)) {
      if (value === null || typeof value === 'object') fail(file, `${where}.labels.${key} must be a scalar`);
      out.labels[key] = String(value);
    }
  }
  if (raw.prometheusUrl !== undefined && raw.prometheusUrl !== null) {
    if (typeof raw.prometheusUrl !== 'string') fail(file, `${where}.prometheusUrl must be a string`);
    out.prometheusUrl = raw.prometheusUrl;
  }
  for (const field of ['deadlineMs', 'concurrency'] as const) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(file, `${where}.${field} must be a positive number`);
    out[field] = value;
  }
  const domains = settingsByDomain(file, where, raw.settings);
  if (domains) out.settings = domains;
  return out;
}

/** `settings:` — a map of domain name → map (null or absent: none). */
function settingsByDomain(file: string, where: string, raw: unknown): SettingsByDomain | undefined {
  if (raw === undefined || raw === null) return undefined;
  const at = where ? `${where}.settings` : 'settings';
  if (!isRecord(raw)) fail(file, `${at} must be a map of domain name → settings`);
  for (const [domain, value] of Object.entries(raw)) {
    if (value !== null && !isRecord(value)) fail(file, `${at}.${domain} must be a map`);
  }
  return raw as SettingsByDomain;
}

function labelFilter(file: string, where: string, raw: unknown): LabelFilter {
  if (!isRecord(raw) || typeof raw.key !== 'string' || !raw.key) fail(file, `${where} needs a key`);
  const op = raw.op ?? 'EQUALS';
  if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) fail(file, `${where}.op must be one of ${OPERATORS.join(', ')}`);
  const scalar = (v: unknown) => v !== null && typeof v !== 'object';
  if (raw.value !== undefined && raw.value !== null && !scalar(raw.value)) fail(file, `${where}.value must be a scalar`);
  if (raw.values !== undefined && raw.values !== null && !(Array.isArray(raw.values) && raw.values.every(scalar))) fail(file, `${where}.values must be a list of scalars`);
  const filter: LabelFilter = {
    key: raw.key,
    op: op as LabelOperator,
    value: raw.value === undefined || raw.value === null ? null : String(raw.value),
    values: Array.isArray(raw.values) ? raw.values.map(String) : null,
  };
  try {
    validateLabelFilters([filter]);
  } catch (err) {
    fail(file, `${where}: ${(err as Error).message}`);
  }
  return filter;
}

function groups(file: string, raw: unknown): SettingsGroup[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) fail(file, 'groups must be a list');
  return raw.map((group: unknown, i: number) => {
    if (!isRecord(group)) fail(file, `groups[${i}] must be a map with labels and settings`);
    if (!Array.isArray(group.labels) || group.labels.length === 0) fail(file, `groups[${i}].labels must be a non-empty list of label filters`);
    return {
      labels: group.labels.map((f: unknown, j: number) => labelFilter(file, `groups[${i}].labels[${j}]`, f)),
      settings: settingsByDomain(file, `groups[${i}]`, group.settings) ?? {},
    };
  });
}

/** Later wins; maps merge key by key; `null` removes what an earlier level set; lists and scalars are replaced. */
function deepMerge(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete out[key];
    else if (isRecord(value) && isRecord(out[key])) out[key] = deepMerge(out[key] as Record<string, unknown>, value);
    else if (isRecord(value)) out[key] = deepMerge({}, value); // drops nulls inside
    else out[key] = value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A cluster's settings by domain: defaults → every group whose filters match `labels` (file order) →
 * the cluster's own, deep-merged and frozen.
 */
export function mergedSettings(fleet: FleetFile, labels: Readonly<Record<string, string>>, own: SettingsByDomain | undefined): SettingsByDomain {
  const levels = [fleet.defaults.settings, ...fleet.groups.filter((g) => matchesFilters(labels, g.labels)).map((g) => g.settings), own];
  let merged: Record<string, unknown> = {};
  for (const level of levels) if (level) merged = deepMerge(merged, level);
  return deepFreeze(merged as SettingsByDomain);
}

/** One domain's part of a cluster's settings ({} when the fleet file says nothing): the domain parses it. */
export function domainSettings(entry: { readonly settings: SettingsByDomain }, domain: string): DomainSettingsMap {
  return entry.settings[domain] ?? {};
}

export function parseFleetFile(text: string, file = '<fleet file>'): FleetFile {
  const doc: unknown = parse(text);
  if (doc === null || doc === undefined) return EMPTY_FLEET_FILE;
  if (!isRecord(doc)) fail(file, 'expected a map at the top level');
  const top = settings(file, '', doc);
  const nested = isRecord(doc.defaults) ? settings(file, 'defaults', doc.defaults) : { labels: {} };
  const defaults: ClusterSettings = { ...top, ...nested, labels: { ...top.labels, ...nested.labels } };
  if (top.settings && nested.settings) defaults.settings = deepMerge(top.settings, nested.settings) as SettingsByDomain;
  for (const key of ['prometheusUrl', 'deadlineMs', 'concurrency', 'settings'] as const) if (defaults[key] === undefined) delete defaults[key];
  const clusters = new Map<string, ClusterSettings>();
  const list = doc.clusters ?? [];
  if (!Array.isArray(list)) fail(file, 'clusters must be a list');
  list.forEach((entry: unknown, i: number) => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || !entry.name) fail(file, `clusters[${i}] needs a name`);
    if (clusters.has(entry.name)) fail(file, `cluster ${entry.name} is listed twice`);
    clusters.set(entry.name, settings(file, `clusters[${i}]`, entry));
  });
  return { defaults, groups: groups(file, doc.groups), clusters };
}

export function readFleetFile(file: string): FleetFile {
  return parseFleetFile(readFileSync(file, 'utf8'), file);
}
