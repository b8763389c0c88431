// A sender that stopped before it heard `done` offers the same transfer again: the receiver confirms
// it from its record of finished transfers, after a restart or "clear finished" too.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFrame, digestsOf, HostileClient, hostileIdentity, type HostileIdentity, type JsonMessage } from '../support/hostile-client';
import { cleanup, startEngine, tempDir, type TestEngine } from './helpers';

async function offerAgain(recv: TestEngine, id: HostileIdentity, name: string, size: number, transferId: string): Promise<JsonMessage> {
  const c = await HostileClient.connect({ port: recv.engine.identity.port, identity: id });
  await c.hello();
  const acc = await c.offer([{ path: name, size }], { transferId });
  assert.ok(acc && 't' in acc && acc.t === 'accept', `offer not accepted: ${JSON.stringify(acc)}`);
  if (!acc.fresh && (acc.files as unknown[]).length === 0) assert.ok(await c.waitType('done'), 'a confirmed transfer ends with done');
  await c.end();
  return acc;
}

test('a finished transfer offered again is confirmed after "clear finished" and after a restart, only to its sender', async () => {
  const stateDir = await tempDir('ferry-finished-');
  const opts = { stateDir, downloadDir: join(stateDir, 'downloads') };
  let recv = await startEngine('receiver', opts);
  const [sender, stranger] = await Promise.all([hostileIdentity(join(stateDir, 'sender-id')), hostileIdentity(join(stateDir, 'stranger-id'))]);
  try {
    const content = randomBytes(5_000);
    const transferId = randomUUID();
    const c = await HostileClient.connect({ port: recv.engine.identity.port, identity: sender });
    await c.hello();
    const acc = await c.offer([{ path: 'a.bin', size: content.length }], { transferId });
    assert.ok(acc && 't' in acc && acc.t === 'accept');
    c.sendBinary(dataFrame(acc.handle as number, 0, 0, content, digestsOf(content).file));
    assert.ok(await c.waitType('done'));
    await c.end();

    recv.engine.clearFinished();
    assert.deepEqual(recv.engine.transfers(), [], 'cleared from the list');
    const cleared = await offerAgain(recv, sender, 'a.bin', content.length, transferId);
    assert.deepEqual([cleared.files, cleared.fresh, cleared.done], [[], undefined, [0]], 'after clear: nothing to send, file 0 saved');

    await recv.engine.close();
    recv = await startEngine('receiver', opts);
    const restarted = await offerAgain(recv, sender, 'a.bin', content.length, transferId);
    assert.deepEqual([restarted.files, restarted.fresh, restarted.done], [[], undefined, [0]], 'after a restart: nothing to send, file 0 saved');

    // Another device with the same transfer id and files gets a transfer of its own.
    const other = await offerAgain(recv, stranger, 'a.bin', content.length, transferId);
    assert.deepEqual(other.fresh, [[0, 0]], 'a stranger is not told what arrived: file 0 is wanted from the start');
    assert.deepEqual(await fs.readdir(recv.downloadDir).then((n) => n.filter((x) => !x.startsWith('.'))), ['a.bin'], 'one copy, no "(1)"');
    assert.deepEqual(await fs.readFile(join(recv.downloadDir, 'a.bin')), content);
  } finally {
    await cleanup(recv);
  }
});
