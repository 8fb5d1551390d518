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
