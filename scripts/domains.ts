// `npm run domains`: every domain of the manifest and every place it appears; exits 1 when a place is
// missing or a domain folder / SDL file is not in the manifest.
import { DOMAINS } from '../subgraphs/domains.js';
import { placesOf, strays } from './domain-places.js';

let missing = 0;
for (const d of DOMAINS) {
  console.log(`${d.name}`);
  for (const p of placesOf(d)) {
    if (!p.present) missing++;
    console.log(`  ${p.present ? '✓' : '✗'} ${p.what.padEnd(42)} ${p.where}`);
  }
}
const extra = strays(DOMAINS);
for (const s of extra) console.log(`✗ ${s}`);
process.exitCode = missing || extra.length ? 1 : 0;
