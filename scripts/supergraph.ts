// Composes schema/<subgraph>.graphql of every subgraph into one supergraph SDL (Apollo composition).
// The URLs written into the supergraph are the `npm start` defaults; the gateway maps names to the
// real URLs at run time, so the checked-in file does not depend on where subgraphs run.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS } from '../schema/subgraphs.js';

export const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schema');
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');

export function subgraphSdl(name: string): string {
  return readFileSync(path.join(SCHEMA_DIR, `${name}.graphql`), 'utf8');
}

export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((s) => ({
      name: s.name,
      url: `http://127.0.0.1:${s.port}/graphql`,
      typeDefs: parse(subgraphSdl(s.name)),
    })),
  );
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
