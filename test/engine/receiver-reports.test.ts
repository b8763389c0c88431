// What a sender believes of a receiver's reports. A file is saved once, and only after all of it
// was sent; an ack that moves nothing, and every rewind, count against the control-message rate
// limit. Repeats would otherwise cost the sender without end (its saved list and state file, or
// its event loop).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LIMITS } from '../../src/shared/limits';
import type { TransferSnapshot } from '../../src/shared/types';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import type { Msg } from '../../src/main/engine/protocol/messages';
import type { Connection } from '../../src/main/engine/transport/connection';
import { cleanup, isFinal, rawServer, startEngine, tempDir, waitTransfer } from './helpers';

/** Sends one file of `size` bytes to a scripted receiver that accepts it from the start and then
 *  runs `onFirstFrame` once data arrives. Resolves with the sender's final snapshot. */
async function sendToScript(size: number, onFirstFrame: (conn: Connection) => void): Promise<TransferSnapshot> {
  const a = await startEngine('alice');
  const dir = await tempDir('ferry-reports-');
  const path = join(dir, 'one.bin');
  await fs.writeFile(path, Buffer.alloc(size, 7));
  const id = await loadOrCreateIdentity(join(dir, 'id'));
  const server = rawServer(id, (conn) => {
    conn.on('message', (m: Msg) => {
      if (m.t === 'offer') conn.send({ t: 'accept', transferId: m.transferId, handle: 1, files: [], fresh: [[0, 0]] });
    });
    conn.once('data', () => onFirstFrame(conn));
    conn.on('data', () => undefined); // later frames: dropped
  });
  try {
    const port = await server.listen('127.0.0.1', 0);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port, fingerprint: id.fingerprint }, paths: [path] });
    return await waitTransfer(a.engine, isFinal('out', sent.id));
  } finally {
    await server.close();
    await cleanup(a);
    await fs.rm(dir, { recursive: true, force: true });
  }
}

test('a file reported saved twice fails the transfer with E_BAD_MESSAGE', async () => {
  // The one frame holds the whole file: report it saved, again, then the batch done.
  const out = await sendToScript(10, (conn) => {
    conn.send({ t: 'filesDone', f: [0] });
    conn.send({ t: 'filesDone', f: [0] });
    conn.send({ t: 'done' });
  });
  assert.equal(out.state, 'failed');
  assert.equal(out.error?.code, 'E_BAD_MESSAGE', JSON.stringify(out.error));
});

test('acks that move nothing, past the control-message rate, fail the transfer with E_LIMIT', async () => {
  // Then a cancel: a sender that ignored the repeats would end 'cancelled'.
  const out = await sendToScript(8 * 1024 * 1024, (conn) => {
    for (let i = 0; i <= LIMITS.maxControlPerSecond; i++) conn.send({ t: 'ack', f: 0, written: 0, committed: 0 });
    conn.send({ t: 'cancel' });
  });
  assert.equal(out.state, 'failed');
  assert.equal(out.error?.code, 'E_LIMIT', JSON.stringify(out.error));
});

test('rewinds past the control-message rate fail the transfer with E_LIMIT', async () => {
  const out = await sendToScript(8 * 1024 * 1024, (conn) => {
    for (let i = 0; i <= LIMITS.maxControlPerSecond; i++) conn.send({ t: 'rewind', f: 0, offset: 0 });
    conn.send({ t: 'cancel' });
  });
  assert.equal(out.state, 'failed');
  assert.equal(out.error?.code, 'E_LIMIT', JSON.stringify(out.error));
});
