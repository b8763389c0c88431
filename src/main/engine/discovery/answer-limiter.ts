// Decides whether a query deserves an answer. Answers are unicast, so their cost falls on us:
// whatever arrives (a hundred peers starting at once, or a flood of forged queries), what we
// send stays bounded per source address, per announcer, and in total.

export interface AnswerLimits {
  /** Answers to one source address: burst, then this many per second. */
  perSourceBurst: number;
  perSourcePerSec: number;
  /** Answers in total: burst, then this many per second. */
  totalBurst: number;
  totalPerSec: number;
  /** One announcer (fingerprint + instance) is answered at most once per this window. */
  perAnnouncerMs: number;
  /** Tracked sources and announcers at most; beyond this, new ones are refused until old ones age out. */
  maxTracked: number;
}

export const DEFAULT_ANSWER_LIMITS: AnswerLimits = {
  perSourceBurst: 2,
  perSourcePerSec: 0.5,
  totalBurst: 20,
  totalPerSec: 10,
  perAnnouncerMs: 4_000,
  maxTracked: 1024,
};

class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly burst: number,
    private readonly perSec: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSec);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  /** Full again: forgetting it loses nothing. */
  idle(now: number): boolean {
    return this.tokens + ((now - this.at) / 1000) * this.perSec >= this.burst;
  }
}

export class AnswerLimiter {
  private readonly total: Bucket;
  private readonly sources = new Map<string, Bucket>();
  private readonly answered = new Map<string, number>();

  constructor(
    private readonly limits: AnswerLimits = DEFAULT_ANSWER_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.total = new Bucket(limits.totalBurst, limits.totalPerSec, now());
  }

  /** True when we may answer `announcer` (fingerprint/instance key) heard from `source` (address). */
  allow(source: string, announcer: string): boolean {
    const now = this.now();
    const last = this.answered.get(announcer);
    if (last !== undefined && now - last < this.limits.perAnnouncerMs) return false;
    this.prune(now);
    let bucket = this.sources.get(source);
    if (!bucket) {
      if (this.sources.size >= this.limits.maxTracked || this.answered.size >= this.limits.maxTracked) return false;
      bucket = new Bucket(this.limits.perSourceBurst, this.limits.perSourcePerSec, now);
      this.sources.set(source, bucket);
    }
    // Check the per-source bucket first so a flooding source cannot drain the shared one.
    if (!bucket.take(now) || !this.total.take(now)) return false;
    this.answered.set(announcer, now);
    return true;
  }

  private prune(now: number): void {
    if (this.sources.size < this.limits.maxTracked / 2 && this.answered.size < this.limits.maxTracked / 2) return;
    for (const [k, b] of this.sources) if (b.idle(now)) this.sources.delete(k);
    for (const [k, t] of this.answered) if (now - t >= this.limits.perAnnouncerMs) this.answered.delete(k);
  }
}
