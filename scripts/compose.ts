// `npm run compose`: everything derived from the domain manifest and the SDL files, except the resolver
// types (`npm run codegen`): schema/supergraph.graphql, compose.yaml and compose.demo.yaml.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SUPERGRAPH_PATH } from '../lib/paths.js';
import { DOMAINS } from '../subgraphs/domains.js';
import { composeDemoFile, composeFile } from './compose-file.js';
import { composeSupergraph, SUPERGRAPH_HEADER } from './supergraph.js';

const outputs: [string, string][] = [
  [SUPERGRAPH_PATH, SUPERGRAPH_HEADER + composeSupergraph() + '\n'],
  [path.join(REPO_ROOT, 'compose.yaml'), composeFile(DOMAINS)],
  [path.join(REPO_ROOT, 'compose.demo.yaml'), composeDemoFile(DOMAINS)],
];
for (const [file, text] of outputs) {
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
}
