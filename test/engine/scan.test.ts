import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanPaths } from '../../src/main/engine/transfer/scan';
import { OFFER_PART_MAX } from '../../src/shared/protocol';
import { tempDir } from './helpers';

test('scan: files in name order with sizes, empty folders listed, links to files followed, links to folders and odd files skipped', async () => {
  const dir = await tempDir('ferry-scan-');
  const top = join(dir, 'top');
  await fs.mkdir(join(top, 'sub', 'empty'), { recursive: true });
  const names = Array.from({ length: 100 }, (_, i) => `f${String(99 - i).padStart(3, '0')}`); // more than the stats in flight
  for (const [i, n] of names.entries()) await fs.writeFile(join(top, 'sub', n), Buffer.alloc(i));
  await fs.writeFile(join(dir, 'outside.txt'), 'twelve bytes');
  await fs.symlink(join(dir, 'outside.txt'), join(top, 'link-to-file'));
  await fs.symlink(top, join(top, 'link-to-folder'), 'dir'); // would loop
  await fs.symlink(join(dir, 'missing'), join(top, 'broken-link'));
  execFileSync('mkfifo', [join(top, 'a-fifo')]);
  const { files, dirs } = await scanPaths([top]);
  const sorted = [...names].sort();
  assert.deepEqual(
    files.map((f) => f.path),
    ['top/link-to-file', ...sorted.map((n) => `top/sub/${n}`)],
  );
  assert.equal(files[0].size, 12);
  assert.equal(files[0].abs, join(top, 'link-to-file'));
  for (const f of files.slice(1)) assert.equal(f.size, 99 - Number(f.path.slice(-3)));
  assert.deepEqual(dirs, ['top/sub/empty']);
  await fs.rm(dir, { recursive: true, force: true });
});

test('scan: a large batch is handed over in parts as it is found, each at most one offer part, in the final order', async () => {
  const dir = await tempDir('ferry-scan-');
  for (const d of ['a', 'b', 'c']) {
    await fs.mkdir(join(dir, 'top', d), { recursive: true });
    await Promise.all(Array.from({ length: 900 }, (_, i) => fs.writeFile(join(dir, 'top', d, `f${i}`), '')));
  }
  const parts: string[][] = [];
  const { files } = await scanPaths([join(dir, 'top')], (found) => parts.push(found.map((f) => f.path)));
  assert.equal(files.length, 2700);
  assert.ok(parts.length >= 2, `only ${parts.length} parts`);
  for (const p of parts) assert.ok(p.length > 0 && p.length <= OFFER_PART_MAX, `a part of ${p.length} files`);
  const handed = parts.flat();
  assert.deepEqual(handed, files.slice(0, handed.length).map((f) => f.path));
  assert.ok(handed.length < files.length, 'the files after the last part are left to the offer');
  await fs.rm(dir, { recursive: true, force: true });
});
