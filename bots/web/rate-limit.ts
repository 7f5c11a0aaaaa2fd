import { BoundedMap } from '../common/bounded.js';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key: `perMinute` messages a minute, refilled smoothly, with at most a minute's
 * worth at once. Memory is bounded: the least recently seen keys are forgotten first.
 */
export class RateLimiter {
  private readonly buckets = new BoundedMap<string, Bucket>(100_000);

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; false when its bucket is empty (the message is refused). */
  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    const refilled = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    const allowed = refilled >= 1;
    this.buckets.set(key, { tokens: allowed ? refilled - 1 : refilled, at: now });
    return allowed;
  }

  /** Gives back a token taken for a message that was then refused for another reason. */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.perMinute, bucket.tokens + 1);
  }
}
