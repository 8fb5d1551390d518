// The whole stack on random ports (simulator → subgraphs → gateway) and a GraphQL client that talks to
// the gateway over real HTTP and WebSockets, as a user would. Default layout `single` (everything in
// the test process, ~3× faster to start on CI's two cores); `layout: 'processes'` runs it exactly as
// `npm start` does, each part in its own supervised process (stack-fleet and the e2e suites do).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { ANONYMOUS_PRINCIPAL, PRINCIPAL_HEADER, principalCodec } from '../../lib/principal.js';
import { startStack, type Stack, type StackOptions } from '../../scripts/stack.js';
import type { SyncProgress } from '../../subgraphs/kube/watch-cache-registry.js';
import { endpointFromKubeconfig, type SimEndpoint } from './sim-client.js';
import { waitUntil } from './wait.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestStack extends Stack {
  query<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** The simulator's control API. */
  control(method: string, path: string, body?: unknown): Promise<any>;
  counters(): Promise<Record<string, Record<string, number>>>;
  /** The fleet's cluster names (the simulator's control API), sorted. */
  clusterNames(): Promise<string[]>;
  /** How to reach the simulator's API server directly (URL, CA, tokens): for SimClient. */
  sim: SimEndpoint;
  /**
   * What the gateway sends a subgraph for a caller without a policy (the anonymous principal, signed
   * afresh with the stack's key): as HTTP headers or graphql-ws connection_init, for tests that talk to
   * a subgraph directly. Anything else is refused there.
   */
  asGateway(): Record<string, string>;
}

/** Children's output is dropped (STACK_OUTPUT=1 shows it); a child that fails to start reports its last lines. */
// Quiet, except what says a child died (the launcher's exit/restart lines and children's stderr:
// uncaught errors), so a failing CI run shows why a subgraph went away.
const quiet: StackOptions['output'] = (name, line, stream) => {
  if (stream === 'stderr' && !/^\s*$|SIGTERM: stopping/.test(line)) process.stderr.write(`[${name}] ${line}\n`);
};

export interface TestStackOptions extends StackOptions {
  /** Return once every pre-warmed cache has synced and opened its watch (default true), as a user finds the stack a moment after start. */
  waitForPrewarm?: boolean;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetgraph-stack-'));
  let stack: Stack;
  try {
    stack = await startStack({
      layout: 'single',
      basePort: 0,
      output: process.env.STACK_OUTPUT ? undefined : quiet,
      ...options,
      simulator: { dir, ...options.simulator },
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const simulator = stack.simulator!;
  const gatewayCodec = principalCodec({ key: stack.principalKey });

  const control = async (method: string, p: string, body?: unknown) => {
    const res = await request(`${simulator.controlUrl}${p}`, {
      method: method as 'GET',
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`control ${method} ${p}: ${res.statusCode} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  if ((options.waitForPrewarm ?? true) && options.prewarm !== false) await waitForPrewarm(stack).catch(async (err) => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });

  return {
    ...stack,
    sim: endpointFromKubeconfig(simulator.apiUrl, simulator.kubeconfigPath),
    async query(query, variables, headers = {}) {
      const res = await request(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.body.json()) as GraphQLResponse;
      return { ...body, status: res.statusCode } as GraphQLResponse<any>;
    },
    control,
    asGateway: () => ({ [PRINCIPAL_HEADER]: gatewayCodec.encode(ANONYMOUS_PRINCIPAL) }),
    counters: () => control('GET', '/counters'),
    clusterNames: async () => ((await control('GET', '/clusters')) as { name: string }[]).map((c) => c.name).sort(),
    async stop() {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sum of the simulator's request counters whose key matches, per cluster. */
export function countRequests(counters: Record<string, Record<string, number>>, key: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cluster, byKey] of Object.entries(counters)) {
    const n = byKey[key] ?? 0;
    if (n) out[cluster] = n;
  }
  return out;
}

/** A subgraph's /healthz: it is up, and how many graphql-ws subscriptions it holds. */
export async function subgraphHealth<T extends object = object>(stack: Stack, name: string): Promise<{ status: string; subscriptions: number } & T> {
  const res = await request(new URL('/healthz', stack.subgraphUrls[name]));
  return (await res.body.json()) as { status: string; subscriptions: number } & T;
}

/**
 * Waits until every subgraph's pre-warmed watch caches have synced and opened their watches (or found
 * their kind not served), so request counters taken afterwards see queries only.
 */
export async function waitForPrewarm(stack: Stack, timeoutMs = 60_000): Promise<void> {
  await waitUntil(
    'every pre-warmed watch cache synced and watching',
    async () => {
      for (const name of Object.keys(stack.subgraphUrls)) {
        const { sync } = await subgraphHealth<{ sync?: SyncProgress }>(stack, name);
        if (sync && sync.watching + sync.notServed < sync.caches) return false;
      }
      return true;
    },
    timeoutMs,
  );
}

/** One unlabelled sample of the gateway's /metrics (e.g. `fleetgraph_subscriptions_active`). */
export async function gatewayMetric(stack: Stack, name: string): Promise<number | undefined> {
  const res = await request(new URL('/metrics', stack.gatewayUrl));
  const text = await res.body.text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}
