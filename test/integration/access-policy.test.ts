// Issue 15 acceptance through the gateway, on the demo fleet, with a real JWKS (keys generated at test
// start) and a real policy file: three identities — a NOC user (JWT, group noc-east) limited to
// region=east edge sites, an automation API key with o2ims:write, and nobody — see what the policy
// grants in `clusters`, `ptpNodes` and subscriptions, NOT_FOUND exactly as for an unknown cluster
// elsewhere; the key may create a ProvisioningRequest, the NOC user may not (FORBIDDEN, no write
// reaches the simulator); without credentials it is 401. Tokens that expire end their subscriptions;
// a policy edit is picked up, open connections included; a forged principal sent straight to a
// subgraph is refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { parse } from 'yaml';
import { PRINCIPAL_HEADER, principalCodec } from '../../lib/principal.js';
import { AUDIENCE, ISSUER, bearer, newApiKey, startIdentityProvider, writePolicy, type IdentityProvider } from '../helpers/access.js';
import { countRequests, startTestStack, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const PR_KEY = 'o2ims.provisioning.oran.org/provisioningrequests';
const CREATE = `mutation Create($cluster: ID!, $input: ProvisioningRequestInput!) {
  createProvisioningRequest(cluster: $cluster, input: $input) { request { name state } }
}`;
const STATES = `subscription States($cluster: ID) { ptpClockStateChanged(cluster: $cluster) { currentState node { name cluster { name } } } }`;

let idp: IdentityProvider;
let dir: string;
let policyFile: string;
let stack: TestStack;
let eastEdges: string[];
let westEdges: string[];
const automation = newApiKey();
const clients: Client[] = [];

const policy = (nocGroups: string[]) => ({
  claims: { user: 'preferred_username', groups: 'groups' },
  apiKeys: [{ name: 'o2ims-automation', sha256: automation.sha256 }],
  grants: [
    { name: 'noc-east', groups: nocGroups, clusters: [{ key: 'region', value: 'east' }, { key: 'role', value: 'edge' }], scopes: ['read'] },
    { name: 'automation', apiKeys: ['o2ims-automation'], scopes: ['read', 'o2ims:write'] },
  ],
});

beforeAll(async () => {
  idp = await startIdentityProvider();
  dir = mkdtempSync(join(tmpdir(), 'access-policy-'));
  policyFile = writePolicy(join(dir, 'policy.yaml'), policy(['noc-east']));
  stack = await startTestStack({
    access: { policyFile, jwt: { jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: [AUDIENCE] } },
    settings: { pollIntervalMs: 100 },
  });
  const fleet = parse(readFileSync(stack.simulator!.fleetFilePath, 'utf8')) as { clusters: { name: string; labels: Record<string, string> }[] };
  const edges = fleet.clusters.filter((c) => c.labels.role === 'edge');
  eastEdges = edges.filter((c) => c.labels.region === 'east').map((c) => c.name).sort();
  westEdges = edges.filter((c) => c.labels.region === 'west').map((c) => c.name).sort();
}, 120_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
  await idp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const nocToken = (options: { expiresIn?: number } = {}) => idp.token({ sub: 'u-1001', preferred_username: 'alice', groups: ['noc-east'] }, options);
const wsUrl = () => stack.gatewayUrl.replace(/^http/, 'ws');

function ws(token?: string): Client {
  const client = createClient({ url: wsUrl(), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: token ? { authorization: `Bearer ${token}` } : {} });
  clients.push(client);
  return client;
}

interface Seen {
  events: { currentState: string; node: { name: string; cluster: { name: string } } }[];
  errors: unknown[];
  closed?: { code: number; reason: string };
}

function follow(client: Client, variables: Record<string, unknown> = {}): Seen & { stop: () => void } {
  const seen: Seen = { events: [], errors: [] };
  const stop = client.subscribe<{ ptpClockStateChanged: Seen['events'][number] }>(
    { query: STATES, variables },
    {
      next: (msg) => (msg.errors ? seen.errors.push(...msg.errors) : seen.events.push(msg.data!.ptpClockStateChanged)),
      error: (err) => {
        if (err && typeof err === 'object' && 'code' in err) seen.closed = { code: (err as CloseEvent).code, reason: (err as CloseEvent).reason };
        else seen.errors.push(err);
      },
      complete: () => undefined,
    },
  );
  return Object.assign(seen, { stop });
}

describe('three identities on the demo fleet', () => {
  it('the NOC user sees exactly the east edge sites in clusters and ptpNodes', async () => {
    const token = await nocToken();
    expect(eastEdges.length).toBeGreaterThan(1);
    const clusters = await stack.query('{ clusters { name labels { key value } } }', {}, bearer(token));
    expect(clusters.status).toBe(200);
    expect(clusters.errors).toBeUndefined();
    expect(clusters.data.clusters.map((c: { name: string }) => c.name).sort()).toEqual(eastEdges);

    const ptp = await stack.query('{ ptpNodes { clusterName nodeName syncState } }', {}, bearer(token));
    expect(ptp.errors).toBeUndefined();
    expect([...new Set(ptp.data.ptpNodes.map((n: { clusterName: string }) => n.clusterName))].sort()).toEqual(eastEdges);

    // The automation key is not limited: it sees the hub and the west sites too.
    const all = await stack.query('{ clusters { name } }', {}, bearer(automation.key));
    expect(all.data.clusters.map((c: { name: string }) => c.name).sort()).toEqual(await stack.clusterNames());
  });

  it('counts only the clusters the NOC user may see in the fleet summary, and names no other', async () => {
    const token = await nocToken();
    const q = `{ fleetSummary {
      clusters { count clusters { name } } reachable { count clusters { name } } unreachable { cluster { name } }
      timing { sites { count clusters { name } } unreadable { cluster { name } } }
      sriov { nodes { count clusters { name } } unreadable { cluster { name } } }
      o2ims { running { count clusters { name } } unreadable { cluster { name } } }
    } }`;
    const seen = await stack.query(q, {}, bearer(token));
    expect(seen.errors).toBeUndefined();
    const names = new Set<string>();
    JSON.stringify(seen.data, (key, value) => {
      if (key === 'name' && typeof value === 'string') names.add(value);
      return value;
    });
    expect([...names].filter((n) => !eastEdges.includes(n))).toEqual([]);
    expect(seen.data.fleetSummary.clusters.count).toBe(eastEdges.length);
    expect(seen.data.fleetSummary.timing.sites.count).toBeLessThanOrEqual(eastEdges.length);
  });

  it('answers a cluster the NOC user may not see exactly as a cluster that does not exist', async () => {
    const token = await nocToken();
    const hidden = westEdges[0];
    const asked = async (name: string) => {
      const one = await stack.query(`{ cluster(name: "${name}") { name nodes { name } } }`, {}, bearer(token));
      const fleetWide = await stack.query(`{ ptpNodes(clusters: ["${name}"]) { clusterName } }`, {}, bearer(token));
      // Everything the caller sees, with the name taken out.
      return JSON.stringify([one.status, one.data, one.errors, fleetWide.status, fleetWide.data, fleetWide.errors]).replaceAll(name, '<name>');
    };
    const forHidden = await asked(hidden);
    expect(forHidden).toContain('NOT_FOUND');
    expect(forHidden).toBe(await asked('du-999-no-such-site'));
    // The same name is answered for the automation key.
    const visible = await stack.query(`{ cluster(name: "${hidden}") { name } }`, {}, bearer(automation.key));
    expect(visible.data).toEqual({ cluster: { name: hidden } });
  });

  it('filters subscriptions per event: the NOC user gets the east site, the automation key both', async () => {
    const east = eastEdges[0];
    const west = westEdges[0];
    const noc = follow(ws(await nocToken()));
    const all = follow(ws(automation.key));
    const hiddenTarget = follow(ws(await nocToken()), { cluster: west });
    await waitUntil('the refusal of a subscription to a hidden cluster', () => hiddenTarget.errors.length > 0 || undefined, 20_000);
    expect(JSON.stringify(hiddenTarget.errors)).toContain('NOT_FOUND');
    expect(hiddenTarget.events).toEqual([]);

    // Both subscriptions are live before the scenarios start (each scope has its own upstream stream).
    await waitUntil('both upstream subscriptions', async () => ((await (await request(new URL('/healthz', stack.subgraphUrls.timing))).body.json()) as { subscriptions: number }).subscriptions >= 2, 20_000);
    await waitUntil('the feeds of both sites polled', async () => {
      const health = (await (await request(new URL('/healthz', stack.subgraphUrls.timing))).body.json()) as { feeds: Record<string, { polls: number }> };
      return (health.feeds[east]?.polls ?? 0) >= 1 && (health.feeds[west]?.polls ?? 0) >= 1;
    }, 20_000);
    for (const cluster of [east, west]) await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster, timeScale: 20, recoverAfterSeconds: 120 });
    const lostLock = (seen: Seen, cluster: string) => seen.events.some((e) => e.node.cluster.name === cluster && e.currentState !== 'LOCKED');
    await waitUntil('the automation key sees both sites lose their lock', () => (lostLock(all, east) && lostLock(all, west)) || undefined, 30_000);
    await waitUntil('the NOC user sees the east site lose its lock', () => lostLock(noc, east) || undefined, 30_000);
    noc.stop();
    all.stop();
    expect(noc.errors).toEqual([]);
    expect(new Set(noc.events.map((e) => e.node.cluster.name))).toEqual(new Set([east]));
  }, 90_000);

  it('lets the automation key create a ProvisioningRequest; the NOC user is FORBIDDEN and nothing reaches the simulator', async () => {
    const input = (name: string, site: string) => ({ name, templateName: 'sno-ran-du', templateVersion: 'v4.18.0-1', templateParameters: { clusterName: site } });
    const before = await stack.counters();
    const refused = await stack.query(CREATE, { cluster: 'hub-1', input: input('noc-attempt', 'du-061') }, bearer(await nocToken()));
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', scope: 'o2ims:write' } });
    expect(refused.data).toBeNull();
    expect(countRequests(await stack.counters(), `create ${PR_KEY}`)).toEqual(countRequests(before, `create ${PR_KEY}`));

    const created = await stack.query(CREATE, { cluster: 'hub-1', input: input('automation-1', 'du-062') }, bearer(automation.key));
    expect(created.errors).toBeUndefined();
    expect(created.data.createProvisioningRequest.request).toMatchObject({ name: 'automation-1' });
    expect(countRequests(await stack.counters(), `create ${PR_KEY}`)['hub-1']).toBe((countRequests(before, `create ${PR_KEY}`)['hub-1'] ?? 0) + 1);
  });

  it('answers a call without credentials with 401 over HTTP and 4401 over graphql-ws', async () => {
    const res = await request(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ clusters { name } }' }) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="fleetgraph"');
    expect(await res.body.json()).toEqual({ errors: [{ message: expect.stringContaining('Authentication required'), extensions: { code: 'UNAUTHENTICATED' } }] });
    const anonymous = follow(ws());
    await waitUntil('the connection to be refused', () => anonymous.closed, 10_000);
    expect(anonymous.closed!.code).toBe(4401);
  });
});

