// Where the repository's own files are, for every process: the SDL files (the contract) and the
// composed supergraph. Found from this file by walking up to the package root, so it holds both when
// run from source (tsx) and from the launcher's bundle under .fleetgraph/build/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'fleetgraph') return dir;
    if (path.dirname(dir) === dir) throw new Error(`fleetgraph's package.json not found above ${from}`);
  }
}

export const REPO_ROOT = packageRoot(path.dirname(fileURLToPath(import.meta.url)));
export const SCHEMA_DIR = path.join(REPO_ROOT, 'schema');
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');

/** schema/<file> as an absolute path (e.g. a domain's SDL, `timing.graphql`). */
export function schemaPath(file: string): string {
  return path.join(SCHEMA_DIR, file);
}
