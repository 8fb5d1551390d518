// Argument values are checked once, at the gateway, before any cluster is asked (gateway/argument-rules.ts):
// a bad label selector over the whole fleet is one BAD_USER_INPUT with HTTP 400, not one identical
// error per cluster (and the variables and fragments are checked like literals), and a negative `limit` is refused instead of silently ignored.
import { countRequests, startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('argument checks at the gateway', () => {
  it('answers a bad labelSelector over the fleet with one BAD_USER_INPUT and no cluster request', async () => {
    await stack.control('POST', '/counters/reset');
    const res = await stack.query('{ clusters { name pods(labelSelector: "a in (") { name } } }');
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      {
        message: 'Argument "labelSelector" of field "pods": "a in (" is not a Kubernetes label selector: a "(" without its ")".',
        locations: [{ line: 1, column: 24 }],
        extensions: { code: 'BAD_USER_INPUT', argument: 'labelSelector', field: 'pods' },
      },
    ]);
    expect(countRequests(await stack.counters(), 'list /pods')).toEqual({});

    // The same selector made valid is answered by every cluster (so the counter above can count).
    const good = await stack.query('{ clusters { name pods(labelSelector: "app in (vdu)") { name } } }');
    expect(good.status).toBe(200);
    expect(good.errors).toBeUndefined();
    expect(Object.keys(countRequests(await stack.counters(), 'list /pods')).length).toBeGreaterThan(0);
  });

  it('checks selectors passed as variables and in fragments, reporting each bad one once', async () => {
    const res = await stack.query(
      `query($sel: String) { cluster(name: "du-001") { ...P ...P pods(labelSelector: $sel) { name } } }
       fragment P on Cluster { bad: pods(labelSelector: "tier ~ x") { name } }`,
      { sel: 'app=a b' },
    );
    expect(res.status).toBe(400);
    expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ['BAD_USER_INPUT', 'Argument "labelSelector" of field "pods": "tier ~ x" is not a Kubernetes label selector: not one of key, !key, key=value, key!=value, key in (a,b), key notin (a,b).'],
      ['BAD_USER_INPUT', 'Argument "labelSelector" of field "pods": "app=a b" is not a Kubernetes label selector: not one of key, !key, key=value, key!=value, key in (a,b), key notin (a,b).'],
    ]);
  });

  it('refuses a negative limit, literal or variable, instead of ignoring it', async () => {
    const literal = await stack.query('{ cluster(name: "du-001") { nodes { dpdk { pods(limit: -1) { podName } } } } }');
    expect(literal.status).toBe(400);
    expect(literal.errors).toEqual([
      expect.objectContaining({
        message: 'Argument "limit" of field "pods": must be an integer ≥ 0, got -1.',
        extensions: { code: 'BAD_USER_INPUT', argument: 'limit', field: 'pods' },
      }),
    ]);
    const variable = await stack.query('query($n: Int = 5) { ptpNodes(limit: $n) { nodeName } }', { n: -3 });
    expect(variable.status).toBe(400);
    expect(variable.errors?.[0].message).toBe('Argument "limit" of field "ptpNodes": must be an integer ≥ 0, got -3.');

    const zero = await stack.query('{ cluster(name: "du-001") { nodes { dpdk { pods(limit: 0) { podName } } } } }');
    expect(zero.status).toBe(200);
    expect(zero.data.cluster.nodes[0].dpdk.pods).toEqual([]);
  });
});
