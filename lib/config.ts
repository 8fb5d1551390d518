// Every setting of every fleetgraph process, read once from the environment and the command line at
// an entry point (gateway/main.ts, subgraphs/run.ts, scripts/start.ts, the CLIs) and passed down as a
// typed object. No other product file reads `process.env`: this is the one place that names variables,
// gives defaults and refuses bad values with a message that names the variable.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from './log.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Where the fleet comes from: kubeconfig contexts (+ fleet file), or nothing (the demo simulator). */
export interface FleetSourceConfig {
  /** Kubeconfig files in KUBECONFIG order; empty = no real clusters (the launcher runs the simulator). */
  kubeconfigPaths: string[];
  fleetFilePath?: string;
  /** Only these contexts (default every context). */
  contexts?: string[];
  /** Per-cluster deadline where the fleet file does not say, ms. */
  deadlineMs?: number;
}

/** Settings every domain subgraph understands (the same names in every domain's `start`). */
export interface DomainSettings {
  /** Change feeds (timing, ovs …) poll a subscribed cluster this often, ms. */
  pollIntervalMs: number;
  /** Reads through the API server's pod proxy in flight at once per process (exporters, telemetry). */
  proxyConcurrency: number;
  /** Short-TTL shared LIST results, ms (0 = off). */
  listCacheTtlMs: number;
}

/**
 * OpenTelemetry traces, from the standard OTEL_* variables. Off unless an OTLP endpoint (or
 * OTEL_TRACES_EXPORTER=otlp) is set; exported as OTLP/HTTP JSON.
 */
export interface TracingConfig {
  enabled: boolean;
  serviceName: string;
  /** The OTLP/HTTP traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces). */
  url: string;
  headers: Record<string, string>;
  /** OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes: Record<string, string>;
  sampler: { root: 'always_on' | 'always_off' | 'traceidratio'; parentBased: boolean; ratio: number };
  /** OTEL_BSP_SCHEDULE_DELAY: how long spans wait to be batched, ms. */
  scheduleDelayMs: number;
  /** OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT, ms. */
  exportTimeoutMs: number;
}

export interface SubgraphConfig {
  host: string;
  /** Undefined: the domain's default port from the manifest; 0: a random free port. */
  port?: number;
  fleet: FleetSourceConfig;
  /** Shared caches in Redis when set (else in memory). */
  redisUrl?: string;
  domain: DomainSettings;
  logLevel: LogLevel;
  tracing: TracingConfig;
}

/** Subscription limits (gateway/subscriptions/options.ts names them and gives defaults). */
export type SubscriptionLimitSettings = Partial<Record<(typeof WS_LIMITS)[keyof typeof WS_LIMITS], number>>;

export interface GatewayConfig {
  host: string;
  port: number;
  /** Subgraph name → URL; a domain absent here runs at http://127.0.0.1:<manifest port>/graphql. */
  subgraphUrls: Record<string, string>;
  introspection: boolean;
  inflightDedup: boolean;
  redisUrl?: string;
  subscriptionLimits: SubscriptionLimitSettings;
  logLevel: LogLevel;
  tracing: TracingConfig;
}

export interface SubscribeCliConfig {
  url: string;
  token?: string;
}

export const DEFAULT_DOMAIN_SETTINGS: DomainSettings = { pollIntervalMs: 1000, proxyConcurrency: 16, listCacheTtlMs: 0 };

