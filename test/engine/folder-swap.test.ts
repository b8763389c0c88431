import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode } from '../../src/shared/errors';
import { cleanup, isFinal, startEngine, tempDir, waitTransfer } from './helpers';

const BIG = 768 * 1024 * 1024;

// The receiver checks each folder once per run and then only that it still resolves to the same
// place. A folder swapped for a link to elsewhere mid-transfer must stop the file from being saved
// through it: the file fails with E_BAD_NAME and nothing lands outside the download folder.
test('a folder swapped for a link while receiving into it: the file fails, nothing lands outside', async () => {
  const a = await startEngine('alice');
  const b = await startEngine('bob');
  const src = await tempDir('ferry-src-');
  const outside = await tempDir('ferry-outside-');
  try {
    const docs = join(src, 'docs');
    await fs.mkdir(docs);
    await fs.writeFile(join(docs, 'a.txt'), 'first');
    const fh = await fs.open(join(docs, 'big.bin'), 'w');
    await fh.truncate(BIG); // sparse: quick to make, long enough to pause in the middle
    await fh.close();
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port, fingerprint: b.engine.identity.fingerprint }, paths: [docs] });
    await waitTransfer(b.engine, (t) => t.id === sent.id && t.direction === 'in' && t.files[1].bytesDone > 0);
    b.engine.pause(sent.id);
    await waitTransfer(b.engine, (t) => t.id === sent.id && t.direction === 'in' && t.state === 'paused');
    // The folder arrives in its stage, `.docs.<id8>.ferry-part`, until the transfer ends.
    const stage = (await fs.readdir(b.downloadDir)).find((n) => /^\.docs\.[0-9a-f]{8}\.ferry-part$/.test(n))!;
    assert.ok(stage, 'the folder is staged while it arrives');
    await fs.rename(join(b.downloadDir, stage), join(b.downloadDir, 'docs-moved'));
    await fs.symlink(outside, join(b.downloadDir, stage), 'dir');
    b.engine.resume(sent.id);
    const inc = await waitTransfer(b.engine, isFinal('in', sent.id), 60_000);
    const big = inc.files.find((f) => f.path === 'docs/big.bin')!;
    assert.equal(big.state, 'failed', JSON.stringify(inc.files));
    assert.equal(big.error?.code, ErrorCode.BAD_NAME);
    assert.deepEqual(await fs.readdir(outside), [], 'nothing written through the link');
    assert.equal(await fs.readFile(join(b.downloadDir, 'docs-moved', 'a.txt'), 'utf8'), 'first');
    // The link is not moved into place as the folder, nor followed.
    assert.equal(await fs.lstat(join(b.downloadDir, 'docs')).catch(() => null), null);
  } finally {
    await cleanup(a, b);
    await fs.rm(src, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  }
});
