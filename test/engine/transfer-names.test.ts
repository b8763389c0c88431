import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sendAndWait, sha256File, writeRandom, withPair } from './helpers';

test('a folder keeps its structure, its empty folder and unusual names', async () => {
  await withPair(async ({ a, b, src }) => {
    const root = join(src, 'Album 2024');
    const names = ['été ☀️.jpg', ' leading space.txt', '-dash first', '.hidden', '中文 文件.txt', 'x'.repeat(200) + '.dat', 'a b  c.d.e'];
    await fs.mkdir(join(root, 'sub/deeper'), { recursive: true });
    await fs.mkdir(join(root, 'empty folder'), { recursive: true });
    const files: string[] = [];
    for (const [i, n] of names.entries()) {
      const p = join(root, i % 2 ? 'sub' : 'sub/deeper', n);
      await writeRandom(p, 1000 * i + 1);
      files.push(p);
    }
    const { out, inc } = await sendAndWait(a, b, [root]);
    assert.equal(out.state, 'completed', JSON.stringify(out.error));
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    for (const p of files) {
      const rel = p.slice(src.length + 1);
      assert.equal(await sha256File(join(b.downloadDir, rel)), await sha256File(p), rel);
    }
    assert.ok((await fs.stat(join(b.downloadDir, 'Album 2024/empty folder'))).isDirectory());
    assert.equal(inc.files.length, names.length);
    assert.ok(inc.files.every((f) => f.state === 'completed' && f.savedPath?.startsWith(b.downloadDir)));
  });
});

test('a folder of empty folders only arrives whole before the transfer completes', async () => {
  await withPair(async ({ a, b, src }) => {
    const root = join(src, 'skeleton');
    await fs.mkdir(join(root, 'a', 'b'), { recursive: true });
    await fs.mkdir(join(root, 'c'), { recursive: true });
    const { out, inc } = await sendAndWait(a, b, [root]);
    assert.equal(out.state, 'completed', JSON.stringify(out.error));
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    assert.deepEqual((await fs.readdir(join(b.downloadDir, 'skeleton'), { recursive: true })).sort(), ['a', 'a/b', 'c']);
  });
});

test('folders named like built-in object properties arrive like any other', async () => {
  await withPair(async ({ a, b, src }) => {
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
    const files: string[] = [];
    for (const n of names) {
      await fs.mkdir(join(src, n), { recursive: true });
      const p = join(src, n, 'inside.bin');
      await writeRandom(p, 3000);
      files.push(p);
    }
    const { out, inc } = await sendAndWait(a, b, names.map((n) => join(src, n)));
    assert.equal(out.state, 'completed', JSON.stringify(out.error));
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    for (const p of files) {
      const rel = p.slice(src.length + 1);
      assert.equal(await sha256File(join(b.downloadDir, rel)), await sha256File(p), rel);
    }
    assert.deepEqual((await fs.readdir(b.downloadDir)).sort(), [...names].sort());
  });
});

test('an existing file is never overwritten: the new one gets " (1)"', async () => {
  await withPair(async ({ a, b, src }) => {
    const p = join(src, 'report.pdf');
    await writeRandom(p, 5000);
    await fs.writeFile(join(b.downloadDir, 'report.pdf'), 'mine, keep me');
    const first = await sendAndWait(a, b, [p]);
    assert.equal(first.inc.state, 'completed');
    assert.equal(first.inc.files[0].savedPath, join(b.downloadDir, 'report (1).pdf'));
    const second = await sendAndWait(a, b, [p]);
    assert.equal(second.inc.files[0].savedPath, join(b.downloadDir, 'report (2).pdf'));
    assert.equal(await fs.readFile(join(b.downloadDir, 'report.pdf'), 'utf8'), 'mine, keep me');
    assert.equal(await sha256File(join(b.downloadDir, 'report (2).pdf')), await sha256File(p));
  });
});

test('many small files go through without a round trip each', async () => {
  await withPair(async ({ a, b, src }) => {
    const root = join(src, 'many');
    await fs.mkdir(root);
    for (let i = 0; i < 500; i++) await fs.writeFile(join(root, `f${i}.txt`), `file ${i} `.repeat(i % 7));
    const { out, inc } = await sendAndWait(a, b, [root]);
    assert.equal(out.state, 'completed', JSON.stringify(out.error));
    assert.equal(inc.files.filter((f) => f.state === 'completed').length, 500);
    assert.equal(await fs.readFile(join(b.downloadDir, 'many/f123.txt'), 'utf8'), 'file 123 '.repeat(123 % 7));
  });
});

test('the same file sent twice at once makes two transfers and two copies', async () => {
  await withPair(async ({ a, b, src }) => {
    const p = join(src, 'twice.bin');
    await writeRandom(p, 30 * 1024 * 1024);
    const [x, y] = await Promise.all([sendAndWait(a, b, [p]), sendAndWait(a, b, [p])]);
    assert.notEqual(x.inc.id, y.inc.id);
    assert.equal(x.inc.state, 'completed', JSON.stringify(x.inc.error));
    assert.equal(y.inc.state, 'completed', JSON.stringify(y.inc.error));
    assert.deepEqual((await fs.readdir(b.downloadDir)).sort(), ['twice (1).bin', 'twice.bin']);
    assert.equal(await sha256File(join(b.downloadDir, 'twice (1).bin')), await sha256File(p));
  });
});
