// The scenario runner: a scenario validates its parameters and makes its immediate changes inside
// start(), and schedules the later steps on the runtime's shared scheduler. `done` settles once every
// step has run (rejects if a step throws); cancel() drops the remaining steps and runs the scenario's
// cleanup (e.g. the clock recovers), so a cancelled scenario leaves no half-state that never ends.
import type { SimulatorRuntime } from '../cluster.js';
import { schedulerFor } from './scheduler.js';
import type { Params } from './params.js';

export interface ScenarioContext {
  readonly runtime: SimulatorRuntime;
  /** Scenario delays are divided by this (params.timeScale, default 1). */
  readonly timeScale: number;
  readonly startedAt: number;
  now(): number;
  /** Run `step` `seconds` of scenario time after the start (wall time: seconds / timeScale). */
  after(seconds: number, step: () => void | Promise<void>): void;
  /** Run `step` at an absolute time (ms, runtime clock). */
  at(time: number, step: () => void | Promise<void>): void;
  /** Run on cancel (after pending steps are dropped). */
  onCancel(cleanup: () => void): void;
}

export interface ScenarioDefinition {
  name: string;
  description: string;
  params: string[];
  /** Validate params (throw with a clear message), make the immediate changes, schedule the rest. */
  start(ctx: ScenarioContext, params: Params): void;
}

export interface ScenarioHandle {
  id: string;
  name: string;
  done: Promise<void>;
  cancel(): void;
  /** What the control API shows for a started scenario. */
  toJSON(): { id: string; name: string; params: Params; startedAt: string };
}

export interface RunningScenario {
  id: string;
  name: string;
  params: Params;
  startedAt: string;
  runtime: SimulatorRuntime;
}

const running = new Map<string, RunningScenario>();
let nextId = 1;

export function runningScenarios(runtime?: SimulatorRuntime): Omit<RunningScenario, 'runtime'>[] {
  return [...running.values()]
    .filter((r) => !runtime || r.runtime === runtime)
    .map(({ id, name, params, startedAt }) => ({ id, name, params, startedAt }));
}

export function runScenario(runtime: SimulatorRuntime, def: ScenarioDefinition, params: Params, timeScale: number): ScenarioHandle {
  const scheduler = schedulerFor(runtime);
  const startedAt = runtime.now();
  const id = `${def.name}-${nextId++}`;
  const cancels = new Set<() => void>();
  const cleanups: (() => void)[] = [];
  let pending = 0;
  let started = false;
  let settled = false;
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody has to await `done`: a failed step must not become an unhandled rejection.
  done.catch(() => {});

  const settle = (err?: unknown) => {
    if (settled) return;
    settled = true;
    running.delete(id);
    for (const cancel of cancels) cancel();
    cancels.clear();
    if (err === undefined) resolve();
    else reject(err);
  };
  const maybeDone = () => {
    if (started && pending === 0) settle();
  };
  const schedule = (time: number, step: () => void | Promise<void>) => {
    if (settled) return;
    pending++;
    const cancel = scheduler.at(time, () => {
      cancels.delete(cancel);
      if (settled) return;
      let result: void | Promise<void>;
      try {
        result = step();
      } catch (err) {
        settle(err);
        return;
      }
      Promise.resolve(result).then(
        () => {
          pending--;
          maybeDone();
        },
        (err: unknown) => settle(err),
      );
    });
    cancels.add(cancel);
  };
  const ctx: ScenarioContext = {
    runtime,
    timeScale,
    startedAt,
    now: () => runtime.now(),
    after: (seconds, step) => schedule(startedAt + (seconds * 1000) / timeScale, step),
    at: (time, step) => schedule(time, step),
    onCancel: (cleanup) => cleanups.push(cleanup),
  };

  def.start(ctx, params);
  running.set(id, { id, name: def.name, params, startedAt: new Date(startedAt).toISOString(), runtime });
  started = true;
  maybeDone();
  // Steps already due (delay 0) run now, so their effect is visible when startScenario returns.
  scheduler.tick();

  return {
    id,
    name: def.name,
    done,
    cancel() {
      if (settled) return;
      for (const cleanup of cleanups) cleanup();
      settle();
    },
    toJSON: () => ({ id, name: def.name, params, startedAt: new Date(startedAt).toISOString() }),
  };
}
