// The control API (plain HTTP, 127.0.0.1 only): faults, watch history compaction, dropped watches,
// request counters, TLS connections, scenarios, per-cluster metrics pages and Prometheus file_sd targets.
// The table in simulator/README.md is the contract; answers are JSON ({error} on failure).
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults, SimulatorRuntime } from '../cluster.js';
import { renderClusterMetrics } from '../exporters/index.js';
import { listRunningScenarios, listScenarios, startScenario } from '../scenarios/index.js';
import { describeTokens } from '../api/auth.js';
import type { ServedCluster } from '../api/served-cluster.js';
import type { WatchHub } from '../api/watch.js';
import type { ConnectionLog } from '../api/connections.js';

export interface ControlContext {
  runtime: SimulatorRuntime;
  clusters: ReadonlyMap<string, ServedCluster>;
  watches: WatchHub;
  /** TLS connections to the API server, by cluster. */
  connections: ConnectionLog;
  /** `https://127.0.0.1:<port>/clusters/<name>` */
  serverUrl(name: string): string;
}

export interface ControlServer {
  readonly port: number;
  close(): Promise<void>;
}

class ControlError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' && contentType !== 'application/json' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ControlError(400, 'body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ControlError(400, 'body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Validates a faults body: unknown keys and wrong types are refused rather than ignored. */
export function parseFaults(body: Record<string, unknown>): Faults {
  const faults: Faults = {};
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'unreachable':
        if (typeof value !== 'boolean') throw new ControlError(400, 'unreachable must be a boolean');
        faults.unreachable = value;
        break;
      case 'errorRate':
        if (typeof value !== 'number' || value < 0 || value > 1) throw new ControlError(400, 'errorRate must be a number in 0..1');
        faults.errorRate = value;
        break;
      case 'latencyMs':
      case 'dropWatchesAfterMs':
      case 'slowStreamMs':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ControlError(400, `${key} must be a number ≥ 0`);
        faults[key] = value;
        break;
      default:
        throw new ControlError(400, `unknown fault "${key}"`);
    }
  }
  return faults;
}

function countersOf(clusters: ReadonlyMap<string, ServedCluster>, only?: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [name, cluster] of clusters) {
    if (only !== undefined && name !== only) continue;
    if (cluster.counters.size === 0 && only === undefined) continue;
    out[name] = Object.fromEntries([...cluster.counters].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return out;
}

async function handle(ctx: ControlContext, port: () => number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const cluster = (name: string): ServedCluster => {
    const c = ctx.clusters.get(name);
    if (!c) throw new ControlError(404, `unknown cluster "${name}"`);
    return c;
  };
  const [first, second, third] = parts;

  if (method === 'GET' && first === 'healthz' && parts.length === 1) return send(res, 200, 'ok\n', 'text/plain; charset=utf-8');
  if (first === 'clusters') {
    if (parts.length === 1 && method === 'GET') {
      return send(res, 200, [...ctx.clusters.values()].map((c) => ({
        name: c.name,
        role: c.spec.role,
        labels: c.spec.labels,
        platform: c.spec.platform,
        server: ctx.serverUrl(c.name),
      })));
    }
    if (parts.length === 3) {
      const c = cluster(second);
      if (third === 'tokens' && method === 'GET') return send(res, 200, describeTokens(c));
      if (third === 'faults') {
        if (method === 'GET') return send(res, 200, c.faults);
        if (method === 'PUT') {
          c.faults = parseFaults(await readJson(req));
          // A dead API server ends its open watch streams too; new connections are then reset.
          if (c.faults.unreachable) ctx.watches.dropCluster(c.name);
          return send(res, 200, c.faults);
        }
        if (method === 'DELETE') {
          c.faults = {};
          return send(res, 200, c.faults);
        }
      }
      if (third === 'compact' && method === 'POST') {
        c.store.compact();
        return send(res, 200, { cluster: c.name, resourceVersion: String(c.store.resourceVersion) });
      }
      if (third === 'drop-watches' && method === 'POST') return send(res, 200, { cluster: c.name, dropped: ctx.watches.dropCluster(c.name) });
    }
  }
  if (first === 'counters') {
    if (parts.length === 1 && method === 'GET') return send(res, 200, countersOf(ctx.clusters, url.searchParams.get('cluster') ?? undefined));
    if (second === 'reset' && parts.length === 2 && method === 'POST') {
      for (const c of ctx.clusters.values()) c.counters.clear();
      return send(res, 200, { reset: true });
    }
  }
  if (first === 'connections') {
    if (parts.length === 1 && method === 'GET') return send(res, 200, ctx.connections.report(url.searchParams.get('cluster') ?? undefined));
    if (second === 'reset' && parts.length === 2 && method === 'POST') {
      ctx.connections.reset();
      return send(res, 200, { reset: true });
    }
  }
  if (first === 'scenarios') {
    if (parts.length === 1 && method === 'GET') return send(res, 200, { available: listScenarios(), running: listRunningScenarios(ctx.runtime) });
    if (parts.length === 2 && method === 'POST') {
      const params = await readJson(req);
      try {
        return send(res, 200, startScenario(ctx.runtime, second, params));
      } catch (err) {
        throw new ControlError(400, (err as Error).message);
      }
    }
  }
  if (first === 'metrics' && parts.length === 2 && method === 'GET') {
    return send(res, 200, renderClusterMetrics(cluster(second)), 'text/plain; version=0.0.4; charset=utf-8');
  }
  if (first === 'prometheus' && second === 'targets.json' && parts.length === 2 && method === 'GET') {
    return send(res, 200, [...ctx.clusters.keys()].map((name) => ({
      targets: [`127.0.0.1:${port()}`],
      labels: { cluster: name, __metrics_path__: `/metrics/${name}` },
    })));
  }
  throw new ControlError(404, `no such control endpoint: ${method} ${url.pathname}`);
}

export async function startControlServer(ctx: ControlContext, options: { host: string; port: number }): Promise<ControlServer> {
  let boundPort = options.port;
  const server = http.createServer((req, res) => {
    handle(ctx, () => boundPort, req, res).catch((err: unknown) => {
      const code = err instanceof ControlError ? err.code : 500;
      if (!res.headersSent) send(res, code, { error: (err as Error).message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  return {
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
