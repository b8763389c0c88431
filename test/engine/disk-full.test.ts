import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { freeBytes } from '../../src/main/engine/util/disk-space';
import { cleanup, isFinal, sha256File, startEngine, tempDir, waitBytes, waitTransfer, writeRandom } from './helpers';

/** A small tmpfs to fill up; null when this process may not mount (not root). */
async function smallDisk(mb: number): Promise<string | null> {
  const dir = await tempDir('ferry-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    await fs.rm(dir, { recursive: true, force: true });
    return null;
  }
}

test('the disk filling up mid-transfer fails it with E_NO_SPACE, keeps the partial data, and retry finishes it', async (t) => {
  const disk = await smallDisk(160);
  if (!disk) return t.skip('needs root to mount a small tmpfs');
  const a = await startEngine('alice');
  const b = await startEngine('bob', { downloadDir: join(disk, 'downloads') });
  const src = await tempDir('ferry-src-');
  try {
    const p = join(src, 'eighty.bin');
    await writeRandom(p, 80 * 1024 * 1024);
    const moving = waitBytes(b.engine, 8 * 1024 * 1024);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    await moving;
    await fillDisk(disk, join(disk, 'filler'));
    const out = await waitTransfer(a.engine, isFinal('out', sent.id));
    const inc = await waitTransfer(b.engine, (x) => x.id === sent.id && x.state === 'failed');
    assert.equal(out.state, 'failed');
    assert.equal(out.error?.code, 'E_NO_SPACE');
    assert.equal(inc.error?.code, 'E_NO_SPACE');
    assert.match(inc.error!.message, /full/);
    assert.ok((await fs.readdir(b.downloadDir)).some((n) => n.endsWith('.ferry-part')), 'partial data kept');

    await fs.rm(join(disk, 'filler'));
    await a.engine.retry(sent.id);
    const done = await waitTransfer(b.engine, (x) => x.id === sent.id && x.state === 'completed', 60_000);
    assert.equal(await sha256File(done.files[0].savedPath!), await sha256File(p));
  } finally {
    await cleanup(a, b);
    await fs.rm(src, { recursive: true, force: true });
    execFileSync('umount', [disk]);
    await fs.rm(disk, { recursive: true, force: true });
  }
});

/** Takes nearly all free space in one step (fallocate), while the receiver keeps writing: when
 *  the writes in between outgrow the margin, retry with a larger one (still far less than the
 *  file needs). Writing a filler instead would be slower than the transfer it should stop. */
async function fillDisk(disk: string, filler: string): Promise<void> {
  for (const marginMiB of [0.5, 2, 4, 8, 16]) {
    try {
      execFileSync('fallocate', ['-l', String(Math.max(0, (await freeBytes(disk)) - marginMiB * 1024 * 1024)), filler], { stdio: 'pipe' });
      return;
    } catch {
      await fs.rm(filler, { force: true });
    }
  }
  throw new Error(`could not fill ${disk}`);
}
