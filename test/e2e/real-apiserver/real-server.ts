// A real kube-apiserver (+ etcd) for the suite, run with the scripts in .ci/real-apiserver on free
// loopback ports in a temporary directory. The binaries come from REAL_APISERVER_BIN (exported by
// .ci/run), else the shared scripts' default build folder; without them the suite is skipped with
// the reason `realApiserverMissing()` gives.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../scripts/launcher/ports.js';

const SCRIPTS = resolve('.ci/real-apiserver');

export function realApiserverBin(): string | undefined {
  // an explicit REAL_APISERVER_BIN is the only place looked at
  const explicit = process.env.REAL_APISERVER_BIN;
  const candidates = explicit !== undefined ? [explicit] : [
    join(process.env.FLEETGRAPH_CACHE ?? join(homedir(), '.cache', 'fleetgraph'), 'k8s-run', 'bin'),
    '/tmp/k8s-run/bin',
  ];
  return candidates.find((dir) => dir && existsSync(join(dir, 'kube-apiserver')));
}

/** Why the suite cannot run here, or undefined when it can. */
export function realApiserverMissing(): string | undefined {
  if (!realApiserverBin()) {
    const where = process.env.REAL_APISERVER_BIN ? `in REAL_APISERVER_BIN=${process.env.REAL_APISERVER_BIN}` : '(set REAL_APISERVER_BIN, or build one with .ci/real-apiserver/build.sh; .ci/run does)';
    return `no kube-apiserver binary ${where}`;
  }
  for (const tool of ['etcd', 'openssl', 'kubectl', 'curl', 'bc']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) return `\`${tool}\` is not on PATH (build.sh installs it)`;
  }
  return undefined;
}

function run(script: string, env: Record<string, string>): Promise<string> {
  // async: the stack under test runs in this process and must keep serving meanwhile
  return new Promise((done, fail) => {
    execFile('bash', [join(SCRIPTS, script)], { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) fail(new Error(`${script} failed: ${err.message}\n${stdout}\n${stderr}`));
      else done(stdout);
    });
  });
}

export interface RealApiserver {
  readonly kubeconfigPath: string;
  readonly dir: string;
  /** Stops kube-apiserver and etcd (data kept). */
  stop(): Promise<void>;
  /** Starts them again on the same ports with the same data and tokens. */
  start(): Promise<void>;
  /** Stops and removes everything. */
  close(): Promise<void>;
}

export async function startRealApiserver(): Promise<RealApiserver> {
  const bin = realApiserverBin();
  if (!bin) throw new Error(realApiserverMissing());
  const dir = mkdtempSync(join(tmpdir(), 'fleetgraph-k8s-run-'));
  symlinkSync(bin, join(dir, 'bin'));
  const env = {
    K8S_RUN_DIR: dir,
    API_PORT: String(await freePort('127.0.0.1')),
    ETCD_PORT: String(await freePort('127.0.0.1')),
    ETCD_PEER_PORT: String(await freePort('127.0.0.1')),
    WITH_KCM: '0',
  };
  await run('start.sh', { ...env, RESET: '1' });
  return {
    kubeconfigPath: join(dir, 'kubeconfig'),
    dir,
    stop: async () => void (await run('stop.sh', env)),
    start: async () => void (await run('start.sh', env)),
    async close() {
      await run('stop.sh', env).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
