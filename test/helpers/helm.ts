// Helm for the chart tests: HELM_BIN (exported by .ci/run, which takes the official helm binary from
// an npm package: .ci/helm.sh), else `helm` on PATH. Undefined when there is none.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function helmBin(): string | undefined {
  const explicit = process.env.HELM_BIN;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const found = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export function helmMissing(): string | undefined {
  return helmBin() ? undefined : `no helm (set HELM_BIN or put helm on PATH; .ci/run fetches it with .ci/helm.sh)`;
}

/** Runs a command; resolves with stdout, rejects with its stderr. */
export function run(command: string, args: string[], input?: string, env?: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** `helm template` of the chart with these --set values and the target cluster's API versions. */
export async function renderChart(sets: Record<string, string>, options: { apiVersions?: string[]; kubeVersion?: string; showOnly?: string } = {}): Promise<string> {
  const args = ['template', 'fleetgraph', 'deploy/helm/fleetgraph', '--namespace', 'fleetgraph'];
  for (const [key, value] of Object.entries(sets)) args.push('--set-string', `${key}=${value}`);
  for (const v of options.apiVersions ?? []) args.push('--api-versions', v);
  if (options.kubeVersion) args.push('--kube-version', options.kubeVersion);
  if (options.showOnly) args.push('--show-only', options.showOnly);
  return run(helmBin()!, args);
}
