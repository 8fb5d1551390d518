// The document limits (gateway/limits): what real clients send passes with the defaults (GraphiQL's
// introspection, the README examples, the bench query), the attacks are refused with the limit
// they cross, fragments are measured once however often they are spread, and the cost estimate honours
// `clusters` and `limit` arguments.
import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { getIntrospectionQuery, parse, type DocumentNode } from 'graphql';
import { checkDocument } from '../../gateway/limits/document-limits.js';
import { measureOperations, measureReadsVariables } from '../../gateway/limits/measure.js';
import { limitsStage } from '../../gateway/limits/limits-stage.js';
import { DEFAULT_OPERATION_LIMITS as LIMITS } from '../../gateway/limits/options.js';
import { SUPERGRAPH_PATH } from '../../lib/paths.js';

const schema = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8')).apiSchema().toGraphQLJSSchema();
const MODEL = { fleetSize: LIMITS.costFleetSize, listSize: LIMITS.costListSize };
const measure = (query: string, variables = {}) => measureOperations(parse(query), schema, MODEL, variables)[0].measure;
const refusal = (query: string) => checkDocument(query, LIMITS, schema).errors?.map((e) => e.extensions.limit ?? e.extensions.code);

describe('what clients send passes', () => {
  it("GraphiQL's introspection query", () => {
    const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, schemaDescription: true, directiveIsRepeatable: true });
    expect(checkDocument(query, LIMITS, schema).errors).toBeUndefined();
  });

  it('every README example and the bench fleet query', () => {
    const readme = readFileSync('README.md', 'utf8');
    const documents: DocumentNode[] = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((m) => parse(m[1]).definitions.map((d) => ({ kind: 'Document', definitions: [d] }) as DocumentNode));
    expect(documents.length).toBeGreaterThanOrEqual(4);
    for (const doc of documents) {
      const [{ measure: m }] = measureOperations(doc, schema, MODEL);
      expect({ depth: m.depth <= LIMITS.maxDepth, cost: m.cost <= LIMITS.maxCost }).toEqual({ depth: true, cost: true });
    }
    expect(checkDocument('{ clusters { name nodes { name ptp { syncState offsetNs clockClass } sriov { clusterName nodeName namespace syncStatus } } } }', LIMITS, schema).errors).toBeUndefined();
  });
});

describe('the cost estimate', () => {
  it('multiplies a fleet-wide list by the fleet size and nested lists by the list size', () => {
    // 1 (clusters) + F × (1 nodes + L × (1 pods + L × 1 name))
    expect(measure('{ clusters { nodes { pods { name } } } }').cost).toBe(1 + 100 * (1 + 10 * (1 + 10)));
  });

  it('counts the clusters a query names and the limit it asks for', () => {
    expect(measure('{ ptpNodes(clusters: ["du-001", "du-002"]) { clusterName } }').cost).toBe(1 + 2 * 1);
    expect(measure('query($n: Int) { ptpNodes(limit: $n) { clusterName } }', { n: 3 }).cost).toBe(1 + 3 * 1);
    expect(measure('{ cluster(name: "du-001") { nodes { name } } }').cost).toBe(1 + 1 + 10);
  });

  it('measures a fragment once however often it is spread (a fragment bomb stays cheap to measure)', () => {
    const levels = 25;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Cluster { name }` : `fragment F${i} on Cluster { ...F${i + 1} a${i}: name ...F${i + 1} }`,
    ).join('\n');
    const started = performance.now();
    const m = measure(`{ cluster(name: "x") { ...F0 } } ${fragments}`);
    expect(performance.now() - started).toBeLessThan(1_000); // 2^25 expansions if it were walked naively
    expect(m.aliases).toBe(2 ** (levels - 1) - 1);
    expect(refusal(`{ cluster(name: "x") { ...F0 } } ${fragments}`)).toContain('aliases');
  });
});

describe('the HTTP limits stage, which remembers what a text alone decides', () => {
  it('knows when a measure reads variables (a cost argument holds one)', () => {
    expect(measureReadsVariables(parse('query($n: Int) { ptpNodes(limit: $n) { clusterName } }'))).toBe(true);
    expect(measureReadsVariables(parse('query($c: String!) { ptpNodes(clusters: [$c]) { clusterName } }'))).toBe(true);
    expect(measureReadsVariables(parse('query($v: String) { clusters(labels: [{ key: "k", value: $v }]) { name } }'))).toBe(false);
    expect(measureReadsVariables(parse('{ ptpNodes(limit: 3) { clusterName } }'))).toBe(false);
  });

  it('measures the cost with each request\'s variables, the same text cheap, then costly, then cheap', () => {
    const stage = limitsStage({ limits: { ...LIMITS, maxCost: 50 }, schema: () => schema });
    const run = (query: string, variables?: Record<string, unknown>) => {
      let status = 0;
      let passed = false;
      const res = { locals: {}, status: (s: number) => ((status = s), res), json: () => res };
      stage({ method: 'POST', originalUrl: '/graphql', body: { query, variables } } as never, res as never, () => void (passed = true));
      return passed ? 'passed' : status;
    };
    const limited = 'query($n: Int) { ptpNodes(limit: $n) { clusterName } }';
    expect(run(limited, { n: 3 })).toBe('passed');
    expect(run(limited, {})).toBe(400); // 1 + fleet size 100 > 50
    expect(run(limited, { n: 3 })).toBe('passed');
    const fixed = 'query($v: String) { ptpNodes(states: [LOCKED]) { clusterName } clusters(labels: [{ key: "k", value: $v }]) { name } }';
    expect(run(fixed, { v: 'a' })).toBe(400);
    expect(run(fixed, { v: 'b' })).toBe(400);
    expect(run('{ cluster(name: "du-001") { name } }')).toBe('passed');
    expect(run('{ cluster(name: "du-001") { name } }')).toBe('passed');
  });
});

describe('the attacks of issue 15 are refused with the limit they cross', () => {
  it.each([
    ['1,000 levels deep (the lexer stops it)', `{${'a{'.repeat(1000)}b${'}'.repeat(1000)}}`, 'depth'],
    ['30 nested nodes { cluster { … } } pairs', `{ clusters { ${'nodes { cluster { '.repeat(30)}name${' } }'.repeat(30)} } }`, 'depth'],
    ['10,000 aliases', `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`, 'tokens'],
    ['200 aliased pods(namespace:)', `{ clusters { ${Array.from({ length: 200 }, (_, i) => `p${i}: pods(namespace: "n${i}") { name }`).join(' ')} } }`, 'aliases'],
    ['25 root fields', `{ ${Array.from({ length: 25 }, (_, i) => `c${i}: cluster(name: "x") { name }`).join(' ')} }`, 'rootFields'],
    ['every pod of every node of the fleet, and each pod\'s node\'s pods again', `{ clusters { nodes { pods { node { pods { ${'name namespace phase nodeName '.repeat(3)} } } } } } }`, 'cost'],
    ['a deep input object', `{ clusters(labels: ${'['.repeat(40)}${']'.repeat(40)}) { name } }`, 'depth'],
  ])('%s', (_what, query, limit) => {
    expect(refusal(query)).toContain(limit);
  });

  it('a fragment cycle and a syntax error', () => {
    expect(refusal('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(refusal('{ clusters { name }')).toEqual(['GRAPHQL_PARSE_FAILED']);
  });
});
