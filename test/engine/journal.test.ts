// The receiver's journal: what it writes is what a restart reads back.
import assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Journal, readJournal } from '../../src/main/engine/transfer/journal';
import { tempDir } from '../util/tmp-dir';

test('a staged file is journalled by index alone, any other by the path it was saved under', async (t) => {
  const dir = await tempDir(t, 'ferry-journal-');
  const path = join(dir, 't.journal');
  const j = new Journal(path);
  const top = join(dir, 'name (1).txt');
  await j.block(2, 0, 'ab'.repeat(32));
  await j.doneMany([
    { index: 0, savedPath: join(dir, '.docs.0123abcd.ferry-part', 'a.txt'), staged: true },
    { index: 1, savedPath: top, staged: false },
  ]);
  await j.failed(3);
  const text = await fs.readFile(path, 'utf8');
  assert.match(text, /^s 0$/m);
  assert.ok(!text.includes('ferry-part'), 'no staged path in the journal');
  const read = await readJournal(path);
  assert.deepEqual(read.get(0), { blocks: [], staged: true });
  assert.deepEqual(read.get(1), { blocks: [], savedPath: top });
  assert.deepEqual(read.get(2), { blocks: ['ab'.repeat(32)] });
  assert.deepEqual(read.get(3), { blocks: [], failed: true });
});

test('a torn last line is skipped; the lines before it count', async (t) => {
  const dir = await tempDir(t, 'ferry-journal-');
  const path = join(dir, 't.journal');
  await fs.writeFile(path, 's 4\nd 5 "/x/y.txt"\ns 6\nd 7 "/x/z');
  const read = await readJournal(path);
  assert.deepEqual([...read.keys()], [4, 5, 6, 7]);
  assert.equal(read.get(5)?.savedPath, '/x/y.txt');
  assert.equal(read.get(6)?.staged, true);
  assert.equal(read.get(7)?.savedPath, undefined);
});

test('lines wait for the gate (the state file on disk); after it they are written in order, at once', async (t) => {
  const dir = await tempDir(t, 'ferry-journal-');
  const path = join(dir, 't.journal');
  const j = new Journal(path);
  let open!: () => void;
  j.after(new Promise<void>((r) => (open = r)));
  const first = j.block(0, 0, 'cd'.repeat(32));
  await new Promise((r) => setTimeout(r, 20));
  await assert.rejects(fs.readFile(path), { code: 'ENOENT' }, 'nothing before the gate opens');
  open();
  await first;
  const second = j.doneMany([{ index: 1, savedPath: join(dir, 'x'), staged: false }]);
  assert.match(readFileSync(path, 'utf8'), /^d 1 /m, 'written before the call returns');
  await second;
  assert.deepEqual((await fs.readFile(path, 'utf8')).trim().split('\n').map((l) => l.split(' ')[0]), ['b', 'd']);
});
