// An offer in parts (PROTOCOL.md section 2): a sender that scans a large batch sends its first files
// ahead, and the receiver takes parts and offer as one list.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogFields } from '../../src/main/engine/log';
import type { Msg } from '../../src/main/engine/protocol/messages';
import { digestOf } from '../../src/main/engine/transfer/digest';
import { cleanup, dataFrame, isFinal, rawClient, sendAndWait, startEngine, tempDir, waitTransfer, withPair } from './helpers';

test('a batch larger than one part goes out in parts while it is scanned, and arrives whole', async () => {
  const logged: LogFields[] = [];
  const logger = { log: (_level: string, msg: string, fields?: LogFields) => void (msg === 'offer sent' && fields && logged.push(fields)) };
  await withPair(
    async ({ a, b, src }) => {
      const contents = new Map<string, string>();
      for (const d of ['d0', 'd1', 'd2']) {
        await fs.mkdir(join(src, 'batch', d), { recursive: true });
        for (let i = 0; i < 800; i++) contents.set(`${d}/f${i}`, `${d}-${i}-${'x'.repeat(i % 7)}`);
      }
      await Promise.all([...contents].map(([rel, text]) => fs.writeFile(join(src, 'batch', rel), text)));
      const { out, inc } = await sendAndWait(a, b, [join(src, 'batch')]);
      assert.equal(out.state, 'completed', JSON.stringify(out.error));
      assert.equal(inc.state, 'completed');
      assert.equal(logged.length, 1);
      assert.ok((logged[0].inParts as number) >= 1000, `only ${String(logged[0].inParts)} files went ahead in parts`);
      assert.equal(logged[0].files, contents.size);
      for (const [rel, text] of contents) assert.equal(await fs.readFile(join(b.downloadDir, 'batch', rel), 'utf8'), text, rel);
    },
    { a: { logger } },
  );
});

test('a hand-made offer in parts is accepted as one list: files from a part and from the offer are saved under their names', async () => {
  const b = await startEngine('bob');
  const dir = await tempDir('ferry-parts-');
  try {
    const c = await rawClient(b, dir);
    const [x, y, z] = [randomBytes(100), randomBytes(200), randomBytes(300)];
    c.conn.send({ t: 'offerPart', files: [{ path: 'p/x.bin', size: 100, mtime: 1 }, { path: 'p/y.bin', size: 200, mtime: 1 }] });
    const transferId = randomUUID();
    c.conn.send({ t: 'offer', transferId, resumeKey: randomBytes(32).toString('hex'), files: [{ path: 'z.bin', size: 300, mtime: 1 }], totalBytes: 600 });
    const accept = (await c.next('accept')) as Extract<Msg, { t: 'accept' }>;
    assert.deepEqual(accept.fresh, [[0, 2]]);
    [x, y, z].forEach((bytes, f) => c.conn.sendData(dataFrame(accept.handle, f, 0, bytes, digestOf(bytes)), () => undefined));
    const t = await waitTransfer(b.engine, isFinal('in', transferId));
    assert.equal(t.state, 'completed');
    assert.deepEqual(await fs.readFile(join(b.downloadDir, 'p', 'x.bin')), x);
    assert.deepEqual(await fs.readFile(join(b.downloadDir, 'p', 'y.bin')), y);
    assert.deepEqual(await fs.readFile(join(b.downloadDir, 'z.bin')), z);
    c.conn.close();
  } finally {
    await cleanup(b);
    await fs.rm(dir, { recursive: true, force: true });
  }
});
