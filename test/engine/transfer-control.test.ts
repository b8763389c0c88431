import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TransferSnapshot } from '../../src/shared/types';
import { cleanup, isFinal, sha256File, startEngine, tempDir, type TestEngine, waitBytes, waitTransfer, withPair } from './helpers';

const BIG = 768 * 1024 * 1024;

async function bigSparse(dir: string, size = BIG): Promise<string> {
  const p = join(dir, 'big.bin');
  const fh = await fs.open(p, 'w');
  await fh.write(Buffer.from('start'), 0, 5, 0);
  await fh.write(Buffer.from('middle'), 0, 6, Math.floor(size / 2));
  await fh.truncate(size);
  await fh.close();
  return p;
}

async function startBig(a: TestEngine, b: TestEngine, src: string) {
  const p = await bigSparse(src);
  const moving = waitBytes(b.engine, 1);
  const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port, fingerprint: b.engine.identity.fingerprint }, paths: [p] });
  await moving;
  return { p, id: sent.id };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bytesOf(e: TestEngine, id: string, dir: 'in' | 'out'): number {
  return e.engine.transfers().find((t) => t.id === id && t.direction === dir)!.bytesDone;
}

for (const side of ['sender', 'receiver'] as const) {
  test(`pause and resume from the ${side}: bytes stop while paused, then the file completes`, async () => {
    const a = await startEngine('alice');
    const b = await startEngine('bob');
    const src = await tempDir('ferry-src-');
    try {
      const { p, id } = await startBig(a, b, src);
      const actor = side === 'sender' ? a : b;
      actor.engine.pause(id);
      const other = side === 'sender' ? b : a;
      await waitTransfer(other.engine, (t) => t.id === id && t.state === 'paused' && t.pausedBy === 'remote');
      await sleep(300); // what was in flight lands
      const before = bytesOf(b, id, 'in');
      await sleep(700);
      assert.equal(bytesOf(b, id, 'in'), before, 'no bytes while paused');
      assert.ok(before < BIG, 'paused before the end');
      actor.engine.resume(id);
      const inc = await waitTransfer(b.engine, isFinal('in', id), 60_000);
      assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
      assert.equal(await sha256File(inc.files[0].savedPath!), await sha256File(p));
      const out = await waitTransfer(a.engine, isFinal('out', id));
      assert.equal(out.state, 'completed');
    } finally {
      await cleanup(a, b);
      await fs.rm(src, { recursive: true, force: true });
    }
  });

  test(`cancel from the ${side}: both sides cancelled, partial data and state gone`, async () => {
    const a = await startEngine('alice');
    const b = await startEngine('bob');
    const src = await tempDir('ferry-src-');
    try {
      const { id } = await startBig(a, b, src);
      (side === 'sender' ? a : b).engine.cancel(id);
      const [out, inc]: TransferSnapshot[] = await Promise.all([waitTransfer(a.engine, isFinal('out', id)), waitTransfer(b.engine, isFinal('in', id))]);
      assert.equal(out.state, 'cancelled');
      assert.equal(inc.state, 'cancelled');
      assert.equal(out.error?.code, 'E_CANCELLED');
      await sleep(200);
      assert.deepEqual(await fs.readdir(b.downloadDir), [], 'no partial file left');
      assert.deepEqual(await fs.readdir(join(b.stateDir, 'incoming')).catch(() => []), []);
      assert.deepEqual(await fs.readdir(join(a.stateDir, 'outgoing')).catch(() => []), []);
    } finally {
      await cleanup(a, b);
      await fs.rm(src, { recursive: true, force: true });
    }
  });
}

test('progress() gives each moving transfer its bytes without the file list, and leaves out paused ones', async () => {
  const a = await startEngine('alice');
  const b = await startEngine('bob');
  const src = await tempDir('ferry-src-');
  try {
    const { id } = await startBig(a, b, src);
    for (const e of [a, b]) {
      const dir = e === a ? 'out' : 'in';
      const [moving] = e.engine.progress();
      assert.equal(moving?.id, id, `${dir}: the transfer is listed`);
      assert.deepEqual(moving.files, []);
      assert.equal(moving.bytesDone, bytesOf(e, id, dir), `${dir}: the bytes of its snapshot`);
    }
    a.engine.pause(id);
    await waitTransfer(b.engine, (t) => t.id === id && t.state === 'paused');
    assert.deepEqual(a.engine.progress(), []);
    assert.deepEqual(b.engine.progress(), []);
    a.engine.cancel(id);
  } finally {
    await cleanup(a, b);
    await fs.rm(src, { recursive: true, force: true });
  }
});

test('an offer larger than the free disk space is refused before any byte moves', async () => {
  await withPair(async ({ a, b, src }) => {
    const { freeBytes } = await import('../../src/main/engine/util/disk-space');
    const size = (await freeBytes(b.downloadDir)) + 64 * 1024 ** 3; // far over, whatever else runs meanwhile
    const p = await bigSparse(src, size);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    const out = await waitTransfer(a.engine, isFinal('out', sent.id));
    assert.equal(out.state, 'failed');
    assert.equal(out.error?.code, 'E_NO_SPACE');
    assert.match(out.error!.message, /free/);
    assert.deepEqual(await fs.readdir(b.downloadDir), []);
  });
});

test('a wrong pinned fingerprint is refused before any file byte leaves', async () => {
  await withPair(async ({ a, b, src }) => {
    const p = join(src, 'secret.txt');
    await fs.writeFile(p, 'top secret');
    await assert.rejects(
      a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port, fingerprint: 'ab'.repeat(32) }, paths: [p] }),
      (err: { code?: string }) => err.code === 'E_FINGERPRINT_MISMATCH',
    );
    await sleep(200);
    assert.deepEqual(b.engine.transfers(), []);
    assert.deepEqual(await fs.readdir(b.downloadDir), []);
    const out = a.engine.transfers()[0];
    assert.equal(out.state, 'failed');
    assert.equal(out.error?.code, 'E_FINGERPRINT_MISMATCH');
  });
});

test("policy 'ask' waits for respond(); a declined offer ends rejected on both sides", async () => {
  await withPair(async ({ a, b, src }) => {
    const p = join(src, 'hello.txt');
    await fs.writeFile(p, 'hello');
    const offered = new Promise<string>((resolve) => b.engine.on('offerReceived', (o) => resolve(o.transferId)));
    const first = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    const id = await offered;
    assert.equal(b.engine.pendingOffers()[0].pairingCode, a.engine.pairingCode(b.engine.identity.fingerprint));
    b.engine.respond(id, { accept: false });
    assert.equal((await waitTransfer(a.engine, isFinal('out', first.id))).state, 'rejected');

    const offered2 = new Promise<string>((resolve) => b.engine.on('offerReceived', (o) => resolve(o.transferId)));
    const second = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    b.engine.respond(await offered2, { accept: true, trust: true });
    const inc = await waitTransfer(b.engine, isFinal('in', second.id));
    assert.equal(inc.state, 'completed');
    assert.equal(await fs.readFile(inc.files[0].savedPath!, 'utf8'), 'hello');
    await sleep(50);
    assert.equal(b.engine.devices().find((d) => d.fingerprint === a.engine.identity.fingerprint)?.trusted, true);
  }, { b: { acceptPolicy: 'ask' } });
});
