// `npm run subscribe` as a script uses it: a child process against a real gateway, JSON lines on
// stdout, exit codes 0 / 1.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, startHarness, type Harness } from '../helpers/subscription-harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function runCli(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['gateway/subscribe-cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  return { exited: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr }))) };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    authenticate: ({ connectionParams }) => (connectionParams.authorization === 'Bearer cli-token' ? { scope: 'cli' } : null),
  });
});
afterAll(async () => {
  await h.stop();
});

describe('npm run subscribe', () => {
  it('prints one JSON line per event and exits 0 after --count events', async () => {
    const run = runCli(
      [
        'subscription($c: ID) { clockChanged(cluster: $c) { seq state node { role } } }',
        '--variables',
        '{"c":"cli"}',
        '--url',
        h.gateway.url,
        '--count',
        '2',
      ],
      { FLEETGRAPH_TOKEN: 'cli-token' },
    );
    await eventually(() => h.clock.activeSubscriptions() === 1, 15_000, 'the CLI to subscribe');
    h.clock.publish({ seq: 1, cluster: 'cli', node: 'cli-n1', state: 'HOLDOVER' });
    h.clock.publish({ seq: 2, cluster: 'cli', node: 'cli-n1', state: 'FREERUN' });
    const { code, stdout, stderr } = await run.exited;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { data: { clockChanged: { seq: 1, state: 'HOLDOVER', node: { role: 'worker' } } } },
      { data: { clockChanged: { seq: 2, state: 'FREERUN', node: { role: 'worker' } } } },
    ]);
  }, 30_000);

  it('exits 1 with the GraphQL errors on stderr when the subscription fails', async () => {
    const { code, stdout, stderr } = await runCli(['subscription { clockChanged { nope } }', '--url', h.wsUrl, '--token', 'cli-token']).exited;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  }, 30_000);

  it('exits 1 when the gateway refuses the credentials, without printing the token', async () => {
    const { code, stderr } = await runCli(['subscription { clockChanged { seq } }', '--url', h.wsUrl, '--retry', '0'], {
      FLEETGRAPH_TOKEN: 'wrong-secret',
    }).exited;
    expect(code).toBe(1);
    expect(stderr).toBe('connection closed: 4403 Forbidden\n');
  }, 30_000);

  it('exits 1 on bad arguments', async () => {
    const { code, stderr } = await runCli(['subscription { clockChanged { seq } }', '--variables', '[1]']).exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/--variables must be a JSON object/);
  }, 30_000);
});
