// `npm run sim` starts the simulated fleet; `npm run sim -- <command>` talks to a running one's
// control API. Usage: `npm run sim -- help`.
import { parseArgs } from 'node:util';
import { startSimulator } from './simulator.js';

const USAGE = `fleetgraph simulator

start (default):
  npm run sim [-- --edges N --regionals N --hubs N --seed N --port 6443 --control-port 6480 --dir .fleetgraph/sim]
               [--host 0.0.0.0 --public-host NAME]   (NAME: how clients reach it; in the kubeconfig and the certificate)
               [--provisioning-time-scale N]         (the o2ims operators run N times faster; default 1)

talk to a running simulator (--control URL, default http://127.0.0.1:6480):
  npm run sim -- clusters
  npm run sim -- faults <cluster> [--latency MS] [--unreachable] [--error-rate 0..1] [--drop-watches-after MS] [--slow-stream MS]
  npm run sim -- faults <cluster> --clear
  npm run sim -- compact <cluster>            forget watch history (watches resuming from older RVs get 410)
  npm run sim -- drop-watches <cluster>       close every open watch of the cluster now
  npm run sim -- tokens <cluster>             admin and scoped bearer tokens
  npm run sim -- scenario <name> [--cluster X] [--node Y] [--param key=value ...]
  npm run sim -- scenarios                    available and running scenarios
  npm run sim -- counters [--cluster X] [--reset]
`;

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${value}"`);
  return n;
}

async function callControl(base: string, method: string, path: string, body?: unknown): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new Error(`cannot reach the simulator control API at ${base} (is \`npm run sim\` running?): ${(err as Error).message}`);
  }
  const text = await res.text();
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  if (!res.ok) process.exitCode = 1;
}

async function start(values: Record<string, string | boolean | string[] | undefined>): Promise<void> {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const fleet = {
    ...(str('edges') !== undefined ? { edges: number('edges', str('edges')) } : {}),
    ...(str('regionals') !== undefined ? { regionals: number('regionals', str('regionals')) } : {}),
    ...(str('hubs') !== undefined ? { hubs: number('hubs', str('hubs')) } : {}),
    ...(str('seed') !== undefined ? { seed: number('seed', str('seed')) } : {}),
  };
  const started = Date.now();
  const sim = await startSimulator({
    port: number('port', str('port')),
    controlPort: number('control-port', str('control-port')),
    host: str('host'),
    publicHost: str('public-host'),
    dir: str('dir'),
    fleet,
    provisioningOperator: { timeScale: number('provisioning-time-scale', str('provisioning-time-scale')) ?? 1 },
    log: (line) => console.log(JSON.stringify(line)),
  });
  const first = [...sim.clusters.keys()][0];
  console.log(`simulated fleet: ${sim.clusters.size} clusters in ${Date.now() - started} ms`);
  console.log(`kubeconfig:  ${sim.kubeconfigPath}`);
  console.log(`fleet file:  ${sim.fleetFilePath}`);
  console.log(`API server:  ${sim.apiUrl}/clusters/<name>`);
  console.log(`control API: ${sim.controlUrl}`);
  console.log(`try:         kubectl --kubeconfig ${sim.kubeconfigPath} --context ${first} get nodes`);
  // Under the launcher (npm start): where everything is.
  process.send?.({
    type: 'ready',
    apiUrl: sim.apiUrl,
    controlUrl: sim.controlUrl,
    kubeconfigPath: sim.kubeconfigPath,
    fleetFilePath: sim.fleetFilePath,
    clusters: sim.clusters.size,
  });
  process.on('disconnect', () => stop('launcher gone'));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    sim.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      edges: { type: 'string' },
      regionals: { type: 'string' },
      hubs: { type: 'string' },
      seed: { type: 'string' },
      port: { type: 'string' },
      'control-port': { type: 'string' },
      host: { type: 'string' },
      'public-host': { type: 'string' },
      dir: { type: 'string' },
      'provisioning-time-scale': { type: 'string' },
      control: { type: 'string', default: 'http://127.0.0.1:6480' },
      latency: { type: 'string' },
      unreachable: { type: 'boolean' },
      'error-rate': { type: 'string' },
      'drop-watches-after': { type: 'string' },
      'slow-stream': { type: 'string' },
      clear: { type: 'boolean' },
      cluster: { type: 'string' },
      node: { type: 'string' },
      param: { type: 'string', multiple: true },
      reset: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg] = positionals;
  const base = values.control as string;
  const need = (what: string): string => {
    if (!arg) throw new Error(`missing <${what}>\n\n${USAGE}`);
    return arg;
  };
  if (values.help || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  switch (command) {
    case undefined:
    case 'start':
      return start(values);
    case 'clusters':
      return callControl(base, 'GET', '/clusters');
    case 'faults': {
      const cluster = encodeURIComponent(need('cluster'));
      if (values.clear) return callControl(base, 'DELETE', `/clusters/${cluster}/faults`);
      const faults = {
        ...(values.latency !== undefined ? { latencyMs: number('latency', values.latency) } : {}),
        ...(values.unreachable ? { unreachable: true } : {}),
        ...(values['error-rate'] !== undefined ? { errorRate: number('error-rate', values['error-rate']) } : {}),
        ...(values['drop-watches-after'] !== undefined ? { dropWatchesAfterMs: number('drop-watches-after', values['drop-watches-after']) } : {}),
        ...(values['slow-stream'] !== undefined ? { slowStreamMs: number('slow-stream', values['slow-stream']) } : {}),
      };
      if (Object.keys(faults).length === 0) return callControl(base, 'GET', `/clusters/${cluster}/faults`);
      return callControl(base, 'PUT', `/clusters/${cluster}/faults`, faults);
    }
    case 'compact':
      return callControl(base, 'POST', `/clusters/${encodeURIComponent(need('cluster'))}/compact`);
    case 'drop-watches':
      return callControl(base, 'POST', `/clusters/${encodeURIComponent(need('cluster'))}/drop-watches`);
    case 'tokens':
      return callControl(base, 'GET', `/clusters/${encodeURIComponent(need('cluster'))}/tokens`);
    case 'scenarios':
      return callControl(base, 'GET', '/scenarios');
    case 'scenario': {
      const name = need('scenario name');
      const params: Record<string, string> = {};
      for (const kv of values.param ?? []) {
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new Error(`--param expects key=value, got "${kv}"`);
        params[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      if (values.cluster) params.cluster = values.cluster;
      if (values.node) params.node = values.node;
      return callControl(base, 'POST', `/scenarios/${encodeURIComponent(name)}`, params);
    }
    case 'counters':
      if (values.reset) return callControl(base, 'POST', '/counters/reset');
      return callControl(base, 'GET', `/counters${values.cluster ? `?cluster=${encodeURIComponent(values.cluster)}` : ''}`);
    default:
      throw new Error(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(2);
});
