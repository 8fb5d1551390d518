// `npm start`: the whole stack. With no configuration it runs the simulated demo fleet, bound to
// 127.0.0.1; `--kubeconfig FILE` (or KUBECONFIG) uses real clusters and no simulator.
import { parseArgs } from 'node:util';
import path, { delimiter } from 'node:path';
import { limitHeapGrowth } from '../lib/heap-growth.js';
import { REPO_ROOT } from '../lib/paths.js';
import { fleetSourceFrom, launcherAccessFrom, logLevelFrom, requirePolicyFile } from '../lib/config.js';
import { setLogLevel } from '../lib/log.js';
import { onShutdown } from '../lib/shutdown.js';
import { startStack, type StackAccess, type StackLayout } from './stack.js';

// Before any work: the old generation grows to 1.5× the live heap, not V8's 4× (lib/heap-growth.ts).
limitHeapGrowth();

const USAGE = `usage: npm start [-- options]
  --kubeconfig FILE     real clusters (repeatable; default: KUBECONFIG, else the simulated demo fleet)
  --fleet-file FILE     labels and per-cluster settings (default: FLEET_FILE)
  --context A[,B]       only these kubeconfig contexts
  --policy FILE         the access policy with real clusters (default: POLICY_FILE; README "Access")
  --host ADDR           listen address with real clusters (default 127.0.0.1; the demo always uses 127.0.0.1)
  --base-port N         gateway N, subgraphs N+1…N+8, simulator N+2443/N+2480 (default 4000; 0 = random ports)
  --port N              the gateway's port alone
  --single-process      everything in one process (default: each subgraph, the gateway and the simulator in its own)
  --edges N --seed N    size and seed of the simulated fleet`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      kubeconfig: { type: 'string', multiple: true },
      'fleet-file': { type: 'string' },
      context: { type: 'string', multiple: true },
      policy: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'base-port': { type: 'string' },
      'single-process': { type: 'boolean' },
      edges: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const int = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

let fleet;
let access: StackAccess;
try {
  setLogLevel(logLevelFrom());
  fleet = fleetSourceFrom(process.argv.slice(2));
  // The demo makes its own policy (a local key with every scope); real clusters need one (no anonymous access unless it grants it).
  const real = launcherAccessFrom(values.policy);
  access = fleet.kubeconfigPaths.length === 0 ? 'demo' : { policyFile: requirePolicyFile(real.policyFile), jwt: real.jwt };
} catch (err) {
  fail((err as Error).message);
}
const demo = fleet.kubeconfigPaths.length === 0;
const layout: StackLayout = values['single-process'] ? 'single' : 'processes';
const started = Date.now();
const stack = await startStack({
  layout,
  fleet,
  host: values.host,
  port: int('port', values.port),
  basePort: int('base-port', values['base-port']),
  access,
  simulator: {
    fleet: {
      ...(values.edges ? { edges: int('edges', values.edges) } : {}),
      ...(values.seed ? { seed: int('seed', values.seed) } : {}),
    },
  },
}).catch((err: Error) => fail(`fleetgraph failed to start: ${err.message}`));
onShutdown(() => stack.stop());

const gatewayBase = stack.gatewayUrl.replace(/\/graphql$/, '');
const tokenFile = path.relative(process.cwd(), path.join(REPO_ROOT, '.fleetgraph', 'demo', 'token'));
console.log(`
fleetgraph is ready (${((Date.now() - started) / 1000).toFixed(1)} s, ${layout === 'processes' ? `${Object.keys(stack.processes).length} processes` : 'one process'})${demo ? ': the simulated demo fleet' : ''}

  GraphQL     ${stack.gatewayUrl}
  GraphiQL    ${demo ? `${gatewayBase}/ (the demo key is preset in its headers)` : 'off (GRAPHIQL=true turns it on)'}
  kubeconfig  ${stack.simulator?.kubeconfigPath ?? fleet.kubeconfigPaths.join(delimiter)}${
    stack.simulator ? `\n  simulator   ${stack.simulator.apiUrl} (control API ${stack.simulator.controlUrl})` : ''
  }${
    demo
      ? `
  access      the demo API key (every scope, this machine only) is in ${tokenFile}:
                export FLEETGRAPH_TOKEN=$(cat ${tokenFile})
              a request without it is 401 (README "Access": policies, JWT, limits)`
      : `
  access      ${(access as { policyFile: string }).policyFile} (reloaded when it changes)`
  }

Try:
  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer ${demo ? `$(cat ${tokenFile})` : '$FLEETGRAPH_TOKEN'}" \\
    -d '{"query":"{ clusters { name platform health { reachable } nodes { name ready } } }"}'

Ctrl-C stops everything.
`);
