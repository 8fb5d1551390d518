// Every place a domain appears, derived from the manifest: what `npm run domains` prints and what
// test/unit/domain-manifest.test.ts checks. Adding a domain touches its folder, its SDL file and its
// manifest line; the supergraph, the resolver types and compose.yaml are regenerated from them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, SCHEMA_DIR, SUPERGRAPH_PATH } from '../lib/paths.js';
import type { DomainEntry } from '../subgraphs/common/domain.js';

/** The files of the domain template (docs/architecture.md "The domain template"). */
export const TEMPLATE_FILES = ['domain.ts', 'server.ts', 'context.ts', 'resolvers.ts', 'models.ts', 'generated/types.ts'];

/** Folders of subgraphs/ that are shared layers, not domains. */
export const SHARED_FOLDERS = ['common', 'kube', 'metrics'];

export interface DomainPlace {
  what: string;
  where: string;
  present: boolean;
}

export function placesOf(d: DomainEntry): DomainPlace[] {
  const folder = path.join(REPO_ROOT, 'subgraphs', d.name);
  const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8');
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> };
  const urlVar = `SUBGRAPH_${d.name.toUpperCase()}_URL`;
  return [
    { what: 'manifest line', where: `subgraphs/domains.ts: ${d.name} :${d.port} needs ${JSON.stringify(d.needs)}`, present: true },
    ...TEMPLATE_FILES.map((f) => ({ what: `domain template: ${f}`, where: `subgraphs/${d.name}/${f}`, present: existsSync(path.join(folder, f)) })),
    { what: 'SDL (the contract)', where: `schema/${d.sdl}`, present: existsSync(path.join(SCHEMA_DIR, d.sdl)) },
    {
      what: 'supergraph (npm run compose)',
      where: `schema/supergraph.graphql: join__Graph ${d.name.toUpperCase()}`,
      present: new RegExp(`\\b${d.name.toUpperCase()} @join__graph\\(name: "${d.name}"`).test(supergraph),
    },
    { what: 'compose service (npm run compose)', where: `compose.yaml: services.${d.name}`, present: Boolean(compose.services[d.name]) },
    {
      what: 'gateway → subgraph URL (npm run compose)',
      where: `compose.yaml: gateway ${urlVar}`,
      present: compose.services.gateway?.environment?.[urlVar] === `http://${d.name}:${d.port}/graphql`,
    },
  ];
}

/** Domain folders and SDL files that exist but are not in the manifest (a domain half added). */
export function strays(domains: readonly DomainEntry[]): string[] {
  const names = new Set(domains.map((d) => d.name));
  const folders = readdirSync(path.join(REPO_ROOT, 'subgraphs'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !SHARED_FOLDERS.includes(e.name) && existsSync(path.join(REPO_ROOT, 'subgraphs', e.name, 'domain.ts')))
    .map((e) => e.name)
    .filter((n) => !names.has(n))
    .map((n) => `subgraphs/${n}/ (a domain.ts, not in the manifest)`);
  const sdls = readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.graphql') && !['supergraph.graphql', 'codegen-federation.graphql'].includes(f))
    .filter((f) => !domains.some((d) => d.sdl === f))
    .map((f) => `schema/${f} (not in the manifest)`);
  return [...folders, ...sdls];
}
