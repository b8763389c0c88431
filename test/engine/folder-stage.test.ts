// Moving a staged folder into place: one rename when its name is free, a merge with " (n)" names
// when a folder is there, and never into or through a link.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import { dropEmptyStage, placeStage, stageDirFor, topFolder } from '../../src/main/engine/transfer/folder-stage';
import { moveDirToUniqueName } from '../../src/main/engine/util/safe-names';
import type { FerryError } from '../../src/shared/errors';
import { tempDir } from './helpers';

const TOKEN = '19dc3b0a';

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, body] of Object.entries(files)) {
    await fs.mkdir(join(root, rel, '..'), { recursive: true });
    await fs.writeFile(join(root, rel), body);
  }
}

/** Every file under root, relative, with its content. */
async function tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of (await fs.readdir(root, { recursive: true })).sort()) {
    const p = join(root, rel);
    if ((await fs.lstat(p)).isFile()) out[rel.split(sep).join('/')] = await fs.readFile(p, 'utf8');
  }
  return out;
}

async function withDir(fn: (dl: string) => Promise<void>): Promise<void> {
  const dl = await tempDir('ferry-stage-');
  try {
    await fn(dl);
  } finally {
    await fs.rm(dl, { recursive: true, force: true });
  }
}

test('stageDirFor and topFolder: a hidden name beside the folder, cut to a legal length', () => {
  const dl = join(sep, 'tmp', 'dl');
  assert.equal(stageDirFor(dl, 'photos', TOKEN), join(dl, '.photos.19dc3b0a.ferry-part'));
  assert.match(stageDirFor(dl, 'photos'), /\.photos\.[0-9a-f]{8}\.ferry-part$/);
  assert.notEqual(stageDirFor(dl, 'photos'), stageDirFor(dl, 'photos'), 'a token of our own each time');
  const long = 'é'.repeat(120);
  assert.ok(Buffer.byteLength(stageDirFor(dl, long, TOKEN).split(sep).pop()!) <= 255);
  assert.equal(topFolder('photos/2024/a.jpg'), 'photos');
  assert.equal(topFolder('a.jpg'), null);
});

test('a folder whose name is free is moved into place whole', async () => {
  await withDir(async (dl) => {
    const stage = stageDirFor(dl, 'photos', TOKEN);
    await write(stage, { 'a.jpg': 'A', 'sub/b.jpg': 'B' });
    await fs.mkdir(join(stage, 'empty'));
    const placed = placeStage(stage, dl, 'photos');
    assert.deepEqual(await tree(join(dl, 'photos')), { 'a.jpg': 'A', 'sub/b.jpg': 'B' });
    assert.ok((await fs.stat(join(dl, 'photos', 'empty'))).isDirectory());
    assert.deepEqual(await fs.readdir(dl), ['photos'], 'the stage is gone');
    assert.equal(placed.where(join(stage, 'sub', 'b.jpg')), join(dl, 'photos', 'sub', 'b.jpg'));
  });
});

test('into a folder that exists, files merge: a taken name gets " (1)", nothing is overwritten', async () => {
  await withDir(async (dl) => {
    await write(join(dl, 'photos'), { 'a.jpg': 'mine', 'sub/keep.txt': 'mine too' });
    await fs.writeFile(join(dl, 'photos', 'clash'), 'a file where the sender has a folder');
    const stage = stageDirFor(dl, 'photos', TOKEN);
    await write(stage, { 'a.jpg': 'new A', 'b.jpg': 'new B', 'sub/keep.txt': 'new keep', 'fresh/c.jpg': 'C', 'clash/d.jpg': 'D' });
    const placed = placeStage(stage, dl, 'photos');
    assert.deepEqual(await tree(join(dl, 'photos')), {
      'a (1).jpg': 'new A',
      'a.jpg': 'mine',
      'b.jpg': 'new B',
      clash: 'a file where the sender has a folder',
      'clash (1)/d.jpg': 'D',
      'fresh/c.jpg': 'C',
      'sub/keep (1).txt': 'new keep',
      'sub/keep.txt': 'mine too',
    });
    assert.deepEqual(await fs.readdir(dl), ['photos'], 'the emptied stage is removed');
    const at = (rel: string) => placed.where(join(stage, ...rel.split('/')));
    assert.equal(at('a.jpg'), join(dl, 'photos', 'a (1).jpg'));
    assert.equal(at('b.jpg'), join(dl, 'photos', 'b.jpg'));
    assert.equal(at('sub/keep.txt'), join(dl, 'photos', 'sub', 'keep (1).txt'));
    assert.equal(at('fresh/c.jpg'), join(dl, 'photos', 'fresh', 'c.jpg'));
    assert.equal(at('clash/d.jpg'), join(dl, 'photos', 'clash (1)', 'd.jpg'));
  });
});

test('a link in the folder’s place is never merged into or followed: the folder gets another name', async () => {
  await withDir(async (dl) => {
    const outside = await tempDir('ferry-outside-');
    try {
      await fs.symlink(outside, join(dl, 'photos'), 'dir');
      const stage = stageDirFor(dl, 'photos', TOKEN);
      await write(stage, { 'a.jpg': 'A' });
      const placed = placeStage(stage, dl, 'photos');
      assert.deepEqual(await fs.readdir(outside), [], 'nothing went through the link');
      assert.deepEqual(await tree(join(dl, 'photos (1)')), { 'a.jpg': 'A' });
      assert.equal(placed.where(join(stage, 'a.jpg')), join(dl, 'photos (1)', 'a.jpg'));
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });
});

test('a stage that is gone (placed before a restart) changes nothing', async () => {
  await withDir(async (dl) => {
    const stage = stageDirFor(dl, 'photos', TOKEN);
    const placed = placeStage(stage, dl, 'photos');
    assert.deepEqual(await fs.readdir(dl), []);
    assert.equal(placed.where(join(stage, 'a.jpg')), join(stage, 'a.jpg'));
  });
});

test('a folder that cannot be moved is E_IO at once, not a search for a free " (n)" name', async () => {
  await withDir(async (dl) => {
    // rename() fails with something other than "taken": the source is gone.
    assert.throws(() => moveDirToUniqueName(join(dl, 'gone'), dl, 'photos'), (err: FerryError) => err.code === 'E_IO' && err.message.includes(join(dl, 'photos')));
    assert.deepEqual(await fs.readdir(dl), []);
  });
});

test('a stage nothing was saved in loses its empty folders, and only those', async () => {
  await withDir(async (dl) => {
    const stage = stageDirFor(dl, 'photos', TOKEN);
    await fs.mkdir(join(stage, 'a', 'b'), { recursive: true });
    dropEmptyStage(stage);
    assert.deepEqual(await fs.readdir(dl), []);
    await write(stage, { 'a/b/stray.txt': 'not ours to delete' });
    await fs.mkdir(join(stage, 'empty'));
    dropEmptyStage(stage);
    assert.deepEqual(await tree(stage), { 'a/b/stray.txt': 'not ours to delete' });
    assert.equal(await fs.lstat(join(stage, 'empty')).catch(() => null), null);
  });
});
