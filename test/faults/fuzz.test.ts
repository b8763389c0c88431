// 100,000 random and mutated frames (hello, offer, DATA, block and control messages: bit flips,
// truncation, length and header changes, type confusion, random JSON) against a live receiver.
import { test } from 'node:test';
import { fuzzLiveReceiver } from '../fuzz/fuzz-run';

test('fuzz: 100,000 mutated frames; the receiver survives, serves, and writes nothing outside', { timeout: 540_000 }, async () => {
  // About 2 minutes alone on 2 cores; the deadline leaves room for the fault tests running beside it.
  await fuzzLiveReceiver('fuzz-100k', 100_000, 480_000, { workers: 8, mutateShare: 0.15 });
});
