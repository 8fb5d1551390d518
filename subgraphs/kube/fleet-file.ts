// The optional fleet file: what a kubeconfig cannot say about a cluster (labels, Prometheus URL,
// deadlines). YAML (or JSON):
//
//   deadlineMs: 5000            # defaults for every cluster (also accepted under `defaults:`)
//   concurrency: 8
//   prometheusUrl: https://thanos.example/   # optional fleet-wide default
//   labels: {operator: acme}                 # merged under each cluster's labels
//   clusters:
//     - name: edge-0001          # = kubeconfig context name
//       labels: {role: edge, site: du-0001, region: eu-west}
//       prometheusUrl: https://prom.edge-0001.example/
//       deadlineMs: 3000
//       concurrency: 4
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ClusterSettings {
  labels: Record<string, string>;
  prometheusUrl?: string;
  deadlineMs?: number;
  concurrency?: number;
}

export interface FleetFile {
  defaults: ClusterSettings;
  clusters: Map<string, ClusterSettings>;
}

export const EMPTY_FLEET_FILE: FleetFile = { defaults: { labels: {} }, clusters: new Map() };

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
  return out;
}

export function parseFleetFile(text: string, file = '<fleet file>'): FleetFile {
  const doc: unknown = parse(text);
  if (doc === null || doc === undefined) return EMPTY_FLEET_FILE;
  if (!isRecord(doc)) fail(file, 'expected a map at the top level');
  const top = settings(file, '', doc);
  const nested = isRecord(doc.defaults) ? settings(file, 'defaults', doc.defaults) : { labels: {} };
  const defaults: ClusterSettings = { ...top, ...nested, labels: { ...top.labels, ...nested.labels } };
  for (const key of ['prometheusUrl', 'deadlineMs', 'concurrency'] as const) if (defaults[key] === undefined) delete defaults[key];
  const clusters = new Map<string, ClusterSettings>();
  const list = doc.clusters ?? [];
  if (!Array.isArray(list)) fail(file, 'clusters must be a list');
  list.forEach((entry: unknown, i: number) => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || !entry.name) fail(file, `clusters[${i}] needs a name`);
    if (clusters.has(entry.name)) fail(file, `cluster ${entry.name} is listed twice`);
    clusters.set(entry.name, settings(file, `clusters[${i}]`, entry));
  });
  return { defaults, clusters };
}

export function readFleetFile(file: string): FleetFile {
  return parseFleetFile(readFileSync(file, 'utf8'), file);
}
