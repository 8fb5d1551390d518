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
  /** Offer HTTP/2 to API servers (KUBE_HTTP2, default true): one connection per cluster for every call and watch. */
  http2?: boolean;
  /** Watch-cache LISTs in flight at once across the fleet (SYNC_CONCURRENCY; default 64): the pre-warm budget. */
  syncConcurrency?: number;
  /** Start the kinds domains read on every cluster at start and when a cluster joins (PREWARM, default true). */
  prewarm?: boolean;
}

/** Settings every domain subgraph understands (the same names in every domain's `start`). */
export interface DomainSettings {
  /** Change feeds (timing, ovs …) poll a subscribed cluster this often, ms. */
  pollIntervalMs: number;
  /** Reads through the API server's pod proxy in flight at once per process (exporters, telemetry). */
  proxyConcurrency: number;
  /** Short-TTL shared LIST results, ms (0 = off). */
  listCacheTtlMs: number;
  /** Metric snapshots (PTP) answer queries while younger than this, ms (0 = every query reads metrics). */
  metricsMaxAgeMs: number;
  /**
   * CALLBACK_BASE_URL: where the managed clusters reach this subgraph's receivers (cloud-event-proxy
   * posts PTP events to `<base>/ptp-events/<token>`), or `self` for the subgraph's own listening URL
   * (clusters on the same host, as the simulated fleet). Unset: change feeds only poll.
   */
  callbackBaseUrl?: string;
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
  /** PRINCIPAL_SIGNING_KEY: the stack's shared key; the process refuses to start without one (requirePrincipalKey). */
  principalKey?: string;
  logLevel: LogLevel;
  tracing: TracingConfig;
}

/** Subscription limits (gateway/subscriptions/options.ts names them and gives defaults). */
export type SubscriptionLimitSettings = Partial<Record<(typeof WS_LIMITS)[keyof typeof WS_LIMITS], number>>;

/** Operation limits (gateway/limits/options.ts names them and gives defaults). */
export type OperationLimitSettings = Partial<Record<(typeof OPERATION_LIMITS)[keyof typeof OPERATION_LIMITS], number>>;

/** OIDC / JWT verification of bearer tokens (gateway/auth/credentials.ts). */
export interface JwtSettings {
  jwksUrl?: string;
  jwksFile?: string;
  issuer?: string;
  audience?: string[];
  clockSkewSeconds?: number;
}

export interface GatewayConfig {
  host: string;
  port: number;
  /** Subgraph name → URL; a domain absent here runs at http://127.0.0.1:<manifest port>/graphql. */
  subgraphUrls: Record<string, string>;
  introspection: boolean;
  /** GraphiQL at `/`. */
  graphiql: boolean;
  /** Headers GraphiQL presets (the demo token; JSON object in GRAPHIQL_HEADERS). */
  graphiqlHeaders?: Record<string, string>;
  inflightDedup: boolean;
  /** Single-fetch queries answered with the subgraph's data as it comes (GATEWAY_PASS_THROUGH, default true). */
  passThrough: boolean;
  redisUrl?: string;
  subscriptionLimits: SubscriptionLimitSettings;
  operationLimits: OperationLimitSettings;
  /** POLICY_FILE: the access policy; the gateway refuses to start without one (requirePolicyFile). */
  policyFile?: string;
  jwt: JwtSettings;
  /** PRINCIPAL_SIGNING_KEY (requirePrincipalKey). */
  principalKey?: string;
  allowedOrigins: string[];
  /** TLS_CERT_FILE / TLS_KEY_FILE: serve HTTPS. */
  tls?: { certFile: string; keyFile: string };
  /** TRUSTED_DOCUMENTS_FILE: only these documents run. */
  trustedDocumentsFile?: string;
  logLevel: LogLevel;
  tracing: TracingConfig;
}

export interface SubscribeCliConfig {
  url: string;
  token?: string;
}

export const DEFAULT_DOMAIN_SETTINGS: DomainSettings = { pollIntervalMs: 1000, proxyConcurrency: 16, listCacheTtlMs: 0, metricsMaxAgeMs: 10_000 };

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

const OPERATION_LIMITS = {
  GRAPHQL_MAX_TOKENS: 'maxTokens',
  GRAPHQL_MAX_DEPTH: 'maxDepth',
  GRAPHQL_MAX_ALIASES: 'maxAliases',
  GRAPHQL_MAX_ROOT_FIELDS: 'maxRootFields',
  GRAPHQL_MAX_COST: 'maxCost',
  GRAPHQL_COST_FLEET_SIZE: 'costFleetSize',
  GRAPHQL_COST_LIST_SIZE: 'costListSize',
  MAX_BODY_BYTES: 'maxBodyBytes',
  QUERY_TIMEOUT_MS: 'queryTimeoutMs',
  RATE_LIMIT_PER_SECOND: 'rateLimitPerSecond',
  RATE_LIMIT_BURST: 'rateLimitBurst',
} as const;

/** The shortest PRINCIPAL_SIGNING_KEY accepted (lib/principal.ts MIN_PRINCIPAL_KEY_LENGTH). */
const MIN_KEY_LENGTH = 32;

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
    http2: flag(env, 'KUBE_HTTP2', true),
    syncConcurrency: number(env, 'SYNC_CONCURRENCY', { min: 1, integer: true }),
    prewarm: flag(env, 'PREWARM', true),
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
    metricsMaxAgeMs: number(env, 'METRICS_MAX_AGE_MS') ?? DEFAULT_DOMAIN_SETTINGS.metricsMaxAgeMs,
    callbackBaseUrl: callbackBaseUrl(env),
  };
}

