// A raw HTTPS client for simulator tests: requests and watch streams exactly as on the wire, TLS
// verified against the simulator's CA.
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Simulator } from '../../simulator/simulator.js';

/** How a client reaches the simulator: its URL, its CA and a token per cluster. */
export interface SimEndpoint {
  apiUrl: string;
  caPem: string;
  token(cluster: string): string | undefined;
}

/** The endpoint of an in-process simulator. */
export function endpointOf(sim: Simulator): SimEndpoint {
  return { apiUrl: sim.apiUrl, caPem: sim.caPem, token: (cluster) => sim.clusters.get(cluster)?.token };
}

/** The endpoint of a simulator in another process, read from the kubeconfig it wrote (as kubectl would). */
export function endpointFromKubeconfig(apiUrl: string, kubeconfigPath: string): SimEndpoint {
  const kc = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters: { name: string; cluster: { 'certificate-authority-data': string } }[];
    contexts: { name: string; context: { user: string } }[];
    users: { name: string; user: { token?: string } }[];
  };
  const caPem = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8');
  const tokens = new Map(kc.contexts.map((c) => [c.name, kc.users.find((u) => u.name === c.context.user)?.user.token]));
  return { apiUrl, caPem, token: (cluster) => tokens.get(cluster) };
}

/** Tests read arbitrary API JSON; a deliberately loose type (test code only) keeps assertions short. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiJson = any;

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: ApiJson;
}

export interface RequestOptions {
  method?: string;
  token?: string | null;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface WatchEvent {
  type: string;
  object: ApiJson;
}

export interface WatchStream {
  status: number;
  events: WatchEvent[];
  /** Resolves with the next event not yet taken (waits up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<WatchEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export class SimClient {
  private readonly agent: https.Agent;

  private readonly sim: SimEndpoint;

  constructor(sim: Simulator | SimEndpoint) {
    this.sim = 'clusters' in sim ? endpointOf(sim) : sim;
    this.agent = new https.Agent({ ca: sim.caPem, keepAlive: true });
  }

  private options(cluster: string | null, path: string, opts: RequestOptions): https.RequestOptions {
    const base = new URL(this.sim.apiUrl);
    const token = opts.token === undefined ? (cluster ? this.sim.token(cluster) : null) : opts.token;
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
    return {
      host: base.hostname,
      port: base.port,
      path: cluster ? `/clusters/${cluster}${path}` : path,
      method: opts.method ?? 'GET',
      agent: this.agent,
      headers,
    };
  }

  request(cluster: string | null, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = https.request(this.options(cluster, path, opts), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (opts.body !== undefined) req.write(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      req.end();
    });
  }

  watch(cluster: string, path: string, opts: RequestOptions = {}): Promise<WatchStream> {
    return new Promise((resolve, reject) => {
      const req = https.request(this.options(cluster, path, opts), (res) => {
        const events: WatchEvent[] = [];
        let taken = 0;
        res.on('error', () => {}); // close() aborts the response on purpose
        let waiter: (() => void) | undefined;
        const lines = createInterface({ input: res });
        lines.on('error', () => {});
        let finished = false;
        lines.on('line', (line) => {
          if (!line.trim()) return;
          events.push(JSON.parse(line) as WatchEvent);
          waiter?.();
        });
        // readline closes after it has emitted every line of an ended response; an aborted one
        // (connection closed by the server) only closes the response
        const ended = new Promise<void>((done) => {
          const finish = (): void => {
            if (finished) return;
            finished = true;
            done();
            waiter?.();
          };
          lines.on('close', finish);
          res.on('close', () => setImmediate(finish));
        });
        resolve({
          status: res.statusCode ?? 0,
          events,
          ended,
          async next(timeoutMs = 5000) {
            const deadline = Date.now() + timeoutMs;
            while (taken >= events.length) {
              if (finished) throw new Error('watch ended');
              const left = deadline - Date.now();
              if (left <= 0) throw new Error(`no watch event within ${timeoutMs} ms (have ${events.length})`);
              await new Promise<void>((r) => {
                const t = setTimeout(r, left);
                waiter = () => {
                  clearTimeout(t);
                  r();
                };
              });
            }
            return events[taken++];
          },
          close() {
            req.destroy();
          },
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** JSON request to the control API. */
export async function control(sim: Simulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(`${sim.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}
