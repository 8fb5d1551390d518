// Bench processes: each measured server runs in its own child process (forked with tsx), so its RSS
// is its own and load generators never share its event loop. Parent and child talk over Node IPC:
// the child sends `{type: 'ready', info}` once, then answers `{id, cmd, args}` with `{id, result | error}`.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../lib/heap-growth.js';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ChildHandle<Info> {
  info: Info;
  pid: number;
  call<R = unknown>(cmd: string, args?: unknown): Promise<R>;
  stop(): Promise<void>;
}

interface Reply {
  id?: number;
  type?: string;
  info?: unknown;
  result?: unknown;
  error?: string;
}

/** Forks bench/children/<name>.ts and waits for its `ready` message (or its exit / a timeout). */
export async function startChild<Info>(name: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, timeoutMs = 180_000): Promise<ChildHandle<Info>> {
  const child: ChildProcess = fork(path.join(BENCH_DIR, 'children', `${name}.ts`), args, {
    // BENCH_CPU_PROF=DIR: V8 CPU profiles of every child into DIR (open in Chrome DevTools).
    // --expose-gc: the `gcMemory` command measures live memory (RSS after a full collection).
    // BENCH_STACK_NODE_ARGS: extra Node/V8 flags for the stack child only (e.g. `--trace-gc`, `--max-semi-space-size=…`).
    execArgv: [
      ...SERVER_NODE_FLAGS, // as the launcher starts its children
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ...(name === 'stack' ? (process.env.BENCH_STACK_NODE_ARGS?.split(' ').filter(Boolean) ?? []) : []),
    ],
    // Production mode as deployed (Dockerfile): graphql-js's development checks (instanceOf) cost ~30 % of a
    // subgraph's CPU. BENCH_NODE_ENV overrides it (e.g. `development` to measure `npm start` as it is).
    env: { ...process.env, NODE_ENV: process.env.BENCH_NODE_ENV ?? 'production', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after ${timeoutMs} ms`)), timeoutMs);
    child.on('message', (msg: Reply) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve(msg.info as Info);
      } else if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error !== undefined) p?.reject(new Error(`${name}: ${msg.error}`));
        else p?.resolve(msg.result);
      }
    });
    child.once('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const err = new Error(`${name} exited (${code ?? signal})`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      reject(err);
    });
  });
  return {
    info,
    pid: child.pid!,
    call<R>(cmd: string, callArgs?: unknown): Promise<R> {
      if (exited) return Promise.reject(new Error(`${name} has exited`));
      const id = nextId++;
      return new Promise<R>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, args: callArgs });
      });
    },
    async stop() {
      if (exited) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.send({ id: 0, cmd: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await done;
      clearTimeout(timer);
    },
  };
}

export type Handler = (args: unknown) => unknown | Promise<unknown>;

/** Child side: serve commands (plus `rss` and `exit`) and announce readiness. */
let profiler: Session | undefined;

export function serveParent(info: unknown, handlers: Record<string, Handler>, onExit: () => Promise<void>): void {
  const all: Record<string, Handler> = {
    rss: () => memory(),
    gcMemory: () => {
      (globalThis as { gc?: () => void }).gc?.();
      return memory();
    },
    cpu: () => cpuMs(),
    // BENCH_HEAP_SNAPSHOT=FILE: what the live heap is made of (after a full GC), for bench/heap-report.ts.
    heapSnapshot: (file) => {
      (globalThis as { gc?: () => void }).gc?.();
      return v8.writeHeapSnapshot(String(file));
    },
    // The resident set by kind of mapping (Linux): anonymous (V8 heap, malloc, TLS state) vs file-backed (code).
    smaps: () => smapsRollup(),
    // Where the RSS beyond the live heap goes: V8's spaces (reserved vs used) and the code it holds.
    heapSpaces: () =>
      v8.getHeapSpaceStatistics().map((s) => ({
        space: s.space_name,
        sizeMiB: Math.round(s.space_size / 104857.6) / 10,
        usedMiB: Math.round(s.space_used_size / 104857.6) / 10,
      })),
    // A V8 CPU profile of one measured phase only (BENCH_WARM_PROF: the warm fleet queries), not the whole run.
    profileStart: async () => {
      profiler ??= new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      return true;
    },
    profileStop: async (file) => {
      const { profile } = await profiler!.post('Profiler.stop');
      writeFileSync(String(file), JSON.stringify(profile));
      profiler!.disconnect();
      return true;
    },
    ...handlers,
  };
  process.on('message', async (msg: { id: number; cmd: string; args?: unknown }) => {
    if (msg.cmd === 'exit') {
      await onExit().catch(() => undefined);
      process.exit(0);
    }
    try {
      const handler = all[msg.cmd];
      if (!handler) throw new Error(`unknown command ${msg.cmd}`);
      process.send!({ id: msg.id, result: await handler(msg.args) });
    } catch (err) {
      process.send!({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  process.on('disconnect', () => void onExit().finally(() => process.exit(0)));
  process.send!({ type: 'ready', info });
}

export interface Memory {
  /** Resident set now, MiB. */
  rssMiB: number;
  /** Peak resident set of the process (VmHWM), MiB. */
  peakRssMiB: number;
  /** Live JS objects (after a forced GC: what the process really holds). */
  heapUsedMiB: number;
  /** The V8 heap as reserved (used + free pages it keeps). */
  heapTotalMiB: number;
  /** Memory of JS-owned native objects (Buffers, ArrayBuffers), counted by V8. */
  externalMiB: number;
  /** Resident but outside the V8 heap: rss − heapTotal (TLS state, sockets, code, allocator slack, external). */
  nativeMiB: number;
}

export function memory(): Memory {
  const mib = (n: number) => Math.round((n / 1048576) * 10) / 10;
  const m = process.memoryUsage();
  let peak = m.rss;
  try {
    // Linux: the high-water mark of the resident set, in kB.
    const status = readFileSync('/proc/self/status', 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    if (hwm) peak = Number(hwm[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return {
    rssMiB: mib(m.rss),
    peakRssMiB: mib(peak),
    heapUsedMiB: mib(m.heapUsed),
    heapTotalMiB: mib(m.heapTotal),
    externalMiB: mib(m.external),
    nativeMiB: mib(m.rss - m.heapTotal),
  };
}

function smapsRollup(): Record<string, number> {
  try {
    const out: Record<string, number> = {};
    for (const line of readFileSync('/proc/self/smaps_rollup', 'utf8').split('\n')) {
      const m = /^(Rss|Anonymous|Private_Dirty|Shared_Clean|Private_Clean):\s+(\d+) kB/.exec(line);
      if (m) out[`${m[1]}MiB`] = Math.round(Number(m[2]) / 102.4) / 10;
    }
    return out;
  } catch {
    return {};
  }
}

/** CPU time this process has used so far (user + system), ms. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}
