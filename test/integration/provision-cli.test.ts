// `npm run provision` against the whole stack, as a CI pipeline runs it: create and wait (exit 0 with a
// JSON line per transition), the timeout template (exit 2 when our timeout is shorter, exit 1 once the
// operator fails it), delete and wait until gone (exit 0), a refused write (exit 3).
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { GatewayPlugin } from '../../gateway/plugins/plugin.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

/** Stands in for issue 15's authentication: bearer token `ci-writer` holds o2ims:write. */
const tokens: GatewayPlugin = {
  name: 'test-tokens',
  authenticateRequest: ({ headers }) =>
    headers.authorization === 'Bearer ci-writer' ? { scope: 'ci', subject: 'ci-pipeline', claims: { scopes: ['o2ims:write'] } } : undefined,
};

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ gatewayPlugins: [tokens] });
});
afterAll(async () => {
  await stack?.stop();
});

interface Run {
  code: number | null;
  lines: Record<string, unknown>[];
  stderr: string;
}

function provision(args: string[], token: string | null = 'ci-writer'): Promise<Run> {
  const tsx = path.resolve('node_modules/.bin/tsx');
  return new Promise((resolve) => {
    const child = spawn(tsx, ['scripts/provision.ts', ...args], {
      env: { ...process.env, FLEETGRAPH_WS_URL: stack.gatewayUrl.replace(/^http/, 'ws'), FLEETGRAPH_TOKEN: token ?? '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) =>
      resolve({ code, stderr: err, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) }),
    );
  });
}

const result = (run: Run) => run.lines.find((l) => l.type === 'result');

describe('npm run provision', () => {
  it('creates a request, prints its transitions and exits 0 when fulfilled; delete exits 0 once it is gone', async () => {
    const create = await provision(['create', '--cluster', 'hub-1', '--name', 'cli-1', '--template', 'sno-ran-du', '--template-version', 'v4.18.0-1', '--param', 'clusterName=du-050', '--timeout', '60']);
    expect(create.stderr).toBe('');
    expect(create.code).toBe(0);
    expect(create.lines.find((l) => l.type === 'created')).toMatchObject({ dryRun: false, request: { name: 'cli-1', schemaVariant: 'NEPHIO' } });
    const transitions = create.lines.filter((l) => l.type === 'transition');
    expect(transitions.length).toBeGreaterThan(0);
    expect(transitions.every((t) => t.clusterName === 'hub-1' && t.name === 'cli-1')).toBe(true);
    expect(result(create)).toMatchObject({ exitCode: 0, state: 'FULFILLED', fleetCluster: 'du-050' });

    const wait = await provision(['wait', '--cluster', 'hub-1', '--name', 'cli-1']);
    expect(wait.code).toBe(0);
    expect(wait.lines[0]).toMatchObject({ type: 'state', state: 'FULFILLED' });

    const del = await provision(['delete', '--cluster', 'hub-1', '--name', 'cli-1', '--timeout', '60']);
    expect(del.code).toBe(0);
    expect(del.lines.find((l) => l.type === 'deleted')).toMatchObject({ outcome: 'DELETION_STARTED' });
    expect(result(del)).toMatchObject({ exitCode: 0, state: null });
    expect((await stack.clusterNames()).includes('du-050')).toBe(false);
  });

  it('exits 2 when the request outlasts --timeout, and 1 once the operator fails it', async () => {
    const args = ['--cluster', 'hub-1', '--name', 'cli-timeout'];
    const create = await provision(['create', ...args, '--template', 'sno-ran-du-bmc-unreachable', '--template-version', 'v4.18.0-1', '--param', 'clusterName=du-051', '--param', 'clusterProvisioner=capi', '--param', 'creationTimeout=3', '--timeout', '1']);
    expect(create.code).toBe(2);
    expect(result(create)).toMatchObject({ exitCode: 2, reason: 'no end within 1 s' });
    const wait = await provision(['wait', ...args, '--timeout', '60']);
    expect(wait.code).toBe(1);
    expect(result(wait)).toMatchObject({ exitCode: 1, state: 'FAILED', message: 'Cluster resource creation failed reached timeout', trace: { stuckAt: 'CAPI_CLUSTER' } });
  });

  it('exits 3 with the coded error when the write is refused', async () => {
    const run = await provision(['create', '--cluster', 'hub-1', '--name', 'cli-2', '--template', 'sno-ran-du', '--template-version', 'v4.18.0-1', '--param', 'clusterName=du-052'], null);
    expect(run.code).toBe(3);
    expect(run.lines[0]).toMatchObject({ type: 'error', errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    const usage = await provision(['create', '--cluster', 'hub-1']);
    expect(usage.code).toBe(3);
    expect(usage.stderr).toContain('--name is required');
  });
});
