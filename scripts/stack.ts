// The whole fleetgraph stack: the simulated fleet (unless real clusters are given), every domain
// subgraph of the manifest and the gateway. `npm start`, the tests and the bench start it from here.
//
// Two layouts:
//  - `processes` (default, `npm start`): the simulator, each subgraph and the gateway in their own child
//    processes, supervised (restarted with backoff, output prefixed by name) — as compose.yaml and a
//    cluster deployment run them, so one heavy query cannot freeze the others and a subgraph can
//    restart alone.
//  - `single`: everything in this process, sharing one cluster registry, one set of watch caches and one
//    connection pool per cluster (what the bench measures for per-cluster connection counts, and tests
//    that look inside the subgraphs use).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { delimiter } from 'node:path';
import {
  DEFAULT_DOMAIN_SETTINGS,
  type DomainSettings,
  type FleetSourceConfig,
  type JwtSettings,
  type OperationLimitSettings,
  type SubscriptionLimitSettings,
} from '../lib/config.js';
import { principalCodec } from '../lib/principal.js';
import { SUPERGRAPH_PATH } from '../lib/paths.js';
import { DOMAINS } from '../subgraphs/domains.js';
import { openFleetAccess, type OpenFleetAccess } from '../subgraphs/common/fleet-access.js';
import type { RunningSubgraph } from '../subgraphs/common/serve.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import type { GatewayPlugin } from '../gateway/plugins/index.js';
import type { FleetOptions } from '../simulator/fleet/model.js';
import type { Simulator } from '../simulator/simulator.js';
import { SupervisedProcess, type ChildSpec, type ReadyMessage } from './launcher/supervisor.js';
import { buildEntryPoints } from './launcher/build.js';
import { assertPortsFree, freePort, stackPorts, type StackPorts } from './launcher/ports.js';
import { demoAccess, openReadPolicy } from './launcher/access-files.js';

/**
 * Who may call the gateway: `demo` (npm start on the simulated fleet: a local policy whose demo API key
 * holds every scope), a policy file (+ JWT verification), or unset — anonymous callers read everything
 * (tests: one process has no access plugin; the processes layout writes that policy for its gateway).
 */
export type StackAccess = 'demo' | { policyFile: string; jwt?: JwtSettings };

export type StackLayout = 'processes' | 'single';

export interface StackOptions {
  layout?: StackLayout;
  /** Real clusters; without kubeconfig paths the simulated demo fleet runs. */
  fleet?: FleetSourceConfig;
  /** The embedded simulator (fleet size and seed, ports, directory). */
  simulator?: { fleet?: Partial<FleetOptions>; dir?: string; port?: number; controlPort?: number };
  /** Listen address of the gateway and subgraphs (the demo fleet always uses 127.0.0.1). */
  host?: string;
  /** Gateway N, subgraphs N + (default − 4000), simulator N + 2443 / N + 2480; 0 = random ports for all. */
  basePort?: number;
  /** Gateway port only (overrides basePort for the gateway). */
  port?: number;
  /** Per-cluster deadline where the fleet file does not say, ms. */
  deadlineMs?: number;
  /** Pre-warm the kinds domains read on every cluster (default: PREWARM, true). */
  prewarm?: boolean;
  settings?: Partial<DomainSettings>;
  introspection?: boolean;
  /** GraphiQL at `/` (default: on for the demo fleet). */
  graphiql?: boolean;
  access?: StackAccess;
  /** The gateway's operation limits (unset: its defaults). */
  limits?: OperationLimitSettings;
  /** The key the gateway signs principals with and the subgraphs check (default: a new random one per stack). */
  principalKey?: string;
  /**
   * single, bench only: the subgraphs accept an unsigned principal (and the gateway sends one), so the
   * throughput bench can put gateways that cannot sign (Apollo, Hive) in front of the same subgraphs.
   * Never for a deployment: anyone who reaches a subgraph port could claim any identity.
   */
  unsignedPrincipals?: boolean;
  redisUrl?: string;
  /** single: gateway plugins added after the built-in ones (e.g. an authentication plugin in a test). */
  gatewayPlugins?: GatewayPlugin[];
  /** single: the gateway's subscription limits (processes: the gateway child reads WS_* itself). */
  subscriptionLimits?: SubscriptionLimitSettings;
  /** processes: environment added to every child's. */
  env?: Record<string, string | undefined>;
  /** processes: where the children's output lines go (default: our stdout/stderr, prefixed). */
  output?: ChildSpec['output'];
}