const WS_LIMITS = {
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: 'maxSubscriptionsPerConnection',
  WS_MAX_SUBSCRIPTIONS: 'maxSubscriptions',
  WS_MAX_CONNECTIONS: 'maxConnections',
  WS_CONNECTION_INIT_TIMEOUT_MS: 'connectionInitTimeoutMs',
  WS_IDLE_TIMEOUT_MS: 'idleTimeoutMs',
  WS_MAX_LIFETIME_MS: 'maxLifetimeMs',
  WS_MAX_PAYLOAD_BYTES: 'maxPayloadBytes',
  WS_MAX_BUFFERED_BYTES: 'maxBufferedBytes',
  WS_KEEPALIVE_MS: 'keepAliveMs',
} as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function number(env: Env, name: string, options: { min?: number; integer?: boolean } = {}): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  const min = options.min ?? 0;
  if (!Number.isFinite(value) || value < min || (options.integer && !Number.isInteger(value))) {
    throw new ConfigError(`${name} must be ${options.integer ? 'an integer' : 'a number'} ≥ ${min}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function port(env: Env, name: string): number | undefined {
  const value = number(env, name, { integer: true });
  if (value !== undefined && value > 65535) throw new ConfigError(`${name} must be a port (0-65535), got ${value}`);
  return value;
}

export function logLevelFrom(env: Env = process.env): LogLevel {
  const raw = env.LOG_LEVEL?.trim();
  if (!raw) return env.NODE_ENV === 'test' ? 'silent' : 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw as LogLevel;
}

function list(raw: string | undefined, separator: string | RegExp): string[] {
  return (raw ?? '')
    .split(separator)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The fleet flags (`--kubeconfig` repeatable, `--fleet-file`, `--context A,B`) over KUBECONFIG, FLEET_FILE, KUBE_CONTEXTS. */
export function fleetSourceFrom(argv: readonly string[], env: Env = process.env): FleetSourceConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: {
      kubeconfig: { type: 'string', multiple: true },
      'fleet-file': { type: 'string' },
      context: { type: 'string', multiple: true },
    },
  });
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
  const kubeconfigPaths = strings(values.kubeconfig);
  const contexts = [...strings(values.context), ...(env.KUBE_CONTEXTS ? [env.KUBE_CONTEXTS] : [])].flatMap((c) => list(c, ','));
  const fleetFile = strings(values['fleet-file'])[0] ?? (env.FLEET_FILE || undefined);
  return {
    kubeconfigPaths: kubeconfigPaths.length ? kubeconfigPaths : list(env.KUBECONFIG, delimiter),
    fleetFilePath: fleetFile,
    contexts: contexts.length ? contexts : undefined,
    deadlineMs: number(env, 'CLUSTER_DEADLINE_MS', { min: 1 }),
  };
}

export function domainSettingsFrom(env: Env): DomainSettings {
  return {
    // PTP_POLL_INTERVAL_MS and DPDK_TELEMETRY_CONCURRENCY are the names of earlier releases.
    pollIntervalMs: number(env, 'POLL_INTERVAL_MS', { min: 1 }) ?? number(env, 'PTP_POLL_INTERVAL_MS', { min: 1 }) ?? DEFAULT_DOMAIN_SETTINGS.pollIntervalMs,
    proxyConcurrency:
      number(env, 'PROXY_CONCURRENCY', { min: 1, integer: true }) ??
      number(env, 'DPDK_TELEMETRY_CONCURRENCY', { min: 1, integer: true }) ??
      DEFAULT_DOMAIN_SETTINGS.proxyConcurrency,
    listCacheTtlMs: number(env, 'LIST_CACHE_TTL_MS') ?? DEFAULT_DOMAIN_SETTINGS.listCacheTtlMs,
  };
}

/** `k1=v1,k2=v2` with URL-encoded values (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES). */
function keyValues(env: Env, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of list(env[name], ',')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new ConfigError(`${name} must be key=value pairs separated by commas, got "${pair}"`);
    try {
      out[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new ConfigError(`${name}: "${pair}" is not URL-encoded`);
    }
  }
  return out;
}

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

/** The OpenTelemetry settings of one process (`serviceName` unless OTEL_SERVICE_NAME says). */
export function tracingFrom(env: Env, serviceName: string): TracingConfig {
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter && !['otlp', 'none'].includes(exporter)) throw new ConfigError(`OTEL_TRACES_EXPORTER must be otlp or none, got "${env.OTEL_TRACES_EXPORTER}"`);
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const protocol = env[name]?.trim();
    if (protocol && protocol !== 'http/json') throw new ConfigError(`${name}: fleetgraph exports OTLP over HTTP as JSON (http/json; collectors accept it on :4318), got "${protocol}"`);
  }
  const sampler = (env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on') as (typeof SAMPLERS)[number];
  if (!SAMPLERS.includes(sampler)) throw new ConfigError(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, got "${env.OTEL_TRACES_SAMPLER}"`);
  const ratio = number(env, 'OTEL_TRACES_SAMPLER_ARG') ?? 1;
  if (sampler.endsWith('traceidratio') && ratio > 1) throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1, got ${ratio}`);
  const url = tracesEndpoint || `${(endpoint || 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`;
  try {
    new URL(url);
  } catch {
    throw new ConfigError(`OTEL_EXPORTER_OTLP_${tracesEndpoint ? 'TRACES_' : ''}ENDPOINT must be a URL, got "${tracesEndpoint || endpoint}"`);
  }
  const disabled = flag(env, 'OTEL_SDK_DISABLED', false) || exporter === 'none';
  return {
    enabled: !disabled && (exporter === 'otlp' || Boolean(tracesEndpoint || endpoint)),
    serviceName: env.OTEL_SERVICE_NAME?.trim() || serviceName,
    url,
    headers: { ...keyValues(env, 'OTEL_EXPORTER_OTLP_HEADERS'), ...keyValues(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS') },
    resourceAttributes: keyValues(env, 'OTEL_RESOURCE_ATTRIBUTES'),
    sampler: { root: sampler.replace('parentbased_', '') as TracingConfig['sampler']['root'], parentBased: sampler.startsWith('parentbased_'), ratio },
    scheduleDelayMs: number(env, 'OTEL_BSP_SCHEDULE_DELAY') ?? 5000,
    exportTimeoutMs: number(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', { min: 1 }) ?? number(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', { min: 1 }) ?? 10_000,
  };
}

/** One domain subgraph process (subgraphs/run.ts, compose.yaml, the launcher's children). */
/** `argv`: `[<domain>] [--kubeconfig FILE] …` (the domain names the process in traces). */
export function readSubgraphConfig(argv: readonly string[], env: Env = process.env): SubgraphConfig {
  const domain = parseArgs({ args: [...argv], strict: false, allowPositionals: true }).positionals[0] ?? 'subgraph';
  const fleet = fleetSourceFrom(argv, env);
  // As kubectl does: without --kubeconfig or KUBECONFIG, ~/.kube/config when there is one.
  const home = join(env.HOME || homedir(), '.kube', 'config');
  if (fleet.kubeconfigPaths.length === 0 && existsSync(home)) fleet.kubeconfigPaths = [home];
  return {
    host: env.HOST || '127.0.0.1',
    port: port(env, 'PORT'),
    fleet,
    redisUrl: env.REDIS_URL || undefined,
    domain: domainSettingsFrom(env),
    logLevel: logLevelFrom(env),
    tracing: tracingFrom(env, `fleetgraph-${domain}`),
  };
}

export function subscriptionLimitsFrom(env: Env): SubscriptionLimitSettings {
  const limits: SubscriptionLimitSettings = {};
  for (const [name, key] of Object.entries(WS_LIMITS)) {
    const value = number(env, name);
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/** The gateway process (gateway/main.ts). `domains`: the manifest's names and default ports. */
export function readGatewayConfig(domains: readonly { name: string; port: number }[], env: Env = process.env): GatewayConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const d of domains) subgraphUrls[d.name] = env[`SUBGRAPH_${d.name.toUpperCase()}_URL`] || `http://127.0.0.1:${d.port}/graphql`;
  return {
    host: env.HOST || '127.0.0.1',
    port: port(env, 'PORT') ?? 4000,
    subgraphUrls,
    introspection: flag(env, 'INTROSPECTION', false),
    inflightDedup: flag(env, 'GATEWAY_INFLIGHT_DEDUP', true),
    redisUrl: env.REDIS_URL || undefined,
    subscriptionLimits: subscriptionLimitsFrom(env),
    logLevel: logLevelFrom(env),
    tracing: tracingFrom(env, 'fleetgraph-gateway'),
  };
}

/** Scripts on the typed client (examples/): the gateway's GraphQL URL and a bearer token. */
export interface ClientScriptConfig {
  url: string;
  token?: string;
}

export function readClientScriptConfig(env: Env = process.env): ClientScriptConfig {
  const url = env.FLEETGRAPH_URL?.trim() || 'http://127.0.0.1:4000/graphql';
  if (!/^https?:\/\//.test(url)) throw new ConfigError(`FLEETGRAPH_URL must be an http(s) URL, got "${url}"`);
  return { url, token: env.FLEETGRAPH_TOKEN || undefined };
}

export function readSubscribeCliConfig(env: Env = process.env): SubscribeCliConfig {
  return { url: env.FLEETGRAPH_WS_URL || 'ws://127.0.0.1:4000/graphql', token: env.FLEETGRAPH_TOKEN || undefined };
}
