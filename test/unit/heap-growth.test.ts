// Every process the product launches limits V8's heap growth before it starts work (lib/heap-growth.ts):
// the memory target of issue 17 depends on it, so an entry point that forgets it is a regression.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/paths.js';

const ENTRY_POINTS = ['gateway/main.ts', 'subgraphs/run.ts', 'scripts/start.ts', 'bench/children/stack.ts'];

describe('heap growth', () => {
  it.each(ENTRY_POINTS)('%s calls limitHeapGrowth() at start', (file) => {
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    expect(text).toMatch(/^limitHeapGrowth\(\);$/m);
  });
});
