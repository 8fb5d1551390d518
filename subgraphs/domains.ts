// The domain manifest: one line per domain subgraph. The launcher (npm start), subgraphs/run.ts, the
// supergraph composition, codegen and compose.yaml are all driven from this list; a new domain is its
// folder (subgraphs/<name>/domain.ts …), its SDL file (schema/<name>.graphql) and one line here.
import { domain, type DomainEntry } from './common/domain.js';

export const DOMAINS: readonly DomainEntry[] = [
  domain('fleet', 4001, {}, () => import('./fleet/domain.js')),
  domain('timing', 4002, { metrics: true }, () => import('./timing/domain.js')),
  domain('sriov', 4003, {}, () => import('./sriov/domain.js')),
  domain('dpdk', 4004, {}, () => import('./dpdk/domain.js')),
  domain('cni', 4005, {}, () => import('./cni/domain.js')),
  domain('ovs', 4006, { metrics: true }, () => import('./ovs/domain.js')),
  domain('oda', 4007, {}, () => import('./oda/domain.js')),
  domain('o2ims', 4008, {}, () => import('./o2ims/domain.js')),
];

export function domainEntry(name: string): DomainEntry {
  const entry = DOMAINS.find((d) => d.name === name);
  if (!entry) throw new Error(`unknown domain "${name}" (known: ${DOMAINS.map((d) => d.name).join(', ')})`);
  return entry;
}
