// One supervised child process of the launcher: started with Node's IPC channel, ready when it sends
// `{type: 'ready', …}`, restarted with capped exponential backoff when it dies unexpectedly (with the
// same environment, so on the same port), its output prefixed with its name.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../../lib/paths.js';
import { SERVER_NODE_FLAGS } from '../../lib/heap-growth.js';

export interface ReadyMessage {
  type: 'ready';
  /** The URL the child serves (subgraphs, gateway). */
  url?: string;
  [key: string]: unknown;
}

export interface ChildSpec {
  /** Shown as the line prefix and in messages, e.g. `timing`. */
  name: string;
  /** Entry point: a JavaScript bundle (scripts/launcher/build.ts), or TypeScript, which runs with tsx. */
  script: string;
  args?: string[];
  env: Record<string, string | undefined>;
  /** Where the child's output lines go (default: stdout/stderr with a `[name]` prefix). */
  output?: (name: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** Time allowed from spawn to `ready`, ms (default 60 s: nine children share two loaded cores). */
  readyTimeoutMs?: number;
  /** Restart when it dies (default true). */
  restart?: boolean;
}

const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 10_000;
/** A child that ran this long before dying starts its backoff over. */
const HEALTHY_AFTER_MS = 30_000;
const STOP_GRACE_MS = 10_000;

export class SupervisedProcess extends EventEmitter {
  readonly name: string;
  /** The last ready message (the first start's until a restart sends a new one). */
  ready?: ReadyMessage;
  restarts = 0;
  private child?: ChildProcess;
  private stopping = false;
  private backoffMs = BACKOFF_START_MS;
  private startedAt = 0;
  private restartTimer?: NodeJS.Timeout;
  private readonly tail: string[] = [];

  constructor(private readonly spec: ChildSpec) {
    super();
    this.name = spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the child and resolves with its ready message; rejects (with its last output) if it dies or times out first. */
  start(): Promise<ReadyMessage> {
    return this.spawn();
  }

  /** Sends a signal to the running child (tests: a crash the supervisor must recover from). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal);
  }

  /** Stops the child (SIGTERM, then SIGKILL after a grace period) and never restarts it again. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  private spawn(): Promise<ReadyMessage> {
    const script = path.resolve(REPO_ROOT, this.spec.script);
    const child = fork(script, this.spec.args ?? [], {
      cwd: REPO_ROOT,
      // The same environment at every restart, its PORT included: the gateway's subgraph URLs stay valid.
      env: this.spec.env as NodeJS.ProcessEnv,
      // Our own flags, whatever runs the launcher (tsx, jest, node): a bundle with its source maps, or tsx for TypeScript.
      execArgv: [...SERVER_NODE_FLAGS, ...(script.endsWith('.ts') ? ['--import', 'tsx', '--no-warnings=ExperimentalWarning'] : ['--enable-source-maps'])],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    this.startedAt = Date.now();
    this.pipe(child, 'stdout');
    this.pipe(child, 'stderr');

    return new Promise<ReadyMessage>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        child.kill('SIGKILL');
        reject(this.failure(`not ready within ${(this.spec.readyTimeoutMs ?? 60_000) / 1000} s`));
      }, this.spec.readyTimeoutMs ?? 60_000);
      child.on('message', (message: unknown) => {
        if (!isReady(message)) return;
        this.ready = message;
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve(message);
        }
        this.emit('ready', message);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!settled) {
          settled = true;
          reject(this.failure(`exited before it was ready (${signal ?? `code ${code}`})`));
          return;
        }
        this.onExit(code, signal);
      });
    });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || this.spec.restart === false) {
      this.emit('exit', code, signal);
      return;
    }
    if (Date.now() - this.startedAt > HEALTHY_AFTER_MS) this.backoffMs = BACKOFF_START_MS;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.report(`exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
    this.emit('down', code, signal);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.restarts++;
      this.spawn().then(
        () => this.report(`restarted (${this.restarts})`),
        (err: Error) => this.report(`restart failed: ${err.message}`),
      );
    }, delay);
  }

  private pipe(child: ChildProcess, stream: 'stdout' | 'stderr'): void {
    const source = child[stream];
    if (!source) return;
    createInterface({ input: source }).on('line', (line) => {
      this.tail.push(line);
      if (this.tail.length > 40) this.tail.shift();
      this.write(line, stream);
    });
  }

  private write(line: string, stream: 'stdout' | 'stderr'): void {
    if (this.spec.output) this.spec.output(this.name, line, stream);
    else (stream === 'stdout' ? process.stdout : process.stderr).write(`[${this.name}] ${line}\n`);
  }

  private report(message: string): void {
    this.write(`launcher: ${this.name} ${message}`, 'stderr');
  }

  private failure(what: string): Error {
    const tail = this.tail.slice(-15).join('\n  ');
    return new Error(`${this.name} ${what}${tail ? `; its last output:\n  ${tail}` : ''}`);
  }
}

function isReady(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready';
}
