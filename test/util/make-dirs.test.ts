// makeDirs: Node's recursive mkdir spins forever under /proc (Node 20), so each test has a deadline.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeDirs } from '../../src/main/engine/util/make-dirs';
import { tempDir } from '../engine/helpers';

let root: string;
before(async () => {
  root = await tempDir('ferry-mkdirs-');
});
after(() => fs.rm(root, { recursive: true, force: true }));

test('makes missing folders, accepts existing ones, refuses a file in the way', { timeout: 5_000 }, async () => {
  await makeDirs(join(root, 'a', 'b', 'c'), 0o700);
  assert.ok((await fs.stat(join(root, 'a', 'b', 'c'))).isDirectory());
  assert.equal((await fs.stat(join(root, 'a', 'b'))).mode & 0o777, 0o700);
  await makeDirs(join(root, 'a', 'b'));
  await fs.writeFile(join(root, 'file'), 'x');
  await assert.rejects(makeDirs(join(root, 'file', 'sub')), { code: 'ENOTDIR' });
  await assert.rejects(makeDirs(join(root, 'file')), { code: 'ENOTDIR' });
});

test('a folder under a link to a place that is gone: a clear error, not a hang', { timeout: 5_000 }, async () => {
  await fs.symlink(join(root, 'unmounted-drive'), join(root, 'dangling'));
  await assert.rejects(makeDirs(join(root, 'dangling', 'downloads', 'photos')), (err: NodeJS.ErrnoException) => {
    assert.equal(err.code, 'EEXIST');
    assert.match(err.message, /dangling: something that is not a folder is in the way/);
    return true;
  });
  assert.equal(existsSync(join(root, 'unmounted-drive')), false, 'nothing made behind the link');
});

test('a folder under /proc: a clear error, not a hang', { timeout: 5_000, skip: process.platform !== 'linux' && 'no /proc' }, async () => {
  await assert.rejects(makeDirs('/proc/ferry-no-such-thing/sub'), (err: NodeJS.ErrnoException) => {
    assert.equal(err.code, 'ENOENT');
    assert.match(err.message, /\/proc cannot hold folders/);
    return true;
  });
});