describe('credentials that do not hold', () => {
  it.each([
    ['an expired token', () => nocToken({ expiresIn: -120 }), 401, /expired/],
    ['a token for another audience', () => idp.token({ preferred_username: 'alice', groups: ['noc-east'] }, { audience: 'someone-else' }), 401, /aud/],
    ['a token of another issuer', () => idp.token({ preferred_username: 'alice', groups: ['noc-east'] }, { issuer: 'https://evil.example' }), 401, /iss/],
    ['a token signed with a key the gateway does not know', () => idp.token({ preferred_username: 'alice', groups: ['noc-east'] }, { key: 'unknown' }), 401, /signature/],
    ['an unknown API key', async () => newApiKey().key, 401, /Unknown API key/],
    ['a valid token the policy grants nothing', () => idp.token({ preferred_username: 'mallory', groups: ['contractors'] }), 403, /grants user:mallory nothing/],
  ])('refuses %s', async (_what, token, status, message) => {
    const res = await stack.query('{ clusters { name } }', {}, bearer(await token()));
    expect(res.status).toBe(status);
    expect(res.errors?.[0].message).toMatch(message);
    expect(res.errors?.[0].extensions?.code).toBe(status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
  });

  it('ends an open subscription when its token expires (4401)', async () => {
    const seen = follow(ws(await nocToken({ expiresIn: 3 })));
    await waitUntil('the subscription to be closed at expiry', () => seen.closed, 20_000);
    expect(seen.closed).toEqual({ code: 4401, reason: expect.stringContaining('expired') });
  });

  it('applies a policy edit to new requests and to open connections', async () => {
    const token = await nocToken();
    const seen = follow(ws(token));
    await waitUntil('the NOC subscription to be open', async () => ((await (await request(new URL('/healthz', stack.subgraphUrls.timing))).body.json()) as { subscriptions: number }).subscriptions >= 1, 20_000);
    writePolicy(policyFile, policy(['noc-east-retired']));
    try {
      await waitUntil('the open connection to be closed by the new policy', () => seen.closed, 20_000);
      expect(seen.closed!.code).toBe(4403);
      const res = await stack.query('{ clusters { name } }', {}, bearer(token));
      expect(res.status).toBe(403);
    } finally {
      writePolicy(policyFile, policy(['noc-east']));
      await waitUntil('the restored policy', async () => (await stack.query('{ clusters { name } }', {}, bearer(await nocToken()))).status === 200 || undefined, 20_000);
    }
  }, 60_000);
});

describe('a subgraph reached directly', () => {
  const forgedValues = () => ({
    unsigned: principalCodec().encode({ scope: 'admin', subject: 'mallory', claims: { scopes: ['admin'] } }),
    'signed with another key': principalCodec({ key: 'not-the-stack-key-'.repeat(3) }).encode({ scope: 'admin', subject: 'mallory', claims: { scopes: ['admin'] } }),
  });

  it('refuses a forged or missing identity header with 401, and answers the gateway', async () => {
    for (const [what, value] of [...Object.entries(forgedValues()), ['missing', undefined] as const]) {
      const res = await request(stack.subgraphUrls.fleet, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(value ? { [PRINCIPAL_HEADER]: value } : {}) },
        body: JSON.stringify({ query: '{ clusters { name } }' }),
      });
      const body = (await res.body.json()) as { errors?: { extensions?: { code?: string } }[]; data?: unknown };
      expect({ what, status: res.statusCode, code: body.errors?.[0].extensions?.code, data: body.data }).toEqual({ what, status: 401, code: 'UNAUTHENTICATED', data: undefined });
    }
    const genuine = principalCodec({ key: stack.principalKey }).encode({ scope: 'ci', subject: 'ci' });
    const ok = await request(stack.subgraphUrls.fleet, { method: 'POST', headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: genuine }, body: JSON.stringify({ query: '{ clusters { name } }' }) });
    expect(ok.statusCode).toBe(200);
  });

  it('closes a subscription connection that carries a forged principal (4403)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const client = createClient({
        url: stack.subgraphUrls.timing.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { [PRINCIPAL_HEADER]: forgedValues().unsigned },
      });
      clients.push(client);
      client.subscribe({ query: 'subscription { ptpClockStateChanged { currentState } }' }, { next: () => resolve(0), error: (e) => resolve((e as CloseEvent).code), complete: () => resolve(-1) });
    });
    expect(closed).toBe(4403);
  });
});
