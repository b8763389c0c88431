// Adaptive chunk size and send window for one outgoing transfer.
import { CHUNK_MAX, CHUNK_MIN, CHUNK_START } from '../../../shared/protocol';

/** Link time one chunk should take: short enough that pause and progress feel instant. */
const TARGET_CHUNK_SECONDS = 0.075;
/** Below this much link time per chunk, per-message costs (ack, syscalls, hashing calls) start to show. */
const MIN_CHUNK_SECONDS = 0.002;
/** The window holds two chunks plus this many times the bandwidth-delay product. */
const WINDOW_GAIN = 1.5;
/**
 * Bytes in flight, at most. It binds only above ~2.5 Gbit/s (1 GbE needs ~9 MB) and sets the
 * receiver's peak memory: on loopback (~850 MB/s) 16 MiB instead of 32 took its peak RSS from
 * 177-184 to 144-148 MB with the same throughput (2 rounds of 3 runs each).
 */
export const WINDOW_CAP = 16 * 1024 * 1024;
/**
 * The window also covers this much receiver pause at the full rate (a garbage collection, a
 * commit, page-cache write-back) so the link keeps busy meanwhile. Measured on the shaped 1 Gbit/s
 * link: without it 101-113 MB/s from run to run, with 20 ms 117.6-118.6 MB/s (the TCP pipe: 119).
 */
const STALL_MS = 25;
/** Rate samples kept for the max filter, and how old they may get. */
const RATE_SAMPLES = 10;
const RATE_SAMPLE_MAX_AGE_MS = 2_000;
/** An ack this much slower than the window explains means the link got slower (a queue builds). */
const QUEUE_FACTOR = 2;
/** LocalSend's rule, kept as a backstop: an ack slower than this always shrinks the chunk. */
const SLOW_ACK_MS = 1_000;
const ALIGN = 16 * 1024;

/**
 * Chunk controller. Fed with every ack (bytes acked, time from sending those bytes to their ack,
 * clock), it keeps two numbers: `chunkSize`, the payload of the next DATA frame, and `window`,
 * how many bytes may be sent but not yet acked.
 *
 * - Link rate: each ack gives a delivery-rate sample, the bytes acked since that chunk was sent
 *   divided by its ack time (BBR style: robust against acks arriving in bunches). The estimate is
 *   the max of the last 10 samples younger than 2 s, so a sender that briefly had nothing to send
 *   does not drag it down.
 * - Round trip: from the ack that, with its own transmission (bytes / rate) taken out, was the
 *   quickest since the last slowdown. A min over acks, so our own queue cannot inflate it; it is
 *   recomputed with the current rate, so an early underestimated rate does not stick.
 * - Chunk: aim at 75 ms of link time (rate x 75 ms), within CHUNK_MIN..CHUNK_MAX, and never under
 *   2 ms of link time so fast links are not drowned in per-message overhead. It grows at most x2
 *   per ack (multiplicative, like LocalSend's "double when the ack came within 1 s") and shrinks
 *   to the target at once.
 * - Window: 2 chunks (one being acked while the next is on the wire) + 1.5 x rate x (round trip
 *   + 25 ms of receiver pause) (the bandwidth-delay product with headroom), at most 16 MiB so
 *   memory stays flat (never under 2 chunks). While the rate is still underestimated the window keeps growing.
 * - Slowdown: an ack more than 2x slower than the window explains at the estimated rate (or over
 *   1 s) means the link got slower and a queue is building: forget the rate samples and the base
 *   ack time, at least halve the chunk, and keep the window at 2 chunks until the data sent
 *   before the slowdown has drained and a clean base ack time is measured again.
 *
 * Bounds default to CHUNK_MIN/CHUNK_MAX/CHUNK_START (src/shared/protocol.ts).
 */
