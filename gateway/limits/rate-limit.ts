// Per-identity rate limit: a token bucket per principal subject (anonymous callers by remote address)
// that refills `perSecond` tokens a second up to `burst`. Buckets live in an LRU (100,000 identities at
// most), so a flood of identities cannot grow memory without bound. In memory, per gateway replica.
import { LRUCache } from 'lru-cache';

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new LRUCache<string, Bucket>({ max: 100_000 });

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.perSecond > 0;
  }

  /** Takes one token for `identity`: 0 when allowed, else the seconds until one is available. */
  take(identity: string): number {
    if (!this.enabled) return 0;
    const now = this.now();
    const capacity = Math.max(1, this.burst);
    const bucket = this.buckets.get(identity) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(identity, bucket);
      return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
    }
    bucket.tokens -= 1;
    this.buckets.set(identity, bucket);
    return 0;
  }
}

/** The bucket key of a caller: its principal's subject, or its address when anonymous. */
export function rateLimitKey(subject: string | undefined, remoteAddress: string | undefined): string {
  return subject && subject !== 'anonymous' ? subject : `anonymous@${remoteAddress ?? 'unknown'}`;
}
