// Re-renders bench/results/<name>.md from its .json (after a change to bench/lib/report.ts):
// `npx tsx bench/render.ts bench/results/<name>.json`.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderMarkdown } from './lib/report.js';
import type { BenchResults } from './run.js';

for (const file of process.argv.slice(2)) {
  const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  writeFileSync(file.replace(/\.json$/, '.md'), renderMarkdown(results));
  console.log(`rendered ${file.replace(/\.json$/, '.md')}`);
}
