// `npm run subscribe` as a script uses it: a child process against a real gateway, JSON lines on
// stdout, what it is doing on stderr, exit codes 0 / 1; and it rides out a gateway restart.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { eventually, startHarness, type Harness } from '../helpers/subscription-harness.js';
import { composeTestSupergraph } from '../helpers/subscription-subgraphs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** What the CLI has written to stderr so far. */
  stderr(): string;
  kill(): void;
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
  return {
    exited: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr }))),
    stderr: () => stderr,
    kill: () => child.kill(),
  };
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
    expect(stderr).toBe(`subscribed, waiting for events (${h.wsUrl})\n`);
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
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe(`subscribed, waiting for events (${h.wsUrl})`);
    expect(JSON.parse(lines[1]).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
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

describe('npm run subscribe across a gateway restart', () => {
  it('keeps retrying with backoff while the gateway is down, resubscribes when it is back and prints the next event', async () => {
    // A gateway of its own on a port we can reuse; the harness's subgraphs stay up (as in a stack restart
    // they come back before the gateway does).
    const first = await startGateway({ supergraphSdl: composeTestSupergraph(), subgraphUrls: h.subgraphUrls, port: 0 });
    const port = Number(new URL(first.url).port);
    const wsUrl = first.url.replace(/^http/, 'ws');
    let second: RunningGateway | undefined;
    const run = runCli(['subscription { clockChanged(cluster: "restart") { seq state } }', '--url', wsUrl, '--token', 'cli-token', '--count', '1', '--retry', '30']);
    try {
      await eventually(() => run.stderr().includes('subscribed, waiting for events'), 15_000, 'the CLI to subscribe');
      await eventually(() => h.clock.activeSubscriptions() === 1, 15_000, 'the upstream subscription');
      await first.stop();
      // Down for longer than the 3 s the CLI used to give up after: until its fourth retry has failed (≥ 3.75 s).
      await eventually(() => run.stderr().includes('(retry 5 of 30)'), 30_000, 'the CLI to keep retrying');
      second = await startGateway({ supergraphSdl: composeTestSupergraph(), subgraphUrls: h.subgraphUrls, port });
      await eventually(() => run.stderr().includes('reconnected and resubscribed'), 30_000, 'the CLI to resubscribe');
      await eventually(() => h.clock.activeSubscriptions() === 1, 15_000, 'the new upstream subscription');
      h.clock.publish({ seq: 9, cluster: 'restart', node: 'restart-n1', state: 'FREERUN' });
      const { code, stdout, stderr } = await run.exited;
      expect(code).toBe(0);
      expect(stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([{ data: { clockChanged: { seq: 9, state: 'FREERUN' } } }]);
      const lines = stderr.trim().split('\n');
      expect(lines[0]).toBe(`subscribed, waiting for events (${wsUrl})`);
      expect(lines[1]).toBe('connection lost: 1001 Gateway shutting down');
      expect(lines).toContain(`cannot connect: connect ECONNREFUSED 127.0.0.1:${port}`);
      expect(lines.filter((l) => /^reconnecting in \d+\.\d s \(retry \d+ of 30\)$/.test(l)).length).toBeGreaterThanOrEqual(5);
      expect(lines.at(-1)).toBe('reconnected and resubscribed, waiting for events');
    } finally {
      run.kill();
      await second?.stop();
    }
  }, 90_000);

  it('gives up after --retry attempts and says so', async () => {
    const gone = await startGateway({ supergraphSdl: composeTestSupergraph(), subgraphUrls: h.subgraphUrls, port: 0 });
    const wsUrl = gone.url.replace(/^http/, 'ws');
    await gone.stop();
    const { code, stderr } = await runCli(['subscription { clockChanged { seq } }', '--url', wsUrl, '--retry', '2']).exited;
    expect(code).toBe(1);
    const port = new URL(wsUrl).port;
    expect(stderr.trim().split('\n').at(-1)).toBe(`giving up after 2 retries: connect ECONNREFUSED 127.0.0.1:${port} (${wsUrl})`);
  }, 30_000);
});
