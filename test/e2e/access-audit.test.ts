// Issue 15, processes as deployed (gateway, every subgraph and the simulator in their own processes, all
// at LOG_LEVEL=info), with a real JWKS and a real policy file: every mutation and every refused request
// is one audit line saying who, what, which cluster and the outcome; and a grep of everything every
// process logged and everything the gateway answered finds none of the credentials the run used —
// not the JWTs, not the API key, not the stack's principal signing key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import WebSocket from 'ws';
import { AUDIENCE, ISSUER, bearer, newApiKey, startIdentityProvider, writePolicy, type IdentityProvider } from '../helpers/access.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

let idp: IdentityProvider;
let dir: string;
let stack: TestStack;
const lines: string[] = [];
const answers: string[] = [];
const automation = newApiKey();

beforeAll(async () => {
  idp = await startIdentityProvider();
  dir = mkdtempSync(join(tmpdir(), 'access-audit-'));
  const policyFile = writePolicy(join(dir, 'policy.yaml'), {
    apiKeys: [{ name: 'o2ims-automation', sha256: automation.sha256 }],
    grants: [
      { name: 'noc-east', groups: ['noc-east'], clusters: [{ key: 'region', value: 'east' }, { key: 'role', value: 'edge' }], scopes: ['read'] },
      { name: 'automation', apiKeys: ['o2ims-automation'], scopes: ['read', 'o2ims:write'] },
    ],
  });
  stack = await startTestStack({
    layout: 'processes',
    access: { policyFile, jwt: { jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: [AUDIENCE] } },
    env: { LOG_LEVEL: 'info' },
    output: (name, line) => void lines.push(`[${name}] ${line}`),
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await idp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await request(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.body.text();
  answers.push(JSON.stringify(res.headers), text);
  return { status: res.statusCode, body: JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

function wsClose(token?: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(stack.gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} })));
    socket.on('message', (data) => {
      answers.push(String(data));
      if (String(data).includes('connection_ack')) {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { ptpClockStateChanged(cluster: "hub-1") { currentState } }` } }));
      }
      if (String(data).includes('"error"')) socket.close(1000);
    });
    socket.on('close', (code, reason) => {
      answers.push(String(reason));
      resolve(code);
    });
  });
}

type AuditLine = { audit: true; subject?: string; entrance: string; operation?: { type: string; fields: string[]; clusters: string[] }; code?: string; outcome: string; status?: number; closeCode?: number };

const auditLines = (): AuditLine[] =>
  lines
    .filter((l) => l.startsWith('[gateway]') && l.includes('"audit":true'))
    .map((l) => JSON.parse(l.slice(l.indexOf('{'))) as AuditLine);

it('audits mutations and refusals in one structured line each, and no credential appears anywhere', async () => {
  const noc = await idp.token({ sub: 'alice', groups: ['noc-east'] });
  const expired = await idp.token({ sub: 'alice', groups: ['noc-east'] }, { expiresIn: -300 });
  const forged = await idp.token({ sub: 'alice', groups: ['noc-east'] }, { key: 'unknown' });
  const create = (name: string) => ({
    query: 'mutation($input: ProvisioningRequestInput!) { createProvisioningRequest(cluster: "hub-1", input: $input) { request { name } } }',
    variables: { input: { name, templateName: 'sno-ran-du', templateVersion: 'v4.18.0-1', templateParameters: { clusterName: `${name}-site` } } },
  });

  expect((await post({ query: '{ clusters { name } }' }, bearer(noc))).status).toBe(200);
  expect((await post({ query: '{ cluster(name: "hub-1") { name } }' }, bearer(noc))).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect((await post({ query: '{ clusters { name } }' })).status).toBe(401);
  expect((await post({ query: '{ clusters { name } }' }, bearer(expired))).status).toBe(401);
  expect((await post({ query: '{ clusters { name } }' }, bearer(forged))).status).toBe(401);
  expect((await post({ query: `{${'a{'.repeat(500)}b${'}'.repeat(500)}}` }, bearer(noc))).status).toBe(400);
  expect((await post(create('audit-noc'), bearer(noc))).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const created = await post(create('audit-ok'), bearer(automation.key));
  expect(created.body.errors).toBeUndefined();
  expect(await wsClose()).toBe(4401);
  expect(await wsClose(noc)).toBe(1000); // the subscription to a hidden cluster is refused, the connection stays

  // Seven refusals and mutations above: 3 HTTP 401, 1 too complex, 1 FORBIDDEN, 1 created, 1 WebSocket 4401.
  await waitUntil('the audit lines of the run', () => auditLines().length >= 7 || undefined, 20_000);
  const audit = auditLines();
  const find = (match: (a: AuditLine) => boolean) => audit.find(match);
  expect(find((a) => a.outcome === 'ok' && Boolean(a.operation?.fields.includes('createProvisioningRequest')))).toMatchObject({
    subject: 'key:o2ims-automation',
    entrance: 'http',
    operation: { type: 'mutation', fields: ['createProvisioningRequest'], clusters: ['hub-1'] },
    status: 200,
  });
  expect(find((a) => a.code === 'FORBIDDEN' && a.subject === 'user:alice')).toMatchObject({ operation: { type: 'mutation', clusters: ['hub-1'] }, outcome: 'refused' });
  expect(audit.filter((a) => a.code === 'UNAUTHENTICATED' && a.entrance === 'http' && a.status === 401)).toHaveLength(3);
  expect(find((a) => a.code === 'OPERATION_TOO_COMPLEX')).toMatchObject({ subject: 'user:alice', status: 400, outcome: 'refused' });
  expect(find((a) => a.entrance === 'ws' && a.closeCode === 4401)).toMatchObject({ code: 'UNAUTHENTICATED', outcome: 'refused' });
  expect(find((a) => a.entrance === 'ws' && a.code === 'NOT_FOUND')).toBeUndefined(); // a NOT_FOUND is an answer, not a refusal
  // A successful read is not audited.
  expect(audit.filter((a) => a.outcome === 'ok')).toHaveLength(1);

  const everything = [...lines, ...answers].join('\n');
  expect(lines.filter((l) => !l.includes('"audit":true')).length).toBeGreaterThan(10); // the other processes' logs were captured too
  for (const [what, secret] of Object.entries({ noc, expired, forged, apiKey: automation.key, principalKey: stack.principalKey })) {
    expect({ what, found: everything.includes(secret) }).toEqual({ what, found: false });
  }
}, 90_000);
