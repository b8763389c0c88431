// When the receiver commits (fdatasync + journal), seen from a scripted sender through the
// `committed` field of its acks.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BLOCK_SIZE } from '../../src/shared/protocol';
import { dataFrame, digestsOf, HostileClient, hostileIdentity } from '../support/hostile-client';
import { cleanup, startEngine } from './helpers';

const MiB = 1024 * 1024;

test('near the end of a file the receiver commits ahead, so the sync before the rename has little left', async () => {
  const recv = await startEngine('receiver');
  const c = await HostileClient.connect({ port: recv.engine.identity.port, identity: await hostileIdentity(join(recv.stateDir, 'sender-id')) });
  try {
    await c.hello();
    // 12 MiB: below the 16 MiB commit point, so only the commit-ahead rule can commit before the end.
    const content = randomBytes(12 * MiB);
    const d = digestsOf(content, BLOCK_SIZE);
    const acc = await c.offer([{ path: 'big.bin', size: content.length }]);
    assert.ok(acc && 't' in acc && acc.t === 'accept', `offer not accepted: ${JSON.stringify(acc)}`);
    const handle = acc.handle as number;
    for (let at = 0; at < 10 * MiB; at += 2 * MiB) {
      const end = at + 2 * MiB;
      c.sendBinary(dataFrame(handle, 0, at, content.subarray(at, end)));
      const block = end / BLOCK_SIZE - 1; // the block this frame completes, if it completes one
      if (Number.isInteger(block)) c.sendJson({ t: 'block', f: 0, b: block, h: d.blocks[block].toString('hex') });
    }
    // With 8 MiB written and 4 MiB to come a commit is due: some block is committed before the last
    // byte is sent. (Which blocks depends on when the block digests were read; without the rule no
    // commit comes at all, unless 250 ms passed since the first write.)
    const ack = await c.waitFor((m) => 't' in m && m.t === 'ack' && (m.committed as number) >= BLOCK_SIZE, 5_000);
    assert.ok(ack, `no commit ahead of the end; acks: ${JSON.stringify(c.received.filter((m) => 't' in m && m.t === 'ack'))}`);
    c.sendBinary(dataFrame(handle, 0, 10 * MiB, content.subarray(10 * MiB), d.file));
    assert.deepEqual((await c.waitType('filesDone'))?.f, [0]);
    assert.ok((await fs.readFile(join(recv.downloadDir, 'big.bin'))).equals(content), 'saved file differs');
  } finally {
    await c.end();
    await cleanup(recv);
  }
});
