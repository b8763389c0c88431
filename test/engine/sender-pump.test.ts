import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Socket } from 'node:net';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import { parseFrames } from '../../src/main/engine/protocol/frame';
import type { Msg } from '../../src/main/engine/protocol/messages';
import { cleanup, isFinal, rawServer, startEngine, tempDir, waitTransfer } from './helpers';

const FILES = 300;

// A hand-written receiver holds its acks until the sender has filled its window, then sends them
// all in one socket write, led by an ack that frees nothing. The first makes the sender's pump
// loop end at once; the rest arrive in the same read before that loop's promise settles. A pump
// that cleared its busy flag a microtask late lost that wake-up and stalled for good (seen in the
// bench: 10,000 files stopped after 65).
test('acks that arrive together after a full window wake the sender (no lost wake-up)', async () => {
  const a = await startEngine('alice');
  const dir = await tempDir('ferry-pump-');
  const src = join(dir, 'src');
  await fs.mkdir(src);
  for (let i = 0; i < FILES; i++) await fs.writeFile(join(src, `f${i}.bin`), Buffer.alloc(4096, i));
  const id = await loadOrCreateIdentity(join(dir, 'id'));
  let bursts = 0;
  const server = rawServer(id, (conn) => {
    const unacked: { f: number; end: number }[] = [];
    const done = new Set<number>();
    let quiet: NodeJS.Timeout | undefined;
    const flush = () => {
      bursts++;
      const socket = (conn.ws as unknown as { _socket: Socket })._socket;
      socket.cork(); // one TLS record, one read on the other side
      conn.send({ t: 'ack', f: unacked[0].f, written: 0, committed: 0 });
      for (const u of unacked.splice(0)) {
        conn.send({ t: 'ack', f: u.f, written: u.end, committed: u.end });
        conn.send({ t: 'fileDone', f: u.f });
        done.add(u.f);
      }
      socket.uncork();
      if (done.size === FILES) conn.send({ t: 'done' });
    };
    conn.on('message', (m: Msg) => {
      if (m.t !== 'offer') return;
      const files = m.files.map((_, index) => ({ index, offset: 0, blocks: [] }));
      conn.send({ t: 'accept', transferId: m.transferId, handle: 9, files });
    });
    conn.on('data', (buf) => {
      for (const fr of parseFrames(buf)) unacked.push({ f: fr.file, end: fr.offset + fr.payload.length });
      clearTimeout(quiet);
      quiet = setTimeout(flush, 50); // the sender went quiet: its window is full
    });
    conn.on('closed', () => clearTimeout(quiet));
  });
  try {
    const port = await server.listen('127.0.0.1', 0);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port, fingerprint: id.fingerprint }, paths: [src] });
    const out = await waitTransfer(a.engine, isFinal('out', sent.id), 20_000);
    assert.equal(out.state, 'completed', JSON.stringify(out.error));
    assert.ok(bursts > 1, `the window filled and was freed ${bursts} times; the test needs at least 2`);
  } finally {
    await server.close();
    await cleanup(a);
    await fs.rm(dir, { recursive: true, force: true });
  }
});
