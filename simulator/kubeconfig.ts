// The files clients use to reach the simulated fleet: a kubeconfig with one context per cluster
// (server `https://127.0.0.1:<port>/clusters/<name>`, the simulator's CA, that cluster's token) and a
// fleet file with each cluster's labels (read by subgraphs/kube's registry). Both are written
// atomically (temp file + rename), so a reader that watches them never sees half a file.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigCluster {
  name: string;
  server: string;
  token: string;
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, path);
}

/** kubeconfig YAML; values are written as JSON strings, which YAML reads as double-quoted scalars. */
export function renderKubeconfig(caPem: string, clusters: readonly KubeconfigCluster[]): string {
  const ca = JSON.stringify(Buffer.from(caPem).toString('base64'));
  const q = (s: string): string => JSON.stringify(s);
  const lines = ['apiVersion: v1', 'kind: Config', 'preferences: {}', `current-context: ${q(clusters[0]?.name ?? '')}`, 'clusters:'];
  for (const c of clusters) {
    lines.push(`- name: ${q(c.name)}`, '  cluster:', `    server: ${q(c.server)}`, `    certificate-authority-data: ${ca}`);
  }
  lines.push('users:');
  for (const c of clusters) lines.push(`- name: ${q(c.name)}`, '  user:', `    token: ${q(c.token)}`);
  lines.push('contexts:');
  for (const c of clusters) lines.push(`- name: ${q(c.name)}`, '  context:', `    cluster: ${q(c.name)}`, `    user: ${q(c.name)}`);
  return lines.join('\n') + '\n';
}

export async function writeKubeconfig(path: string, caPem: string, clusters: readonly KubeconfigCluster[]): Promise<void> {
  await writeAtomically(path, renderKubeconfig(caPem, clusters), 0o600);
}

export interface FleetFileCluster {
  name: string;
  labels: Record<string, string>;
}

/** `clusters: [{name, labels}]`: the fleet file format of subgraphs/kube/fleet-file.ts. */
export async function writeFleetFile(path: string, clusters: readonly FleetFileCluster[]): Promise<void> {
  const doc = { clusters: clusters.map((c) => ({ name: c.name, labels: c.labels })) };
  await writeAtomically(path, stringify(doc), 0o644);
}
