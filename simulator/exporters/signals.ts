// Deterministic time functions behind the simulated metrics: smooth seeded noise (a random walk look-alike
// that needs no per-tick state) and piecewise-constant rates integrated over time (counters that move with
// elapsed time and speed up or slow down when a scenario changes their rate).

/** 32-bit integer hash (murmur3 finalizer). */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function lattice(seed: number, i: number): number {
  return (mix((seed ^ Math.imul(i | 0, 0x9e3779b1)) >>> 0) / 4294967296) * 2 - 1;
}

/** Smooth value noise in [-1, 1]: `t` in lattice units (e.g. seconds / 4). Same seed and t → same value. */
export function smoothNoise(seed: number, t: number): number {
  const i = Math.floor(t);
  const f = t - i;
  const s = f * f * (3 - 2 * f);
  return lattice(seed, i) * (1 - s) + lattice(seed, i + 1) * s;
}

/** Noise that jumps every integer `t` (per-sample jitter). */
export function stepNoise(seed: number, t: number): number {
  return lattice(seed ^ 0x5bd1e995, Math.floor(t));
}

/**
 * A multiplier that changes at given times (1 by default) and its integral, so a counter with base rate r
 * per second reads `r * integral(t)` and moves faster while a scenario raises the factor.
 */
export class RateTimeline {
  private readonly changes: { at: number; factor: number; integral: number }[];

  constructor(readonly origin: number) {
    this.changes = [{ at: origin, factor: 1, integral: 0 }];
  }

  /** Seconds × factor accumulated from `origin` to `t` (ms). */
  integral(t: number): number {
    let last = this.changes[0];
    for (const c of this.changes) {
      if (c.at > t) break;
      last = c;
    }
    return last.integral + (Math.max(t, last.at) - last.at) / 1000 * last.factor;
  }

  factorAt(t: number): number {
    let factor = this.changes[0].factor;
    for (const c of this.changes) {
      if (c.at > t) break;
      factor = c.factor;
    }
    return factor;
  }

  /** From `t` on, the rate is multiplied by `factor`. Changes must come in time order. */
  set(t: number, factor: number): void {
    const last = this.changes[this.changes.length - 1];
    const at = Math.max(t, last.at);
    const integral = this.integral(at);
    if (at === last.at) {
      last.factor = factor;
      return;
    }
    this.changes.push({ at, factor, integral });
    // Keep memory bounded: forget old segments (readers ask about the present, which later entries cover).
    if (this.changes.length > 64) this.changes.splice(0, 32);
  }
}

/**
 * A rise-hold-fall episode: `level(t)` goes 0 → 1 linearly over `rampMs`, stays 1 for `holdMs`, falls
 * back to 0 over `rampMs`; `integral(t)` is ∫level dt in seconds, so a counter whose extra rate follows
 * the episode stays exact and monotonic. `cut(t)` ends it early (the level drops to 0 at `t`).
 */
export class Episode {
  private endAt: number;

  constructor(
    readonly start: number,
    private readonly rampMs: number,
    private readonly holdMs: number,
  ) {
    this.endAt = start + 2 * rampMs + holdMs;
  }

  get end(): number {
    return this.endAt;
  }

  cut(t: number): void {
    this.endAt = Math.max(this.start, Math.min(this.endAt, t));
  }

  /** The uncut envelope at `t`. */
  private shape(t: number): number {
    const x = t - this.start;
    if (x <= 0) return 0;
    const ramp = this.rampMs;
    if (x < ramp) return x / ramp;
    if (x <= ramp + this.holdMs) return 1;
    const down = x - ramp - this.holdMs;
    return down < ramp ? 1 - down / ramp : 0;
  }

  /** ∫shape from start to t, seconds (piecewise: ramp triangle, hold rectangle, fall triangle). */
  private shapeIntegral(t: number): number {
    const x = Math.max(0, t - this.start);
    const ramp = this.rampMs;
    const hold = this.holdMs;
    let ms: number;
    if (ramp > 0 && x < ramp) ms = (x * x) / (2 * ramp);
    else if (x <= ramp + hold) ms = ramp / 2 + (x - ramp);
    else {
      const down = Math.min(ramp, x - ramp - hold);
      ms = ramp / 2 + hold + (ramp > 0 ? down - (down * down) / (2 * ramp) : 0);
    }
    return ms / 1000;
  }

  level(t: number): number {
    return t >= this.endAt ? 0 : this.shape(t);
  }

  integral(t: number): number {
    return this.shapeIntegral(Math.min(t, this.endAt));
  }
}
