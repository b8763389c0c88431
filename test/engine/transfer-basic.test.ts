import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BLOCK_SIZE, CHUNK_START } from '../../src/shared/protocol';
import { sendAndWait, sha256File, writeRandom, withPair } from './helpers';

test('files of awkward sizes arrive intact: empty, 1 byte, around chunk and block borders', async () => {
  await withPair(async ({ a, b, src }) => {
    const sizes = [0, 1, CHUNK_START - 1, CHUNK_START + 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 3 * BLOCK_SIZE + 12_345];
    const paths: string[] = [];
    for (const s of sizes) {
      const p = join(src, `f-${s}.bin`);
      await writeRandom(p, s);
      paths.push(p);
    }
    const { out, inc } = await sendAndWait(a, b, paths);
    assert.equal(out.state, 'completed', JSON.stringify(out.error));
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    assert.equal(inc.bytesDone, sizes.reduce((x, y) => x + y, 0));
    for (const p of paths) {
      const name = p.slice(src.length + 1);
      assert.equal(await sha256File(join(b.downloadDir, name)), await sha256File(p), name);
    }
    const left = (await fs.readdir(b.downloadDir)).filter((n) => n.endsWith('.ferry-part'));
    assert.deepEqual(left, []);
  });
});