export interface SimulatorInfo {
  apiUrl: string;
  controlUrl: string;
  kubeconfigPath: string;
  fleetFilePath: string;
}

export interface Stack {
  layout: StackLayout;
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  /** The embedded simulator, when no real clusters were given. */
  simulator?: SimulatorInfo;
  /** processes: the supervised children by name (`simulator`, each domain, `gateway`). */
  processes: Record<string, SupervisedProcess>;
  /** single: the live objects. */
  inProcess?: InProcessParts;
  /** The stack's principal signing key (children get it as PRINCIPAL_SIGNING_KEY; never printed). */
  principalKey: string;
  /** The demo's API key (access `demo`): printed by npm start, preset in GraphiQL. */
  demoToken?: string;
  stop(): Promise<void>;
}

export interface InProcessParts {
  simulator?: Simulator;
  access: OpenFleetAccess;
  subgraphs: Record<string, RunningSubgraph>;
  gateway: RunningGateway;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const demo = !options.fleet?.kubeconfigPaths.length;
  const host = demo ? '127.0.0.1' : (options.host ?? '127.0.0.1');
  const ports = stackPorts(options.basePort, options.port, options.simulator);
  await assertPortsFree(host, ports, demo, DOMAINS);
  const settings: DomainSettings = {
    ...DEFAULT_DOMAIN_SETTINGS,
    ...options.settings,
    // The demo fleet runs on this host: its cloud-event-proxies can post PTP events to the subgraph itself.
    callbackBaseUrl: options.settings?.callbackBaseUrl ?? (demo ? 'self' : undefined),
  };
  const introspection = options.introspection ?? demo;
  const principalKey = options.principalKey ?? randomBytes(32).toString('base64url');
  const demoFiles = options.access === 'demo' ? demoAccess() : undefined;
  const access = demoFiles ? { policyFile: demoFiles.policyFile } : options.access === 'demo' ? undefined : options.access;
  const graphiqlHeaders: Record<string, string> = demoFiles ? { authorization: `Bearer ${demoFiles.token}` } : {};
  const graphiql = (options.graphiql ?? demo) ? { headers: graphiqlHeaders } : false;
  const resolved: Resolved = { demo, host, ports, settings, introspection, graphiql, access, principalKey, demoToken: demoFiles?.token };
  return (options.layout ?? 'processes') === 'single' ? startSingle(options, resolved) : startProcesses(options, resolved);
}

interface Resolved {
  demo: boolean;
  host: string;
  ports: StackPorts;
  settings: DomainSettings;
  introspection: boolean;
  graphiql: false | { headers: Record<string, string> };
  access?: { policyFile: string; jwt?: JwtSettings };
  principalKey: string;
  demoToken?: string;
}

/** What the gateway child reads from its environment for access and limits (lib/config.ts names). */
function accessEnv(r: Resolved, policyFile: string, limits: OperationLimitSettings = {}): Record<string, string | undefined> {
  const jwt = r.access?.jwt ?? {};
  const names: Record<keyof OperationLimitSettings, string> = {
    maxTokens: 'GRAPHQL_MAX_TOKENS',
    maxDepth: 'GRAPHQL_MAX_DEPTH',
    maxAliases: 'GRAPHQL_MAX_ALIASES',
    maxRootFields: 'GRAPHQL_MAX_ROOT_FIELDS',
    maxCost: 'GRAPHQL_MAX_COST',
    costFleetSize: 'GRAPHQL_COST_FLEET_SIZE',
    costListSize: 'GRAPHQL_COST_LIST_SIZE',
    maxBodyBytes: 'MAX_BODY_BYTES',
    queryTimeoutMs: 'QUERY_TIMEOUT_MS',
    rateLimitPerSecond: 'RATE_LIMIT_PER_SECOND',
    rateLimitBurst: 'RATE_LIMIT_BURST',
  };
  return {
    POLICY_FILE: policyFile,
    GRAPHIQL: String(r.graphiql !== false),
    GRAPHIQL_HEADERS: r.graphiql && Object.keys(r.graphiql.headers).length ? JSON.stringify(r.graphiql.headers) : undefined,
    JWT_JWKS_URL: jwt.jwksUrl,
    JWT_JWKS_FILE: jwt.jwksFile,
    JWT_ISSUER: jwt.issuer,
    JWT_AUDIENCE: jwt.audience?.join(','),
    JWT_CLOCK_SKEW_SECONDS: jwt.clockSkewSeconds === undefined ? undefined : String(jwt.clockSkewSeconds),
    ...Object.fromEntries(Object.entries(limits).map(([key, value]) => [names[key as keyof OperationLimitSettings], String(value)])),
  };
}

