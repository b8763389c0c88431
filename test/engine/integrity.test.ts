import assert from 'node:assert/strict';
import { blake3 } from '@napi-rs/blake-hash';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Msg } from '../../src/main/engine/protocol/messages';
import { fileDigestOf } from '../../src/main/engine/transfer/block-hasher';
import { cleanup, dataFrame, isFinal, rawClient, sendAndWait, sha256File, startEngine, tempDir, waitBytes, waitTransfer, writeRandom } from './helpers';

test('a damaged byte sent with the right block digest is caught, re-requested, and never shown complete', async () => {
  const b = await startEngine('bob');
  const dir = await tempDir('ferry-mallory-');
  try {
    const c = await rawClient(b, dir);
    const good = randomBytes(100_000);
    const bad = Buffer.from(good);
    bad[5_000] ^= 0xff;
    const digest = blake3(good);
    const transferId = randomUUID();
    c.conn.send({ t: 'offer', transferId, resumeKey: 'a'.repeat(64), files: [{ path: 'x.bin', size: good.length, mtime: 1 }], totalBytes: good.length });
    const accept = (await c.next('accept')) as Extract<Msg, { t: 'accept' }>;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) c.conn.send({ t: 'rewound', f: 0, offset: 0 });
      c.conn.ws.send(dataFrame(accept.handle, 0, 0, bad, fileDigestOf([digest])));
      c.conn.send({ t: 'block', f: 0, b: 0, h: digest.toString('hex') });
      if (attempt < 3) assert.deepEqual(await c.next('rewind'), { t: 'rewind', f: 0, offset: 0 });
    }
    const failed = (await c.next('fileFailed')) as Extract<Msg, { t: 'fileFailed' }>;
    assert.equal(failed.code, 'E_INTEGRITY');
    const inc = await waitTransfer(b.engine, isFinal('in', transferId));
    assert.equal(inc.state, 'failed');
    assert.equal(inc.files[0].state, 'failed');
    assert.equal(inc.files[0].savedPath, undefined);
    assert.deepEqual(await fs.readdir(b.downloadDir), []);
  } finally {
    await cleanup(b);
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a partial file damaged while the transfer was interrupted is re-verified and repaired on resume', { timeout: 120_000 }, async () => {
  const a = await startEngine('alice', { reconnectWindowMs: 60_000 });
  let b = await startEngine('bob');
  const src = await tempDir('ferry-src-');
  try {
    const p = join(src, 'data.bin');
    await writeRandom(p, 192 * 1024 * 1024);
    const moving = waitBytes(b.engine, 64 * 1024 * 1024);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port, fingerprint: b.engine.identity.fingerprint }, paths: [p] });
    await moving;
    const port = b.engine.identity.port;
    await b.engine.close();
    const part = (await fs.readdir(b.downloadDir)).find((n) => n.endsWith('.ferry-part'))!;
    assert.ok(part, 'partial data kept');
    const fh = await fs.open(join(b.downloadDir, part), 'r+');
    await fh.write(Buffer.from([0x55, 0xaa, 0x55]), 0, 3, 1_000_000);
    await fh.close();
    b = await startEngine('bob', { stateDir: b.stateDir, port });
    const inc = await waitTransfer(b.engine, (t) => t.id === sent.id && t.state === 'completed', 60_000);
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    assert.equal(await sha256File(inc.files[0].savedPath!), await sha256File(p));
  } finally {
    await cleanup(a, b);
    await fs.rm(src, { recursive: true, force: true });
  }
});

test('a malformed control message closes only that connection; a transfer alongside completes', async () => {
  const a = await startEngine('alice');
  const b = await startEngine('bob');
  const dir = await tempDir('ferry-mallory-');
  const src = await tempDir('ferry-src-');
  try {
    const p = join(src, 'ok.bin');
    await writeRandom(p, 20 * 1024 * 1024);
    const transfer = sendAndWait(a, b, [p]);
    const c = await rawClient(b, dir);
    c.conn.ws.send('{"t":"offer","transferId":42}');
    const err = (await c.next('error')) as Extract<Msg, { t: 'error' }>;
    assert.equal(err.code, 'E_BAD_MESSAGE');
    await c.closed;
    assert.equal(c.conn.ws.readyState, c.conn.ws.CLOSED);
    const c2 = await rawClient(b, dir);
    c2.conn.ws.send('not json at all');
    assert.equal(((await c2.next('error')) as Extract<Msg, { t: 'error' }>).code, 'E_BAD_MESSAGE');
    const { inc } = await transfer;
    assert.equal(inc.state, 'completed');
    assert.equal(await sha256File(inc.files[0].savedPath!), await sha256File(p));
  } finally {
    await cleanup(a, b);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(src, { recursive: true, force: true });
  }
});
