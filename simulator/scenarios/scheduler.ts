// One timer wheel per simulator runtime: every scenario step of every cluster is a task ordered by due
// time (runtime.now()), run by a single shared interval that only exists while tasks are pending. Tests
// either use jest fake timers (the interval and Date.now move together) or advance their own clock and
// call tick().
import type { SimulatorRuntime } from '../cluster.js';

interface Task {
  at: number;
  seq: number;
  run: () => void;
}

export const TICK_MS = 100;

export class Scheduler {
  private tasks: Task[] = [];
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly now: () => number) {}

  /** Run `run` once `now()` has reached `at` (ms). Returns a cancel function. */
  at(at: number, run: () => void): () => void {
    const task: Task = { at, seq: this.seq++, run };
    // Insert in (at, seq) order; scenario task lists are short.
    let i = this.tasks.length;
    while (i > 0 && this.tasks[i - 1].at > at) i--;
    this.tasks.splice(i, 0, task);
    this.arm();
    return () => {
      const index = this.tasks.indexOf(task);
      if (index >= 0) this.tasks.splice(index, 1);
      if (this.tasks.length === 0) this.disarm();
    };
  }

  get pending(): number {
    return this.tasks.length;
  }

  /** Run every task that is due, in time order (tasks they schedule run too when already due). */
  tick(): void {
    const now = this.now();
    while (this.tasks.length > 0 && this.tasks[0].at <= now) {
      const task = this.tasks.shift()!;
      task.run();
    }
    if (this.tasks.length === 0) this.disarm();
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref?.();
  }

  private disarm(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

const schedulers = new WeakMap<SimulatorRuntime, Scheduler>();

export function schedulerFor(runtime: SimulatorRuntime): Scheduler {
  let s = schedulers.get(runtime);
  if (!s) schedulers.set(runtime, (s = new Scheduler(() => runtime.now())));
  return s;
}
