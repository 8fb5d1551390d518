// The SDL files in schema/ are the contract; the supergraph and the resolver types are derived from
// them and checked in. These tests fail when someone edits a schema without regenerating.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { SUPERGRAPH_PATH } from '../../lib/paths.js';
import { composeSupergraph } from '../../scripts/supergraph.js';

describe('schema contract', () => {
  it('schema/supergraph.graphql is up to date (run `npm run compose`)', () => {
    const checkedIn = readFileSync(SUPERGRAPH_PATH, 'utf8');
    expect(checkedIn).toContain(composeSupergraph());
  });

  it('generated resolver and client types are up to date (run `npm run codegen`)', () => {
    const out = execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--check'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).not.toMatch(/changed|outdated/i);
  }, 120_000);
});
