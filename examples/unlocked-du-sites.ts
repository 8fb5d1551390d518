// Lists the DU sites (edge clusters) whose PTP clock is not LOCKED, worst first, and exits non-zero
// when any node is FREERUN — a check a cron job, a CI gate or a NOC script can run:
//
//   npx tsx examples/unlocked-du-sites.ts [--url http://127.0.0.1:4000/graphql] [--label role=edge]
//   FLEETGRAPH_URL=… FLEETGRAPH_TOKEN=… npx tsx examples/unlocked-du-sites.ts
//
// Exit status: 0 no node FREERUN (HOLDOVER is listed but is not a failure yet), 1 some node FREERUN,
// 2 the question could not be asked (gateway unreachable, refused, bad arguments). A site that cannot
// be read is reported on stderr and does not change the status.
import { parseArgs } from 'node:util';
import { createFleetgraphClient, FleetgraphError, PtpNodesDocument, type ClockState } from '../client/index.js';
import { readClientScriptConfig } from '../lib/config.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    label: { type: 'string', default: 'role=edge' },
  },
});

async function main(): Promise<number> {
  const config = readClientScriptConfig();
  const [key, value] = values.label!.split('=');
  const client = createFleetgraphClient({ url: values.url ?? config.url, token: values.token ?? config.token });
  const unlocked: ClockState[] = ['HOLDOVER', 'FREERUN', 'UNKNOWN'];
  const { data, errors } = await client.query(PtpNodesDocument, { states: unlocked, clusterLabels: [{ key, value }] });
  for (const e of errors) process.stderr.write(`warning: ${e.extensions?.cluster ?? 'fleet'}: ${e.extensions?.code ?? 'ERROR'}: ${e.message}\n`);
  const nodes = (data?.ptpNodes ?? []).filter((n) => n !== null);
  const sites = new Map<string, typeof nodes>();
  for (const n of nodes) sites.set(n.clusterName, [...(sites.get(n.clusterName) ?? []), n]);
  for (const [site, list] of sites) {
    for (const n of list) process.stdout.write(`${site}\t${n.nodeName}\t${n.syncState}\toffset ${n.offsetNs ?? '-'} ns\tclock class ${n.clockClass ?? '-'}\n`);
  }
  const freerun = nodes.filter((n) => n.syncState === 'FREERUN');
  process.stdout.write(
    sites.size === 0
      ? `every DU site (${key}=${value}) is LOCKED\n`
      : `${sites.size} DU site(s) not LOCKED, ${freerun.length} node(s) FREERUN\n`,
  );
  return freerun.length > 0 ? 1 : 0;
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    const detail = err instanceof FleetgraphError && err.codes.length ? ` (${err.codes.join(', ')})` : '';
    process.stderr.write(`unlocked-du-sites: ${(err as Error).message}${detail}\n`);
    process.exit(2);
  });
