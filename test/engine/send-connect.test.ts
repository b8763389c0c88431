// A send connects while its paths are scanned, so a big folder's scan hides the TLS handshake.
// The transfer offers on that connection; a scan that fails closes it without an offer.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import type { Msg } from '../../src/main/engine/protocol/messages';
import type { Connection } from '../../src/main/engine/transport/connection';
import { ErrorCode } from '../../src/shared/errors';
import { until } from '../support/until';
import { cleanup, rawServer, startEngine, tempDir } from './helpers';

test('a send whose scan fails closes the connection it made during the scan, with no offer', async () => {
  const a = await startEngine('alice');
  const dir = await tempDir('ferry-send-connect-');
  const id = await loadOrCreateIdentity(join(dir, 'id'));
  const seen: { conn: Connection; messages: string[]; closed: boolean }[] = [];
  const server = rawServer(id, (conn) => {
    const entry = { conn, messages: [] as string[], closed: false };
    seen.push(entry);
    conn.on('message', (m: Msg) => entry.messages.push(m.t));
    conn.on('closed', () => (entry.closed = true));
  });
  try {
    const port = await server.listen('127.0.0.1', 0);
    await assert.rejects(
      a.engine.send({ to: { host: '127.0.0.1', port, fingerprint: id.fingerprint }, paths: [join(dir, 'no-such-file')] }),
      (err: { code?: string }) => err.code === ErrorCode.NOT_FOUND,
    );
    await until(() => seen.length === 1 && seen[0].closed, 'the early connection was made and then closed', 10_000);
    assert.deepEqual(seen[0].messages, [], 'no offer on it');
    assert.equal(a.engine.transfers().length, 0, 'no transfer was made');
  } finally {
    await server.close();
    await cleanup(a);
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a folder is offered on the connection made while it was scanned: one connection in all', async () => {
  const a = await startEngine('alice');
  const dir = await tempDir('ferry-send-connect-');
  const tree = join(dir, 'tree');
  await fs.mkdir(tree);
  await Promise.all(Array.from({ length: 200 }, (_, i) => fs.writeFile(join(tree, `f${i}.txt`), `${i}`)));
  const id = await loadOrCreateIdentity(join(dir, 'id'));
  const offers: number[] = [];
  let connections = 0;
  const server = rawServer(id, (conn) => {
    connections++;
    conn.on('message', (m: Msg) => {
      if (m.t !== 'offer') return;
      offers.push(m.files.length);
      conn.send({ t: 'reject', transferId: m.transferId, code: ErrorCode.REJECTED, message: 'test' });
    });
  });
  try {
    const port = await server.listen('127.0.0.1', 0);
    await a.engine.send({ to: { host: '127.0.0.1', port, fingerprint: id.fingerprint }, paths: [tree] }).catch(() => undefined);
    await until(() => offers.length === 1, 'the offer arrived', 10_000);
    assert.deepEqual([connections, offers], [1, [200]]);
  } finally {
    await server.close();
    await cleanup(a);
    await fs.rm(dir, { recursive: true, force: true });
  }
});
