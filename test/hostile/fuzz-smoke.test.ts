// The fuzzer's smoke run in the unit suite: 5,000 random and mutated frames against a live
// receiver. The 100,000-frame run is test/faults/fuzz.test.ts.
import { test } from 'node:test';
import { fuzzLiveReceiver } from '../fuzz/fuzz-run';

test('fuzz smoke: 5,000 mutated frames; the receiver survives, serves, and writes nothing outside', { timeout: 120_000 }, async () => {
  await fuzzLiveReceiver('fuzz-smoke', 5_000, 90_000, { workers: 8 });
});
