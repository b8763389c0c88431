// A file changes on the sender's disk during the transfer, or between an interruption and the
// resume. It must be detected (E_SOURCE_CHANGED, or that file restarted from 0), and the receiver
// must never hold a mix of old and new bytes: the received file, if any, is exactly old or new.
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanup, isFinal, sha256File, startEngine, tempDir, waitBytes, waitTransfer, writeRandom } from '../engine/helpers';

const MiB = 1024 * 1024;
const SIZE = 64 * MiB;

/** Overwrites `len` bytes at `pos` with new random bytes; optionally keeps the old mtime. */
async function scribble(p: string, pos: number, len: number, keepMtime: boolean): Promise<void> {
  const st = await fs.stat(p);
  const fh = await fs.open(p, 'r+');
  await fh.write(randomFillSync(Buffer.alloc(len)), 0, len, pos);
  await fh.close();
  if (keepMtime) await fs.utimes(p, st.atime, st.mtime);
  else await fs.utimes(p, new Date(), new Date(st.mtimeMs + 5_000));
}

/** The received file is absent, or exactly the old or the new content; no temp data is shown as done. */
async function exactlyOldOrNew(dir: string, name: string, oldSha: string, newSha: string): Promise<string> {
  const got = await sha256File(join(dir, name)).catch(() => null);
  assert.ok(got === null || got === oldSha || got === newSha, 'the received file mixes old and new bytes');
  return got === null ? 'absent' : got === oldSha ? 'old' : 'new';
}

for (const kind of ['overwritten in place (same size)', 'appended to'] as const) {
  test(`faults: a source file ${kind} during the transfer is detected; never a mix`, { timeout: 120_000 }, async () => {
    const a = await startEngine('alice');
    const b = await startEngine('bob');
    const src = await tempDir('ferry-src-');
    try {
      const p = join(src, 'changing.bin');
      await writeRandom(p, SIZE);
      const oldSha = await sha256File(p);
      const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port, fingerprint: b.engine.identity.fingerprint }, paths: [p] });
      await waitBytes(b.engine, 8 * MiB);
      if (kind === 'appended to') await fs.appendFile(p, Buffer.alloc(MiB, 7));
      else await scribble(p, 0, SIZE, false);
      const newSha = await sha256File(p);
      const [out, inc] = await Promise.all([waitTransfer(a.engine, isFinal('out', sent.id), 90_000), waitTransfer(b.engine, isFinal('in', sent.id), 90_000)]);
      const which = await exactlyOldOrNew(b.downloadDir, 'changing.bin', oldSha, newSha);
      const codes = [out.error?.code, inc.error?.code, out.files[0].error?.code, inc.files[0].error?.code];
      console.log(`${kind}: sender ${out.state}, receiver ${inc.state}, codes ${codes.join('/')}, received file: ${which}`);
      if (which !== 'new') assert.ok(codes.includes('E_SOURCE_CHANGED'), `not detected: ${JSON.stringify(codes)}`);
      assert.equal(out.state === 'completed', which !== 'absent', 'the sender reports a state that does not match the disk');
    } finally {
      await cleanup(a, b);
      await fs.rm(src, { recursive: true, force: true });
    }
  });
}

for (const keepMtime of [true, false]) {
  test(`faults: a source file changed between an interruption and the resume (${keepMtime ? 'mtime kept' : 'mtime changed'}) is detected; never a mix`, { timeout: 150_000 }, async () => {
    const a = await startEngine('alice');
    let b = await startEngine('bob');
    const src = await tempDir('ferry-src-');
    try {
      const p = join(src, 'edited.bin');
      await writeRandom(p, SIZE);
      const whole = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000); // an mtime utimes can restore exactly
      await fs.utimes(p, whole, whole);
      const oldSha = await sha256File(p);
      const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port, fingerprint: b.engine.identity.fingerprint }, paths: [p] });
      await waitBytes(b.engine, 24 * MiB);
      await b.engine.close(); // interruption: the receiver goes away, keeping its partial data
      // One change inside the part the receiver already has, one in the part still to come.
      await scribble(p, 1024, 4096, keepMtime);
      await scribble(p, SIZE - 4096, 4096, true);
      if (!keepMtime) await scribble(p, SIZE - 8192, 10, false);
      const newSha = await sha256File(p);
      b = await startEngine('bob', { stateDir: b.stateDir, downloadDir: b.downloadDir, port: b.engine.identity.port });
      const inc = await waitTransfer(b.engine, (t) => t.direction === 'in' && t.id === sent.id && ['completed', 'cancelled', 'rejected'].includes(t.state) || (t.direction === 'in' && t.state === 'failed' && t.error?.code !== 'E_CONNECTION_LOST'), 120_000).catch(() => null);
      const out = await waitTransfer(a.engine, isFinal('out', sent.id), 120_000);
      const which = await exactlyOldOrNew(b.downloadDir, 'edited.bin', oldSha, newSha);
      const codes = [out.error?.code, out.files[0].error?.code, inc?.error?.code, inc?.files[0].error?.code];
      console.log(`changed between sessions (${keepMtime ? 'mtime kept' : 'mtime changed'}): sender ${out.state}, codes ${codes.join('/')}, received file: ${which}`);
      assert.notEqual(which, 'old', 'the old content was completed after the source changed');
      if (which === 'absent') assert.ok(codes.includes('E_SOURCE_CHANGED'), `not detected: ${JSON.stringify(codes)}`);
    } finally {
      await cleanup(a, b);
      await fs.rm(src, { recursive: true, force: true });
    }
  });
}
