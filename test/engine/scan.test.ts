import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanPaths } from '../../src/main/engine/transfer/scan';
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
