// Test harness for gateway subscriptions: the three test subgraphs on random ports, the real gateway
// (startGateway: Apollo Server for HTTP + our graphql-ws server) in front of them, and small
// graphql-ws client helpers that collect what a client sees.
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import type { SubscriptionOptions } from '../../gateway/subscriptions/index.js';
import type { GatewayPlugin } from '../../gateway/plugins/index.js';
import {
  composeTestSupergraph,
  startClockSubgraph,
  startInventorySubgraph,
  startSitesSubgraph,
  type ClockSubgraph,
  type InventorySubgraph,
  type TestSubgraph,
} from './subscription-subgraphs.js';
import { startTcpProxy, type TcpProxy } from './subscription-tcp-proxy.js';
import { waitUntil as poll } from './wait.js';

export interface Harness {
  gateway: RunningGateway;
  clock: ClockSubgraph;
  inventory: InventorySubgraph;
  sites: TestSubgraph;
  wsUrl: string;
  subgraphUrls: Record<string, string>;
  /** With `proxyClock`: the TCP proxy the gateway reaches the clock subgraph through. */
  proxy?: TcpProxy;
  /** POSTs a query to the gateway over HTTP (the path Apollo Server serves). */
  query(query: string, variables?: Record<string, unknown>): Promise<ExecutionResult>;
  /** Stops and restarts the clock subgraph on the same port (optionally with another schema). */
  restartClock(downMs?: number, sdl?: string): Promise<void>;
  stopClock(): Promise<void>;
  startClock(sdl?: string): Promise<void>;
  stop(): Promise<void>;
}

export const FAST_UPSTREAM = { retryBaseMs: 50, retryMaxMs: 200, lazyCloseTimeoutMs: 50, keepAliveMs: 2_000 };

export async function startHarness(
  subscriptions: SubscriptionOptions = {},
  options: { proxyClock?: boolean; plugins?: GatewayPlugin[] } = {},
): Promise<Harness> {
  const [clock, inventory, sites] = await Promise.all([startClockSubgraph(), startInventorySubgraph(), startSitesSubgraph()]);
  const proxy = options.proxyClock ? await startTcpProxy(clock.port) : undefined;
  const subgraphUrls = { clock: proxy ? proxy.url(clock.url) : clock.url, inventory: inventory.url, sites: sites.url };
  const gateway = await startGateway({
    supergraphSdl: composeTestSupergraph(),
    subgraphUrls,
    port: 0,
    subscriptions: { ...subscriptions, upstream: { ...FAST_UPSTREAM, ...subscriptions.upstream } },
    plugins: options.plugins,
    // Many subscribers from one identity is what these tests do; the rate limit has its own tests.
    limits: { rateLimitPerSecond: 0 },
  });
  let clockRunning = true;
  const harness: Harness = {
    gateway,
    clock,
    inventory,
    sites,
    wsUrl: gateway.url.replace(/^http/, 'ws'),
    subgraphUrls,
    proxy,
    async query(query, variables) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as ExecutionResult;
    },
    async restartClock(downMs = 0, sdl) {
      await harness.stopClock();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await harness.startClock(sdl);
    },
    async stopClock() {
      if (clockRunning) await harness.clock.stop();
      clockRunning = false;
    },
    async startClock(sdl) {
      harness.clock = await startClockSubgraph(harness.clock.port, sdl);
      clockRunning = true;
    },
    async stop() {
      await gateway.stop();
      await proxy?.stop();
      await Promise.all([harness.stopClock(), inventory.stop(), sites.stop()]);
    },
  };
  return harness;
}

/** `connectionParams` may be a function: graphql-ws calls it on every (re)connect (a signed principal stays fresh). */
export function wsClient(url: string, options: { connectionParams?: Record<string, unknown> | (() => Record<string, unknown>); retryAttempts?: number } = {}): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: options.retryAttempts ?? 0,
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 50)),
    connectionParams: options.connectionParams,
    lazy: true,
  });
}

/** What one client subscription has seen so far. */
export interface Collected {
  events: ExecutionResult[];
  errors: unknown[];
  completed: boolean;
  /** Resolves when the subscription is acknowledged upstream-side (first event or end). */
  dispose(): void;
  /** Waits until `n` events arrived (or fails after the timeout). */
  next(n?: number, timeoutMs?: number): Promise<ExecutionResult[]>;
  /** Waits for the terminal error or completion. */
  ended(timeoutMs?: number): Promise<void>;
}

export function subscribe(client: Client, query: string, variables?: Record<string, unknown>, operationName?: string): Collected {
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const collected: Collected = {
    events: [],
    errors: [],
    completed: false,
    dispose: () => {},
    next: (n = collected.events.length + 1, timeoutMs = 10_000) =>
      waitUntil(() => collected.events.length >= n, timeoutMs, () => `${n} events (have ${collected.events.length}${ending(collected)})`, waiters).then(
        () => collected.events,
      ),
    ended: (timeoutMs = 10_000) =>
      waitUntil(() => collected.completed || collected.errors.length > 0, timeoutMs, 'the end of the subscription', waiters),
  };
  collected.dispose = client.subscribe(
    { query, variables, operationName },
    {
      next: (value) => {
        collected.events.push(value as ExecutionResult);
        wake();
      },
      error: (err) => {
        collected.errors.push(err);
        wake();
      },
      complete: () => {
        collected.completed = true;
        wake();
      },
    },
  );
  return collected;
}

/** How the subscription ended, if it did: said in a timeout's message (an error there explains a missing event). */
function ending(c: Collected): string {
  const said = (e: unknown) => (e instanceof Error ? e.message : e && typeof e === 'object' && 'code' in e ? `close ${(e as { code: unknown }).code} ${(e as { reason?: unknown }).reason ?? ''}` : e);
  if (c.errors.length) return `; ended with ${JSON.stringify(c.errors.map(said)).slice(0, 500)}`;
  return c.completed ? '; completed' : '';
}

function waitUntil(done: () => boolean, timeoutMs: number, what: string | (() => string), waiters: (() => void)[]): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`)), timeoutMs);
    const check = () => {
      if (done()) {
        clearTimeout(timer);
        resolve();
      } else {
        waiters.push(check);
      }
    };
    waiters.push(check);
  });
}

/** Polls a condition (for server-side counters that have no event to wait on). */
export async function eventually(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  await poll(what, check, timeoutMs);
}
