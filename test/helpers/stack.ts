// The whole stack in process on random ports (simulator → subgraphs → gateway), and a GraphQL client
// that talks to the gateway over real HTTP, as a user would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { startStack, type Stack, type StackOptions } from '../../scripts/stack.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestStack extends Stack {
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** The simulator's control API. */
  control(method: string, path: string, body?: unknown): Promise<any>;
  counters(): Promise<Record<string, Record<string, number>>>;
}

export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetgraph-stack-'));
  const stack = await startStack({
    port: 0,
    subgraphPorts: 'random',
    ...options,
    simulator: { port: 0, controlPort: 0, dir, ...options.simulator },
  });

  const control = async (method: string, p: string, body?: unknown) => {
    const res = await request(`${stack.simulator!.controlUrl}${p}`, {
      method: method as 'GET',
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`control ${method} ${p}: ${res.statusCode} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  return {
    ...stack,
    async query(query, variables) {
      const res = await request(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.body.json()) as GraphQLResponse;
      return { ...body, status: res.statusCode } as GraphQLResponse<any>;
    },
    control,
    counters: () => control('GET', '/counters'),
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
