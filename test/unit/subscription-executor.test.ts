// The subscription executor without a network: planning (prepare.ts) and running one event through
// @apollo/gateway's executor (event-executor.ts) with in-memory data sources.
import { checkVariables, prepareSubscription, primaryVariables, type PreparedSubscription } from '../../gateway/subscriptions/prepare.js';
import { executeEvent } from '../../gateway/subscriptions/event-executor.js';
import { serializeResult } from '../../gateway/subscriptions/subscription-group.js';
import { stableJson } from '../../gateway/subscriptions/stable-json.js';
import { fakeStatusSubgraph, serviceMap, unitSnapshot } from '../helpers/subscription-unit-supergraph.js';

const snapshot = unitSnapshot();

function prepare(query: string, operationName?: string): PreparedSubscription {
  const result = prepareSubscription(snapshot, query, operationName);
  if (!result.prepared) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.prepared;
}

describe('prepareSubscription', () => {
  it('plans the root field on its owning subgraph and entity fields as rest', () => {
    const p = prepare(`subscription S($site: String) { batch(site: $site) { seq nodes { name } } }`, 'S');
    expect(p.primary.serviceName).toBe('feed');
    expect(p.primary.operation).toMatch(/^subscription S__feed__0\(\$site:String\)\{batch\(site:\$site\)\{seq nodes\{__typename id\}\}\}$/);
    expect(p.primary.variableUsages).toEqual(['site']);
    expect(p.eventPlan.node?.kind).toBe('Sequence');
  });

  it('needs no rest when the owning subgraph answers everything', () => {
    expect(prepare(`subscription { batch { seq nodes { id } } }`).eventPlan.node?.kind).toBe('Fetch');
  });

  it('caches by operation name and text, and strips operation names from the upstream key', () => {
    const a = prepare(`subscription A { batch { seq } }`, 'A');
    expect(prepare(`subscription A { batch { seq } }`, 'A')).toBe(a);
    const b = prepare(`subscription B { batch { seq } }`, 'B');
    expect(b).not.toBe(a);
    expect(b.upstreamOperation).toBe(a.upstreamOperation);
    expect(a.upstreamOperation).toBe('subscription{batch{seq}}');
  });

  it('reports parse, validation and operation errors with the codes HTTP uses', () => {
    const codes = (q: string, name?: string) =>
      (prepareSubscription(snapshot, q, name).errors ?? []).map((e) => [e.extensions.code, e.message]);
    expect(codes('subscription {')).toEqual([['GRAPHQL_PARSE_FAILED', 'Syntax Error: Expected Name, found <EOF>.']]);
    expect(codes('subscription { batch { nope } }')[0][0]).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(codes('subscription { batch { seq } ping: batch { seq } }')[0]).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
      'Anonymous Subscription must select only one top level field.',
    ]);
    expect(codes('subscription A { batch { seq } } subscription B { batch { seq } }', 'C')).toEqual([
      ['BAD_USER_INPUT', 'Unknown operation named "C".'],
    ]);
    expect(codes('{ ping }')[0][0]).toBe('OPERATION_NOT_SUPPORTED');
  });

  it('checks variables and keeps only those the primary fetch uses for the upstream key', () => {
    const p = prepare(`subscription($site: String, $full: Boolean!) { batch(site: $site) { seq nodes @include(if: $full) { name } } }`);
    expect(checkVariables(p, { site: 'a', full: true })).toEqual([]);
    expect(checkVariables(p, { site: 'a' }).map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(primaryVariables(p, { site: 'a', full: true, unused: 1 })).toEqual({ site: 'a', full: true });
    expect(stableJson({ b: [1, { d: 1, c: 2 }], a: null, u: undefined })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});

describe('executeEvent', () => {
  const event = () => ({
    data: { batch: { seq: 7, nodes: [{ __typename: 'Node', id: '1' }, { __typename: 'Node', id: '2' }, { __typename: 'Node', id: '3' }] } },
  });

  it('resolves the event entities in one batched fetch and shapes the result to the client selection', async () => {
    const status = fakeStatusSubgraph();
    const p = prepare(`subscription { tick: batch { __typename n: seq nodes { name ... on Node { status } } } }`);
    // The event answers the primary operation, aliases included.
    expect(p.primary.operation).toBe('subscription{tick:batch{__typename n:seq nodes{__typename id}}}');
    const { seq, nodes } = event().data.batch;
    const result = await executeEvent({
      prepared: p,
      variables: {},
      event: { data: { tick: { __typename: 'Batch', n: seq, nodes } } },
      dataSources: serviceMap(status.source),
      context: {},
    });
    expect(status.requests).toHaveLength(1);
    expect(status.requests[0].variables.representations).toEqual([
      { __typename: 'Node', id: '1' },
      { __typename: 'Node', id: '2' },
      { __typename: 'Node', id: '3' },
    ]);
    // Key fields fetched only for entity resolution (__typename, id) are not in the response.
    expect(JSON.parse(serializeResult(result))).toEqual({
      data: {
        tick: {
          __typename: 'Batch',
          n: 7,
          nodes: [
            { name: 'node-1', status: 'ok' },
            { name: 'node-2', status: 'degraded' },
            { name: 'node-3', status: 'ok' },
          ],
        },
      },
    });
  });

  it('nulls what a failed entity fetch leaves missing, with the error at the client path', async () => {
    const status = fakeStatusSubgraph();
    const p = prepare(`subscription { batch { seq nodes { id name } } }`);
    const e = event();
    e.data.batch.nodes[1].id = 'broken';
    const result = JSON.parse(
      serializeResult(await executeEvent({ prepared: p, variables: {}, event: e, dataSources: serviceMap(status.source), context: {} })),
    );
    // nodes is [Node!]: a missing non-null name nulls the node, which nulls the list.
    expect(result.data).toEqual({ batch: { seq: 7, nodes: null } });
    expect(result.errors).toEqual([
      {
        message: 'status of broken unavailable',
        path: ['batch', 'nodes', 1, 'name'],
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'status' },
      },
    ]);
  });

  it('passes errors of the event itself through with paths, and skips fetches @skip removes', async () => {
    const status = fakeStatusSubgraph();
    const p = prepare(`subscription($skip: Boolean!) { batch { seq nodes @skip(if: $skip) { name } } }`);
    const result = JSON.parse(
      serializeResult(
        await executeEvent({
          prepared: p,
          variables: { skip: true },
          event: { data: { batch: { seq: 8, nodes: null } }, errors: [{ message: 'feed hiccup', path: ['batch', 'nodes'] }] },
          dataSources: serviceMap(status.source),
          context: {},
        }),
      ),
    );
    expect(status.requests).toHaveLength(0);
    expect(result).toEqual({
      data: { batch: { seq: 8 } },
      errors: [{ message: 'feed hiccup', path: ['batch', 'nodes'], extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'feed' } }],
    });
  });

  it('reports an unreachable entity subgraph as an error and keeps the event data', async () => {
    const p = prepare(`subscription { batch { seq nodes { status } } }`);
    const down = { process: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:4009')) };
    const result = JSON.parse(
      serializeResult(await executeEvent({ prepared: p, variables: {}, event: event(), dataSources: serviceMap(down), context: {} })),
    );
    expect(result.data).toEqual({ batch: { seq: 7, nodes: [{ status: null }, { status: null }, { status: null }] } });
    expect(result.errors).toEqual([{ message: 'connect ECONNREFUSED 127.0.0.1:4009', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  });
});
