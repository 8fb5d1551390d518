// Requests the gateway cannot run are the client's mistake: a 4xx with a GraphQL-shaped JSON body and
// an `extensions.code`, one structured log line, never a 500, an HTML page or a stack trace.
import { jest } from '@jest/globals';
import { log } from '../../lib/log.js';
import { startHarness, type Harness } from '../helpers/subscription-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function post(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(h.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), json: JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] } };
}
const op = (query: string, operationName?: string) => post(JSON.stringify({ query, operationName }));

describe('operations the gateway cannot run', () => {
  it.each([
    ['a mutation on a schema without mutations', 'mutation { __typename }', undefined, 'GRAPHQL_VALIDATION_FAILED', 'The schema has no mutation type: this API is read-only.'],
    ['an unknown operationName', 'query A { siteCount }', 'B', 'OPERATION_RESOLUTION_FAILURE', 'Unknown operation named "B".'],
    ['several operations and no operationName', 'query A { siteCount } query B { siteCount }', undefined, 'OPERATION_RESOLUTION_FAILURE', 'Must provide operation name if query contains multiple operations.'],
    [
      'a subscription over HTTP POST',
      'subscription { clockChanged { seq } }',
      undefined,
      'BAD_REQUEST',
      'Subscriptions are not served over HTTP: open a graphql-ws WebSocket (subprotocol graphql-transport-ws) to this same URL (ws:// or wss://).',
    ],
  ])('answers %s with 400 and a code', async (_what, query, operationName, code, message) => {
    const { status, json } = await op(query, operationName);
    expect(status).toBe(400);
    expect(json).toEqual({ errors: [{ message, extensions: { code } }] });
  });

  it('still runs the named operation of a document with several', async () => {
    const { status, json } = await op('query A { siteCount } query B { __typename }', 'A');
    expect(status).toBe(200);
    expect(json).toEqual({ data: { siteCount: 1 } });
  });
});

describe('bodies that are not a GraphQL request', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it.each([
    ['invalid JSON', '{"query": ', 400, 'BAD_REQUEST', /^The request body is not valid JSON: /],
    ['a body over 1 MiB', JSON.stringify({ query: '{ siteCount }', pad: 'x'.repeat(1_100_000) }), 413, 'PAYLOAD_TOO_LARGE', /^The request body is larger than 1048576 bytes\.$/],
  ])('answers %s with a GraphQL-shaped JSON error and logs one structured line', async (_what, body, status, code, message) => {
    const warn = jest.spyOn(log, 'warn');
    const error = jest.spyOn(log, 'error');
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.json.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code } }]);
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    const [fields, msg] = warn.mock.calls[0] as unknown as [Record<string, unknown>, string];
    expect(msg).toBe('bad GraphQL request');
    expect(fields).toMatchObject({ status, code, method: 'POST', path: '/graphql' });
    expect(JSON.stringify(fields)).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });
});
