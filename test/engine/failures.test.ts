import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isFinal, sha256File, startEngine, type TestEngine, waitBytes, waitTransfer, withPair, writeRandom } from './helpers';

test('a file that changes while being sent fails alone with E_SOURCE_CHANGED; the others arrive', async () => {
  await withPair(async ({ a, b, src }) => {
    const big = join(src, 'growing.log');
    const fh = await fs.open(big, 'w');
    await fh.truncate(1024 ** 3);
    await fh.close();
    const small = join(src, 'z-small.txt');
    await writeRandom(small, 70_000);
    const moving = waitBytes(b.engine, 1);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [big, small] });
    await moving;
    await fs.appendFile(big, 'more');
    const out = await waitTransfer(a.engine, isFinal('out', sent.id), 60_000);
    const inc = await waitTransfer(b.engine, isFinal('in', sent.id), 60_000);
    assert.equal(out.files[0].state, 'failed');
    assert.equal(out.files[0].error?.code, 'E_SOURCE_CHANGED');
    assert.equal(inc.files[0].state, 'failed');
    assert.equal(inc.files[1].state, 'completed', JSON.stringify({ inc: inc.error, files: inc.files.map((f) => [f.state, f.bytesDone, f.error]), out: out.error }));
    assert.equal(await sha256File(inc.files[1].savedPath!), await sha256File(small));
    assert.equal(out.state, 'failed');
    assert.deepEqual((await fs.readdir(b.downloadDir)).sort(), ['z-small.txt'], 'no partial or mixed file left');
  });
});

test('the sender gives up after the reconnect window; the receiver keeps the partial data', async () => {
  await withPair(async ({ a, b, src }) => {
    const p = join(src, 'big.bin');
    const fh = await fs.open(p, 'w');
    await fh.truncate(2 * 1024 ** 3);
    await fh.close();
    const moving = waitBytes(b.engine, 32 * 1024 * 1024);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    await moving;
    await b.engine.close();
    const out = await waitTransfer(a.engine, isFinal('out', sent.id), 30_000);
    assert.equal(out.state, 'failed');
    assert.equal(out.error?.code, 'E_CONNECTION_LOST');
    assert.match(out.error!.message, /reconnect/);
    assert.ok((await fs.readdir(b.downloadDir)).some((n) => n.endsWith('.ferry-part')), 'partial data kept');
    assert.ok((await fs.readdir(join(b.stateDir, 'incoming'))).length > 0, 'resume state kept');
  }, { a: { reconnectWindowMs: 1_500 } });
});

/** Cuts the receiver's connection under both ends, as a network drop would; resolves once the sender is reconnecting. */
async function dropConnection(a: TestEngine, b: TestEngine, id: string): Promise<void> {
  const internals = b.engine as unknown as { incoming: Map<string, { conn: { ws: { terminate(): void } } | null }> };
  internals.incoming.get(id)!.conn!.ws.terminate();
  await waitTransfer(a.engine, (t) => t.id === id && t.state === 'reconnecting');
}

test('a dropped connection is restored: the sender reconnects and the same transfer completes', async () => {
  await withPair(async ({ a, b, src }) => {
    const p = join(src, 'data.bin');
    await writeRandom(p, 160 * 1024 * 1024);
    const moving = waitBytes(b.engine, 40 * 1024 * 1024);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    await moving;
    await dropConnection(a, b, sent.id);
    const inc = await waitTransfer(b.engine, (t) => t.id === sent.id && t.state === 'completed', 60_000);
    assert.equal(await sha256File(inc.files[0].savedPath!), await sha256File(p));
    assert.equal((await waitTransfer(a.engine, isFinal('out', sent.id))).state, 'completed');
    assert.equal(b.engine.transfers().filter((t) => t.direction === 'in').length, 1, 'one transfer, not two');
  });
});

test('a drop mid-batch (files saved, one half-written, the rest not started) resumes each where it was', async () => {
  await withPair(async ({ a, b, src }) => {
    const dir = join(src, 'batch');
    await fs.mkdir(dir);
    const MiB = 1024 * 1024;
    const sizes: [string, number][] = [['0-big.bin', 16 * MiB], ['1-big.bin', 160 * MiB], ['3-big.bin', 16 * MiB]];
    for (let i = 0; i < 200; i++) sizes.push([`2-small-${String(i).padStart(3, '0')}.bin`, 4096 + i]);
    for (const [name, size] of sizes) await writeRandom(join(dir, name), size);
    const total = sizes.reduce((n, [, size]) => n + size, 0);
    const moving = waitBytes(b.engine, 144 * MiB); // file 0 saved, file 1 at ~128 MiB, the rest not started
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [dir] });
    await moving;
    await dropConnection(a, b, sent.id);
    const inc = await waitTransfer(b.engine, (t) => t.id === sent.id && t.state === 'completed', 60_000);
    for (const f of inc.files) assert.equal(await sha256File(f.savedPath!), await sha256File(join(src, f.path)), f.path);
    const out = await waitTransfer(a.engine, isFinal('out', sent.id));
    assert.equal(out.state, 'completed');
    // File 1 resumed, not restarted (that would send its first ~128 MiB again): what went twice
    // is what was in flight or not yet committed (as in resume.test.ts).
    assert.ok(out.bytesSent! < total + 48 * MiB, `sent ${out.bytesSent} bytes for ${total}`);
  });
});

test('an interrupted transfer resumes into the folder it was accepted into, even after the setting changed', async () => {
  await withPair(async ({ a, b, src }) => {
    const p = join(src, 'keep-here.bin');
    await writeRandom(p, 96 * 1024 * 1024);
    const moving = waitBytes(b.engine, 16 * 1024 * 1024);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    await moving;
    const port = b.engine.identity.port;
    await b.engine.close();
    const elsewhere = join(b.stateDir, 'new-downloads');
    const b2 = await startEngine('bob', { stateDir: b.stateDir, downloadDir: elsewhere, port });
    try {
      const inc = await waitTransfer(b2.engine, (t) => t.id === sent.id && t.state === 'completed', 60_000);
      assert.equal(inc.files[0].savedPath, join(b.downloadDir, 'keep-here.bin'));
      assert.equal(await sha256File(inc.files[0].savedPath!), await sha256File(p));
    } finally {
      await b2.engine.close();
    }
  });
});
