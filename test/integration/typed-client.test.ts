// The typed client for scripts (client/: GraphQL Code Generator's client preset over the README's
// operations) and its example, examples/unlocked-du-sites.ts, run as a user runs it — a separate
// process against a running stack: a fresh fleet exits 0; a grandmaster loss past holdover (FREERUN)
// exits 1 and lists the site; no gateway, or a refused token, exits 2. The gateway here requires a
// bearer token (a test plugin), so the client's auth header is what lets the script in.
import { execFile } from 'node:child_process';
import type { GatewayPlugin } from '../../gateway/plugins/index.js';
import { ClustersDocument, createFleetgraphClient, FleetgraphError, NodeAllocatableDocument, PtpClockStateChangedDocument, PtpNodesDocument } from '../../client/index.js';
import { startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const TOKEN = 'example-script-token';
const principal = { scope: 'noc', subject: 'script' };
const bearerOnly: GatewayPlugin = {
  name: 'test-bearer',
  authenticateRequest: ({ headers }) => (headers.authorization === `Bearer ${TOKEN}` ? principal : null),
  subscriptions: { authenticate: ({ connectionParams }) => (connectionParams.authorization === `Bearer ${TOKEN}` ? principal : null) },
};

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ gatewayPlugins: [bearerOnly], settings: { pollIntervalMs: 100 } });
});
afterAll(async () => {
  await stack?.stop();
});

function runExample(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'examples/unlocked-du-sites.ts', ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('examples/unlocked-du-sites.ts', () => {
  it('exits 0 on a fresh fleet', async () => {
    const { code, stdout } = await runExample(['--url', stack.gatewayUrl], { FLEETGRAPH_TOKEN: TOKEN });
    expect(stdout).toContain('every DU site (role=edge) is LOCKED');
    expect(code).toBe(0);
  });

  it('exits 1 and lists the site when a grandmaster loss outlasts holdover (FREERUN)', async () => {
    // du-003's PtpConfig has holdOverTimeout 5 s; ×10 time: FREERUN after 0.5 s, for 60 s.
    await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster: 'du-003', timeScale: 10, recoverAfterSeconds: 600 });
    const client = createFleetgraphClient({ url: stack.gatewayUrl, token: TOKEN });
    await waitUntil('du-003 in FREERUN', async () => (await client.request(PtpNodesDocument, { states: ['FREERUN'] })).ptpNodes.some((n) => n?.clusterName === 'du-003'), 30_000, 100);
    const { code, stdout } = await runExample(['--url', stack.gatewayUrl, '--token', TOKEN]);
    expect(stdout).toMatch(/^du-003\tdu-003-sno\tFREERUN\t/m);
    expect(stdout).toMatch(/DU site\(s\) not LOCKED, [1-9]\d* node\(s\) FREERUN/);
    expect(code).toBe(1);
  });

  it('exits 2 when it cannot ask: a refused token, or no gateway', async () => {
    const refused = await runExample(['--url', stack.gatewayUrl, '--token', 'wrong']);
    expect(refused.stderr).toContain('UNAUTHENTICATED');
    expect(refused.code).toBe(2);
    const nowhere = await runExample([], { FLEETGRAPH_URL: 'http://127.0.0.1:9/graphql', FLEETGRAPH_TOKEN: TOKEN });
    expect(nowhere.code).toBe(2);
  });
});

describe('the typed client', () => {
  it('queries with typed documents and variables, and sends the bearer token', async () => {
    const client = createFleetgraphClient({ url: stack.gatewayUrl, token: TOKEN });
    const data = await client.request(ClustersDocument);
    expect(data.clusters.map((c) => c.name)).toEqual(await stack.clusterNames());
    expect(data.clusters.every((c) => c.health.reachable && (c.nodes?.length ?? 0) > 0)).toBe(true);
    const node = await client.request(NodeAllocatableDocument, { cluster: 'du-001', node: 'du-001-sno' });
    expect(node.cluster?.node?.ready).toBe(true);
    expect(node.cluster?.node?.allocatable.length).toBeGreaterThan(0);
    await client.close();
  });

  it('is refused without the token, with the gateway\'s code', async () => {
    const client = createFleetgraphClient({ url: stack.gatewayUrl });
    const err = await client.request(ClustersDocument).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FleetgraphError);
    expect((err as FleetgraphError).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('subscribes over graphql-ws with the token', async () => {
    const client = createFleetgraphClient({ url: stack.gatewayUrl, token: TOKEN });
    const events = client.subscribe(PtpClockStateChangedDocument, { states: ['HOLDOVER'] });
    const first = events.next();
    await waitUntil('the timing subgraph to hold the subscription', async () => (await subgraphHealth(stack, 'timing')).subscriptions === 1);
    await waitUntil('the feed baseline', async () => ((await subgraphHealth<{ feeds: Record<string, { polls: number }> }>(stack, 'timing')).feeds['du-007']?.polls ?? 0) >= 1);
    await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster: 'du-007', timeScale: 10, recoverAfterSeconds: 20 });
    const { value } = await first;
    expect(value).toMatchObject({ ptpClockStateChanged: { currentState: 'HOLDOVER', node: { name: 'du-007-sno', cluster: { name: 'du-007' } } } });
    await events.return!();
    await client.close();
  });
});
