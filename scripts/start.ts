// `npm start`: the whole stack. With no configuration it runs the simulated demo fleet, bound to
// 127.0.0.1; `--kubeconfig FILE` (or KUBECONFIG) uses real clusters and no simulator.
import { parseArgs } from 'node:util';
import { delimiter } from 'node:path';
import { startStack } from './stack.js';
import { onShutdown } from '../lib/shutdown.js';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string', multiple: true },
    'fleet-file': { type: 'string' },
    context: { type: 'string', multiple: true },
    host: { type: 'string' },
    port: { type: 'string' },
    edges: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`usage: npm start [-- options]
  --kubeconfig FILE     real clusters (repeatable; default: KUBECONFIG, else the simulated demo fleet)
  --fleet-file FILE     labels and per-cluster settings (default: FLEET_FILE)
  --context A[,B]       only these kubeconfig contexts
  --host ADDR           listen address (default 127.0.0.1; the demo fleet always uses 127.0.0.1)
  --port N              gateway port (default 4000; subgraphs use 4001-4008)
  --edges N --seed N    size and seed of the simulated fleet`);
  process.exit(0);
}

const kubeconfigPaths = values.kubeconfig ?? (process.env.KUBECONFIG ? process.env.KUBECONFIG.split(delimiter).filter(Boolean) : undefined);
const demo = !kubeconfigPaths?.length;
const started = Date.now();
const stack = await startStack({
  kubeconfigPaths,
  fleetFilePath: values['fleet-file'] ?? process.env.FLEET_FILE,
  contexts: values.context?.flatMap((c) => c.split(',')),
  host: demo ? '127.0.0.1' : (values.host ?? '127.0.0.1'),
  port: values.port ? Number(values.port) : 4000,
  simulator: {
    fleet: {
      ...(values.edges ? { edges: Number(values.edges) } : {}),
      ...(values.seed ? { seed: Number(values.seed) } : {}),
    },
  },
}).catch((err: Error) => {
  console.error(`fleetgraph failed to start: ${err.message}`);
  process.exit(1);
});
onShutdown(() => stack.stop());

const gatewayBase = stack.gatewayUrl.replace(/\/graphql$/, '');
console.log(`
fleetgraph is ready (${((Date.now() - started) / 1000).toFixed(1)} s): ${stack.registry.size} clusters${demo ? ' (simulated demo fleet)' : ''}

  GraphQL     ${stack.gatewayUrl}
  GraphiQL    ${gatewayBase}/
  kubeconfig  ${kubeconfigPaths?.join(delimiter) ?? stack.simulator?.kubeconfigPath}${
    stack.simulator ? `\n  simulator   ${stack.simulator.apiUrl} (control API ${stack.simulator.controlUrl})` : ''
  }

Try:
  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' \\
    -d '{"query":"{ clusters { name platform health { reachable } nodes { name ready } } }"}'

Ctrl-C stops everything.
`);
