// The young generation keeps its size once an engine host limits heap growth. Its own file: the
// test runner gives each file a fresh process, and a young generation grown by an earlier test
// could not grow further.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSpaceStatistics } from 'node:v8';
import { limitHeapGrowth } from '../../src/main/engine/util/heap-growth';

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

test('the young generation keeps its size however much survives a scavenge', () => {
  limitHeapGrowth();
  const before = newSpace();
  // A sliding window of live objects, most surviving a scavenge as data in flight does: left to
  // itself V8 grows new space from 1 to 32 MB on this; held, it stays at 1-2 MB.
  const window: object[] = [];
  for (let i = 0; i < 2_000_000; i++) {
    window.push({ i, s: 'x' + i });
    if (window.length > 50_000) window.shift();
  }
  assert.equal(newSpace(), before);
});
