// The controller against a deterministic link: rate R bytes/s, one-way latency L, one FIFO queue.
// A chunk is acked when its last byte has crossed the link and the ack has come back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_MAX } from '../../src/shared/protocol';
import { ChunkController, WINDOW_CAP } from '../../src/main/engine/util/chunk-controller';

interface Phase {
  until: number; // ms; the last phase runs to the end
  rate: number; // bytes/s
  latency: number; // one-way ms
}

interface Ack {
  at: number;
  sentAt: number;
  bytes: number;
}

interface Trace {
  t: number;
  chunk: number;
  window: number;
  ackMs: number;
}

class Link {
  private freeAt = 0;
  /** [ms, bytes] of every completed transmission, to measure utilisation. */
  readonly delivered: { done: number; start: number; bytes: number }[] = [];
  constructor(private readonly phases: Phase[]) {}

  phaseAt(t: number): Phase {
    return this.phases.find((p) => t < p.until) ?? this.phases[this.phases.length - 1];
  }

  /** Queue bytes at time t; returns when the ack is back at the sender. */
  send(t: number, bytes: number): number {
    let at = Math.max(t, this.freeAt);
    const start = at;
    let left = bytes;
    for (let guard = 0; left > 0 && guard < 100; guard++) {
      const p = this.phaseAt(at);
      const canSend = ((p.until - at) / 1000) * p.rate; // Infinity in the last phase
      if (left <= canSend) {
        at += (left / p.rate) * 1000;
        left = 0;
      } else {
        left -= canSend;
        at = p.until;
      }
    }
    this.freeAt = at;
    this.delivered.push({ start, done: at, bytes });
    return at + 2 * this.phaseAt(at).latency;
  }

  /** Fraction of link capacity used between t0 and t1. */
  utilisation(t0: number, t1: number): number {
    let busy = 0;
    for (const d of this.delivered) busy += Math.max(0, Math.min(d.done, t1) - Math.max(d.start, t0));
    return busy / (t1 - t0);
  }
}

/** Runs a sender that keeps `window` bytes in flight for durationMs of simulated time. */
function simulate(phases: Phase[], durationMs: number): { trace: Trace[]; link: Link; ctl: ChunkController } {
  const ctl = new ChunkController();
  const link = new Link(phases);
  const inflight: Ack[] = [];
  const trace: Trace[] = [];
  let now = 0;
  let flying = 0;
  for (let step = 0; step < 1_000_000 && now < durationMs; step++) {
    while (flying + ctl.chunkSize <= ctl.window || flying === 0) {
      const bytes = ctl.chunkSize;
      inflight.push({ at: link.send(now, bytes), sentAt: now, bytes });
      flying += bytes;
    }
    const ack = inflight.shift()!; // FIFO: acks come back in send order
    now = ack.at;
    flying -= ack.bytes;
    ctl.onAck(ack.bytes, now - ack.sentAt, now);
    trace.push({ t: now, chunk: ctl.chunkSize, window: ctl.window, ackMs: now - ack.sentAt });
  }
  return { trace, link, ctl };
}

function log(name: string, trace: Trace[]): void {
  const every = Math.max(1, Math.floor(trace.length / 25));
  const rows = trace.filter((_, i) => i % every === 0 || i === trace.length - 1);
  console.log(`# ${name}: ${trace.length} acks`);
  for (const r of rows) {
    console.log(
      `#   t=${r.t.toFixed(1).padStart(9)} ms  chunk=${(r.chunk / 1024).toFixed(0).padStart(5)} KiB  window=${(r.window / 1024).toFixed(0).padStart(6)} KiB  ack=${r.ackMs.toFixed(1).padStart(8)} ms`,
    );
  }
}

const KiB = 1024;
const MiB = 1024 * KiB;

test('fast link (1 GB/s, 0.2 ms): large chunks, full utilisation', () => {
  const { trace, link } = simulate([{ until: Infinity, rate: 1e9, latency: 0.2 }], 2_000);
  log('fast', trace);
  const last = trace[trace.length - 1];
  const util = link.utilisation(100, last.t);
  console.log(`#   utilisation after 100 ms: ${(util * 100).toFixed(1)} %`);
  assert.equal(last.chunk, CHUNK_MAX, `chunk ${last.chunk}`);
  // 25 ms of receiver pause at 1 GB/s would take 29 MB: the window stops at the cap, which still
  // covers 10 ms beyond the two chunks.
  assert.equal(last.window, WINDOW_CAP);
  assert.ok(last.window >= 2 * last.chunk + 1e9 * 0.01, `window ${last.window}`);
  assert.ok(util > 0.97, `utilisation ${util}`);
  // the ramp is quick: large chunks within the first 20 ms
  assert.ok(trace.find((r) => r.t < 20 && r.chunk === CHUNK_MAX), 'reaches the largest chunks within 20 ms');
});

