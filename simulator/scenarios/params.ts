// Parameter parsing shared by the scenarios: every mistake is an Error whose message says what to send
// (the control API answers it as 400).
import type { SimCluster, SimulatorRuntime } from '../cluster.js';
import type { ClusterRole } from '../fleet/model.js';

export type Params = Record<string, unknown>;

export class ParamError extends Error {}

export function optionalString(params: Params, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw new ParamError(`"${key}" must be a non-empty string`);
  return v;
}

export function optionalNumber(params: Params, key: string, fallback: number, range: { min?: number; max?: number; integer?: boolean } = {}): number {
  const raw = params[key];
  if (raw === undefined || raw === null) return fallback;
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParamError(`"${key}" must be a number`);
  if (range.integer && !Number.isInteger(v)) throw new ParamError(`"${key}" must be an integer`);
  if (range.min !== undefined && v < range.min) throw new ParamError(`"${key}" must be at least ${range.min}`);
  if (range.max !== undefined && v > range.max) throw new ParamError(`"${key}" must be at most ${range.max}`);
  return v;
}

export function optionalBoolean(params: Params, key: string, fallback: boolean): boolean {
  const v = params[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ParamError(`"${key}" must be true or false`);
}

/** Scenario delays are divided by `timeScale` (> 0; 10 = ten times faster). */
export function timeScaleOf(params: Params): number {
  const v = optionalNumber(params, 'timeScale', 1);
  if (v <= 0) throw new ParamError('"timeScale" must be greater than 0');
  return v;
}

function clusterNamed(runtime: SimulatorRuntime, name: string): SimCluster {
  const c = runtime.clusters.get(name);
  if (!c) throw new ParamError(`unknown cluster "${name}"`);
  return c;
}

/**
 * The clusters a scenario acts on: `cluster` (one name), `clusters` (names) or `region` (every cluster
 * whose fleet label region matches, optionally only of some roles).
 */
export function targetClusters(runtime: SimulatorRuntime, params: Params, options: { roles?: ClusterRole[] } = {}): SimCluster[] {
  const one = optionalString(params, 'cluster');
  const many = params.clusters;
  const region = optionalString(params, 'region');
  const given = [one !== undefined, many !== undefined && many !== null, region !== undefined].filter(Boolean).length;
  if (given === 0) throw new ParamError('give "cluster", "clusters" or "region"');
  if (given > 1) throw new ParamError('give only one of "cluster", "clusters" or "region"');
  let clusters: SimCluster[];
  if (one !== undefined) clusters = [clusterNamed(runtime, one)];
  else if (region !== undefined) {
    clusters = [...runtime.clusters.values()].filter(
      (c) => c.spec.labels.region === region && (!options.roles || options.roles.includes(c.spec.role)),
    );
    if (clusters.length === 0) throw new ParamError(`no ${options.roles?.join('/') ?? ''} clusters in region "${region}"`.replace('  ', ' '));
  } else {
    if (!Array.isArray(many) || many.length === 0 || many.some((n) => typeof n !== 'string')) {
      throw new ParamError('"clusters" must be a non-empty array of cluster names');
    }
    clusters = (many as string[]).map((n) => clusterNamed(runtime, n));
  }
  return clusters;
}

/** `namespace/name` of a pod. */
export function podRef(params: Params, key = 'pod'): { namespace: string; name: string } | undefined {
  const v = optionalString(params, key);
  if (v === undefined) return undefined;
  const [namespace, name, extra] = v.split('/');
  if (!namespace || !name || extra !== undefined) throw new ParamError(`"${key}" must be "<namespace>/<name>"`);
  return { namespace, name };
}
