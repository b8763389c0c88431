// The receiver sends its accept while the transfer's state file is written, but nothing reaches
// the download folder before that file is on disk: a crash never leaves data no state names.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Connection } from '../../src/main/engine/transport/connection';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import { silentLogger } from '../../src/main/engine/log';
import { type IncomingState, IncomingStore } from '../../src/main/engine/transfer/incoming-store';
import { IncomingTransfer, tempPathFor } from '../../src/main/engine/transfer/receiver';
import { dataFrame, digestsOf, HostileClient, hostileIdentity } from '../support/hostile-client';
import { cleanup, rawServer, startEngine, tempDir } from './helpers';

/** A real store whose saves wait until the test lets them go: the fsync that takes its time. */
class HeldStore extends IncomingStore {
  release!: () => void;
  private readonly held = new Promise<void>((r) => (this.release = r));
  override async save(s: IncomingState): Promise<void> {
    await this.held;
    await super.save(s);
  }
}

/** A receiving transfer of one accepted file, as the engine makes it for an offer. */
function oneFileTransfer(
  conn: Connection,
  o: { transferId: string; downloadDir: string; store: IncomingStore; name: string; size: number },
): IncomingTransfer {
  const state: IncomingState = {
    v: 1,
    transferId: o.transferId,
    resumeKey: '0'.repeat(64),
    peer: { fingerprint: conn.peerFingerprint, name: 'sender', address: '127.0.0.1', port: 0 },
    files: [{ path: o.name, size: o.size, mtime: 0 }],
    dirs: [],
    downloadDir: o.downloadDir,
    accepted: [0],
    targets: { 0: o.name },
    temps: { 0: tempPathFor(o.downloadDir, o.name, o.transferId, 0) },
    createdAt: Date.now(),
  };
  return new IncomingTransfer(state, { downloadDir: o.downloadDir, store: o.store, sink: { upserted() {}, progress() {} }, logger: silentLogger, onFinal() {} });
}

/** A folder for one test: downloads, the receiver's identity, and a state store that holds its saves. */
async function heldArena(prefix: string) {
  const dir = await tempDir(prefix);
  const downloadDir = join(dir, 'downloads');
  await fs.mkdir(downloadDir);
  const id = await loadOrCreateIdentity(join(dir, 'id'));
  return { dir, downloadDir, id, store: new HeldStore(join(dir, 'state')) };
}