export class ChunkController {
  private readonly min: number;
  private readonly max: number;
  private chunk: number;
  private readonly rates: { at: number; rate: number }[] = [];
  /** The ack with the least time beyond its own transmission, since the last slowdown. */
  private base: { ms: number; bytes: number } | null = null;
  /** Time of the last slowdown, and of the last ack for data sent before it. */
  private resetAt = -Infinity;
  private drainedAt = -Infinity;
  /** At each ack: cumulative acked bytes and the window then, to look up what held at a send time. */
  private readonly history: { at: number; acked: number; window: number }[];
  private acked = 0;

  constructor(opts: { min?: number; max?: number; start?: number } = {}) {
    this.min = opts.min ?? CHUNK_MIN;
    this.max = Math.max(this.min, opts.max ?? CHUNK_MAX);
    this.chunk = clamp(opts.start ?? CHUNK_START, this.min, this.max);
    this.history = [{ at: -Infinity, acked: 0, window: this.window }];
  }

  get chunkSize(): number {
    return this.chunk;
  }

  /** Max bytes in flight (sent, not acked). */
  get window(): number {
    const two = 2 * this.chunk;
    const bdp = (this.rate * (this.latencyMs + STALL_MS)) / 1000;
    return Math.max(two, Math.min(WINDOW_CAP, Math.ceil(two + WINDOW_GAIN * bdp)));
  }

  /** Estimated link rate in bytes per second; 0 before the first ack. */
  get rate(): number {
    return this.rates.reduce((m, s) => Math.max(m, s.rate), 0);
  }

  /** Round trip without transmission or our own queue, in ms; 0 while unknown. */
  get latencyMs(): number {
    return this.base ? this.beyondTransmission(this.base) : 0;
  }

  private beyondTransmission(s: { ms: number; bytes: number }): number {
    const rate = this.rate;
    return rate > 0 ? Math.max(0, s.ms - (s.bytes / rate) * 1000) : 0;
  }

  /** bytes were acked ackMs after they were sent; now is the clock (ms) at the ack. */
  onAck(bytes: number, ackMs: number, now: number): void {
    if (!(bytes > 0) || !Number.isFinite(ackMs) || !Number.isFinite(now)) return;
    const ms = Math.max(ackMs, 0.01);
    const sentAt = now - ms;
    const atSend = this.stateAt(sentAt);
    this.acked += bytes;
    const sample = ((this.acked - atSend.acked) / ms) * 1000;

    const sentBeforeReset = sentAt < this.resetAt;
    if (sentBeforeReset) this.drainedAt = now;
    const slowedDown = !sentBeforeReset && this.isSlowdown(ms, atSend.window);
    if (slowedDown) {
      this.rates.length = 0;
      this.base = null;
      this.resetAt = this.drainedAt = now;
    }
    this.rates.push({ at: now, rate: sample });
    while (this.rates.length > RATE_SAMPLES || now - this.rates[0].at > RATE_SAMPLE_MAX_AGE_MS) this.rates.shift();
    const clean = !slowedDown && sentAt >= this.drainedAt;
    if (clean && (!this.base || this.beyondTransmission({ ms, bytes }) < this.latencyMs)) this.base = { ms, bytes };

    const rate = this.rate;
    let next = Math.min(rate * TARGET_CHUNK_SECONDS, 2 * this.chunk);
    if (slowedDown) next = Math.min(next, this.chunk / 2);
    next = Math.max(next, rate * MIN_CHUNK_SECONDS);
    this.chunk = clamp(Math.floor(next / ALIGN) * ALIGN, this.min, this.max);
    this.history.push({ at: now, acked: this.acked, window: this.window });
  }

  private isSlowdown(ms: number, windowAtSend: number): boolean {
    if (ms > SLOW_ACK_MS) return true;
    const rate = this.rate;
    if (rate <= 0) return false;
    return ms > QUEUE_FACTOR * ((windowAtSend / rate) * 1000 + this.latencyMs);
  }

  /** What held at time t: the last ack at or before t (acks come in send order). */
  private stateAt(t: number): { acked: number; window: number } {
    // Older entries can no longer be asked for: later chunks were sent later.
    while (this.history.length > 1 && this.history[1].at <= t) this.history.shift();
    return this.history[0];
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
