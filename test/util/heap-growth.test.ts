// The heap's growth follows its live size: ample room for a small heap, 2x for a large one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { growthPercentFor, heapGrowthPercent, limitHeapGrowth } from '../../src/main/engine/util/heap-growth';

const MiB = 1024 * 1024;

test('a small heap gets at least 48 MB of room, capped at 4x; from 48 MB live up, 2x', () => {
  assert.equal(growthPercentFor(4 * MiB), 300);
  assert.equal(growthPercentFor(16 * MiB), 300);
  assert.equal(growthPercentFor(24 * MiB), 200);
  assert.equal(growthPercentFor(32 * MiB), 150);
  assert.equal(growthPercentFor(48 * MiB), 100);
  assert.equal(growthPercentFor(600 * MiB), 100);
  assert.equal(growthPercentFor(0), 300);
});

test('the growth is worked out again after each full collection', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const settle = async (want: number) => {
    // The observer hears of a collection on a later turn of the event loop.
    for (let i = 0; i < 200 && heapGrowthPercent() !== want; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(heapGrowthPercent(), want);
  };
  assert.equal(heapGrowthPercent(), 0);
  limitHeapGrowth();
  await settle(300);
  // ~100 MB of live objects: 400,000 arrays of 32 numbers.
  const held: number[][][] = [Array.from({ length: 400_000 }, (_, i) => Array.from({ length: 32 }, (_, j) => i + j + 0.5))];
  gc();
  await settle(100);
  held.pop();
  gc();
  await settle(300);
});
