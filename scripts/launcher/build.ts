// The launcher's children run from one JavaScript bundle per entry point (esbuild: our TypeScript
// compiled and bundled, npm packages left to Node), not through tsx's loader: every module a child
// imports would otherwise pass through tsx's hooks thread, which doubled each child's start-up
// (≈3 s → ≈1.5 s for a subgraph on these machines). Built at every start (well under a second), into
// .fleetgraph/build/<launcher pid>-<n>/ (two stacks never share one), with source maps so stack traces
// point at the TypeScript; under the repository, so the bundles find node_modules as the sources do.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../lib/paths.js';

export const ENTRY_POINTS = ['subgraphs/run.ts', 'gateway/main.ts', 'simulator/cli.ts'];

const BUILD_ROOT = path.join(REPO_ROOT, '.fleetgraph', 'build');
let builds = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Bundles {
  /** Source path (e.g. `gateway/main.ts`) → its bundle. */
  entries: Record<string, string>;
  /** Removes this launcher's build. */
  remove(): void;
}

/** Builds this launcher's bundles (and removes those of launchers that are gone). */
export async function buildEntryPoints(): Promise<Bundles> {
  let leftovers: string[] = [];
  try {
    leftovers = readdirSync(BUILD_ROOT);
  } catch {
    // no build yet
  }
  for (const name of leftovers) if (!/^\d+-\d+$/.test(name) || !alive(Number(name.split('-')[0]))) rmSync(path.join(BUILD_ROOT, name), { recursive: true, force: true });
  const outDir = path.join(BUILD_ROOT, `${process.pid}-${++builds}`);
  rmSync(outDir, { recursive: true, force: true });
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: outDir,
    outbase: '.',
    bundle: true,
    splitting: true, // the manifest's lazy `import()` of each domain stays lazy: a subgraph loads only its own code
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'silent',
  });
  return {
    entries: Object.fromEntries(ENTRY_POINTS.map((entry) => [entry, path.join(outDir, entry.replace(/\.ts$/, '.js'))])),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
