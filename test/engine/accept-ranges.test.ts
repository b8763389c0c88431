// The accept names the files wanted from the start as index ranges (one range for a whole fresh
// batch) and lists only resumed files one by one. A sender refuses ranges that overlap, run past
// the offer or name a file twice.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import type { Msg } from '../../src/main/engine/protocol/messages';
import { fromRanges, rangesInOrder, toRanges } from '../../src/main/engine/util/index-ranges';
import { HostileClient, hostileIdentity } from '../support/hostile-client';
import { cleanup, isFinal, rawServer, startEngine, tempDir, waitTransfer } from './helpers';

test('index ranges: made from sorted indices, read back, and checked for order and bounds', () => {
  assert.deepEqual(toRanges([0, 1, 2, 5, 7, 8]), [[0, 2], [5, 5], [7, 8]]);
  assert.deepEqual(toRanges(Uint32Array.from([3])), [[3, 3]]);
  assert.deepEqual(toRanges([]), []);
  assert.deepEqual(fromRanges([[0, 2], [5, 5]]), [0, 1, 2, 5]);
  assert.equal(rangesInOrder([[0, 2], [5, 5], [7, 8]], 9), true);
  assert.equal(rangesInOrder([], 0), true);
  assert.equal(rangesInOrder([[0, 2], [2, 3]], 9), false, 'overlap');
  assert.equal(rangesInOrder([[5, 6], [0, 1]], 9), false, 'descending');
  assert.equal(rangesInOrder([[3, 2]], 9), false, 'first after last');
  assert.equal(rangesInOrder([[7, 9]], 9), false, 'past the count');
});

test('a fresh batch is accepted with one range and no per-file entries', async () => {
  const recv = await startEngine('receiver', { acceptPolicy: 'all' });
  const dir = await tempDir('ferry-ranges-');
  try {
    const c = await HostileClient.connect({ port: recv.engine.identity.port, identity: await hostileIdentity(join(dir, 'id')) });
    await c.hello();
    const acc = await c.offer([{ path: 'a.bin', size: 10 }, { path: 'b.bin', size: 0 }, { path: 'c.bin', size: 5_000_000 }]);
    assert.ok(acc && 't' in acc && acc.t === 'accept', JSON.stringify(acc));
    assert.deepEqual([acc.files, acc.fresh, acc.done], [[], [[0, 2]], undefined]);
    await c.end();
  } finally {
    await cleanup(recv);
    await fs.rm(dir, { recursive: true, force: true });
  }
});

const badAccepts: [string, (transferId: string) => Msg][] = [
  ['overlapping ranges', (transferId) => ({ t: 'accept', transferId, handle: 1, files: [], fresh: [[0, 1], [1, 2]] })],
  ['a range past the offer', (transferId) => ({ t: 'accept', transferId, handle: 1, files: [], fresh: [[0, 3]] })],
  ['a file both resumed and fresh', (transferId) => ({ t: 'accept', transferId, handle: 1, files: [{ index: 1, offset: 0, blocks: [] }], fresh: [[0, 2]] })],
];

for (const [what, accept] of badAccepts) {
  test(`a sender refuses an accept with ${what}: E_BAD_MESSAGE, nothing sent`, async () => {
    const a = await startEngine('alice');
    const dir = await tempDir('ferry-ranges-');
    const paths = ['x', 'y', 'z'].map((n) => join(dir, n));
    await Promise.all(paths.map((p) => fs.writeFile(p, p)));
    const id = await loadOrCreateIdentity(join(dir, 'id'));
    let data = 0;
    const server = rawServer(id, (conn) => {
      conn.on('message', (m: Msg) => {
        if (m.t === 'offer') conn.send(accept(m.transferId));
      });
      conn.on('data', () => data++);
    });
    try {
      const port = await server.listen('127.0.0.1', 0);
      const sent = await a.engine.send({ to: { host: '127.0.0.1', port, fingerprint: id.fingerprint }, paths });
      const out = await waitTransfer(a.engine, isFinal('out', sent.id));
      assert.equal(out.state, 'failed');
      assert.equal(out.error?.code, 'E_BAD_MESSAGE', JSON.stringify(out.error));
      assert.equal(data, 0, 'no data after a bad accept');
    } finally {
      await server.close();
      await cleanup(a);
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
}
