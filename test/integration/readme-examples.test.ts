// The README's example queries, run through the gateway on a fresh demo fleet as a new user would paste
// them: each answers without errors, and one that answers an empty list says, in the comment above it,
// what to start to see something (a new user must not be left with a silent `[]`). One that says it
// needs a Prometheus answers the coded PROMETHEUS_REQUIRED error and nothing else.
import { readFileSync } from 'node:fs';
import { parse, print, type OperationDefinitionNode } from 'graphql';
import { startTestStack, type TestStack } from '../helpers/stack.js';

interface Example {
  comment: string;
  query: string;
}

function readmeExamples(): Example[] {
  const readme = readFileSync('README.md', 'utf8');
  const examples: Example[] = [];
  for (const [, block] of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const doc = parse(block, { noLocation: false });
    for (const def of doc.definitions) {
      if (def.kind !== 'OperationDefinition' || (def as OperationDefinitionNode).operation !== 'query') continue;
      // The comment lines right above the operation.
      const before = block.slice(0, def.loc!.start).split('\n');
      const comment: string[] = [];
      for (let i = before.length - 2; i >= 0 && before[i].startsWith('#'); i--) comment.unshift(before[i]);
      examples.push({ comment: comment.join('\n'), query: print(def) });
    }
  }
  return examples;
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const examples = readmeExamples();

it('has query examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(4);
});

it.each(examples.map((e) => [e.comment.split('\n')[0] ?? e.query.slice(0, 40), e]))('%s', async (_title, example) => {
  const { comment, query } = example as Example;
  const res = await stack.query(query);
  // An example that says it needs a Prometheus (the demo fleet has none) answers exactly that, coded.
  if (/Needs a Prometheus/.test(comment)) {
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['PROMETHEUS_REQUIRED']);
    return;
  }
  expect(res.errors).toBeUndefined();
  for (const [field, value] of Object.entries(res.data ?? {})) {
    if (Array.isArray(value) && value.length === 0) {
      expect({ field, comment, saysWhatToStart: /npm run sim -- scenario/.test(comment) }).toMatchObject({ saysWhatToStart: true });
    }
  }
});
