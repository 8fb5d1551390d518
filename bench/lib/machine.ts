// What the numbers were measured on: CPU, Node, memory, load average when the run started, git commit.
import os from 'node:os';
import { execFileSync } from 'node:child_process';

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  totalMemGiB: number;
  node: string;
  platform: string;
  loadAvgAtStart: number[];
  gitCommit: string | null;
  gitDirty: boolean | null;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAvgAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    gitCommit: git(['rev-parse', '--short', 'HEAD']),
    gitDirty: status === null ? null : status.length > 0,
  };
}

export function loadAvg(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}
