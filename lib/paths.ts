// Where the repository's own files are, for every process: the SDL files (the contract) and the
// composed supergraph. Resolved from this file, so it does not depend on the working directory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_DIR = path.join(REPO_ROOT, 'schema');
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');

/** schema/<file> as an absolute path (e.g. a domain's SDL, `timing.graphql`). */
export function schemaPath(file: string): string {
  return path.join(SCHEMA_DIR, file);
}
