// The README's example operations, as a new user would paste them: each query of every ```graphql
// block with the comment lines right above it.
import { readFileSync } from 'node:fs';
import { parse, print, type OperationDefinitionNode } from 'graphql';

export interface ReadmeExample {
  comment: string;
  query: string;
}

export function readmeExamples(): ReadmeExample[] {
  const readme = readFileSync('README.md', 'utf8');
  const examples: ReadmeExample[] = [];
  for (const [, block] of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const doc = parse(block, { noLocation: false });
    for (const def of doc.definitions) {
      if (def.kind !== 'OperationDefinition' || (def as OperationDefinitionNode).operation !== 'query') continue;
      const before = block.slice(0, def.loc!.start).split('\n');
      const comment: string[] = [];
      for (let i = before.length - 2; i >= 0 && before[i].startsWith('#'); i--) comment.unshift(before[i]);
      examples.push({ comment: comment.join('\n'), query: print(def) });
    }
  }
  return examples;
}
