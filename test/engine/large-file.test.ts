import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanup, sendAndWait, sha256File, startEngine, tempDir } from './helpers';

// Offsets past 2^32 must survive the 64-bit hi/lo split in DATA frames. A sparse source keeps the
// test cheap on disk; the receiver keeps zero runs sparse too.
test('a file over 4 GiB arrives intact (sparse source, bytes written near the end)', { timeout: 300_000 }, async () => {
  const a = await startEngine('alice');
  const b = await startEngine('bob');
  const src = await tempDir('ferry-src-');
  try {
    const size = 4 * 1024 ** 3 + 5;
    const p = join(src, 'huge.img');
    const fh = await fs.open(p, 'w');
    await fh.truncate(size);
    await fh.write(Buffer.from('head'), 0, 4, 0);
    await fh.write(Buffer.from('past-4GiB'), 0, 9, 4 * 1024 ** 3 - 4);
    await fh.close();
    const { out, inc } = await sendAndWait(a, b, [p], 280_000);
    assert.equal(out.state, 'completed', JSON.stringify(out.error));
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    const got = inc.files[0].savedPath!;
    assert.equal((await fs.stat(got)).size, size);
    const tail = Buffer.alloc(9);
    const rh = await fs.open(got, 'r');
    await rh.read(tail, 0, 9, 4 * 1024 ** 3 - 4);
    await rh.close();
    assert.equal(tail.toString(), 'past-4GiB');
    const [mine, theirs] = await Promise.all([sha256File(got), sha256File(p)]);
    assert.equal(mine, theirs);
  } finally {
    await cleanup(a, b);
    await fs.rm(src, { recursive: true, force: true });
  }
});
