// Small readers for loosely shaped upstream JSON (ODA status and specs are partly unvalidated by the
// CRD schema): a value of the wrong type reads as null / absent instead of crashing a resolver.
import { ODA_GROUP, type Segment } from './upstream.js';
import type { OdaLabel, OdaLayout, OdaSegment, OdaSpecification } from './models.js';

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

export function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

export function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record).filter((v): v is Record<string, unknown> => v !== null) : [];
}

export function labelsOf(labels: Record<string, string> | undefined): OdaLabel[] {
  return Object.entries(labels ?? {})
    .map(([key, value]) => ({ key, value: String(value) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const SEGMENT: Record<Segment, OdaSegment> = { coreFunction: 'CORE', managementFunction: 'MANAGEMENT', securityFunction: 'SECURITY' };

export function segmentOf(value: unknown): OdaSegment | null {
  return typeof value === 'string' && value in SEGMENT ? SEGMENT[value as Segment] : null;
}

export function segmentModel(segment: Segment): OdaSegment {
  return SEGMENT[segment];
}

const LAYOUT_BY_VERSION: Record<string, OdaLayout> = { v1: 'V1', v1beta4: 'V1BETA4', v1beta3: 'V1BETA3', v1beta2: 'V1BETA2' };

/**
 * The version part of `oda.tmforum.org/<version>` and the layout to read it with. A version this code
 * does not know (a future `v2`) is read by shape: `spec.componentMetadata` present → V1, else V1BETA3.
 */
export function layoutOf(apiVersion: string | undefined, spec: unknown): { servedVersion: string; layout: OdaLayout } {
  const prefix = `${ODA_GROUP}/`;
  const servedVersion = apiVersion?.startsWith(prefix) ? apiVersion.slice(prefix.length) : (apiVersion ?? '');
  const known = LAYOUT_BY_VERSION[servedVersion];
  if (known) return { servedVersion, layout: known };
  return { servedVersion, layout: record(record(spec)?.componentMetadata) ? 'V1' : 'V1BETA3' };
}

/** `TMF620` from a spec URL (`…/TMF620_ProductCatalog/…`, `TMF620-ProductCatalog-v4.0.0…`). */
export function tmfApiIdOf(url: string | null): string | null {
  const m = /TMF(\d{3,4})(?!\d)/i.exec(url ?? '');
  return m ? `TMF${m[1]}` : null;
}

/**
 * The major version (`v4`) as the component operator derives it: from the version (`v4.0.0`, `4.0.0`,
 * `v4`), else from the URL (`_v4.` , `/v4/`, `-v4.`).
 */
export function majorVersionOf(version: string | null, url: string | null): string | null {
  if (version) {
    const major = version.toLowerCase().replace(/^v/, '').split('.')[0];
    if (/^\d+$/.test(major)) return `v${major}`;
  }
  for (const pattern of [/_v(\d+)\./, /\/v(\d+)\//, /-v(\d+)\./]) {
    const m = pattern.exec(url ?? '');
    if (m) return `v${m[1]}`;
  }
  return null;
}

export function specification(url: unknown, version: unknown): OdaSpecification {
  const u = str(url);
  const v = str(version);
  return { url: u, version: v, majorVersion: majorVersionOf(v, u), tmfApiId: tmfApiIdOf(u) };
}

/**
 * Every layout's `specification`: `{url, version}` (ExposedAPI v1), `[{url, version}]` (v1, v1beta4),
 * `[url]` (v1beta3) or `url` (v1beta2, v1beta3 dependent APIs).
 */
export function specificationsOf(value: unknown): OdaSpecification[] {
  if (typeof value === 'string') return value === '' ? [] : [specification(value, undefined)];
  const one = record(value);
  if (one) return [specification(one.url, one.version)];
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (typeof entry === 'string') return entry === '' ? [] : [specification(entry, undefined)];
    const r = record(entry);
    return r ? [specification(r.url, r.version)] : [];
  });
}
