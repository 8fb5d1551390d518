// Issue 10 acceptance: a domain is its folder, its SDL file and one manifest line; everything else that
// names it (supergraph, resolver types, compose.yaml, the launcher) is derived. This lists, from the
// manifest, every place a domain appears (`npm run domains` prints the same) and fails when one is
// missing or when a domain folder / SDL file exists outside the manifest.
import { readFileSync } from 'node:fs';
import { placesOf, strays } from '../../scripts/domain-places.js';
import { DOMAINS } from '../../subgraphs/domains.js';

describe('the domain manifest', () => {
  it.each(DOMAINS.map((d) => [d.name, d]))('%s appears in every place the template names', (_name, d) => {
    const missing = placesOf(d).filter((p) => !p.present).map((p) => `${p.what}: ${p.where}`);
    expect(missing).toEqual([]);
  });

  it('has no domain folder or SDL file outside the manifest', () => {
    expect(strays(DOMAINS)).toEqual([]);
  });

  it('gives every domain its own port and a start function', async () => {
    expect(new Set(DOMAINS.map((d) => d.port)).size).toBe(DOMAINS.length);
    for (const d of DOMAINS) expect(typeof (await d.load()).start).toBe('function');
  });

  it('is the only place outside a domain folder that names the domains', () => {
    // The launcher, the standalone runner, the gateway entry point and codegen iterate the manifest.
    for (const file of ['scripts/stack.ts', 'subgraphs/run.ts', 'gateway/main.ts', 'codegen.ts', 'scripts/supergraph.ts', 'scripts/compose-file.ts']) {
      const text = readFileSync(file, 'utf8');
      for (const d of DOMAINS) expect({ file, names: new RegExp(`['"\`]${d.name}['"\`]`).test(text) }).toEqual({ file, names: false });
    }
  });
});
