// `npm run compose`: everything derived from the domain manifest and the SDL files, except the resolver
// and client types (`npm run codegen`): schema/supergraph.graphql, compose.yaml,
// compose.demo.yaml, the Helm chart's domains.yaml, the README's RBAC table and the Grafana dashboard.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SUPERGRAPH_PATH } from '../lib/paths.js';
import { DOMAINS } from '../subgraphs/domains.js';
import { CHART_DOMAINS_PATH, chartDomains, chartDomainsFile, withRbacTable } from './chart-domains.js';
import { DASHBOARD_PATH, dashboardFile } from './grafana-dashboard.js';
import { composeDemoFile, composeFile } from './compose-file.js';
import { composeSupergraph, SUPERGRAPH_HEADER } from './supergraph.js';

const supergraph = composeSupergraph();
const outputs: [string, string][] = [
  [SUPERGRAPH_PATH, SUPERGRAPH_HEADER + supergraph + '\n'],
  [path.join(REPO_ROOT, 'compose.yaml'), composeFile(DOMAINS)],
  [path.join(REPO_ROOT, 'compose.demo.yaml'), composeDemoFile(DOMAINS)],
  [path.join(REPO_ROOT, CHART_DOMAINS_PATH), await chartDomainsFile(DOMAINS)],
  [path.join(REPO_ROOT, DASHBOARD_PATH), dashboardFile()],
  [path.join(REPO_ROOT, 'README.md'), withRbacTable(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'), await chartDomains(DOMAINS))],
];
for (const [file, text] of outputs) {
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
}
