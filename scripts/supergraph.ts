// Composes schema/<domain>.graphql of every domain of the manifest into one supergraph SDL (Apollo
// composition). The URLs written into the supergraph are the `npm start` defaults; the gateway maps
// names to the real URLs at run time, so the checked-in file does not depend on where subgraphs run.
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { schemaPath } from '../lib/paths.js';
import { DOMAINS } from '../subgraphs/domains.js';

export const SUPERGRAPH_HEADER = '# Composed by `npm run compose` from schema/<subgraph>.graphql. Do not edit.\n';

export function composeSupergraph(): string {
  const result = composeServices(
    DOMAINS.map((d) => ({
      name: d.name,
      url: `http://127.0.0.1:${d.port}/graphql`,
      typeDefs: parse(readFileSync(schemaPath(d.sdl), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
