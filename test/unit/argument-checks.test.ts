// The argument-name convention of the gateway (gateway/argument-rules.ts), on parsed operations.
import { getOperationAST, parse } from 'graphql';
import { checkArguments } from '../../gateway/argument-checks.js';
import { parseLabelSelector } from '../../subgraphs/kube/labels.js';

function problems(query: string, variables: Record<string, unknown> = {}, rules?: Parameters<typeof checkArguments>[3]) {
  const document = parse(query);
  return checkArguments(document, getOperationAST(document)!, variables, rules).map((e) => e.message);
}

describe('argument checks by name', () => {
  it('accepts valid values, nulls and names without a rule', () => {
    expect(problems('{ a(labelSelector: "app in (x,y),!canary,tier!=db", limit: 0) b(limit: null) c(other: -1) }')).toEqual([]);
  });

  it('uses a variable default when the variable is not sent, and the sent value otherwise', () => {
    expect(problems('query($n: Int = -2) { a(limit: $n) }')).toEqual(['Argument "limit" of field "a": must be an integer ≥ 0, got -2.']);
    expect(problems('query($n: Int = -2) { a(limit: $n) }', { n: 3 })).toEqual([]);
  });

  it('checks input fields of the same name inside objects and lists', () => {
    expect(problems('{ a(filter: { labelSelector: "=x", page: { limit: 1.5 } }, many: [{ limit: -1 }]) }')).toEqual([
      'Input field "labelSelector" of argument "filter" of field "a": "=x" is not a Kubernetes label selector: not one of key, !key, key=value, key!=value, key in (a,b), key notin (a,b).',
      'Input field "limit" of argument "filter" of field "a": must be an integer ≥ 0, got 1.5.',
      'Input field "limit" of argument "many" of field "a": must be an integer ≥ 0, got -1.',
    ]);
  });

  it('walks inline fragments and named fragments once each', () => {
    expect(problems('{ ... on Q { a(limit: -1) } ...F ...F } fragment F on Q { b(limit: -1) }')).toEqual([
      'Argument "limit" of field "a": must be an integer ≥ 0, got -1.',
      'Argument "limit" of field "b": must be an integer ≥ 0, got -1.',
    ]);
  });

  it('takes another rule table (how a domain adds `window`)', () => {
    const rules = { window: (v: unknown) => (typeof v === 'string' && !/^\d+[smh]$/.test(v) ? `${JSON.stringify(v)} is not a duration like 30s, 5m or 1h` : null) };
    expect(problems('{ a(window: "5 minutes") b(window: "5m") }', {}, rules)).toEqual([
      'Argument "window" of field "a": "5 minutes" is not a duration like 30s, 5m or 1h.',
    ]);
  });

  it('keeps the fleet-access parser answering as before (re-exported from lib/)', () => {
    expect(parseLabelSelector('app=vdu,tier in (a, b)')).toEqual([
      { key: 'app', op: 'EQUALS', value: 'vdu' },
      { key: 'tier', op: 'IN', values: ['a', 'b'] },
    ]);
    expect(parseLabelSelector('a in (')).toBeNull();
    expect(parseLabelSelector('a in ()')).toBeNull();
  });
});
