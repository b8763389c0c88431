// What a sender believes of a receiver's reports: a file is saved once, and only after all of it
// was sent. A repeat would otherwise grow the sender's saved list, and its state file, without end.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import type { Msg } from '../../src/main/engine/protocol/messages';
import { cleanup, isFinal, rawServer, startEngine, tempDir, waitTransfer } from './helpers';

test('a file reported saved twice fails the transfer with E_BAD_MESSAGE', async () => {
  const a = await startEngine('alice');
  const dir = await tempDir('ferry-reports-');
  const path = join(dir, 'one.txt');
  await fs.writeFile(path, 'ten bytes!');
  const id = await loadOrCreateIdentity(join(dir, 'id'));
  const server = rawServer(id, (conn) => {
    let transferId = '';
    conn.on('message', (m: Msg) => {
      if (m.t !== 'offer') return;
      transferId = m.transferId;
      conn.send({ t: 'accept', transferId, handle: 1, files: [], fresh: [[0, 0]] });
    });
    // The one frame holds the whole file: report it saved, again, then the batch done.
    conn.once('data', () => {
      conn.send({ t: 'filesDone', f: [0] });
      conn.send({ t: 'filesDone', f: [0] });
      conn.send({ t: 'done' });
    });
  });
  try {
    const port = await server.listen('127.0.0.1', 0);
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port, fingerprint: id.fingerprint }, paths: [path] });
    const out = await waitTransfer(a.engine, isFinal('out', sent.id));
    assert.equal(out.state, 'failed');
    assert.equal(out.error?.code, 'E_BAD_MESSAGE', JSON.stringify(out.error));
  } finally {
    await server.close();
    await cleanup(a);
    await fs.rm(dir, { recursive: true, force: true });
  }
});
