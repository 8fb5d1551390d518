// The bench's HTTP client: GraphQL POSTs and the simulator's control API over one keep-alive pool.
import { Agent, request } from 'undici';

const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });

export interface GraphQLResult {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  bytes: number;
}

export async function graphql(url: string, query: string, timeoutMs = 120_000): Promise<GraphQLResult> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    dispatcher: agent,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = await res.body.text();
  const body = JSON.parse(text) as Omit<GraphQLResult, 'status' | 'bytes'>;
  return { ...body, status: res.statusCode, bytes: text.length };
}

export async function control<T = unknown>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(`${baseUrl}${path}`, {
    method: method as 'GET',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: agent,
  });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new Error(`control ${method} ${path}: ${res.statusCode} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export type Counters = Record<string, Record<string, number>>;

/** Total API requests in the simulator's counters, and by verb (list, watch, get, proxy …). */
export function totals(counters: Counters): { total: number; byVerb: Record<string, number> } {
  const byVerb: Record<string, number> = {};
  let total = 0;
  for (const perCluster of Object.values(counters)) {
    for (const [key, n] of Object.entries(perCluster)) {
      const verb = key.split(' ')[0];
      byVerb[verb] = (byVerb[verb] ?? 0) + n;
      total += n;
    }
  }
  return { total, byVerb };
}

export async function closeHttp(): Promise<void> {
  await agent.close();
}