test('data that arrives before the state file is on disk waits for it; then the file is saved', async () => {
  const { dir, downloadDir, id, store } = await heldArena('ferry-rx-state-');
  const content = Buffer.from('sent the moment the accept arrived');
  const transferId = randomUUID();
  const server = rawServer(id, (conn) => {
    const t = oneFileTransfer(conn, { transferId, downloadDir, store, name: 'note.txt', size: content.length });
    void t.startSession(conn, [{ index: 0, offset: 0, blocks: [] }], []);
  });
  const port = await server.listen('127.0.0.1', 0);
  const c = await HostileClient.connect({ port, identity: await hostileIdentity(join(dir, 'sender-id')) });
  try {
    await c.hello();
    const acc = await c.waitType('accept');
    assert.ok(acc, 'the accept leaves while the state file is still being written');
    c.sendBinary(dataFrame(acc.handle as number, 0, 0, content, digestsOf(content).file));
    assert.ok(await c.roundTrip(), 'the pong comes after the receiver read the frame');
    assert.deepEqual(await fs.readdir(downloadDir), [], 'no temp file and no file before the state file is on disk');
    assert.equal(existsSync(store.journalPath(transferId)), false, 'no journal line either');
    store.release();
    assert.deepEqual((await c.waitType('filesDone'))?.f, [0]);
    assert.ok((await fs.readFile(join(downloadDir, 'note.txt'))).equals(content));
  } finally {
    await c.end();
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a state file that cannot be written fails the transfer with E_IO, and nothing reaches the download folder, not even a folder', async () => {
  const recv = await startEngine('receiver');
  // A file where the folder of incoming state files should be: every save fails.
  await fs.rm(join(recv.stateDir, 'incoming'), { recursive: true, force: true });
  await fs.writeFile(join(recv.stateDir, 'incoming'), 'in the way');
  const c = await HostileClient.connect({ port: recv.engine.identity.port, identity: await hostileIdentity(join(recv.stateDir, 'sender-id')) });
  try {
    await c.hello();
    const content = Buffer.from('the whole file, sent the moment the accept arrives');
    const acc = await c.offer([{ path: 'note.txt', size: content.length }, { path: 'docs/sub/a.txt', size: 1 }], { dirs: ['docs', 'docs/sub', 'docs/empty'] });
    assert.ok(acc && 't' in acc && acc.t === 'accept', `the accept leaves before the state is saved: ${JSON.stringify(acc)}`);
    c.sendBinary(dataFrame(acc.handle as number, 0, 0, content, digestsOf(content).file));
    const err = await c.waitType('error');
    assert.equal(err?.code, 'E_IO', JSON.stringify(c.received));
    assert.match(String(err?.message), /Cannot save the state of this transfer/);
    assert.deepEqual(await fs.readdir(recv.downloadDir).catch(() => []), [], 'no file, temp file or folder stage in the download folder');
    assert.equal(c.received.some((m) => 't' in m && (m.t === 'filesDone' || m.t === 'fileDone')), false, 'nothing reported saved');
  } finally {
    await c.end();
    await cleanup(recv);
  }
});

// A sender that reconnects at once (the receiver was frozen, say) can start a new session while the
// old connection's close is still writing out. That late close must not fail the new session.
test('a new session is not failed by the close of the connection it replaced, however late that close finishes', async () => {
  const { dir, downloadDir, id, store } = await heldArena('ferry-rx-takeover-');
  const content = randomBytes(300_000);
  const half = content.subarray(0, 150_000);
  let t: IncomingTransfer | undefined;
  let firstClosed!: Promise<void>;
  const server = rawServer(id, (conn) => {
    if (!t) {
      t = oneFileTransfer(conn, { transferId: randomUUID(), downloadDir, store, name: 'clip.bin', size: content.length });
      firstClosed = new Promise((r) => conn.on('closed', () => r()));
    }
    void t.startSession(conn, [{ index: 0, offset: 0, blocks: [] }], []);
  });
  const port = await server.listen('127.0.0.1', 0);
  const sender = await hostileIdentity(join(dir, 'sender-id'));
  const c1 = await HostileClient.connect({ port, identity: sender });
  const c2 = await HostileClient.connect({ port, identity: sender });
  try {
    await c1.hello();
    const first = await c1.waitType('accept');
    c1.sendBinary(dataFrame(first!.handle as number, 0, 0, half));
    assert.ok(await c1.roundTrip(), 'the first half was read; its write waits for the held state file');
    await c1.end();
    await firstClosed; // the receiver is now writing out the first session, held by the store
    await c2.hello();
    const second = await c2.waitType('accept');
    store.release(); // the old close finishes after the new session began
    c2.sendBinary(dataFrame(second!.handle as number, 0, 0, content, digestsOf(content).file));
    assert.ok(await c2.waitType('done', 5_000), `the new session finishes: ${JSON.stringify(c2.received.filter((m) => 't' in m))}`);
    assert.equal(t!.record.state, 'completed');
    // The old session's write finished on the new connection's watch: its ack (150,000 bytes of a
    // file the new session sent whole) must not reach the sender, which would take it as a lie.
    assert.deepEqual(c2.received.filter((m) => 't' in m && m.t === 'ack'), []);
    assert.ok((await fs.readFile(join(downloadDir, 'clip.bin'))).equals(content));
  } finally {
    await c1.end();
    await c2.end();
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});