function callbackBaseUrl(env: Env): string | undefined {
  const raw = env.CALLBACK_BASE_URL?.trim();
  if (!raw) return undefined;
  if (raw === 'self') return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`CALLBACK_BASE_URL must be an http(s) URL or "self", got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`CALLBACK_BASE_URL must be an http(s) URL or "self", got "${raw}"`);
  if (url.username || url.password || url.search || url.hash) throw new ConfigError('CALLBACK_BASE_URL must not carry credentials, a query or a fragment');
  return raw.replace(/\/+$/, '');
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
    principalKey: principalKeyFrom(env),
    logLevel: logLevelFrom(env),
    tracing: tracingFrom(env, `fleetgraph-${domain}`),
  };
}

function principalKeyFrom(env: Env): string | undefined {
  const key = env.PRINCIPAL_SIGNING_KEY?.trim();
  if (!key) return undefined;
  if (key.length < MIN_KEY_LENGTH) throw new ConfigError(`PRINCIPAL_SIGNING_KEY must be at least ${MIN_KEY_LENGTH} characters (e.g. openssl rand -base64 32)`);
  return key;
}

/** The key, or the error that stops a gateway or subgraph process: subgraphs must never trust an unsigned principal. */
export function requirePrincipalKey(key: string | undefined): string {
  if (key) return key;
  throw new ConfigError(
    'PRINCIPAL_SIGNING_KEY is not set: the gateway signs the principal it sends every subgraph with this shared key, and a subgraph refuses an unsigned one. Give the gateway and every subgraph the same value (e.g. openssl rand -base64 32); npm start makes one per stack.',
  );
}

/** The policy file, or the error that stops the gateway: without a policy it would answer nobody. */
export function requirePolicyFile(path: string | undefined): string {
  if (path) return path;
  throw new ConfigError('POLICY_FILE is not set: the gateway needs an access policy (README "Access"); grant `anonymous: true` there for an open gateway on a trusted network.');
}

export function operationLimitsFrom(env: Env): OperationLimitSettings {
  const limits: OperationLimitSettings = {};
  for (const [name, key] of Object.entries(OPERATION_LIMITS)) {
    const value = number(env, name, { integer: true });
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

function jsonObject(env: Env, name: string): Record<string, string> | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} must be a JSON object of strings`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new ConfigError(`${name} must be a JSON object of strings`);
  }
  return value as Record<string, string>;
}

/** JWT_JWKS_URL | JWT_JWKS_FILE, JWT_ISSUER, JWT_AUDIENCE (comma list), JWT_CLOCK_SKEW_SECONDS. */
export function jwtSettingsFrom(env: Env = process.env): JwtSettings {
  const jwksUrl = env.JWT_JWKS_URL?.trim() || undefined;
  const jwksFile = env.JWT_JWKS_FILE?.trim() || undefined;
  if (jwksUrl && jwksFile) throw new ConfigError('set JWT_JWKS_URL or JWT_JWKS_FILE, not both');
  if (jwksUrl && !/^https?:\/\//.test(jwksUrl)) throw new ConfigError(`JWT_JWKS_URL must be an http(s) URL, got "${jwksUrl}"`);
  const audience = list(env.JWT_AUDIENCE, ',');
  return {
    jwksUrl,
    jwksFile,
    issuer: env.JWT_ISSUER?.trim() || undefined,
    audience: audience.length ? audience : undefined,
    clockSkewSeconds: number(env, 'JWT_CLOCK_SKEW_SECONDS'),
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
    graphiql: flag(env, 'GRAPHIQL', false),
    graphiqlHeaders: jsonObject(env, 'GRAPHIQL_HEADERS'),
    inflightDedup: flag(env, 'GATEWAY_INFLIGHT_DEDUP', true),
    passThrough: flag(env, 'GATEWAY_PASS_THROUGH', true),
    redisUrl: env.REDIS_URL || undefined,
    subscriptionLimits: subscriptionLimitsFrom(env),
    operationLimits: operationLimitsFrom(env),
    policyFile: env.POLICY_FILE?.trim() || undefined,
    jwt: jwtSettingsFrom(env),
    principalKey: principalKeyFrom(env),
    allowedOrigins: list(env.ALLOWED_ORIGINS, ','),
    tls: tlsFrom(env),
    trustedDocumentsFile: env.TRUSTED_DOCUMENTS_FILE?.trim() || undefined,
    logLevel: logLevelFrom(env),
    tracing: tracingFrom(env, 'fleetgraph-gateway'),
  };
}

function tlsFrom(env: Env): GatewayConfig['tls'] {
  const certFile = env.TLS_CERT_FILE?.trim();
  const keyFile = env.TLS_KEY_FILE?.trim();
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE go together: set both (PEM files) or neither');
  return { certFile, keyFile };
}

/** The launcher's access settings with real clusters: `--policy FILE` over POLICY_FILE, JWT_* as the gateway reads them. */
export function launcherAccessFrom(policyFlag: string | undefined, env: Env = process.env): { policyFile?: string; jwt: JwtSettings } {
  return { policyFile: policyFlag || env.POLICY_FILE?.trim() || undefined, jwt: jwtSettingsFrom(env) };
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
