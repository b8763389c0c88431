import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp-dir';
import { freeBytes } from '../../src/main/engine/util/disk-space';
import { readJson, writeJsonAtomic } from '../../src/main/engine/store/json-file';


test('freeBytes reports the file system space, also for a folder not created yet', async (t) => {
  const dir = await tempDir(t);
  const st = statfsSync(dir);
  const expected = st.bavail * st.bsize;
  const free = await freeBytes(dir);
  assert.ok(free > 0);
  // other processes write meanwhile: same order of magnitude is what we can assert
  assert.ok(Math.abs(free - expected) < expected * 0.1 + 1e9, `${free} vs ${expected}`);
  const later = await freeBytes(join(dir, 'not', 'yet', 'there'));
  assert.ok(Math.abs(later - free) < free * 0.1 + 1e9);
});

test('readJson: missing file gives the fallback', async (t) => {
  const dir = await tempDir(t);
  assert.deepEqual(await readJson(join(dir, 'nope.json'), { a: 1 }), { a: 1 });
});

test('writeJsonAtomic creates the folder and round-trips; no temp files are left', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'deep', 'state.json');
  await writeJsonAtomic(file, { list: [1, 2, 3], name: 'Ferry' });
  assert.deepEqual(await readJson(file, null), { list: [1, 2, 3], name: 'Ferry' });
  await Promise.all(Array.from({ length: 10 }, (_, i) => writeJsonAtomic(file, { i })));
  const got = await readJson<{ i: number } | null>(file, null);
  assert.ok(got && got.i >= 0 && got.i < 10);
  assert.deepEqual(await fs.readdir(join(dir, 'deep')), ['state.json']);
});

test('writeJsonAtomic indents for people, and writes compact JSON when asked (transfer state)', async (t) => {
  const dir = await tempDir(t);
  const value = { files: [{ path: 'a', size: 1 }], v: 1 };
  await writeJsonAtomic(join(dir, 'settings.json'), value);
  await writeJsonAtomic(join(dir, 'transfer.json'), value, true);
  assert.equal(await fs.readFile(join(dir, 'settings.json'), 'utf8'), JSON.stringify(value, null, 2) + '\n');
  assert.equal(await fs.readFile(join(dir, 'transfer.json'), 'utf8'), '{"files":[{"path":"a","size":1}],"v":1}\n');
  assert.deepEqual(await readJson(join(dir, 'transfer.json')), value);
});

test('readJson: corrupt JSON gives the fallback and the bad file is kept aside', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'devices.json');
  await fs.writeFile(file, '{"truncated": [1, 2');
  assert.deepEqual(await readJson(file, []), []);
  const names = await fs.readdir(dir);
  assert.equal(names.length, 1);
  assert.match(names[0], /^devices\.json\.corrupt-\d+$/);
  assert.equal(await fs.readFile(join(dir, names[0]), 'utf8'), '{"truncated": [1, 2');
});

test('readJson without a fallback gives null for a missing file', async (t) => {
  const dir = await tempDir(t);
  assert.equal(await readJson(join(dir, 'nope.json')), null);
});
