import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FINISHED_KEPT, FINISHED_MAX_AGE_MS, FinishedIncoming } from '../../src/main/engine/transfer/finished-incoming';
import { toRanges } from '../../src/main/engine/util/index-ranges';
import { tempDir } from './helpers';

const who = (n: number) => ({ transferId: `t${n}`, resumeKey: `k${n}`, fingerprint: 'f'.repeat(64) });

test('saved indices are kept as ranges and read back whole', async () => {
  assert.deepEqual(toRanges([0, 1, 2, 5, 7, 8]), [
    [0, 2],
    [5, 5],
    [7, 8],
  ]);
  const dir = await tempDir();
  const f = new FinishedIncoming(dir);
  await f.add(who(1), [0, 1, 2, 5, 7, 8]);
  const again = new FinishedIncoming(dir);
  await again.load();
  assert.deepEqual(again.find('t1', 'k1', 'f'.repeat(64)), [0, 1, 2, 5, 7, 8]);
  assert.equal(again.find('t1', 'other key', 'f'.repeat(64)), null);
  assert.equal(again.find('t1', 'k1', 'e'.repeat(64)), null);
  await fs.rm(dir, { recursive: true, force: true });
});

test('the record keeps the newest entries, drops old ones and ignores damaged ones', async () => {
  const dir = await tempDir();
  const path = join(dir, 'finished-incoming.json');
  const old = { ...who(0), saved: [[0, 0]], at: Date.now() - FINISHED_MAX_AGE_MS - 1000 };
  const damaged = { ...who(9), saved: [[5, 1e12]], at: Date.now() };
  const overlapping = { ...who(8), saved: [[0, 5], [3, 4]], at: Date.now() };
  await fs.writeFile(path, JSON.stringify([damaged, overlapping, old, { nonsense: true }]));
  const f = new FinishedIncoming(dir);
  await f.load();
  assert.equal(f.find('t9', 'k9', 'f'.repeat(64)), null, 'a damaged range is not read');
  assert.equal(f.find('t8', 'k8', 'f'.repeat(64)), null, 'nor ranges that overlap');
  assert.equal(f.find('t0', 'k0', 'f'.repeat(64)), null, 'an entry older than 30 days is not used');
  for (let i = 1; i <= FINISHED_KEPT + 1; i++) await f.add(who(i), [0]);
  const list = JSON.parse(await fs.readFile(path, 'utf8')) as { transferId: string }[];
  assert.equal(list.length, FINISHED_KEPT);
  assert.equal(list[0].transferId, `t${FINISHED_KEPT + 1}`, 'newest first');
  assert.ok(!list.some((e) => e.transferId === 't0' || e.transferId === 't1'), 'the expired and the oldest are gone');
  await fs.rm(dir, { recursive: true, force: true });
});
