// The example operations in README.md must be valid against the composed supergraph's API schema,
// so a user who pastes them into GraphiQL gets data, not a validation error.
import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate, type DocumentNode } from 'graphql';
import { SUPERGRAPH_PATH } from '../../lib/paths.js';

const apiSchema = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8')).apiSchema().toGraphQLJSSchema();

function readmeOperations(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  // Shell examples quote an operation for `npm run subscribe`.
  const quoted = [...readme.matchAll(/npm run subscribe -- '([\s\S]*?)'/g)].map((m) => m[1]).filter((q) => q.includes('{'));
  return [...blocks, ...quoted];
}

describe('README examples', () => {
  const sources = readmeOperations();

  it('has examples to check', () => {
    expect(sources.length).toBeGreaterThanOrEqual(2);
  });

  it.each(sources.map((s, i) => [i, s]))('example %i is valid against the supergraph', (_i, source) => {
    const document = parse(source as string);
    for (const definition of document.definitions) {
      const single: DocumentNode = { kind: document.kind, definitions: [definition] };
      expect(validate(apiSchema, single).map((e) => e.message)).toEqual([]);
    }
  });
});
