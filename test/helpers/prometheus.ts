// A real Prometheus for e2e tests: started on a free loopback port with a generated config that
// scrapes the simulator's per-cluster pages through file_sd (label `cluster`), and a small client for
// its query API. `findPrometheus()` is undefined when no binary exists ($PROMETHEUS_BIN or `prometheus`
// on PATH; Debian package `prometheus`): tests then skip and say why.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort as launcherFreePort } from '../../scripts/launcher/ports.js';
import { waitUntil } from './wait.js';

export function findPrometheus(): string | undefined {
  const candidates = [process.env.PROMETHEUS_BIN, 'prometheus'].filter((c): c is string => Boolean(c));
  return candidates.find((bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** A free port for a child process (scripts/launcher/ports.ts: below the ephemeral range, checked free). */
export const freePort = (): Promise<number> => launcherFreePort('127.0.0.1');

export interface PromVectorEntry {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RealPrometheus {
  url: string;
  /** An instant query (optionally at `timeSeconds`); throws with Prometheus' error on failure. */
  query(query: string, timeSeconds?: number): Promise<PromVectorEntry[]>;
  /** The raw API answer of an instant query (status, data, errors, warnings). */
  queryRaw(query: string, timeSeconds?: number): Promise<{ status: string; data?: { resultType: string; result: unknown }; error?: string }>;
  log(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(options: { bin: string; dir: string; controlUrl: string; scrapeIntervalSeconds?: number }): Promise<RealPrometheus> {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const targets = await (await fetch(`${options.controlUrl}/prometheus/targets.json`)).json();
  writeFileSync(join(options.dir, 'targets.json'), JSON.stringify(targets));
  writeFileSync(
    join(options.dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
      scrape_configs: [{ job_name: 'fleetgraph-simulator', file_sd_configs: [{ files: [join(options.dir, 'targets.json')], refresh_interval: '1s' }] }],
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    options.bin,
    [`--config.file=${join(options.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(options.dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const queryRaw = async (query: string, timeSeconds?: number) => {
    const body = new URLSearchParams({ query });
    if (timeSeconds !== undefined) body.set('time', String(timeSeconds));
    const res = await fetch(`${url}/api/v1/query`, { method: 'POST', body });
    return (await res.json()) as { status: string; data?: { resultType: string; result: unknown }; error?: string };
  };
  const prom: RealPrometheus = {
    url,
    queryRaw,
    async query(query, timeSeconds) {
      const answer = await queryRaw(query, timeSeconds);
      if (answer.status !== 'success' || !answer.data) throw new Error(`PromQL ${query}: ${answer.error ?? JSON.stringify(answer)}`);
      return answer.data.result as PromVectorEntry[];
    },
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
  try {
    await waitUntil('Prometheus ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 20_000, 200);
  } catch (err) {
    await prom.stop();
    throw err;
  }
  return prom;
}