/** Stops what was started, last first, whatever fails on the way. */
function stopper(): { push(stop: () => Promise<void>): void; stopAll(): Promise<void> } {
  const stops: (() => Promise<void>)[] = [];
  return {
    push: (stop) => void stops.push(stop),
    async stopAll() {
      for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
    },
  };
}

async function startProcesses(options: StackOptions, r: Resolved): Promise<Stack> {
  if (options.unsignedPrincipals) throw new Error('unsignedPrincipals is for the single layout (the bench) only');
  const { push, stopAll } = stopper();
  const processes: Record<string, SupervisedProcess> = {};
  const base = { ...process.env, ...options.env };
  const launch = async (spec: ChildSpec): Promise<ReadyMessage> => {
    const child = new SupervisedProcess({ output: options.output, ...spec });
    processes[spec.name] = child;
    push(() => child.stop());
    return child.start();
  };
  try {
    const build = await buildEntryPoints();
    push(async () => build.remove());
    const bundles = build.entries;
    // Without a policy, anonymous callers read everything (as a gateway without one does in one process).
    let policyFile = r.access?.policyFile;
    if (!policyFile) {
      const dir = mkdtempSync(path.join(tmpdir(), 'fleetgraph-access-'));
      push(async () => rmSync(dir, { recursive: true, force: true }));
      policyFile = openReadPolicy(dir);
    }
    let fleet = options.fleet ?? { kubeconfigPaths: [] };
    let simulator: SimulatorInfo | undefined;
    if (r.demo) {
      const f = options.simulator?.fleet ?? {};
      const flag = (name: string, value: number | undefined) => (value === undefined ? [] : [`--${name}`, String(value)]);
      const ready = await launch({
        name: 'simulator',
        script: bundles['simulator/cli.ts'],
        args: [
          'start',
          '--port', String(r.ports.simulatorApi),
          '--control-port', String(r.ports.simulatorControl),
          ...(options.simulator?.dir ? ['--dir', options.simulator.dir] : []),
          ...flag('edges', f.edges), ...flag('hubs', f.hubs), ...flag('regionals', f.regionals), ...flag('seed', f.seed),
        ],
        env: base,
        // A restarted simulator is a new fleet (new CA, tokens, ports): the subgraphs could not follow.
        restart: false,
      });
      simulator = ready as unknown as SimulatorInfo;
      fleet = { kubeconfigPaths: [simulator.kubeconfigPath], fleetFilePath: simulator.fleetFilePath };
    }

    const fleetEnv = {
      KUBECONFIG: fleet.kubeconfigPaths.join(delimiter),
      FLEET_FILE: fleet.fleetFilePath,
      KUBE_CONTEXTS: fleet.contexts?.join(','),
      CLUSTER_DEADLINE_MS: options.deadlineMs === undefined ? base.CLUSTER_DEADLINE_MS : String(options.deadlineMs),
      PREWARM: options.prewarm === undefined ? base.PREWARM : String(options.prewarm),
      POLL_INTERVAL_MS: String(r.settings.pollIntervalMs),
      PROXY_CONCURRENCY: String(r.settings.proxyConcurrency),
      LIST_CACHE_TTL_MS: String(r.settings.listCacheTtlMs),
      METRICS_MAX_AGE_MS: String(r.settings.metricsMaxAgeMs),
      CALLBACK_BASE_URL: r.settings.callbackBaseUrl,
      REDIS_URL: options.redisUrl ?? base.REDIS_URL,
    };
    // Every port is known before anything starts, so the subgraphs and the gateway start side by side
    // (the gateway does not need its subgraphs up to start: it answers their part as unavailable).
    const pick = async (port: number) => (port === 0 ? freePort(r.host) : port);
    const subgraphUrls: Record<string, string> = {};
    for (const d of DOMAINS) subgraphUrls[d.name] = `http://${r.host}:${await pick(r.ports.subgraph(d))}/graphql`;
    const gatewayPort = await pick(r.ports.gateway);
    const [gatewayReady] = await Promise.all([
      launch({
        name: 'gateway',
        script: bundles['gateway/main.ts'],
        env: {
          ...base,
          HOST: r.host,
          PORT: String(gatewayPort),
          INTROSPECTION: String(r.introspection),
          REDIS_URL: options.redisUrl ?? base.REDIS_URL,
          PRINCIPAL_SIGNING_KEY: r.principalKey,
          ...accessEnv(r, policyFile, options.limits),
          ...Object.fromEntries(DOMAINS.map((d) => [`SUBGRAPH_${d.name.toUpperCase()}_URL`, subgraphUrls[d.name]])),
        },
      }),
      ...DOMAINS.map((d) =>
        launch({
          name: d.name,
          script: bundles['subgraphs/run.ts'],
          args: [d.name],
          env: { ...base, ...fleetEnv, HOST: r.host, PORT: new URL(subgraphUrls[d.name]).port, PRINCIPAL_SIGNING_KEY: r.principalKey },
        }),
      ),
    ]);
    return {
      layout: 'processes',
      gatewayUrl: gatewayReady.url!,
      subgraphUrls,
      simulator,
      processes,
      principalKey: r.principalKey,
      demoToken: r.demoToken,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function startSingle(options: StackOptions, r: Resolved): Promise<Stack> {
  const { push, stopAll } = stopper();
  try {
    let simulator: Simulator | undefined;
    let fleet = options.fleet ?? { kubeconfigPaths: [] };
    if (r.demo) {
      // Loaded only for the demo: `--kubeconfig` never loads the simulator.
      const { startSimulator } = await import('../simulator/simulator.js');
      // The demo fleet behaves like a live one: created ProvisioningRequests progress (the CLI does the same).
      simulator = await startSimulator({
        host: '127.0.0.1',
        provisioningOperator: true,
        ...options.simulator,
        port: r.ports.simulatorApi,
        controlPort: r.ports.simulatorControl,
      });
      push(() => simulator!.stop());
      fleet = { kubeconfigPaths: [simulator.kubeconfigPath], fleetFilePath: simulator.fleetFilePath };
    }
    const access = openFleetAccess({
      fleet: { ...fleet, deadlineMs: options.deadlineMs ?? fleet.deadlineMs, prewarm: options.prewarm ?? fleet.prewarm },
      redisUrl: options.redisUrl,
      listCacheTtlMs: r.settings.listCacheTtlMs,
    });
    push(() => access.close());

    const subgraphs: Record<string, RunningSubgraph> = {};
    const key = options.unsignedPrincipals ? undefined : r.principalKey;
    const principals = principalCodec({ key });
    for (const d of DOMAINS) {
      const domain = await d.load();
      const running = await domain.start(access, { host: r.host, port: r.ports.subgraph(d), settings: r.settings, principals, redisUrl: options.redisUrl });
      subgraphs[d.name] = running;
      push(() => running.stop());
    }
    const subgraphUrls = Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url]));
    const gateway = await startGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphUrls,
      host: r.host,
      port: r.ports.gateway,
      introspection: r.introspection,
      graphiql: r.graphiql,
      access: r.access,
      limits: options.limits,
      principalKey: key,
      redisUrl: options.redisUrl,
      subscriptions: { limits: options.subscriptionLimits },
      // One process: the gateway's /metrics shows the shared fleet access too (pre-warm, connections).
      plugins: [{ name: 'fleet-access', registry: access.metricsRegistry }, ...(options.gatewayPlugins ?? [])],
    });
    push(() => gateway.stop());
    return {
      layout: 'single',
      gatewayUrl: gateway.url,
      subgraphUrls,
      simulator: simulator && {
        apiUrl: simulator.apiUrl,
        controlUrl: simulator.controlUrl,
        kubeconfigPath: simulator.kubeconfigPath,
        fleetFilePath: simulator.fleetFilePath,
      },
      processes: {},
      inProcess: { simulator, access, subgraphs, gateway },
      principalKey: r.principalKey,
      demoToken: r.demoToken,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
