import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProgressCoalescer } from '../../src/main/engine/app/progress-coalescer';
import type { TransferProgress } from '../../src/shared/types';

const prog = (id: string, bytesDone: number, fileIndex = 0): TransferProgress => ({
  id,
  bytesDone,
  speed: 1,
  eta: null,
  files: [{ index: fileIndex, bytesDone, state: 'transferring' }],
});

test('a burst of progress is thinned, and the last value always arrives', async () => {
  const out: TransferProgress[] = [];
  const c = new ProgressCoalescer((p) => out.push(p), 100);
  for (let i = 1; i <= 1000; i++) c.push(prog('t1', i));
  assert.equal(out.length, 1, 'only the leading event goes out during the burst');
  assert.equal(out[0].bytesDone, 1);
  await sleep(250);
  assert.equal(out.length, 2, 'one trailing event after the burst');
  assert.equal(out[1].bytesDone, 1000);
  c.close();
});

test('sustained progress stays near 10 events per second per transfer', async () => {
  const out: TransferProgress[] = [];
  const c = new ProgressCoalescer((p) => out.push(p), 100);
  let n = 0;
  const timer = setInterval(() => {
    n++;
    c.push(prog('a', n));
    c.push(prog('b', n));
  }, 5);
  await sleep(1000);
  clearInterval(timer);
  await sleep(200);
  const a = out.filter((p) => p.id === 'a');
  const b = out.filter((p) => p.id === 'b');
  assert.ok(a.length >= 5 && a.length <= 12, `transfer a got ${a.length} events`);
  assert.ok(b.length >= 5 && b.length <= 12, `transfer b got ${b.length} events`);
  assert.equal(a.at(-1)!.bytesDone, n);
  assert.equal(b.at(-1)!.bytesDone, n);
  c.close();
});

test('flush emits pending progress at once; merged deltas keep every file', async () => {
  const out: TransferProgress[] = [];
  const c = new ProgressCoalescer((p) => out.push(p), 10_000);
  c.push(prog('t', 1, 0));
  c.push(prog('t', 5, 1));
  c.push(prog('t', 9, 2));
  c.push(prog('t', 12, 1));
  assert.equal(out.length, 1);
  c.flush('t');
  assert.equal(out.length, 2);
  assert.deepEqual(
    out[1].files.map((f) => [f.index, f.bytesDone]),
    [
      [1, 12],
      [2, 9],
    ],
  );
  c.flush('t');
  assert.equal(out.length, 2, 'nothing pending, nothing emitted');
  c.close();
});

test('drop forgets pending progress of a removed transfer', async () => {
  const out: TransferProgress[] = [];
  const c = new ProgressCoalescer((p) => out.push(p), 50);
  c.push(prog('t', 1));
  c.push(prog('t', 2));
  c.drop('t');
  await sleep(120);
  assert.equal(out.length, 1);
  c.close();
});
