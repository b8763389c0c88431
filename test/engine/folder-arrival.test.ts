// A received folder is built hidden and appears whole when the transfer ends: never half of it under
// its name. A second copy merges into the first with " (1)" names; a cancel keeps what verified.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isFinal, sendAndWait, sha256File, startEngine, type TestEngine, waitTransfer, withPair, writeRandom } from './helpers';

const BIG = 768 * 1024 * 1024;
const STAGE = /^\.docs\.[0-9a-f]{8}\.ferry-part$/;

/** src/docs with a small file and a sparse big one (long enough to pause in the middle). */
async function docsFolder(src: string): Promise<string> {
  const docs = join(src, 'docs');
  await fs.mkdir(join(docs, 'sub'), { recursive: true });
  await fs.writeFile(join(docs, 'a.txt'), 'first');
  await fs.writeFile(join(docs, 'sub', 'b.txt'), 'second');
  const fh = await fs.open(join(docs, 'zbig.bin'), 'w');
  await fh.truncate(BIG);
  await fh.close();
  return docs;
}

async function sendPaused(a: TestEngine, b: TestEngine, docs: string): Promise<string> {
  const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port, fingerprint: b.engine.identity.fingerprint }, paths: [docs] });
  await waitTransfer(b.engine, (t) => t.id === sent.id && t.direction === 'in' && t.files[2].bytesDone > 0);
  b.engine.pause(sent.id);
  await waitTransfer(b.engine, (t) => t.id === sent.id && t.direction === 'in' && t.state === 'paused');
  return sent.id;
}

test('a folder appears under its name only once all of it has arrived', async () => {
  await withPair(async ({ a, b, src }) => {
    const id = await sendPaused(a, b, await docsFolder(src));
    const names = await fs.readdir(b.downloadDir);
    assert.equal(names.length, 1, names.join());
    assert.match(names[0], STAGE);
    const mid = b.engine.transfers().find((t) => t.id === id && t.direction === 'in')!;
    assert.deepEqual(mid.files.map((f) => f.state), ['staged', 'staged', 'transferring'], 'the small files verified, none shown complete yet');
    assert.ok(mid.files.every((f) => f.savedPath === undefined), JSON.stringify(mid.files));
    b.engine.resume(id);
    const inc = await waitTransfer(b.engine, isFinal('in', id), 60_000);
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    assert.deepEqual(await fs.readdir(b.downloadDir), ['docs']);
    for (const f of inc.files) {
      assert.equal(f.state, 'completed');
      assert.equal(f.savedPath, join(b.downloadDir, ...f.path.split('/')));
      assert.equal(await sha256File(f.savedPath!), await sha256File(join(src, ...f.path.split('/'))), f.path);
    }
  });
});

test('the same folder again merges into the first copy: each taken name gets " (1)"', async () => {
  await withPair(async ({ a, b, src }) => {
    const docs = join(src, 'docs');
    await fs.mkdir(join(docs, 'sub'), { recursive: true });
    await writeRandom(join(docs, 'a.bin'), 5000);
    await writeRandom(join(docs, 'sub', 'b.bin'), 70_000);
    await sendAndWait(a, b, [docs]);
    await fs.writeFile(join(b.downloadDir, 'docs', 'mine.txt'), 'keep me');
    const { inc } = await sendAndWait(a, b, [docs]);
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    const saved = Object.fromEntries(inc.files.map((f) => [f.path, f.savedPath]));
    assert.deepEqual(saved, { 'docs/a.bin': join(b.downloadDir, 'docs', 'a (1).bin'), 'docs/sub/b.bin': join(b.downloadDir, 'docs', 'sub', 'b (1).bin') });
    assert.deepEqual((await fs.readdir(b.downloadDir, { recursive: true })).sort(), ['docs', 'docs/a (1).bin', 'docs/a.bin', 'docs/mine.txt', 'docs/sub', 'docs/sub/b (1).bin', 'docs/sub/b.bin']);
    assert.equal(await sha256File(saved['docs/sub/b.bin']!), await sha256File(join(docs, 'sub', 'b.bin')));
    assert.equal(await fs.readFile(join(b.downloadDir, 'docs', 'mine.txt'), 'utf8'), 'keep me');
  });
});

test('a cancelled folder keeps the files that verified, in place; partial data and the stage go', async () => {
  await withPair(async ({ a, b, src }) => {
    const id = await sendPaused(a, b, await docsFolder(src));
    b.engine.cancel(id);
    const inc = await waitTransfer(b.engine, (t) => t.id === id && t.direction === 'in' && t.state === 'cancelled' && t.files[0].state === 'completed');
    assert.equal(inc.files[0].savedPath, join(b.downloadDir, 'docs', 'a.txt'));
    assert.equal(await fs.readFile(join(b.downloadDir, 'docs', 'a.txt'), 'utf8'), 'first');
    assert.equal(await fs.readFile(join(b.downloadDir, 'docs', 'sub', 'b.txt'), 'utf8'), 'second');
    assert.notEqual(inc.files[2].state, 'completed');
    assert.deepEqual((await fs.readdir(b.downloadDir, { recursive: true })).sort(), ['docs', 'docs/a.txt', 'docs/sub', 'docs/sub/b.txt']);
  });
});

test('a receiver restarted in the middle of a folder continues it and places it whole', { timeout: 120_000 }, async () => {
  await withPair(
    async ({ a, b, src }) => {
      const id = await sendPaused(a, b, await docsFolder(src));
      const port = b.engine.identity.port;
      await b.engine.close();
      const again = await startEngine('bob', { stateDir: b.stateDir, port });
      try {
        // The journal names the two small files saved in the stage: they are not asked for again.
        const restored = again.engine.transfers().find((t) => t.id === id && t.direction === 'in')!;
        assert.deepEqual(restored.files.slice(0, 2).map((f) => f.state), ['staged', 'staged']);
        // Restored as failed (interrupted) until the sender reconnects.
        const inc = await waitTransfer(again.engine, (t) => t.id === id && t.direction === 'in' && t.state === 'completed', 90_000);
        assert.deepEqual(await fs.readdir(b.downloadDir), ['docs']);
        for (const f of inc.files) assert.equal(f.savedPath, join(b.downloadDir, ...f.path.split('/')), f.path);
        assert.equal(await fs.readFile(join(b.downloadDir, 'docs', 'sub', 'b.txt'), 'utf8'), 'second');
        assert.equal(await sha256File(join(b.downloadDir, 'docs', 'zbig.bin')), await sha256File(join(src, 'docs', 'zbig.bin')));
      } finally {
        await again.engine.close();
      }
    },
    { a: { reconnectWindowMs: 60_000 } },
  );
});
