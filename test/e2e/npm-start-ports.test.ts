// `npm start` beside another running fleetgraph: the ports are taken. It must say which port and what
// to do (not crash with EADDRINUSE from a child), and `--base-port N` must move every part of the stack.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { request } from 'undici';
import { DOMAINS } from '../../subgraphs/domains.js';
import { waitUntil } from '../helpers/wait.js';

function run(args: string[]): { exited: Promise<number | null>; output: () => string; kill(signal: NodeJS.Signals): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))), output: () => output, kill: (s) => child.kill(s) };
}

/** The demo's API key, from the file npm start's output names. */
function demoToken(output: string): string {
  const file = /demo API key .* is in (\S+):/.exec(output)?.[1];
  if (!file) throw new Error(`npm start did not say where the demo API key is:\n${output}`);
  return readFileSync(file, 'utf8').trim();
}

/** A base port whose whole range (gateway, subgraphs, simulator) is free now. */
async function freeBase(): Promise<number> {
  const canListen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = net.createServer().once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (let base = 21000; base < 60000; base += 100) {
    const ports = [base, ...DOMAINS.map((d) => base + d.port - 4000), base + 2443, base + 2480];
    if ((await Promise.all(ports.map(canListen))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

it('refuses to start on a taken port, naming it and saying how to move', async () => {
  const base = await freeBase();
  const taken = base + DOMAINS[1].port - 4000; // a subgraph's port
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(taken, '127.0.0.1', r));
  try {
    const start = run(['--base-port', String(base)]);
    expect(await start.exited).toBe(2);
    expect(start.output()).toContain(`port ${taken} (${DOMAINS[1].name} subgraph) already in use`);
    expect(start.output()).toContain('--base-port');
    expect(start.output()).not.toMatch(/EADDRINUSE|at .*\.ts:\d+/);
  } finally {
    blocker.close();
  }
}, 60_000);

it('--base-port N moves the gateway, every subgraph and the simulator', async () => {
  const base = await freeBase();
  const start = run(['--base-port', String(base)]);
  try {
    await waitUntil('fleetgraph is ready', () => start.output().includes('fleetgraph is ready') || undefined, 90_000);
    expect(start.output()).toContain(`http://127.0.0.1:${base}/graphql`);
    expect(start.output()).toContain(`https://127.0.0.1:${base + 2443}`);
    for (const d of DOMAINS) {
      const res = await request(`http://127.0.0.1:${base + d.port - 4000}/healthz`);
      expect(await res.body.json()).toMatchObject({ status: 'ok', subgraph: d.name });
    }
    const res = await request(`http://127.0.0.1:${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demoToken(start.output())}` },
      body: JSON.stringify({ query: '{ clusters { name } }' }),
    });
    expect(((await res.body.json()) as { data: { clusters: unknown[] } }).data.clusters.length).toBeGreaterThan(0);
  } finally {
    start.kill('SIGINT');
    expect(await start.exited).toBe(0);
  }
}, 120_000);
