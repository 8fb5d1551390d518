// The README's example queries, run through the gateway on a fresh demo fleet as a new user would paste
// them: each answers without errors, and one that answers an empty list says, in the comment above it,
// what to start to see something (a new user must not be left with a silent `[]`). One that says it
// needs a Prometheus answers the coded PROMETHEUS_REQUIRED error and nothing else.
import { readmeExamples, type ReadmeExample as Example } from '../helpers/readme.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

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