test('slow link (1 MB/s, 20 ms): small chunks, acks well under 1 s, full utilisation', () => {
  const { trace, link } = simulate([{ until: Infinity, rate: 1e6, latency: 20 }], 30_000);
  log('slow', trace);
  const last = trace[trace.length - 1];
  const settled = trace.filter((r) => r.t > 5_000);
  const util = link.utilisation(5_000, last.t);
  const worstAck = Math.max(...settled.map((r) => r.ackMs));
  console.log(`#   utilisation after 5 s: ${(util * 100).toFixed(1)} %, worst ack ${worstAck.toFixed(0)} ms`);
  assert.ok(last.chunk >= 64 * KiB && last.chunk <= 160 * KiB, `chunk ${last.chunk}`);
  assert.ok(worstAck < 400, `worst ack ${worstAck} ms`);
  assert.ok(util > 0.97, `utilisation ${util}`);
});

test('long fat link (100 MB/s, 50 ms): the window covers the bandwidth-delay product', () => {
  const { trace, link } = simulate([{ until: Infinity, rate: 100e6, latency: 50 }], 20_000);
  log('long fat', trace);
  const last = trace[trace.length - 1];
  const util = link.utilisation(5_000, last.t);
  console.log(`#   utilisation after 5 s: ${(util * 100).toFixed(1)} %`);
  assert.ok(last.window >= 100e6 * 0.1, `window ${last.window} covers BDP ${100e6 * 0.1}`);
  assert.ok(last.window <= WINDOW_CAP);
  assert.ok(util > 0.9, `utilisation ${util}`);
});

test('link drops from fast to slow: chunks shrink, acks come back under 1 s, link stays busy', () => {
  const drop = 1_000;
  const { trace, link } = simulate(
    [
      { until: drop, rate: 1e9, latency: 0.2 },
      { until: Infinity, rate: 1e6, latency: 20 },
    ],
    60_000,
  );
  log('fast -> slow', trace);
  const last = trace[trace.length - 1];
  const before = trace.filter((r) => r.t < drop);
  assert.equal(before[before.length - 1].chunk, CHUNK_MAX);
  // What was in flight at the drop (at most the window) drains at the new rate first.
  const tail = trace.filter((r) => r.t > 40_000);
  const worstAck = Math.max(...tail.map((r) => r.ackMs));
  const util = link.utilisation(drop, last.t);
  console.log(`#   after the drop: utilisation ${(util * 100).toFixed(1)} %, worst ack in the last 20 s ${worstAck.toFixed(0)} ms`);
  assert.ok(last.chunk <= 160 * KiB, `chunk ${last.chunk}`);
  assert.ok(worstAck < 400, `worst ack ${worstAck} ms`);
  assert.ok(util > 0.95, `utilisation ${util}`);
});

test('link speeds up from slow to fast: chunks grow back and the link fills', () => {
  const rise = 10_000;
  const { trace, link } = simulate(
    [
      { until: rise, rate: 1e6, latency: 20 },
      { until: Infinity, rate: 1e9, latency: 0.2 },
    ],
    12_000,
  );
  log('slow -> fast', trace.filter((r) => r.t > rise - 500));
  const last = trace[trace.length - 1];
  const util = link.utilisation(rise + 500, last.t);
  console.log(`#   utilisation from 0.5 s after the rise: ${(util * 100).toFixed(1)} %`);
  assert.equal(last.chunk, CHUNK_MAX, `chunk ${last.chunk}`);
  assert.ok(util > 0.95, `utilisation ${util}`);
});

test('bounds are honoured and bad input is ignored', () => {
  const ctl = new ChunkController({ min: 100 * KiB, max: 5 * MiB, start: 1 });
  assert.equal(ctl.chunkSize, 100 * KiB);
  assert.ok(ctl.window >= 2 * ctl.chunkSize);
  ctl.onAck(0, 5, 10);
  ctl.onAck(10, NaN, 10);
  assert.equal(ctl.chunkSize, 100 * KiB);
  for (let i = 1; i <= 50; i++) ctl.onAck(ctl.chunkSize, 1, i * 2);
  assert.equal(ctl.chunkSize, 5 * MiB);
  for (let i = 1; i <= 50; i++) ctl.onAck(100 * KiB, 5_000, 1_000 + i * 5_000);
  assert.equal(ctl.chunkSize, 100 * KiB);
});
