import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileProgress, TransferProgress } from '../../src/shared/types';
import { type RecordSnapshot, TransferRecord } from '../../src/main/engine/transfer/record';

function record(n: number) {
  const upserts: RecordSnapshot[] = [];
  const progress: TransferProgress[] = [];
  const files: FileProgress[] = Array.from({ length: n }, (_, i) => ({ index: i, path: `f${i}`, size: 10, bytesDone: 0, state: 'pending' }));
  const peer = { fingerprint: 'ab'.repeat(32), name: 'peer', address: '127.0.0.1', port: 1 };
  const r = new TransferRecord('t1', 'in', peer, files, { upserted: (s) => upserts.push(s), progress: (p) => progress.push(p) });
  return { r, upserts, progress };
}

test('record: a snapshot keeps what it showed while the transfer moves on, and shares the entries that did not change', async () => {
  const { r } = record(1_000);
  const before = r.snapshot();
  r.setBytes(3, 4);
  r.setFile(5, { state: 'completed', bytesDone: 10, savedPath: '/dl/f5' });
  r.resetFile(7, { state: 'skipped' });
  const after = r.snapshot();

  assert.deepEqual(before.files[3], { index: 3, path: 'f3', size: 10, bytesDone: 0, state: 'pending' });
  assert.equal(before.files[5].state, 'pending');
  assert.equal(before.files[7].state, 'pending');
  assert.equal(before.bytesDone, 0);

  assert.deepEqual(after.files[3], { index: 3, path: 'f3', size: 10, bytesDone: 4, state: 'transferring' });
  assert.deepEqual(after.files[5], { index: 5, path: 'f5', size: 10, bytesDone: 10, state: 'completed', savedPath: '/dl/f5' });
  assert.equal(after.files[7].state, 'skipped');
  assert.equal(after.bytesDone, 14);
  // Unchanged files are the same objects in both: a snapshot of 100,000 files copies none of them.
  assert.equal(after.files[0], before.files[0]);
  assert.notEqual(after.files, before.files);
  assert.notEqual(after.files[3], before.files[3]);
});

test('record: byte progress goes out once per turn with only the files that moved; resetFile alone sends nothing', async () => {
  const { r, upserts, progress } = record(3);
  r.resetFile(0, { state: 'skipped' });
  await new Promise((res) => setImmediate(res));
  assert.equal(progress.length, 0);
  assert.equal(upserts.length, 0);
  r.setBytes(1, 5);
  r.setBytes(1, 6);
  r.setBytes(2, 1);
  await new Promise((res) => setImmediate(res));
  assert.equal(progress.length, 1);
  assert.deepEqual(progress[0].files, [
    { index: 1, bytesDone: 6, state: 'transferring' },
    { index: 2, bytesDone: 1, state: 'transferring' },
  ]);
  assert.equal(progress[0].bytesDone, 7);
});

test('record: files changed with resetFile then filesChanged go out in one snapshot, with no progress event', async () => {
  const { r, upserts, progress } = record(3);
  r.resetFile(0, { state: 'completed', savedPath: '/dl/f0' });
  r.resetFile(2, { state: 'completed', savedPath: '/dl/f2' });
  r.filesChanged();
  r.filesChanged();
  await new Promise((res) => setTimeout(res, 150)); // FILE_UPSERT_MS is 100 for a batch this small
  assert.equal(progress.length, 0);
  assert.equal(upserts.length, 1);
  assert.deepEqual(upserts[0].files.map((f) => f.savedPath), ['/dl/f0', undefined, '/dl/f2']);
});
